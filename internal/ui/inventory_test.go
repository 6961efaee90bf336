package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/inventory/fusion"
	"parc/internal/inventory/inventorytest"
	"parc/internal/record"
	"parc/internal/storetest"
)

const fixture = "fusioninventory-2.6-debian12.xml"

func parseFixture(t *testing.T) (*inventory.Inventory, []byte) {
	t.Helper()
	raw := inventorytest.Read(t, fixture)
	inv, err := fusion.ParseInventory(raw)
	if err != nil {
		t.Fatal(err)
	}
	return inv, raw
}

// ingestFixture stores the fixture as the inventory of a new computer.
func (e *env) ingestFixture() (*inventory.Inventory, []byte, int64) {
	e.t.Helper()
	inv, raw := parseFixture(e.t)
	res, err := e.app.Inventory.Ingest(context.Background(), inv, ingest.Meta{Raw: raw, RemoteIP: "192.0.2.2"})
	if err != nil {
		e.t.Fatal(err)
	}
	return inv, raw, res.ComputerID
}

func TestInventoryPages(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		inv, raw, cid := e.ingestFixture()
		id := itoa(cid)
		item := "/computers/" + id
		sum := inv.Summary()
		dpkg := inventorytest.Software(t, inv, "dpkg")
		if len(sum.MACs) == 0 || len(inv.CPUs) == 0 || len(inv.Networks) == 0 {
			t.Fatalf("fixture without MAC, CPU or interface: %+v", sum)
		}

		b := e.browser("en")
		b.login("admin", adminPassword)

		// Details: the hardware in human units, the inventory's origin, the tabs.
		p := b.get(item).must(t, 200, "Hardware", sum.Processor+" — 2 cores", "24\u00a0GB", "268\u00a0GB", sum.MACs[0],
			sum.OS, "x86_64", "Inventory", "FusionInventory", `href="`+item+`/inventory"`, "Download last inventory",
			`href="/agents/`, `href="`+item+`?tab=components"`, `href="`+item+`?tab=software"`, "Software (1,231)")
		p.lacks(t, "24,105", "274,877")
		// The same in French.
		fr := e.browser("fr")
		fr.login("admin", adminPassword)
		fr.get(item).must(t, 200, "Matériel", "24\u00a0Go", "Télécharger le dernier inventaire", "Composants", "Logiciels (1\u202f231)")

		// Components, grouped by kind, each CPU and network interface listed.
		p = b.get(item+"?tab=components").must(t, 200, "Processors", "Network interfaces", "Volumes", "MAC address", "Free")
		for _, c := range inv.CPUs {
			p.must(t, 200, esc(c.Model))
		}
		for _, n := range inv.Networks {
			p.must(t, 200, ">"+esc(n.Name)+"<")
		}
		for _, m := range sum.MACs {
			p.must(t, 200, m)
		}
		fr.get(item+"?tab=components").must(t, 200, "Processeurs", "Interfaces réseau", "Point de montage")

		// Software: the table, the server-side filter, the count.
		var sid int64
		for _, in := range mustInstallations(t, e, cid) {
			if in.Name == "dpkg" {
				sid = in.SoftwareID
			}
		}
		sw := "/software/" + itoa(sid)
		b.get(item+"?tab=software").must(t, 200, `href="`+sw+`">dpkg</a>`, esc(dpkg.Version), "1,231 installed packages",
			`data-filter-table="software-table"`, "adduser")
		b.get(item+"?tab=software&sq=DPKG").must(t, 200, "dpkg", esc(dpkg.Version), "packages shown").lacks(t, ">adduser<")
		fr.get(item+"?tab=software&sq=zzz-nothing").must(t, 200, "Aucun logiciel installé ne correspond")

		// The last document, as received.
		p = b.get(item + "/inventory")
		if p.Status != 200 || p.Body != string(raw) || !strings.Contains(p.Header.Get("Content-Disposition"), "attachment") ||
			!strings.HasPrefix(p.Header.Get("Content-Type"), "application/xml") {
			t.Fatalf("raw inventory: %d %v (%d bytes, want %d)", p.Status, p.Header, len(p.Body), len(raw))
		}

		// The software's page lists the computer, with the version installed.
		b.get(sw).must(t, 200, "dpkg", `href="`+sw+`?tab=computers"`)
		b.get(sw+"?tab=computers").must(t, 200, `href="`+item+`"`, esc(dpkg.Version), "1 computer",
			`href="/computers?filter=software%3Aeq%3Adpkg"`)
		b.get("/software?filter=name:eq:dpkg").must(t, 200, "Installations", `href="`+sw+`"`, "install_count%3Aeq%3A0")

		// The computers list filters on installed software, from the URL and the builder.
		b.get("/computers?filter=software:eq:dpkg").must(t, 200, `href="`+item+`"`, "1 computer")
		b.get("/computers?filter=software:eq:no-such-package").must(t, 200, "0 computers").lacks(t, `href="`+item+`"`)
		b.get("/computers?filter="+url.QueryEscape("software:lt:dpkg@"+dpkg.Version+".1")).must(t, 200, `href="`+item+`"`)
		b.get("/computers").must(t, 200, `<option value="software">Installed software</option>`, "name@version",
			`value="memory_mb"`, `value="mac_addresses"`, `value="last_inventory_at"`, `name="col" value="ip_addresses"`)
		p = b.get("/computers?ff=software&fo=contains&fv=dpk")
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/computers?filter=software%3Acontains%3Adpk" {
			t.Fatalf("software filter from the builder: %d %v", p.Status, p.Header)
		}
		b.follow(p).must(t, 200, `href="`+item+`"`, `<option value="software" selected>`)
		b.get("/computers?columns=name,memory_mb,mac_addresses").must(t, 200, "24,105", sum.MACs[0])

		// A second inventory: one package removed, one upgraded, one interface gone.
		inv2, _ := parseFixture(t)
		inv2.Softwares = slices.DeleteFunc(inv2.Softwares, func(s inventory.Software) bool { return s.Name == "adduser" })
		for i := range inv2.Softwares {
			if inv2.Softwares[i].Name == "dpkg" {
				inv2.Softwares[i].Version = "9.9.9"
			}
		}
		inv2.Networks = slices.DeleteFunc(inv2.Networks, func(n inventory.Network) bool { return n.Name == "ifb1" })
		if _, err := e.app.Inventory.Ingest(ctx, inv2, ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		adduser := inventorytest.Software(t, inv, "adduser")
		b.get(item+"?tab=history").must(t, 200, "Software removed", "adduser "+esc(adduser.Version),
			"Software updated", "dpkg "+esc(dpkg.Version)+"</span>", `<span class="h-new">9.9.9</span>`, "Network interface removed", "ifb1", "Inventory")
		fr.get(item+"?tab=history").must(t, 200, "Logiciel désinstallé", "Logiciel mis à jour", "Interface réseau — retrait", "Inventaire")

		// Agents: read-only records, with a quick link to the silent ones.
		b.get("/agents").must(t, 200, "last_contact_at%3Alt%3A", "Stale agents").lacks(t, `href="/agents/new"`, `href="/agents/import"`)
		b.get("/agents?filter=last_contact_at:lt:2000-01-01T00:00:00Z").must(t, 200, "0 agents")

		// The menu names the inventory pages.
		b.get("/").must(t, 200, `href="/software"`, ">Software<", `href="/agents"`, ">Agents<", `href="/software-rules"`,
			">Software dictionary<", `href="/inventory-rules"`, ">Inventory rules<")
		fr.get("/").must(t, 200, ">Logiciels<", ">Dictionnaire des logiciels<", ">Règles d&#39;inventaire<")

		// Someone of another organisation sees none of it.
		other := e.org("Client B")
		// A supervisor reads every type, the software catalogue and agents included,
		// in their own organisation only.
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "sup-b", "sup-password-1", "supervisor", other); err != nil {
			t.Fatal(err)
		}
		o := e.browser("en")
		o.login("sup-b", "sup-password-1")
		for _, path := range []string{item, item + "?tab=components", item + "?tab=software", item + "?tab=history", item + "/inventory", item + "/edit"} {
			o.get(path).must(t, 404).lacks(t, "dpkg", sum.MACs[0])
		}
		o.get(sw+"?tab=computers").must(t, 200, "0 computers").lacks(t, `href="`+item+`"`)
		o.get("/computers?filter=software:eq:dpkg").must(t, 200, "0 computers").lacks(t, `href="`+item+`"`)
		o.get("/agents").must(t, 200, "0 agents")
	})
}

func mustInstallations(t *testing.T, e *env, id int64) []ingest.Installation {
	t.Helper()
	list, err := e.app.Inventory.Installations(context.Background(), e.sys, id)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

var lockedSerial = regexp.MustCompile(`Serial number <span class="lock"`)

func TestLockedFields(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		_, _, cid := e.ingestFixture()
		item := "/computers/" + itoa(cid)
		comps := e.app.Reg.MustType("computers")
		b := e.browser("en")
		b.login("admin", adminPassword)
		tok := b.csrf()

		b.get(item+"/edit").must(t, 200, `<legend>Fields locked against inventory</legend>`, `name="locked_fields" value=""`,
			`name="locked_fields" value="serial">`, `name="locked_fields" value="os_name">`, "inventories no longer change them").
			lacks(t, `name="processor"`, `name="memory_mb"`)
		if lockedSerial.MatchString(b.get(item).Body) {
			t.Fatal("serial marked locked before any lock")
		}
		rec, err := e.app.Records.Get(context.Background(), e.sys, comps, cid)
		if err != nil {
			t.Fatal(err)
		}
		p := b.post(item+"/edit", url.Values{"_csrf": {tok}, "version": {itoa(rec.Version)}, "locked_fields": {"", "serial", "os_name"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("save locks: %d %s", p.Status, p.Body)
		}
		rec, _ = e.app.Records.Get(context.Background(), e.sys, comps, cid)
		if got := rec.String("locked_fields"); got != "serial,os_name" {
			t.Fatalf("locked_fields = %q", got)
		}
		p = b.follow(p).must(t, 200, "Changes saved.", `Operating system <span class="lock"`, "Locked against inventory", "Serial number, Operating system")
		if !lockedSerial.MatchString(p.Body) {
			t.Fatalf("serial not marked locked:\n%s", p.Body)
		}
		b.get(item+"/edit").must(t, 200, `value="serial" checked>`, `value="os_name" checked>`).lacks(t, `value="uuid" checked>`)
		b.get(item+"?tab=history").must(t, 200, "Fields locked against inventory", "Serial number, Operating system")
		// Unticking every box clears the locks; a name set through the API is kept.
		if _, err := e.app.Records.Update(context.Background(), e.sys, comps, cid, record.Input{"locked_fields": "serial,custom_field"}); err != nil {
			t.Fatal(err)
		}
		rec, _ = e.app.Records.Get(context.Background(), e.sys, comps, cid)
		b.get(item+"/edit").must(t, 200, `value="custom_field" checked>`)
		p = b.post(item+"/edit", url.Values{"_csrf": {tok}, "version": {itoa(rec.Version)}, "locked_fields": {""}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("clear locks: %d %s", p.Status, p.Body)
		}
		rec, _ = e.app.Records.Get(context.Background(), e.sys, comps, cid)
		if got := rec.String("locked_fields"); got != "" {
			t.Fatalf("locked_fields after clearing = %q", got)
		}
	})
}
