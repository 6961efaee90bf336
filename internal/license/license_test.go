package license_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"parc/internal/agentserver"
	"parc/internal/apitest"
	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/inventory/inventorytest"
	"parc/internal/inventory/parcdoc"
	"parc/internal/license"
	"parc/internal/record"
	"parc/internal/secret"
	"parc/internal/storetest"
)

var macAddr = regexp.MustCompile(`<MACADDR>([0-9a-f:]{17})</MACADDR>`)

// machine is the shared FusionInventory fixture as machine n, tagged for an
// assignment rule, with its last user.
func machine(t *testing.T, n int, tag, user string) []byte {
	base := inventorytest.Read(t, "fusioninventory-2.6-debian12.xml")
	name := fmt.Sprintf("host-%03d", n)
	doc := bytes.Replace(base, []byte("<DEVICEID>vm-2026-11-23-23-22-30</DEVICEID>"), []byte("<DEVICEID>"+name+"-2026-11-23-23-22-30</DEVICEID>"), 1)
	doc = bytes.Replace(doc, []byte("<NAME>vm</NAME>"), []byte("<NAME>"+name+"</NAME>"), 1)
	doc = bytes.Replace(doc, []byte("<SSN></SSN>"), []byte(fmt.Sprintf("<SSN>SN-%06d</SSN>", n)), 1)
	doc = bytes.Replace(doc, []byte("<LASTLOGGEDUSER>wtmp</LASTLOGGEDUSER>"), []byte("<LASTLOGGEDUSER>"+user+"</LASTLOGGEDUSER>"), 1)
	doc = bytes.Replace(doc, []byte("<HARDWARE>"), []byte(fmt.Sprintf("<HARDWARE>\n      <UUID>5c1a0000-0000-4000-8000-%012d</UUID>", n)), 1)
	doc = bytes.Replace(doc, []byte("<CONTENT>"), []byte("<CONTENT>\n    <ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>"+tag+"</KEYVALUE></ACCOUNTINFO>"), 1)
	return macAddr.ReplaceAllFunc(doc, func(m []byte) []byte {
		mac := string(macAddr.FindSubmatch(m)[1])
		if mac == "00:00:00:00:00:00" {
			return m
		}
		return []byte(fmt.Sprintf("<MACADDR>%s:%02x:%02x</MACADDR>", mac[:11], n/256, n%256))
	})
}

// settle runs what the jobs run: the install-count fold (which marks the
// licences of the software that changed) and the licence recount.
func settle(t *testing.T, e *apitest.Env) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.App.Inventory.FoldInstallCounts(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Licenses.RecountStale(ctx, 1000); err != nil {
		t.Fatal(err)
	}
}

func compliance(c *apitest.Client, id int64) map[string]any {
	return c.Must(200, "GET", apitest.Path("/api/v1/licenses/%d/compliance", id), nil).JSON["data"].(map[string]any)
}

// TestComplianceFromInventories: installations posted by a real agent document
// (through the agent endpoint) and by hand are counted against seats per type,
// version range, publisher and organisation, and kept as counts the fold job
// maintains.
func TestComplianceFromInventories(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		t.Setenv(secret.EnvKey, strings.Repeat("11", 32))
		e := apitest.New(t, kind)
		ctx := context.Background()
		clientA := e.Org("Client A", e.Root)
		siteA := e.Org("Client A Lyon", clientA)
		clientB := e.Org("Client B", e.Root)
		esn := e.User("admin-esn", "admin", e.Root)
		for tag, org := range map[string]int64{"a": clientA, "lyon": siteA, "b": clientB} {
			esn.Must(201, "POST", "/api/v1/inventory-rules", map[string]any{"name": "assign " + tag, "kind": "assign", "tag": tag, "organization_id": org, "position": 1})
		}
		agents := httptest.NewServer(e.App.Agents(agentserver.Options{}).Handler())
		defer agents.Close()
		// Two machines of client A (one at its Lyon site) used by one person, a
		// third of A by another, one of client B.
		for n, m := range []struct{ tag, user string }{{"a", "alice"}, {"lyon", "alice"}, {"a", "bob"}, {"b", "carol"}} {
			resp, err := http.Post(agents.URL+"/front/inventory.php", "application/xml", bytes.NewReader(machine(t, n+1, m.tag, m.user)))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("inventory %d: %d", n+1, resp.StatusCode)
			}
		}
		sw := esn.Must(200, "GET", "/api/v1/software?filter=name:eq:curl", nil).Data()
		if len(sw) != 1 {
			t.Fatalf("curl in the catalogue: %v", sw)
		}
		curl := int64(sw[0]["id"].(float64))
		mk := func(in map[string]any) int64 {
			base := map[string]any{"organization_id": clientA, "software_id": curl, "license_type": "per_device", "seats": 2}
			for k, v := range in {
				base[k] = v
			}
			return esn.Must(201, "POST", "/api/v1/licenses", base).ID()
		}
		perDevice := mk(map[string]any{"name": "curl per device", "version_min": "7", "version_max": "7"})
		perUser := mk(map[string]any{"name": "curl per user", "license_type": "per_user", "seats": 5})
		perCore := mk(map[string]any{"name": "curl per core", "license_type": "per_core", "seats": 4})
		tooNew := mk(map[string]any{"name": "curl 8", "version_min": "8"})
		otherPublisher := mk(map[string]any{"name": "curl from another publisher", "publisher": "Someone Else"})
		site := mk(map[string]any{"name": "curl site", "license_type": "site", "seats": nil})
		ofB := mk(map[string]any{"name": "curl of B", "organization_id": clientB, "seats": 1})

		// Before the job ran, the counts say they are pending.
		if c := compliance(esn, perDevice); c["pending"] != true || c["installations"] != float64(0) {
			t.Fatalf("before counting: %v", c)
		}
		settle(t, e)
		for _, c := range []struct {
			id                              int64
			installs, counted, over, unused float64
			status                          string
		}{
			{perDevice, 3, 3, 1, 0, "over"},    // A and its site, not B
			{perUser, 3, 2, 0, 3, "compliant"}, // alice and bob
			{perCore, 3, 6, 2, 0, "over"},      // 2 cores each
			{tooNew, 0, 0, 0, 2, "compliant"},  // 7.88 is below 8
			{otherPublisher, 0, 0, 0, 2, "compliant"},
			{site, 3, 3, 0, 0, "unlimited"},
			{ofB, 1, 1, 0, 0, "compliant"},
		} {
			got := compliance(esn, c.id)
			if got["installations"] != c.installs || got["counted"] != c.counted || got["over"] != c.over || got["unused"] != c.unused || got["status"] != c.status || got["pending"] != false {
				t.Errorf("licence %d: %v, want installations %v counted %v over %v unused %v %s", c.id, got, c.installs, c.counted, c.over, c.unused, c.status)
			}
		}
		// Every licence at once, from the kept counts; another organisation's
		// administrator gets its own only.
		all := esn.Must(200, "GET", "/api/v1/licenses/compliance", nil).Data()
		if len(all) != 7 {
			t.Errorf("compliance of all: %d licences", len(all))
		}
		for _, c := range all {
			if int64(c["license_id"].(float64)) == perDevice && (c["over"] != float64(1) || c["status"] != "over") {
				t.Errorf("compliance of all, per device: %v", c)
			}
		}
		adminB := e.User("admin-b", "admin", clientB)
		if got := adminB.Must(200, "GET", "/api/v1/licenses/compliance", nil).Data(); len(got) != 1 || int64(got[0]["license_id"].(float64)) != ofB {
			t.Errorf("client B's administrator: %v", got)
		}
		// The list carries the kept counts (counted use, seats left) without a recount.
		row := esn.Must(200, "GET", apitest.Path("/api/v1/licenses/%d", perDevice), nil).JSON
		if row["installed_count"] != float64(3) || row["balance"] != float64(-1) {
			t.Errorf("licence read: counted %v balance %v", row["installed_count"], row["balance"])
		}
		// The computers counted, for the licence page.
		pcs := esn.Must(200, "GET", apitest.Path("/api/v1/licenses/%d/computers", perDevice), nil).Data()
		if len(pcs) != 3 || pcs[0]["version"] != "7.88.1-10+deb12u14" {
			t.Errorf("computers counted: %v", pcs)
		}

		// By hand: a computer of client A with curl 8.5 (another version) and a
		// hand-made software; a version change reaches the counts through the fold.
		hand := &inventory.Inventory{Format: parcdoc.FormatParc, Action: inventory.ActionInventory, ItemType: inventory.ItemComputer,
			DeviceID: "hand-1", Tag: "a", Hardware: inventory.Hardware{Name: "hand-1", LastLoggedUser: "dave"},
			CPUs:      []inventory.CPU{{Model: "x", Cores: 8}},
			Softwares: []inventory.Software{{Name: "curl", Version: "8.5.0", Publisher: "Debian"}}}
		for _, s := range []inventory.Section{inventory.SectionHardware, inventory.SectionCPUs, inventory.SectionSoftwares} {
			hand.MarkPresent(s)
		}
		if _, err := e.App.Inventory.Ingest(ctx, hand, ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		settle(t, e)
		if c := compliance(esn, tooNew); c["installations"] != float64(1) {
			t.Errorf("curl >= 8 after a machine with 8.5: %v", c)
		}
		if c := compliance(esn, perCore); c["cores"] != float64(14) {
			t.Errorf("cores after an 8-core machine: %v", c)
		}
		if c := compliance(esn, perDevice); c["installations"] != float64(3) {
			t.Errorf("curl 7 counted curl 8: %v", c)
		}
		// An upgrade to 8.6 on that machine: still one install of >= 8; a downgrade to
		// 7.1 moves it into the "7" licence.
		hand.Softwares[0].Version = "7.1"
		if _, err := e.App.Inventory.Ingest(ctx, hand, ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		settle(t, e)
		if c := compliance(esn, tooNew); c["installations"] != float64(0) {
			t.Errorf("after the downgrade, curl >= 8: %v", c)
		}
		if c := compliance(esn, perDevice); c["installations"] != float64(4) || c["over"] != float64(2) {
			t.Errorf("after the downgrade, curl 7: %v", c)
		}
		// A computer put in the trash leaves the counts.
		list := esn.Must(200, "GET", "/api/v1/computers?filter=name:eq:hand-1", nil).Data()
		esn.Must(204, "DELETE", apitest.Path("/api/v1/computers/%v", list[0]["id"]), nil)
		settle(t, e)
		if c := compliance(esn, perDevice); c["installations"] != float64(3) {
			t.Errorf("after trashing a computer: %v", c)
		}
		// Assignments: to computers and users, counted on the licence.
		pc := int64(pcs[0]["id"].(float64))
		esn.Must(201, "POST", "/api/v1/license-assignments", map[string]any{"license_id": perDevice, "computer_id": pc})
		r := esn.Do("POST", "/api/v1/license-assignments", map[string]any{"license_id": perDevice})
		if r.Status != 422 || r.FieldError("computer_id") == "" {
			t.Errorf("assignment to nobody: %d %s", r.Status, r.Body)
		}
		if r := esn.Do("POST", "/api/v1/license-assignments", map[string]any{"license_id": perDevice, "assigned_user_id": esn.UserID}); r.Status != 422 || r.FieldError("assigned_user_id") == "" {
			t.Errorf("a user above the licence's organisation assigned: %d %s", r.Status, r.Body)
		}
		userA := e.User("user-a", "self-service", siteA)
		u := esn.Must(201, "POST", "/api/v1/license-assignments", map[string]any{"license_id": perDevice, "assigned_user_id": userA.UserID}).ID()
		if r := esn.Do("POST", "/api/v1/license-assignments", map[string]any{"license_id": perDevice, "assigned_user_id": userA.UserID}); r.Status != 422 || r.FieldError("assigned_user_id") == "" {
			t.Errorf("a user assigned twice: %d %s", r.Status, r.Body)
		}
		if c := compliance(esn, perDevice); c["assigned"] != float64(2) {
			t.Errorf("assigned: %v", c)
		}
		esn.Must(204, "DELETE", apitest.Path("/api/v1/license-assignments/%d", u), nil)
		if c := compliance(esn, perDevice); c["assigned"] != float64(1) {
			t.Errorf("assigned after removing one: %v", c)
		}
		// Changing the range recounts (the licence is marked stale by its write).
		esn.Must(200, "PATCH", apitest.Path("/api/v1/licenses/%d", perDevice), map[string]any{"version_max": ""})
		settle(t, e)
		if c := compliance(esn, perDevice); c["installations"] != float64(3) {
			t.Errorf("after widening the range: %v", c)
		}
		// Validation.
		bad := esn.Do("POST", "/api/v1/licenses", map[string]any{"name": "x", "license_type": "per_device", "version_min": "10", "version_max": "9"})
		if bad.Status != 422 || bad.FieldError("version_max") == "" || bad.FieldError("seats") == "" {
			t.Errorf("bad licence: %d %s", bad.Status, bad.Body)
		}
	})
}

// TestKeysOnlyForTheRight: a licence key is stored encrypted and given only to a
// profile with read_key on licences in the licence's organisation: never in
// lists, reads, exports, history or search.
func TestKeysOnlyForTheRight(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		t.Setenv(secret.EnvKey, strings.Repeat("22", 32))
		e := apitest.New(t, kind)
		clientA := e.Org("Client A", e.Root)
		clientB := e.Org("Client B", e.Root)
		esn := e.User("admin-esn", "admin", e.Root)
		adminA := e.User("admin-a", "admin", clientA)
		techA := e.User("tech-a", "technician", clientA)
		adminB := e.User("admin-b", "admin", clientB)
		const key = "VK7JG-NPHTM-C97JM-9MPGT-3V66T"
		id := techA.Must(201, "POST", "/api/v1/licenses", map[string]any{"name": "Office 2021", "license_type": "volume", "seats": 10,
			"organization_id": clientA, "license_key": key}).ID()
		// Stored sealed, not in clear.
		var stored string
		if err := e.App.DB.R.QueryRow(fmt.Sprintf("SELECT key_cipher FROM licenses WHERE id = %d", id)).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == "" || strings.Contains(stored, "VK7JG") {
			t.Fatalf("stored key: %q", stored)
		}
		noKey := func(what string, body []byte) {
			t.Helper()
			if bytes.Contains(body, []byte("VK7JG")) || bytes.Contains(body, []byte(stored)) || bytes.Contains(body, []byte("key_cipher\":\"v1")) {
				t.Errorf("%s shows the key: %s", what, body)
			}
		}
		techA.Must(200, "PATCH", apitest.Path("/api/v1/licenses/%d", id), map[string]any{"seats": 12})
		techA.Must(200, "PATCH", apitest.Path("/api/v1/licenses/%d", id), map[string]any{"license_key": "NEW-KEY-VK7JG-0000"})
		for _, c := range []*apitest.Client{esn, adminA, techA} {
			noKey("read", c.Must(200, "GET", apitest.Path("/api/v1/licenses/%d", id), nil).Body)
			noKey("list", c.Must(200, "GET", "/api/v1/licenses", nil).Body)
			noKey("list by text", c.Must(200, "GET", "/api/v1/licenses?q=VK7JG", nil).Body)
			if d := c.Must(200, "GET", "/api/v1/licenses?q=VK7JG", nil).Data(); len(d) != 0 {
				t.Errorf("a search for the key found %v", d)
			}
			noKey("csv", c.Must(200, "GET", "/api/v1/licenses/export?format=csv", nil).Body)
			noKey("csv (user style)", c.Must(200, "GET", "/api/v1/licenses/export?format=csv&style=user", nil).Body)
			x := c.Must(200, "GET", "/api/v1/licenses/export?format=xlsx", nil).Body
			zr, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range zr.File {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				noKey("xlsx "+f.Name, b)
			}
			h := c.Must(200, "GET", apitest.Path("/api/v1/licenses/%d/history", id), nil)
			noKey("history", h.Body)
			noKey("search", c.Must(200, "GET", "/api/v1/search?q=VK7JG", nil).Body)
		}
		// History says the key changed, without values, and only when it did.
		changes := 0
		for _, h := range esn.Must(200, "GET", apitest.Path("/api/v1/licenses/%d/history", id), nil).Data() {
			if h["field"] == "key_cipher" {
				changes++
				if h["old_value"] != nil && h["old_value"] != "" || h["new_value"] != nil && h["new_value"] != "" {
					t.Errorf("history of the key holds values: %v", h)
				}
			}
		}
		if changes != 1 {
			t.Errorf("key changes in the history: %d, want 1 (replaced; not the seats change)", changes)
		}
		// The key itself: to administrators of the licence's organisation (and above).
		for _, c := range []*apitest.Client{esn, adminA} {
			got := c.Must(200, "GET", apitest.Path("/api/v1/licenses/%d/key", id), nil).JSON["data"].(map[string]any)["license_key"]
			if got != "NEW-KEY-VK7JG-0000" {
				t.Errorf("key read: %v", got)
			}
		}
		if r := techA.Do("GET", apitest.Path("/api/v1/licenses/%d/key", id), nil); r.Status != 403 {
			t.Errorf("technician reads the key: %d %s", r.Status, r.Body)
		}
		if r := adminB.Do("GET", apitest.Path("/api/v1/licenses/%d/key", id), nil); r.Status != 404 {
			t.Errorf("another organisation's administrator: %d %s", r.Status, r.Body)
		}
		// A profile may not be given read_key by "*", and is refused unknown actions.
		profiles := e.App.Reg.MustType("profiles")
		if _, err := e.App.Records.Create(context.Background(), e.Sys, profiles, record.Input{"name": "bad", "rights": `{"*":["read","read_key"]}`}); err == nil {
			t.Error("read_key under * accepted")
		}
		if _, err := e.App.Records.Create(context.Background(), e.Sys, profiles, record.Input{"name": "key reader", "rights": `{"licenses":["read","read_key"]}`}); err != nil {
			t.Errorf("a profile that reads keys: %v", err)
		}
	})
}

// TestAlertsAtTheRightDates: with a fixed clock, a licence is announced once when
// its expiry date comes within 30 days, once when it passed, and once when it is
// over-deployed (again after it complied in between), to those who manage it.
func TestAlertsAtTheRightDates(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		t.Setenv(secret.EnvKey, strings.Repeat("33", 32))
		e := apitest.New(t, kind)
		ctx := context.Background()
		clientA := e.Org("Client A", e.Root)
		clientB := e.Org("Client B", e.Root)
		adminA := e.User("admin-a", "admin", clientA)
		techA := e.User("tech-a", "technician", clientA)
		adminB := e.User("admin-b", "admin", clientB)
		reqA := e.User("req-a", "self-service", clientA)
		id := adminA.Must(201, "POST", "/api/v1/licenses", map[string]any{"name": "CAD suite", "license_type": "per_user", "seats": 0,
			"organization_id": clientA, "expiry_date": "2027-03-31"}).ID()
		svc := e.App.Licenses
		at := func(day string) int {
			t.Helper()
			d, _ := time.Parse("2006-01-02", day)
			svc.Now = func() time.Time { return d.Add(9 * time.Hour) }
			n, err := svc.RunAlerts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		notes := func(c *apitest.Client) []string {
			t.Helper()
			a, err := e.App.Auth.Actor(ctx, c.UserID, record.OriginWeb)
			if err != nil {
				t.Fatal(err)
			}
			list, err := e.App.Notify.RecordNotes(ctx, a, "licenses", 10)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range list {
				out = append(out, n.Event)
			}
			return out
		}
		if n := at("2027-02-20"); n != 0 {
			t.Errorf("39 days before: %d alerts", n)
		}
		if n := at("2027-03-01"); n != 1 {
			t.Errorf("30 days before: %d alerts, want the expiring one", n)
		}
		if n := at("2027-03-02"); n != 0 {
			t.Errorf("the next day: %d alerts, want none (sent once)", n)
		}
		if got := notes(adminA); len(got) != 1 || got[0] != license.AlertExpiring {
			t.Errorf("administrator of A told %v", got)
		}
		if got := notes(techA); len(got) != 1 {
			t.Errorf("technician of A (who may change licences) told %v", got)
		}
		if got := notes(adminB); len(got) != 0 {
			t.Errorf("administrator of B told %v", got)
		}
		if got := notes(reqA); len(got) != 0 {
			t.Errorf("requester told %v", got)
		}
		if n := at("2027-03-31"); n != 0 {
			t.Errorf("on the expiry date: %d alerts", n)
		}
		if n := at("2027-04-01"); n != 1 {
			t.Errorf("the day after expiry: %d alerts, want the expired one", n)
		}
		// Renewed a year later: announced again before the new date.
		adminA.Must(200, "PATCH", apitest.Path("/api/v1/licenses/%d", id), map[string]any{"expiry_date": "2028-03-31"})
		if n := at("2028-03-10"); n != 1 {
			t.Errorf("before the renewed expiry: %d alerts", n)
		}
		// Over-deployment: a per-user licence with 0 seats and a machine in use.
		e.App.DB.W.Exec(fmt.Sprintf("UPDATE licenses SET installed_count = 2, balance = -2 WHERE id = %d", id))
		if n := at("2028-03-11"); n != 1 {
			t.Errorf("over-deployed: %d alerts", n)
		}
		if n := at("2028-03-12"); n != 0 {
			t.Errorf("still over-deployed: %d alerts, want none", n)
		}
		adminA.Must(200, "PATCH", apitest.Path("/api/v1/licenses/%d", id), map[string]any{"seats": 2})
		if n := at("2028-03-13"); n != 0 {
			t.Errorf("complying: %d alerts", n)
		}
		adminA.Must(200, "PATCH", apitest.Path("/api/v1/licenses/%d", id), map[string]any{"seats": 1})
		if n := at("2028-03-14"); n != 1 {
			t.Errorf("over-deployed again: %d alerts, want a new one", n)
		}
	})
}
