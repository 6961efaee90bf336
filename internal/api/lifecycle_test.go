package api_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// lifecycleClock fixes the store's clock on 2 July 2025 (noon UTC).
var lifecycleClock = time.Date(2025, 7, 2, 12, 0, 0, 0, time.UTC)

func fixClock(e *apitest.Env, at time.Time) {
	e.App.Records.Now = func() time.Time { return at }
}

func fnum(v any) float64 {
	f, _ := v.(float64)
	return f
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

// TestDepreciationWorkedExample: a computer bought 1,200 € on 1 January 2024.
//
// Linear over 3 years: 400 € a year, 800 € at the end of 2024, 400 € at the end of
// 2025, 0 at the end of 2026. On 2 July 2025, 182 days into the second year (365
// days): 800 − 400 × 182 / 365 = 800 − 199.45 = 600.55 €.
//
// Declining balance over 5 years: coefficient 1.75, rate 1.75 / 5 = 35 %.
// Year 1: 1,200 × 35 % = 420 → 780. Year 2: 780 × 35 % = 273 → 507. Year 3:
// 507 × 35 % = 177.45 (linear over 3 years would be 169) → 329.55. Year 4:
// 329.55 × 35 % = 115.34 < linear over the 2 years left 164.775 → 164.78 →
// 164.77. Year 5: 164.77 → 0. On 2 July 2025: 780 − 273 × 182 / 365 = 643.87 €.
func TestDepreciationWorkedExample(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		fixClock(e, lifecycleClock)
		org := e.Org("Client", e.Root)
		tech := e.User("tech", "technician", org)
		lin := tech.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-LIN", "organization_id": org,
			"purchase_price": 1200, "purchase_date": "2024-01-01", "depreciation_method": "linear", "depreciation_years": 3}).ID()
		dec := tech.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-DEC", "organization_id": org,
			"purchase_price": "1200", "purchase_date": "01/01/2024", "depreciation_method": "declining", "depreciation_years": 5}).ID()
		none := tech.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-NONE", "organization_id": org}).ID()

		check := func(id int64, book float64, charges, closings []float64) {
			t.Helper()
			d := tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d/depreciation", id), nil).JSON
			if !near(fnum(d["book_value"]), book) {
				t.Errorf("computer %d: book value %v, want %v", id, d["book_value"], book)
			}
			rows, _ := d["schedule"].([]any)
			if len(rows) != len(charges) {
				t.Fatalf("computer %d: %d years, want %d: %v", id, len(rows), len(charges), d)
			}
			for i, r := range rows {
				m := r.(map[string]any)
				if !near(fnum(m["charge"]), charges[i]) || !near(fnum(m["closing"]), closings[i]) {
					t.Errorf("computer %d year %d: charge %v closing %v, want %v %v", id, i+1, m["charge"], m["closing"], charges[i], closings[i])
				}
			}
		}
		check(lin, 600.55, []float64{400, 400, 400}, []float64{800, 400, 0})
		check(dec, 643.87, []float64{420, 273, 177.45, 164.78, 164.77}, []float64{780, 507, 329.55, 164.77, 0})
		if d := tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d/depreciation", none), nil).JSON; d["depreciable"] != false {
			t.Errorf("a computer without price: %v", d)
		}
		// Another organisation's technician cannot read it.
		other := e.User("other", "technician", e.Org("Other", e.Root))
		other.Must(404, "GET", apitest.Path("/api/v1/computers/%d/depreciation", lin), nil)
		// A bad method is refused with the field named.
		r := tech.Do("POST", "/api/v1/computers", map[string]any{"name": "PC-BAD", "organization_id": org, "depreciation_method": "sideways"})
		if r.Status != 422 || r.FieldError("depreciation_method") == "" {
			t.Errorf("bad method: %d %s", r.Status, r.Body)
		}
	})
}

func listedIDs(r *apitest.Response) map[int64]bool {
	out := map[int64]bool{}
	for _, d := range r.Data() {
		out[int64(fnum(d["id"]))] = true
	}
	return out
}

// TestDisposalLeavesTheFleet: a disposed computer leaves the lists, their counts,
// exports, pickers and the home page's warranty count, and stays readable and
// listed under "disposed"; a second disposal or a wipe of it is refused; putting
// the disposal in the trash brings it back.
func TestDisposalLeavesTheFleet(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		fixClock(e, lifecycleClock)
		ctx := context.Background()
		org := e.Org("Client", e.Root)
		tech := e.User("tech", "technician", org)
		obs := e.User("obs", "observer", org)
		recycler := e.Create("suppliers", record.Input{"name": "Recycleur DEEE"})
		gone := tech.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-OLD", "organization_id": org,
			"purchase_price": 600, "purchase_date": "2018-01-01", "warranty_end": "2025-08-01"}).ID()
		kept := tech.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-NEW", "organization_id": org,
			"warranty_end": "2025-08-15"}).ID()

		count := func(c *apitest.Client, q string) int {
			t.Helper()
			return int(fnum(c.Must(200, "GET", "/api/v1/computers?count=1"+q, nil).JSON["total"]))
		}
		warranties := func() int {
			m, err := e.App.Dashboard.Manager(ctx, e.Sys, lifecycleClock, time.UTC)
			if err != nil || m.Warranties == nil {
				t.Fatalf("dashboard: %v", err)
			}
			return m.Warranties.N
		}
		if n := count(tech, ""); n != 2 {
			t.Fatalf("before: %d computers", n)
		}
		if n := warranties(); n != 2 {
			t.Fatalf("before: %d warranties ending", n)
		}
		d := tech.Must(201, "POST", "/api/v1/disposals", map[string]any{"asset_type": "computers", "asset_id": gone,
			"disposed_on": "2025-06-30", "recycler_id": recycler, "outcome": "recycling", "weight_kg": "8,5", "data_wiped": true,
			"certificate_number": "CERT-42"}).JSON
		if int64(fnum(d["organization_id"])) != org || d["asset_name"] != "PC-OLD" || d["outcome"] != "recycling" || !near(fnum(d["weight_kg"]), 8.5) {
			t.Fatalf("disposal: %v", d)
		}
		disposal := int64(fnum(d["id"]))
		for _, c := range []*apitest.Client{tech, obs} {
			if n := count(c, ""); n != 1 {
				t.Errorf("after: %d computers listed, want 1", n)
			}
			if got := listedIDs(c.Must(200, "GET", "/api/v1/computers", nil)); got[gone] || !got[kept] {
				t.Errorf("after: list %v", got)
			}
			if got := listedIDs(c.Must(200, "GET", "/api/v1/computers?disposed=1", nil)); len(got) != 1 || !got[gone] {
				t.Errorf("disposed list %v", got)
			}
		}
		if n := warranties(); n != 1 {
			t.Errorf("after: %d warranties ending, want 1", n)
		}
		csv := string(tech.Must(200, "GET", "/api/v1/computers/export.csv", nil).Body)
		if strings.Contains(csv, "PC-OLD") || !strings.Contains(csv, "PC-NEW") {
			t.Errorf("export: %s", csv)
		}
		sug, err := e.App.Records.SuggestRecords(ctx, e.Sys, e.App.Reg.MustType("computers"), record.SuggestQuery{Text: "PC"})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sug {
			if s.ID == gone {
				t.Errorf("a disposed computer offered by the picker: %v", sug)
			}
		}
		// Kept for the record: readable, with the day and the disposed state.
		pc := tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d", gone), nil).JSON
		var disposedState int64
		e.App.DB.QueryRowContext(ctx, "SELECT id FROM states WHERE code = 'disposed'").Scan(&disposedState)
		if pc["disposed_at"] != "2025-06-30" || int64(fnum(pc["state_id"])) != disposedState {
			t.Errorf("disposed computer: %v", pc)
		}
		hist := tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d/history", gone), nil)
		if !strings.Contains(string(hist.Body), `"disposed_at"`) || !strings.Contains(string(hist.Body), `"tech"`) {
			t.Errorf("history: %s", hist.Body)
		}
		// The day cannot be typed in: the disposal record sets it.
		if r := tech.Do("PATCH", apitest.Path("/api/v1/computers/%d", kept), map[string]any{"disposed_at": "2025-01-01"}); r.Status == 200 {
			if got := tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d", kept), nil).JSON; got["disposed_at"] != nil {
				t.Errorf("disposed_at written by hand: %v", got)
			}
		}
		if r := tech.Do("POST", "/api/v1/disposals", map[string]any{"asset_type": "computers", "asset_id": gone, "disposed_on": "2025-07-01", "outcome": "reuse"}); r.Status != 422 || r.FieldError("asset_id") == "" {
			t.Errorf("second disposal: %d %s", r.Status, r.Body)
		}
		if r := tech.Do("POST", "/api/v1/reconditionings", map[string]any{"asset_type": "computers", "asset_id": gone, "wiped_on": "2025-07-01", "method": "nist_purge"}); r.Status != 422 || r.FieldError("asset_id") == "" {
			t.Errorf("wipe of a disposed computer: %d %s", r.Status, r.Body)
		}
		// A missing or bad outcome and an unknown asset are refused with their field.
		r := tech.Do("POST", "/api/v1/disposals", map[string]any{"asset_type": "computers", "asset_id": 999999, "disposed_on": "2025-07-01", "outcome": "burnt"})
		if r.Status != 422 || r.FieldError("asset_id") == "" || r.FieldError("outcome") == "" {
			t.Errorf("bad disposal: %d %s", r.Status, r.Body)
		}
		// The observer reads but may not record a disposal.
		obs.Must(403, "POST", "/api/v1/disposals", map[string]any{"asset_type": "computers", "asset_id": kept, "disposed_on": "2025-07-01", "outcome": "reuse"})

		// Trashing the disposal puts the computer back in the fleet.
		tech.Must(204, "DELETE", apitest.Path("/api/v1/disposals/%d", disposal), nil)
		if n := count(tech, ""); n != 2 {
			t.Errorf("after undoing: %d computers", n)
		}
		if got := tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d", gone), nil).JSON; got["disposed_at"] != nil {
			t.Errorf("after undoing: %v", got)
		}
		// Restoring it disposes of the computer again.
		tech.Must(200, "POST", apitest.Path("/api/v1/disposals/%d/restore", disposal), nil)
		if n := count(tech, ""); n != 1 {
			t.Errorf("after restoring: %d computers", n)
		}
	})
}

// TestReconditioningBackToStock: a recorded wipe puts the computer back in stock
// with no user, its technician the writer, in the computer's history.
func TestReconditioningBackToStock(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		fixClock(e, lifecycleClock)
		ctx := context.Background()
		org := e.Org("Client", e.Root)
		tech := e.User("tech", "technician", org)
		var inUse, stock int64
		e.App.DB.QueryRowContext(ctx, "SELECT id FROM states WHERE code = 'in_use'").Scan(&inUse)
		e.App.DB.QueryRowContext(ctx, "SELECT id FROM states WHERE code = 'stock'").Scan(&stock)
		pc := tech.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-USED", "organization_id": org,
			"state_id": inUse, "user_id": tech.UserID}).ID()
		w := tech.Must(201, "POST", "/api/v1/reconditionings", map[string]any{"asset_type": "computers", "asset_id": pc,
			"wiped_on": "2025-07-01", "method": "nist_purge", "tool": "Blancco 7", "proof": "Rapport BL-1", "checks": "Aucun volume lisible"}).JSON
		if int64(fnum(w["technician_id"])) != tech.UserID || int64(fnum(w["organization_id"])) != org {
			t.Errorf("wipe: %v", w)
		}
		got := tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d", pc), nil).JSON
		if int64(fnum(got["state_id"])) != stock || got["user_id"] != nil {
			t.Errorf("after the wipe: %v", got)
		}
		// An unknown method is refused.
		if r := tech.Do("POST", "/api/v1/reconditionings", map[string]any{"asset_type": "computers", "asset_id": pc, "wiped_on": "2025-07-01", "method": "magnet"}); r.Status != 422 || r.FieldError("method") == "" {
			t.Errorf("bad method: %d %s", r.Status, r.Body)
		}
		// The wipe cannot be moved to another asset.
		other := tech.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-2", "organization_id": org}).ID()
		if r := tech.Do("PATCH", apitest.Path("/api/v1/reconditionings/%d", int64(fnum(w["id"]))), map[string]any{"asset_id": other}); r.Status != 422 {
			t.Errorf("moved wipe: %d %s", r.Status, r.Body)
		}
	})
}

// TestBudgetSpending: a budget's spending is the purchase prices of its
// organisation's assets bought in its year, of every type, disposed ones included.
func TestBudgetSpending(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		fixClock(e, lifecycleClock)
		a, b := e.Org("A", e.Root), e.Org("B", e.Root)
		admin := e.User("admin-a", "admin", a)
		tech := e.User("tech-a", "technician", a)
		for _, c := range []struct {
			typ  string
			org  int64
			date string
			eur  float64
		}{
			{"computers", a, "2025-02-01", 1200}, {"computers", a, "2025-11-30", 800}, {"monitors", a, "2025-03-01", 250.5},
			{"computers", a, "2024-12-31", 999}, {"computers", b, "2025-05-05", 5000},
		} {
			e.Create(c.typ, record.Input{"name": fmt.Sprintf("%s-%s", c.typ, c.date), "organization_id": c.org, "purchase_date": c.date, "purchase_price": c.eur})
		}
		id := admin.Must(201, "POST", "/api/v1/budgets", map[string]any{"name": "Parc 2025", "year": 2025, "amount": 10000, "organization_id": a}).ID()
		sp := tech.Must(200, "GET", apitest.Path("/api/v1/budgets/%d/spending", id), nil).JSON
		if !near(fnum(sp["spent"]), 2250.5) || !near(fnum(sp["left"]), 7749.5) || fnum(sp["percent"]) != 23 || fnum(sp["committed"]) != 0 {
			t.Errorf("spending: %v", sp)
		}
		if lines, _ := sp["lines"].([]any); len(lines) != 2 {
			t.Errorf("lines: %v", sp["lines"])
		}
		// Technicians read budgets but do not write them; another organisation sees nothing.
		tech.Must(403, "POST", "/api/v1/budgets", map[string]any{"name": "X", "year": 2025, "amount": 1, "organization_id": a})
		e.User("admin-b", "admin", b).Must(404, "GET", apitest.Path("/api/v1/budgets/%d/spending", id), nil)
		if r := admin.Do("POST", "/api/v1/budgets", map[string]any{"name": "Y", "year": 1999, "amount": -1, "organization_id": a}); r.Status != 422 || r.FieldError("year") == "" || r.FieldError("amount") == "" {
			t.Errorf("bad budget: %d %s", r.Status, r.Body)
		}
	})
}

// TestRenewalPlan: on 2 July 2025 with the default thresholds (5 years, 3
// incidents, 8 GB of memory, 200 GB of disk, 5 years of forecast):
//   - OLD, bought 1 March 2019 for 900 €, warranty ended 2022: 6 years old, due
//     now; score 40 + 5 (one year beyond) + 20 (warranty) = 65; cost 900 (price).
//   - FAILING, bought 2023 for 1,000 €, model replaced at 1,100 €: 3 incidents in
//     the last 12 months (an older incident and a request do not count): due now,
//     score 25, cost 1,100 (model).
//   - SMALL, bought 2024 for 700 €, 4 GB of memory: due now, score 15.
//   - YOUNG, bought September 2022 for 1,300 €: due in 2027, not listed.
//   - a monitor bought May 2021 for 200 €: due in 2026, not listed.
//   - a disposed computer of 2015 and another organisation's of 2018: not weighed.
//
// Forecast: 2025: 3 assets, 2,700 €; 2026: 1, 200 €; 2027: 1, 1,300 €; 2028 and
// 2029: none.
func TestRenewalPlan(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		ctx := context.Background()
		a, b := e.Org("A", e.Root), e.Org("B", e.Root)
		tech := e.User("tech-a", "technician", a)
		model := e.Create("models", record.Input{"name": "Book 14", "category": "computer", "replacement_cost": 1100})
		pc := func(name, bought string, price float64, extra record.Input) int64 {
			in := record.Input{"name": name, "organization_id": a, "purchase_date": bought, "purchase_price": price}
			for k, v := range extra {
				in[k] = v
			}
			return e.Create("computers", in)
		}
		old := pc("OLD", "2019-03-01", 900, record.Input{"warranty_end": "2022-03-01"})
		failing := pc("FAILING", "2023-01-10", 1000, record.Input{"model_id": model})
		small := pc("SMALL", "2024-02-01", 700, record.Input{"memory_mb": 4096, "disk_mb": 512000})
		pc("YOUNG", "2022-09-01", 1300, nil)
		e.Create("monitors", record.Input{"name": "SCREEN", "organization_id": a, "purchase_date": "2021-05-01", "purchase_price": 200})
		gone := pc("GONE", "2015-01-01", 500, nil)
		e.Create("computers", record.Input{"name": "OTHER", "organization_id": b, "purchase_date": "2018-01-01", "purchase_price": 800})

		ticket := func(at time.Time, typ string, asset int64) {
			fixClock(e, at)
			id := tech.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Panne", "type": typ, "organization_id": a}).ID()
			tech.Must(201, "POST", "/api/v1/ticket-items", map[string]any{"ticket_id": id, "item_type": "computers", "item_id": asset})
		}
		for _, d := range []time.Time{time.Date(2024, 9, 1, 9, 0, 0, 0, time.UTC), time.Date(2025, 2, 1, 9, 0, 0, 0, time.UTC), time.Date(2025, 6, 20, 9, 0, 0, 0, time.UTC)} {
			ticket(d, "incident", failing)
		}
		ticket(time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), "incident", failing) // over 12 months ago
		ticket(time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC), "request", failing)  // not an incident
		ticket(time.Date(2025, 5, 2, 9, 0, 0, 0, time.UTC), "incident", small)   // one is not enough
		fixClock(e, lifecycleClock)
		tech.Must(201, "POST", "/api/v1/disposals", map[string]any{"asset_type": "computers", "asset_id": gone, "disposed_on": "2025-01-15", "outcome": "destruction"})

		p := tech.Must(200, "GET", "/api/v1/renewal", nil).JSON
		if fnum(p["fleet"]) != 5 {
			t.Errorf("fleet %v, want 5", p["fleet"])
		}
		type want struct {
			id      int64
			score   float64
			cost    float64
			from    string
			reasons []string
		}
		wants := []want{
			{old, 65, 900, "purchase", []string{"6 years old (bought on 2019-03-01)", "warranty ended on 2022-03-01"}},
			{failing, 25, 1100, "model", []string{"3 incidents in the last 12 months"}},
			{small, 15, 700, "purchase", []string{"4 GB of memory (under 8 GB)"}},
		}
		got := p["data"].([]any)
		if len(got) != len(wants) {
			t.Fatalf("listed %d assets, want %d: %s", len(got), len(wants), tech.Must(200, "GET", "/api/v1/renewal", nil).Body)
		}
		for i, w := range wants {
			g := got[i].(map[string]any)
			if int64(fnum(g["asset_id"])) != w.id || fnum(g["score"]) != w.score || !near(fnum(g["replacement_cost"]), w.cost) || g["cost_from"] != w.from || fnum(g["due_year"]) != 2025 {
				t.Errorf("#%d: %v, want %+v", i, g, w)
				continue
			}
			rs := g["reasons"].([]any)
			if len(rs) != len(w.reasons) {
				t.Errorf("#%d reasons %v, want %v", i, rs, w.reasons)
				continue
			}
			for j, r := range rs {
				if text := r.(map[string]any)["text"]; text != w.reasons[j] {
					t.Errorf("#%d reason %d: %q, want %q", i, j, text, w.reasons[j])
				}
			}
		}
		fc := p["forecast"].([]any)
		wantFC := [][3]float64{{2025, 3, 2700}, {2026, 1, 200}, {2027, 1, 1300}, {2028, 0, 0}, {2029, 0, 0}}
		if len(fc) != len(wantFC) {
			t.Fatalf("forecast %v", fc)
		}
		for i, w := range wantFC {
			f := fc[i].(map[string]any)
			if fnum(f["year"]) != w[0] || fnum(f["count"]) != w[1] || !near(fnum(f["cost"]), w[2]) {
				t.Errorf("forecast %d: %v, want %v", i, f, w)
			}
		}
		// Tighter settings, by whoever may change the models: at 3 years the monitor
		// is due now too, and YOUNG this year (it turns 3 in September, so it is not
		// listed yet): 2025 has all five, 4,200 €. A technician may not change them;
		// bad values are refused.
		tech.Must(403, "PUT", "/api/v1/settings/renewal", map[string]any{"age_years": 3})
		admin := e.User("super", "super-admin", e.Root)
		if r := admin.Do("PUT", "/api/v1/settings/renewal", map[string]any{"age_years": 0, "horizon_years": 40}); r.Status != 422 || r.FieldError("age_years") == "" || r.FieldError("horizon_years") == "" {
			t.Errorf("bad settings: %d %s", r.Status, r.Body)
		}
		admin.Must(200, "PUT", "/api/v1/settings/renewal", map[string]any{"age_years": 3, "horizon_years": 3})
		p = tech.Must(200, "GET", "/api/v1/renewal", nil).JSON
		fc = p["forecast"].([]any)
		if n := len(p["data"].([]any)); n != 4 || len(fc) != 3 || fnum(fc[0].(map[string]any)["count"]) != 5 || !near(fnum(fc[0].(map[string]any)["cost"]), 4200) {
			t.Errorf("at 3 years: %d listed, forecast %v", n, fc)
		}
		// Narrowed to monitors, and to another organisation (not readable: nothing).
		if n := len(tech.Must(200, "GET", "/api/v1/renewal?asset_type=monitors", nil).JSON["data"].([]any)); n != 1 {
			t.Errorf("monitors: %d", n)
		}
		tech.Must(422, "GET", "/api/v1/renewal?asset_type=tickets", nil)
		if p := tech.Must(200, "GET", apitest.Path("/api/v1/renewal?organization_id=%d", b), nil).JSON; fnum(p["fleet"]) != 0 {
			t.Errorf("another organisation's plan: %v", p)
		}
		_ = ctx
	})
}
