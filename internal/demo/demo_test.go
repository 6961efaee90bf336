package demo_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"parc/internal/app"
	"parc/internal/demo"
	"parc/internal/record"
	"parc/internal/storetest"
)

// wantCounts are the live records of each type the demo makes. The seed is fixed,
// so these change only when the demo code does (then README and docs follow).
var wantCounts = map[string]int{
	"organizations":     5, // the root and the four demo organisations
	"users":             119,
	"computers":         156, // with the 6 servers their agents brought in
	"monitors":          113,
	"network-equipment": 32,
	"printers":          13,
	"phones":            80,
	"peripherals":       58, // with the 2 loan projectors (loans.go)
	"locations":         102,
	"manufacturers":     16, // with HPE and QEMU, from the servers' inventories
	"models":            34, // with the servers' 4
	"asset-types":       14,
	"suppliers":         7, // one of them Boulangeries Martin's own, one the recycler of the disposed computer
	"groups":            5,
	"agents":            128, // one per computer at work, and the servers'
	"software-rules":    6,   // likewise
	"inventory-rules":   6,   // an address range per site
}

// wantStates count every computer, disposed ones included: the four generated in
// the "disposed" state and BM-FIXE-2017, disposed of with its certificate
// (lifecycle.go), which has left the fleet's lists.
var wantStates = map[string]int{"in_use": 119, "stock": 10, "retired": 7, "repair": 5, "disposed": 5, "loan": 3, "reserved": 2}

// wantFingerprint digests the names, serials, inventory numbers and owners of every
// asset, and the computers' inventory facts: the same seed must give the same data on
// every store.
const wantFingerprint = "d6f8fcccdc446bad6d14b683b1bc52f5d127265af8dc67196017cd4ffe376411"

func loadDemo(t *testing.T, kind string) *app.App {
	t.Helper()
	ctx := context.Background()
	a := app.New(storetest.OpenTest(t, kind), nil)
	if _, err := a.Bootstrap(ctx, "fr"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := a.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: demo loaded in %v", kind, time.Since(start))
	return a
}

func userID(t *testing.T, a *app.App, login string) int64 {
	t.Helper()
	var id int64
	if err := a.DB.QueryRowContext(context.Background(), "SELECT id FROM users WHERE login = ?", login).Scan(&id); err != nil {
		t.Fatalf("user %s: %v", login, err)
	}
	return id
}

func actorOf(t *testing.T, a *app.App, login string) *record.Actor {
	t.Helper()
	actor, err := a.Auth.Actor(context.Background(), userID(t, a, login), record.OriginWeb)
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

// listAll reads every live record of a type the actor may see, page by page.
func listAll(t *testing.T, a *app.App, actor *record.Actor, typ string) []*record.Record {
	t.Helper()
	q := record.ListQuery{Limit: 100}
	var out []*record.Record
	for {
		p, err := a.Records.List(context.Background(), actor, a.Reg.MustType(typ), q)
		if err != nil {
			t.Fatalf("list %s as %s: %v", typ, actor.Login, err)
		}
		out = append(out, p.Records...)
		if p.NextCursor == "" {
			return out
		}
		q.Cursor = p.NextCursor
	}
}

func orgID(t *testing.T, a *app.App, name string) int64 {
	t.Helper()
	id, err := a.Auth.OrgID(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestDemo(t *testing.T) {
	var mu sync.Mutex
	prints := map[string]string{}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a := loadDemo(t, kind)
		checkHelpdesk(t, a, time.Now())
		checkInventory(t, a, time.Now())
		checkStock(t, a)
		checkDocuments(t, a)
		checkPurchasing(t, a)
		ctx := context.Background()
		sys, err := a.System(ctx, record.OriginCLI)
		if err != nil {
			t.Fatal(err)
		}
		for typ, want := range wantCounts {
			if got := len(listAll(t, a, sys, typ)); got != want {
				t.Errorf("%s: %d records, want %d", typ, got, want)
			}
		}
		rows, err := a.DB.R.QueryContext(ctx, "SELECT s.code, COUNT(*) FROM computers c JOIN states s ON s.id = c.state_id GROUP BY s.code")
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]int{}
		for rows.Next() {
			var code string
			var n int
			if err := rows.Scan(&code, &n); err != nil {
				t.Fatal(err)
			}
			states[code] = n
		}
		rows.Close()
		for code, want := range wantStates {
			if states[code] != want {
				t.Errorf("computers in state %s: %d, want %d", code, states[code], want)
			}
		}

		// Monitors and peripherals hang on computers of their own organisation.
		for _, table := range []string{"monitors", "peripherals"} {
			var bad, linked int
			if err := a.DB.R.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.organization_id <> x.organization_id THEN 1 ELSE 0 END), 0) FROM "+table+
				" x JOIN computers c ON c.id = x.computer_id").Scan(&linked, &bad); err != nil {
				t.Fatal(err)
			}
			if linked == 0 || bad != 0 {
				t.Errorf("%s: %d linked to a computer, %d across organisations", table, linked, bad)
			}
		}

		// The naming plan named the computers of the ESN and of Martin.
		comps := a.Reg.MustType("computers")
		plan, _ := a.Records.Setting(ctx, a.DB, record.NamingKey(comps))
		if plan != demo.NamingPlan {
			t.Errorf("naming plan %q", plan)
		}
		byName := map[string]*record.Record{}
		for _, r := range listAll(t, a, sys, "computers") {
			byName[r.String("name")] = r
		}
		for _, name := range []string{"PC-PAR-0001", "PC-LYO-0014", "PC-NTE-0034", "PC-ANG-0016", "PC-TRS-0020", "CDA-PORT-001"} {
			if byName[name] == nil {
				t.Errorf("no computer named %s", name)
			}
		}

		// resp.martin, admin of Boulangeries Martin, sees its computers and its
		// subsidiary's, and nothing else.
		bm, mtr, cda := orgID(t, a, "Boulangeries Martin"), orgID(t, a, "Martin Traiteur"), orgID(t, a, "Cabinet Durand Avocats")
		resp := actorOf(t, a, "resp.martin")
		seen := listAll(t, a, resp, "computers")
		perOrg := map[int64]int{}
		for _, r := range seen {
			perOrg[r.OrgID]++
		}
		if len(seen) != 71 || perOrg[bm] != 51 || perOrg[mtr] != 20 {
			t.Errorf("resp.martin sees %d computers: %v", len(seen), perOrg)
		}
		if _, err := a.Records.Get(ctx, resp, comps, byName["CDA-PORT-001"].ID); err == nil {
			t.Error("resp.martin reads a computer of Cabinet Durand")
		}
		// Boulangeries Martin's own state, supplier and dictionary rule: resp.martin
		// manages them; tech.paris sees them with the shared ones; Cabinet Durand's
		// observer sees the shared ones only.
		tech, audit := actorOf(t, a, "tech.paris"), actorOf(t, a, "audit.durand")
		for _, typ := range []string{"states", "suppliers", "software-rules"} {
			ty := a.Reg.MustType(typ)
			var own, shared int
			for _, r := range listAll(t, a, resp, typ) {
				if r.OrgID == bm {
					own++
					if !resp.CanRecord(r, record.Update) || !resp.CanRecord(r, record.Purge) {
						t.Errorf("resp.martin cannot manage %s %s", typ, r.Label())
					}
				} else if r.OrgID == 0 {
					shared++
					if resp.CanRecord(r, record.Update) {
						t.Errorf("resp.martin may change the shared %s %s", typ, r.Label())
					}
				}
			}
			if own != 1 || shared == 0 {
				t.Errorf("resp.martin sees %d %s of his own and %d shared", own, typ, shared)
			}
			if n := len(listAll(t, a, tech, typ)); n != own+shared {
				t.Errorf("tech.paris sees %d %s, want %d", n, typ, own+shared)
			}
			for _, r := range listAll(t, a, audit, typ) {
				if r.OrgID != 0 {
					t.Errorf("audit.durand sees %s %s of organisation %d", ty.Name, r.Label(), r.OrgID)
				}
			}
		}

		// marie.dupont (self-service) sees her two computers and her own monitors only.
		marie := actorOf(t, a, "marie.dupont")
		mine := listAll(t, a, marie, "computers")
		var names []string
		for _, r := range mine {
			names = append(names, r.String("name"))
			if r.Int("user_id") != marie.UserID {
				t.Errorf("marie.dupont sees %s assigned to %d", r.String("name"), r.Int("user_id"))
			}
		}
		if strings.Join(names, ",") != "PC-NTE-0002,PC-NTE-0003" {
			t.Errorf("marie.dupont sees computers %v", names)
		}
		mons := listAll(t, a, marie, "monitors")
		for _, r := range mons {
			if r.Int("user_id") != marie.UserID {
				t.Errorf("marie.dupont sees monitor %s", r.String("name"))
			}
		}
		if len(mons) == 0 {
			t.Error("marie.dupont has no monitor")
		}
		if _, err := a.Records.Get(ctx, marie, comps, byName["PC-NTE-0001"].ID); err == nil {
			t.Error("marie.dupont reads resp.martin's computer")
		}
		if _, err := a.Records.Create(ctx, marie, comps, record.Input{"name": "X", "organization_id": bm}); err == nil {
			t.Error("marie.dupont creates a computer")
		}

		// The observer of Cabinet Durand reads its 39 computers and changes nothing;
		// the ESN's technicians see every client.
		audit = actorOf(t, a, "audit.durand")
		seen = listAll(t, a, audit, "computers")
		for _, r := range seen {
			if r.OrgID != cda {
				t.Errorf("audit.durand sees %s", r.String("name"))
			}
		}
		if len(seen) != 39 {
			t.Errorf("audit.durand sees %d computers", len(seen))
		}
		if _, err := a.Records.Update(ctx, audit, comps, seen[0].ID, record.Input{"comment": "x"}); err == nil {
			t.Error("observer updated a computer")
		}
		tech = actorOf(t, a, "tech.paris")
		if n := len(listAll(t, a, tech, "computers")); n != 156 {
			t.Errorf("tech.paris sees %d computers", n)
		}
		if _, err := a.Records.Create(ctx, tech, comps, record.Input{"name": "PC-TEST", "organization_id": bm}); err != nil {
			t.Errorf("tech.paris cannot create in a client: %v", err)
		}

		// Every demo account signs in with the demo password.
		for _, acc := range demo.Accounts() {
			if _, err := a.Auth.Login(ctx, acc.Login, demo.Password, "192.0.2.1", "test"); err != nil {
				t.Errorf("login %s: %v", acc.Login, err)
			}
		}
		if err := a.LoadDemo(ctx); err == nil {
			t.Error("demo loaded twice")
		}

		h := sha256.New()
		for _, typ := range []string{"computers", "monitors", "phones", "network-equipment", "printers", "peripherals"} {
			var lines []string
			for _, r := range listAll(t, a, sys, typ) {
				if r.String("name") == "PC-TEST" {
					continue
				}
				line := r.String("name") + "|" + r.String("serial") + "|" + r.String("inventory_number") + "|" + r.Display["user_id"]
				if typ == "computers" {
					// What the agents reported, too.
					line += "|" + r.String("primary_ip") + "|" + r.String("memory_mb") + "|" + r.String("disk_mb") + "|" + r.String("software_count")
				}
				lines = append(lines, line)
			}
			sort.Strings(lines)
			h.Write([]byte(strings.Join(lines, "\n")))
		}
		fp := hex.EncodeToString(h.Sum(nil))
		if fp != wantFingerprint {
			t.Errorf("demo data changed: fingerprint %s", fp)
		}
		mu.Lock()
		prints[kind] = fp
		mu.Unlock()
	})
	if len(prints) == 2 && prints["sqlite"] != prints["postgres"] {
		t.Errorf("SQLite and PostgreSQL got different demo data: %v", prints)
	}
}
