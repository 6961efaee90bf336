package demo_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"parc/internal/app"
	"parc/internal/record"
)

// checkInventory checks what the demo's agents left, read as users read it: through
// the record service's lists, filters and history.
func checkInventory(t *testing.T, a *app.App, loaded time.Time) {
	t.Helper()
	ctx := context.Background()
	admin := actorOf(t, a, "demo-admin")
	comps := a.Reg.MustType("computers")
	list := func(actor *record.Actor, typ string, params url.Values) []*record.Record {
		t.Helper()
		q, err := record.ParseListQuery(a.Reg.MustType(typ), params)
		if err != nil {
			t.Fatalf("list %s %v: %v", typ, params, err)
		}
		q.Limit = record.MaxLimit
		p, err := a.Records.List(ctx, actor, a.Reg.MustType(typ), q)
		if err != nil {
			t.Fatalf("list %s %v: %v", typ, params, err)
		}
		return p.Records
	}
	names := func(rs []*record.Record, field string) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.String(field))
		}
		slices.Sort(out)
		return out
	}
	byName := map[string]*record.Record{}
	for _, r := range listAll(t, a, admin, "computers") {
		byName[r.String("name")] = r
	}

	// Every computer at work reports, and only those: 119 in use, 3 on loan, 6 servers.
	inventoried := list(admin, "computers", url.Values{"filter": {"last_inventory_at:notempty:"}})
	if len(inventoried) != 128 {
		t.Errorf("%d computers inventoried, want 128", len(inventoried))
	}
	for _, r := range inventoried {
		if r.String("primary_ip") == "" || r.Int("memory_mb") == 0 || r.String("processor") == "" {
			t.Errorf("%s: inventory facts missing: ip %q, memory %d, processor %q", r.String("name"), r.String("primary_ip"), r.Int("memory_mb"), r.String("processor"))
		}
	}
	agents := listAll(t, a, admin, "agents")
	if len(agents) != 128 {
		t.Errorf("%d agents, want one per inventoried computer (128)", len(agents))
	}
	// Six laptops have not reported for over a month: the agents page's quick search.
	month := loaded.AddDate(0, 0, -30).UTC().Format(time.RFC3339)
	if stale := list(admin, "agents", url.Values{"filter": {"last_contact_at:lt:" + month}}); len(stale) != 6 {
		t.Errorf("%d agents silent for 30 days, want 6", len(stale))
	}

	// A PC's inventory matches its record: serial and name kept, hostname, address in
	// its site's network, memory, disk, software.
	pc := byName["PC-PAR-0002"]
	if pc == nil {
		t.Fatal("PC-PAR-0002 missing")
	}
	if pc.String("hostname") != "PC-PAR-0002" || !strings.HasPrefix(pc.String("primary_ip"), "10.10.") || pc.Int("software_count") < 10 ||
		pc.Int("disk_mb") == 0 || pc.String("last_user") != "julien.moreau" {
		t.Errorf("PC-PAR-0002: hostname %q, ip %q, software %d, disk %d, last user %q", pc.String("hostname"), pc.String("primary_ip"),
			pc.Int("software_count"), pc.Int("disk_mb"), pc.String("last_user"))
	}

	// A third of the machines reported twice, a month apart: their history tells what
	// changed, dated when it changed.
	var later, memory int
	for _, r := range inventoried {
		h, err := a.Records.History(ctx, admin, comps, r.ID, 500, 0)
		if err != nil {
			t.Fatal(err)
		}
		var first, last time.Time
		for _, e := range h {
			if e.Origin != record.OriginInventory {
				continue
			}
			if first.IsZero() || e.At.Before(first) {
				first = e.At
			}
			if e.At.After(last) {
				last = e.At
			}
			if e.Field == "memory_mb" && e.OldValue == "8192" && e.NewValue == "16384" {
				memory++
			}
		}
		if last.Sub(first) > 7*24*time.Hour {
			later++
		}
	}
	if later < 30 || memory == 0 {
		t.Errorf("%d computers with changes from a second inventory, %d with memory added", later, memory)
	}

	// Servers came in by themselves: the address range rules filed them in their
	// organisation and site, and the hypervisor's guests hang on it.
	hv := byName["SRV-PAR-HV01"]
	if hv == nil || hv.Display["organization_id"] != "InfoGérance Services" || hv.Display["location_id"] != "Paris - Siège" {
		t.Fatalf("SRV-PAR-HV01: %+v", hv)
	}
	for _, name := range []string{"SRV-PAR-AD01", "SRV-PAR-FILES", "SRV-PAR-SUPERVISION"} {
		vm := byName[name]
		if vm == nil || vm.Int("host_id") != hv.ID || vm.Get("is_virtual") != true || vm.Int("software_count") == 0 {
			t.Errorf("%s: %+v", name, vm)
		}
	}
	if r := byName["SRV-NTE-01"]; r == nil || r.Display["organization_id"] != "Boulangeries Martin" || r.Display["location_id"] != "Nantes - Siège et fournil" {
		t.Errorf("SRV-NTE-01: %+v", r)
	}

	// "Which machines still run an OpenSSL older than 3.0.13?"; a client's admin
	// sees only theirs.
	old := url.Values{"filter": {"software:lt:openssl@3.0.13"}, "sort": {"name"}}
	if got := strings.Join(names(list(admin, "computers", old), "name"), ","); got != "SRV-P08-01,SRV-PAR-FILES" {
		t.Errorf("OpenSSL < 3.0.13 on %s", got)
	}
	if got := list(actorOf(t, a, "resp.martin"), "computers", old); len(got) != 0 {
		t.Errorf("resp.martin sees OpenSSL on %v", names(got, "name"))
	}

	// The dictionary mended the names agents report; install counts are folded.
	software := listAll(t, a, admin, "software")
	catalogue := map[string]*record.Record{}
	for _, s := range software {
		catalogue[s.String("name")] = s
		if strings.Contains(s.String("name"), "(KB") || s.String("publisher") == "Microsoft Corporation" || strings.HasPrefix(s.String("name"), "Mozilla Firefox (") {
			t.Errorf("the dictionary left %q by %q", s.String("name"), s.String("publisher"))
		}
	}
	if catalogue["Mozilla Firefox"] == nil || catalogue["7-Zip"] == nil || catalogue["Secib Neo"].String("category") != "Métier" {
		t.Errorf("dictionary: Firefox %v, 7-Zip %v, Secib Neo %+v", catalogue["Mozilla Firefox"] != nil, catalogue["7-Zip"] != nil, catalogue["Secib Neo"])
	}
	rows, err := a.DB.R.QueryContext(ctx, `SELECT s.name, s.install_count, COUNT(DISTINCT c.id) FROM software s
		LEFT JOIN software_installations i ON i.software_id = s.id
		LEFT JOIN computers c ON c.id = i.computer_id AND c.deleted_at IS NULL GROUP BY s.id, s.name, s.install_count`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var counted, real int
		if err := rows.Scan(&name, &counted, &real); err != nil {
			t.Fatal(err)
		}
		if counted != real || real == 0 {
			t.Errorf("%s: install count %d, installed on %d", name, counted, real)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
