package contract_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"parc/internal/apitest"
	"parc/internal/contract"
	"parc/internal/i18n"
	"parc/internal/mail"
	"parc/internal/record"
	"parc/internal/storetest"
)

func day(s string) time.Time {
	t, err := time.Parse(contract.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDerive(t *testing.T) {
	for _, c := range []struct {
		start              string
		months, renewals   int
		notice             int
		wantEnd, wantNotic string
	}{
		{"2026-01-01", 12, 0, 3, "2026-12-31", "2026-09-30"},
		{"2026-01-01", 12, 1, 3, "2027-12-31", "2027-09-30"},
		{"2026-01-31", 1, 0, 0, "2026-02-27", ""}, // 31 January + 1 month is 28 February: the day before is the last covered
		{"2024-02-29", 12, 0, 1, "2025-02-27", "2025-01-27"},
		{"2026-03-15", 36, 0, 6, "2029-03-14", "2028-09-14"},
	} {
		d := contract.Derive(day(c.start), c.months, c.renewals, c.notice)
		if got := d.End.Format(contract.DateLayout); got != c.wantEnd {
			t.Errorf("%s +%d×%d: end %s, want %s", c.start, c.months, c.renewals+1, got, c.wantEnd)
		}
		got := ""
		if d.HasNotice {
			got = d.Notice.Format(contract.DateLayout)
		}
		if got != c.wantNotic {
			t.Errorf("%s +%d notice %d: %q, want %q", c.start, c.months, c.notice, got, c.wantNotic)
		}
	}
}

// fixture: two client organisations, a technician of each, a computer in the
// first, on a clock the test sets.
type fixture struct {
	e         *apitest.Env
	ctx       context.Context
	now       time.Time
	a, b      int64
	techA     *apitest.Client
	techB     *apitest.Client
	pc, pcB   int64
	contracts *record.Type
	svc       *contract.Service
}

func newFixture(t *testing.T, kind string) *fixture {
	e := apitest.New(t, kind)
	f := &fixture{e: e, ctx: context.Background(), now: time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC), contracts: e.App.Reg.MustType("contracts")}
	e.App.Records.Now = func() time.Time { return f.now }
	f.svc = e.App.Contracts
	f.svc.Loc = time.UTC
	f.a = e.Org("Client A", e.Root)
	f.b = e.Org("Client B", e.Root)
	f.techA = e.User("tech.a", "technician", f.a)
	f.techB = e.User("tech.b", "technician", f.b)
	f.pc = e.Create("computers", record.Input{"name": "PC-A-001", "organization_id": f.a})
	f.pcB = e.Create("computers", record.Input{"name": "PC-B-001", "organization_id": f.b})
	return f
}

func TestContractsAPI(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		sup := f.e.Create("suppliers", record.Input{"name": "Maintenix"})
		r := f.techA.Must(201, "POST", "/api/v1/contracts", map[string]any{"number": "MC-2026-01", "name": "Workstation maintenance",
			"kind": "maintenance", "supplier_id": sup, "start_date": "2026-01-01", "duration_months": 12, "notice_months": 3,
			"renewal": "tacit", "cost": 300, "cost_period": "quarterly", "response_hours": 4, "repair_hours": 24, "coverage": "business_hours",
			"organization_id": f.a})
		id := r.ID()
		if r.JSON["end_date"] != "2026-12-31" || r.JSON["notice_date"] != "2026-09-30" {
			t.Fatalf("derived dates: end %v, notice %v", r.JSON["end_date"], r.JSON["notice_date"])
		}
		// Read-only derived fields cannot be written.
		if r := f.techA.Do("PATCH", apitest.Path("/api/v1/contracts/%d", id), map[string]any{"end_date": "2030-01-01"}); r.Status != 422 {
			t.Fatalf("writing end_date: %d %s", r.Status, r.Body)
		}
		// Changing the duration moves the end.
		got := f.techA.Must(200, "PATCH", apitest.Path("/api/v1/contracts/%d", id), map[string]any{"duration_months": 24})
		if got.JSON["end_date"] != "2027-12-31" {
			t.Fatalf("end after a 24-month duration: %v", got.JSON["end_date"])
		}
		// Validation: notice longer than the contract, hours sold on a supplier contract.
		bad := f.techA.Do("POST", "/api/v1/contracts", map[string]any{"name": "Bad", "kind": "support", "start_date": "2026-01-01",
			"duration_months": 2, "notice_months": 3, "hours_sold": 10, "organization_id": f.a})
		if bad.Status != 422 || bad.FieldError("notice_months") == "" || bad.FieldError("hours_sold") == "" {
			t.Fatalf("invalid contract: %d %s", bad.Status, bad.Body)
		}

		// Organisations: B's technician neither reads nor lists A's contract.
		if r := f.techB.Do("GET", apitest.Path("/api/v1/contracts/%d", id), nil); r.Status != 404 {
			t.Fatalf("B reads A's contract: %d", r.Status)
		}
		if n := len(f.techB.Must(200, "GET", "/api/v1/contracts", nil).Data()); n != 0 {
			t.Fatalf("B lists %d contracts", n)
		}
		if n := len(f.techA.Must(200, "GET", "/api/v1/contracts", nil).Data()); n != 1 {
			t.Fatalf("A lists %d contracts", n)
		}
		if r := f.techB.Do("POST", "/api/v1/contracts", map[string]any{"name": "Sneaky", "start_date": "2026-01-01", "duration_months": 12, "organization_id": f.a}); r.Status != 422 && r.Status != 403 {
			t.Fatalf("B creates in A: %d %s", r.Status, r.Body)
		}
		req := f.e.User("req.a", "self-service", f.a)
		if r := req.Do("GET", apitest.Path("/api/v1/contracts/%d", id), nil); r.Status != 404 && r.Status != 403 {
			t.Fatalf("requester reads a contract: %d", r.Status)
		}

		// Covered assets: added and listed through the API; another organisation's
		// asset, a duplicate and B's technician are refused.
		link := f.techA.Must(201, "POST", "/api/v1/contract-assets", map[string]any{"contract_id": id, "item_type": "computers", "item_id": f.pc})
		if link.JSON["organization_id"] != float64(f.a) {
			t.Fatalf("link organisation: %v", link.JSON["organization_id"])
		}
		if r := f.techA.Do("POST", "/api/v1/contract-assets", map[string]any{"contract_id": id, "item_type": "computers", "item_id": f.pc}); r.Status != 422 || r.FieldError("item_id") == "" {
			t.Fatalf("duplicate: %d %s", r.Status, r.Body)
		}
		if r := f.techA.Do("POST", "/api/v1/contract-assets", map[string]any{"contract_id": id, "item_type": "computers", "item_id": f.pcB}); r.Status != 422 {
			t.Fatalf("other organisation's asset: %d %s", r.Status, r.Body)
		}
		if r := f.techB.Do("POST", "/api/v1/contract-assets", map[string]any{"contract_id": id, "item_type": "computers", "item_id": f.pcB}); r.Status != 422 {
			t.Fatalf("B covers with A's contract: %d %s", r.Status, r.Body)
		}
		list := f.techA.Must(200, "GET", apitest.Path("/api/v1/contract-assets?filter=contract_id:eq:%d", id), nil).Data()
		if len(list) != 1 || list[0]["item_id"] != float64(f.pc) {
			t.Fatalf("covered assets: %v", list)
		}
		// The computer's contracts: covered today (the clock is 2026-06-15).
		cov := f.techA.Must(200, "GET", apitest.Path("/api/v1/computers/%d/contracts", f.pc), nil)
		if cov.JSON["covered_now"] != true || len(cov.Data()) != 1 || cov.Data()[0]["contract_id"] != float64(id) || cov.Data()[0]["response_hours"] != 4.0 {
			t.Fatalf("coverage: %s", cov.Body)
		}
		f.now = time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC) // after its end
		if cov := f.techA.Must(200, "GET", apitest.Path("/api/v1/computers/%d/contracts", f.pc), nil); cov.JSON["covered_now"] != false || len(cov.Data()) != 1 {
			t.Fatalf("coverage after the end: %s", cov.Body)
		}
		f.now = time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC)
		f.techB.Must(404, "GET", apitest.Path("/api/v1/computers/%d/contracts", f.pc), nil)
		if cov := f.techB.Must(200, "GET", apitest.Path("/api/v1/computers/%d/contracts", f.pcB), nil); cov.JSON["covered_now"] != false || len(cov.Data()) != 0 {
			t.Fatalf("B's computer: %s", cov.Body)
		}
		if n := len(f.techB.Must(200, "GET", "/api/v1/contract-assets", nil).Data()); n != 0 {
			t.Fatalf("B lists %d covered assets", n)
		}
		f.techA.Must(204, "DELETE", apitest.Path("/api/v1/contract-assets/%d", link.ID()), nil)
		if n := len(f.techA.Must(200, "GET", apitest.Path("/api/v1/contract-assets?filter=contract_id:eq:%d", id), nil).Data()); n != 0 {
			t.Fatalf("after removal: %d", n)
		}

		// Supplier items: the supplier's promised lead time.
		it := f.techA.Must(201, "POST", "/api/v1/supplier-items", map[string]any{"supplier_id": sup, "reference": "PSU-450", "label": "450 W power supply",
			"unit_price": 39.9, "lead_time_days": 5, "category": "Power supplies", "organization_id": f.a})
		if it.JSON["lead_time_days"] != 5.0 {
			t.Fatalf("supplier item: %s", it.Body)
		}
		if r := f.techB.Do("GET", apitest.Path("/api/v1/supplier-items/%d", it.ID()), nil); r.Status != 404 {
			t.Fatalf("B reads A's supplier item: %d", r.Status)
		}
	})
}

func (f *fixture) contract(t *testing.T, in record.Input) *record.Record {
	t.Helper()
	if in["organization_id"] == nil {
		in["organization_id"] = f.a
	}
	if in["name"] == nil {
		in["name"] = "Maintenance"
	}
	r, err := f.e.App.Records.Create(f.ctx, f.e.Sys, f.contracts, in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCoveredNow(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		ct := f.contract(t, record.Input{"start_date": "2026-03-01", "duration_months": 6}) // to 2026-08-31
		if _, err := f.svc.Cover(f.ctx, f.e.Sys, ct.ID, "computers", f.pc); err != nil {
			t.Fatal(err)
		}
		actor := func(c *apitest.Client) *record.Actor {
			a, err := f.e.App.Auth.Actor(f.ctx, c.UserID, record.OriginAPI)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		techA, techB := actor(f.techA), actor(f.techB)
		for _, c := range []struct {
			at   string
			want bool
		}{{"2026-02-28T23:00:00Z", false}, {"2026-03-01T00:00:00Z", true}, {"2026-06-15T10:00:00Z", true}, {"2026-08-31T23:59:00Z", true}, {"2026-09-01T00:00:00Z", false}} {
			f.now, _ = time.Parse(time.RFC3339, c.at)
			got, err := f.svc.CoveredNow(f.ctx, techA, "computers", f.pc)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("covered at %s: %v, want %v", c.at, got, c.want)
			}
			// B's technician sees no contract of A.
			if got, _ := f.svc.CoveredNow(f.ctx, techB, "computers", f.pc); got {
				t.Errorf("B sees the coverage at %s", c.at)
			}
		}
		f.now = time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
		if err := f.e.App.Records.Trash(f.ctx, f.e.Sys, f.contracts, ct.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.svc.CoveredNow(f.ctx, techA, "computers", f.pc); got {
			t.Error("a trashed contract still covers")
		}
		if got, _ := f.svc.CoveredNow(f.ctx, techA, "computers", f.pcB); got {
			t.Error("an asset never covered is covered")
		}
	})
}

// outbox lists "recipient|subject" of queued contract mails.
func outbox(t *testing.T, e *apitest.Env) []string {
	rows, err := e.App.DB.QueryContext(context.Background(), "SELECT recipient, subject FROM mail_outbox WHERE event LIKE 'contract_%' ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r, s string
		rows.Scan(&r, &s)
		out = append(out, r+"|"+s)
	}
	return out
}

func TestAlertsOnceAtTheRightDates(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		n, err := mail.NewNotifier(f.e.App.DB, i18n.MustLoad(), "Parc <parc@example.org>")
		if err != nil {
			t.Fatal(err)
		}
		n.Now = func() time.Time { return f.now }
		alerts := &contract.Alerts{S: f.svc, Cat: i18n.MustLoad(), Mail: n, Inbox: f.e.App.Notify.ContractNotice}
		ctx := f.ctx
		users := f.e.App.Reg.MustType("users")
		if _, err := f.e.App.Records.Update(ctx, f.e.Sys, users, f.techA.UserID, record.Input{"email": "tech.a@example.org", "language": "en"}); err != nil {
			t.Fatal(err)
		}
		grp := f.e.Create("groups", record.Input{"name": "Contracts", "organization_id": f.a})
		buyer := f.e.User("buyer", "technician", f.a)
		if _, err := f.e.App.Records.Update(ctx, f.e.Sys, users, buyer.UserID, record.Input{"email": "buyer@example.org", "language": "fr"}); err != nil {
			t.Fatal(err)
		}
		f.e.Create("group-members", record.Input{"group_id": grp, "user_id": buyer.UserID, "organization_id": f.a})
		// Ends 2026-12-31, notice by 2026-09-30: told from 2026-08-31, and of the
		// end from 2026-12-01.
		ct := f.contract(t, record.Input{"number": "MC-1", "start_date": "2026-01-01", "duration_months": 12, "notice_months": 3,
			"responsible_user_id": f.techA.UserID, "responsible_group_id": grp})
		run := func(at string, wantSent int) {
			t.Helper()
			f.now = day(at).Add(8 * time.Hour)
			res, err := alerts.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.Sent != wantSent {
				t.Fatalf("on %s: %d alerts sent, want %d", at, res.Sent, wantSent)
			}
		}
		run("2026-08-30", 0)
		run("2026-08-31", 1)
		run("2026-08-31", 0) // once
		run("2026-09-15", 0)
		if got := outbox(t, f.e); len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), "tech.a@example.org|Contract MC-1 – Maintenance: notice deadline 2026-09-30") ||
			!strings.Contains(strings.Join(got, "\n"), "buyer@example.org|Contrat MC-1 – Maintenance : préavis avant le 30/09/2026") {
			t.Fatalf("notice mails: %q", got)
		}
		// In the bell too: one unread notification about the contract, which
		// opens its page.
		techA, err := f.e.App.Auth.Actor(ctx, f.techA.UserID, record.OriginWeb)
		if err != nil {
			t.Fatal(err)
		}
		if u, _ := f.e.App.Notify.Unread(ctx, techA); u != 1 {
			t.Fatalf("unread: %d", u)
		}
		pg, err := f.e.App.Notify.List(ctx, techA, "")
		if err != nil || len(pg.Items) != 1 || pg.Items[0].RecordType != "contracts" || pg.Items[0].RecordID != ct.ID || pg.Items[0].Detail != "2026-09-30" || pg.Items[0].Event != "contract_notice" || pg.Items[0].Title != "MC-1 – Maintenance" {
			t.Fatalf("notifications: %v %+v", err, pg)
		}
		if tg, err := f.e.App.Notify.OpenTarget(ctx, techA, pg.Items[0].ID); err != nil || tg.Ticket != 0 || tg.Type != "contracts" || tg.ID != ct.ID {
			t.Fatalf("open: %+v %v", tg, err)
		}
		if u, _ := f.e.App.Notify.Unread(ctx, techA); u != 0 {
			t.Fatalf("unread after opening: %d", u)
		}
		techB, _ := f.e.App.Auth.Actor(ctx, f.techB.UserID, record.OriginWeb)
		if u, _ := f.e.App.Notify.Unread(ctx, techB); u != 0 {
			t.Fatalf("B told of A's contract: %d", u)
		}
		run("2026-11-30", 0)
		run("2026-12-01", 1)
		run("2026-12-20", 0)
		run("2027-01-02", 0) // ended, explicit: nothing more
		if got := outbox(t, f.e); len(got) != 4 {
			t.Fatalf("mails after the end alert: %q", got)
		}
		var sent int
		f.e.App.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM contract_alerts WHERE contract_id = ?", ct.ID).Scan(&sent)
		if sent != 2 {
			t.Fatalf("%d alerts stored, want 2", sent)
		}
	})
}

func TestTacitRenewal(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		alerts := &contract.Alerts{S: f.svc, Cat: i18n.MustLoad()}
		tacit := f.contract(t, record.Input{"start_date": "2025-01-01", "duration_months": 12, "notice_months": 2, "renewal": "tacit"})
		explicit := f.contract(t, record.Input{"name": "Explicit", "start_date": "2025-01-01", "duration_months": 12, "renewal": "explicit"})
		f.now = time.Date(2025, 12, 31, 12, 0, 0, 0, time.UTC)
		if res, _ := alerts.Run(f.ctx); res.Renewed != 0 {
			t.Fatalf("renewed on its last day: %+v", res)
		}
		f.now = time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)
		res, err := alerts.Run(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Renewed != 1 {
			t.Fatalf("renewed %d", res.Renewed)
		}
		got, _ := f.e.App.Records.Get(f.ctx, f.e.Sys, f.contracts, tacit.ID)
		if got.String("end_date") != "2026-12-31" || got.String("notice_date") != "2026-10-31" || got.Int("renewals") != 1 {
			t.Fatalf("after renewal: end %s notice %s renewals %d", got.String("end_date"), got.String("notice_date"), got.Int("renewals"))
		}
		ex, _ := f.e.App.Records.Get(f.ctx, f.e.Sys, f.contracts, explicit.ID)
		if ex.String("end_date") != "2025-12-31" {
			t.Fatalf("explicit contract moved: %s", ex.String("end_date"))
		}
		// Renewed in the history, by the job.
		hist, err := f.e.App.Records.History(f.ctx, f.e.Sys, f.contracts, tacit.ID, 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range hist {
			if h.Field == "end_date" && h.NewValue == "2026-12-31" && h.Origin == record.OriginJob {
				found = true
			}
		}
		if !found {
			t.Fatalf("no end_date change by the job in the history: %+v", hist)
		}
		// Two periods missed: caught up at once. Covered again in the new period.
		f.now = time.Date(2028, 2, 1, 6, 0, 0, 0, time.UTC)
		if res, _ := alerts.Run(f.ctx); res.Renewed != 1 {
			t.Fatalf("catch-up: %+v", res)
		}
		got, _ = f.e.App.Records.Get(f.ctx, f.e.Sys, f.contracts, tacit.ID)
		if got.String("end_date") != "2028-12-31" || got.Int("renewals") != 3 {
			t.Fatalf("after catch-up: %s, %d renewals", got.String("end_date"), got.Int("renewals"))
		}
		if _, err := f.svc.Cover(f.ctx, f.e.Sys, tacit.ID, "computers", f.pc); err != nil {
			t.Fatal(err)
		}
		if ok, _ := f.svc.CoveredNow(f.ctx, f.e.Sys, "computers", f.pc); !ok {
			t.Fatal("a renewed contract does not cover")
		}
	})
}

func TestHoursUsedFromTicketTasks(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		site := f.e.Org("Client A – Lyon", f.a)
		ct := f.contract(t, record.Input{"kind": "client_service", "start_date": "2026-01-01", "duration_months": 12, "hours_sold": 10})
		ticket := func(org int64) int64 {
			return f.e.Create("tickets", record.Input{"title": "Help", "organization_id": org})
		}
		task := func(tk int64, minutes int, at time.Time) int64 {
			f.now = at
			return f.e.Create("ticket-tasks", record.Input{"ticket_id": tk, "content": "work", "duration_minutes": minutes})
		}
		in := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		t1, t2, tB := ticket(f.a), ticket(site), ticket(f.b)
		task(t1, 90, in)
		task(t2, 45, in)                                             // a sub-organisation of the client
		task(tB, 600, in)                                            // another client
		task(t1, 300, time.Date(2025, 12, 31, 9, 0, 0, 0, time.UTC)) // before the period
		gone := task(t1, 120, in)                                    // trashed below
		planned := f.e.Create("ticket-tasks", record.Input{"ticket_id": t1, "content": "planned", "duration_minutes": 15,
			"planned_start": "2026-04-01T09:00:00Z"})
		_ = planned
		if err := f.e.App.Records.Trash(f.ctx, f.e.Sys, f.e.App.Reg.MustType("ticket-tasks"), gone); err != nil {
			t.Fatal(err)
		}
		used, err := f.svc.HoursUsed(f.ctx, ct)
		if err != nil {
			t.Fatal(err)
		}
		if used != 90+45+15 {
			t.Fatalf("used %d minutes, want %d", used, 90+45+15)
		}
	})
}
