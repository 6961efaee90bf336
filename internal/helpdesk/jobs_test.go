package helpdesk_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"parc/internal/apitest"
	"parc/internal/helpdesk"
	"parc/internal/record"
	"parc/internal/store"
	"parc/internal/storetest"
)

// fixture is a store with one organisation, a technician, a level-2 group and a
// 24/7 SLA (own within 1 h, resolve within 4 h), on a clock the test moves.
type fixture struct {
	e       *apitest.Env
	ctx     context.Context
	now     time.Time
	org     int64
	tech    *apitest.Client
	group   int64
	sla     int64
	tickets *record.Type
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday

func newFixture(t *testing.T, kind string) *fixture {
	e := apitest.New(t, kind)
	f := &fixture{e: e, ctx: context.Background(), now: t0, tickets: e.App.Reg.MustType("tickets")}
	e.App.Records.Now = func() time.Time { return f.now }
	f.org = e.Org("Client A", e.Root)
	f.tech = e.User("tech", "technician", f.org)
	f.group = e.Create("groups", record.Input{"name": "Level 2", "organization_id": f.org})
	f.sla = e.Create("slas", record.Input{"name": "Standard", "organization_id": f.org, "tto_minutes": 60, "ttr_minutes": 240})
	return f
}

func (f *fixture) ticket(t *testing.T, in record.Input) *record.Record {
	t.Helper()
	in["organization_id"] = f.org
	if in["title"] == nil {
		in["title"] = "Printer jams"
	}
	r, err := f.e.App.Records.Create(f.ctx, f.e.Sys, f.tickets, in)
	if err != nil {
		t.Fatalf("create ticket: %v", err)
	}
	return r
}

func (f *fixture) update(t *testing.T, id int64, in record.Input) {
	t.Helper()
	if _, err := f.e.App.Records.Update(f.ctx, f.e.Sys, f.tickets, id, in); err != nil {
		t.Fatalf("update ticket %d: %v", id, err)
	}
}

func (f *fixture) get(t *testing.T, id int64) *record.Record {
	t.Helper()
	r, err := f.e.App.Records.Get(f.ctx, f.e.Sys, f.tickets, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *fixture) level(in record.Input) int64 {
	in["sla_id"] = f.sla
	return f.e.Create("sla-levels", in)
}

// fired lists "ticket/level" pairs recorded in ticket_escalations.
func (f *fixture) fired(t *testing.T, names map[int64]string, levels map[int64]string) []string {
	t.Helper()
	db := f.e.App.DB
	rows, err := db.R.QueryContext(f.ctx, "SELECT ticket_id, level_id FROM ticket_escalations")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var tk, l int64
		if err := rows.Scan(&tk, &l); err != nil {
			t.Fatal(err)
		}
		out = append(out, names[tk]+"/"+levels[l])
	}
	sort.Strings(out)
	return out
}

// TestEscalationLevels moves a fixed clock through a ticket's SLA and checks
// which levels fire when: a warning before the resolution due time, a breach at
// it that reassigns to the level-2 group, a priority raise two hours after, a
// time-to-own breach only while nobody has taken the ticket; pending tickets are
// paused; a second run at the same time fires nothing.
func TestEscalationLevels(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		levels := map[int64]string{
			f.level(record.Input{"name": "warn", "due": "ttr", "offset_minutes": -60, "notify": true}):                           "warn",
			f.level(record.Input{"name": "breach", "due": "ttr", "offset_minutes": 0, "notify": true, "group_id": f.group}):      "breach",
			f.level(record.Input{"name": "raise", "due": "ttr", "offset_minutes": 120, "notify": false, "raise_priority": true}): "raise",
			f.level(record.Input{"name": "unowned", "due": "tto", "offset_minutes": 0, "notify": true}):                          "unowned",
			f.level(record.Input{"name": "off", "due": "ttr", "offset_minutes": -200, "notify": true, "active": false}):          "off",
		}
		var events []string
		h := helpdesk.NewJobs(f.e.App.Records, func(_ context.Context, _ *store.Tx, ev helpdesk.Event) error {
			events = append(events, fmt.Sprintf("%s:%s:%d", ev.Kind, ev.Due, ev.Ticket.ID))
			return nil
		})
		a := f.ticket(t, record.Input{"title": "A", "assigned_user_id": f.tech.UserID})
		b := f.ticket(t, record.Input{"title": "B"})
		c := f.ticket(t, record.Input{"title": "C", "assigned_user_id": f.tech.UserID})
		names := map[int64]string{a.ID: "A", b.ID: "B", c.ID: "C"}
		f.now = t0.Add(10 * time.Minute)
		f.update(t, c.ID, record.Input{"status": "pending", "pending_reason": "waiting for the part"})

		steps := []struct {
			at     string
			fired  []string
			events []string
		}{
			{"09:30", nil, nil},
			{"10:00", []string{"B/unowned"}, []string{fmt.Sprintf("sla_breach:tto:%d", b.ID)}},
			{"12:00", []string{"A/warn", "B/unowned", "B/warn"}, []string{fmt.Sprintf("sla_warning:ttr:%d", a.ID), fmt.Sprintf("sla_warning:ttr:%d", b.ID)}},
			{"13:00", []string{"A/breach", "A/warn", "B/breach", "B/unowned", "B/warn"}, []string{fmt.Sprintf("sla_breach:ttr:%d", a.ID), fmt.Sprintf("sla_breach:ttr:%d", b.ID)}},
			{"15:00", []string{"A/breach", "A/raise", "A/warn", "B/breach", "B/raise", "B/unowned", "B/warn"}, nil},
		}
		for _, st := range steps {
			at, _ := time.Parse("15:04", st.at)
			f.now = t0.Add(time.Duration(at.Hour()-9)*time.Hour + time.Duration(at.Minute())*time.Minute)
			events = nil
			if _, err := h.Escalate(f.ctx); err != nil {
				t.Fatalf("%s: %v", st.at, err)
			}
			// A second pass at the same time fires nothing more.
			if n, err := h.Escalate(f.ctx); err != nil || n != 0 {
				t.Fatalf("%s: second pass fired %d (%v)", st.at, n, err)
			}
			if got := f.fired(t, names, levels); !slices.Equal(got, st.fired) {
				t.Fatalf("%s: fired %v, want %v", st.at, got, st.fired)
			}
			sort.Strings(events)
			if !slices.Equal(events, st.events) {
				t.Fatalf("%s: events %v, want %v", st.at, events, st.events)
			}
		}
		// The breach gave both tickets to the level-2 group, the raise put the
		// priority up one step (impact 3, urgency 3 -> 4: priority 3 -> 4).
		for _, id := range []int64{a.ID, b.ID} {
			tk := f.get(t, id)
			if tk.Int("assigned_group_id") != f.group || tk.Int("priority") != 4 || tk.Int("urgency") != 4 {
				t.Fatalf("ticket %s after escalation: %v", names[id], tk.Values)
			}
		}
		if st := f.get(t, b.ID).String("status"); st != "assigned" {
			t.Fatalf("B reassigned to a group should be assigned, is %s", st)
		}
		// The history names the job as the origin of each change and level.
		hist, err := f.e.App.Records.History(f.ctx, f.e.Sys, f.tickets, a.ID, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		var levelsSeen, groupChanged int
		for _, h := range hist {
			if h.Action == helpdesk.HistorySLALevel && h.Origin == record.OriginJob {
				levelsSeen++
			}
			if h.Field == "assigned_group_id" && h.Origin == record.OriginJob {
				groupChanged++
			}
		}
		if levelsSeen != 3 || groupChanged != 1 {
			t.Fatalf("history of A: %d levels, %d group changes from the job: %+v", levelsSeen, groupChanged, hist)
		}
		// The pending ticket resumes: its resolution due time moved by the 5 h 50
		// of waiting, so nothing is due yet.
		f.update(t, c.ID, record.Input{"status": "assigned"})
		if n, err := h.Escalate(f.ctx); err != nil || n != 0 {
			t.Fatalf("resumed ticket: fired %d (%v)", n, err)
		}
		f.now = f.now.Add(4 * time.Hour)
		if n, err := h.Escalate(f.ctx); err != nil || n != 2 {
			t.Fatalf("resumed ticket once due: fired %d (%v), want warn and breach", n, err)
		}
	})
}

// TestSLALevelIsFiledWithItsSLA checks that a level lands in its SLA's
// organisation and needs an action.
func TestSLALevelIsFiledWithItsSLA(t *testing.T) {
	f := newFixture(t, "sqlite")
	admin := f.e.User("boss", "admin", f.e.Root)
	r := admin.Must(201, "POST", "/api/v1/sla-levels", map[string]any{"sla_id": f.sla, "name": "warn", "offset_minutes": -30})
	if r.JSON["organization_id"] != float64(f.org) || r.JSON["due"] != "ttr" || r.JSON["notify"] != true {
		t.Fatalf("level: %s", r.Body)
	}
	r = admin.Must(422, "POST", "/api/v1/sla-levels", map[string]any{"sla_id": f.sla, "name": "nothing", "notify": false})
	if r.FieldError("notify") == "" {
		t.Fatalf("level without action: %s", r.Body)
	}
}

// TestAutoClose closes tickets solved for seven days, not those reopened and
// solved again since, and nothing when the setting is 0.
func TestAutoClose(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		h := helpdesk.NewJobs(f.e.App.Records, nil)
		solve := func(id int64) {
			f.update(t, id, record.Input{"status": "solved", "solution": "replaced the toner", "solution_type": "fixed"})
		}
		a := f.ticket(t, record.Input{"title": "A", "assigned_user_id": f.tech.UserID})
		b := f.ticket(t, record.Input{"title": "B", "assigned_user_id": f.tech.UserID})
		solve(a.ID)
		solve(b.ID)
		// B's requester refuses on day 3: reopened, solved again.
		f.now = t0.AddDate(0, 0, 3)
		f.update(t, b.ID, record.Input{"status": "assigned"})
		solve(b.ID)
		cases := []struct {
			at       time.Time
			closed   int
			aSt, bSt string
		}{
			{t0.AddDate(0, 0, 7).Add(-time.Minute), 0, "solved", "solved"},
			{t0.AddDate(0, 0, 7), 1, "closed", "solved"},
			{t0.AddDate(0, 0, 7).Add(time.Hour), 0, "closed", "solved"},
			{t0.AddDate(0, 0, 10), 1, "closed", "closed"},
		}
		for _, c := range cases {
			f.now = c.at
			n, err := h.AutoClose(f.ctx)
			if err != nil || n != c.closed {
				t.Fatalf("%v: closed %d (%v), want %d", c.at, n, err, c.closed)
			}
			if sa, sb := f.get(t, a.ID).String("status"), f.get(t, b.ID).String("status"); sa != c.aSt || sb != c.bSt {
				t.Fatalf("%v: A %s, B %s; want %s, %s", c.at, sa, sb, c.aSt, c.bSt)
			}
		}
		hist, err := f.e.App.Records.History(f.ctx, f.e.Sys, f.tickets, a.ID, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		closedByJob := false
		for _, h := range hist {
			closedByJob = closedByJob || (h.Field == "status" && h.NewValue == "closed" && h.Origin == record.OriginJob)
		}
		if !closedByJob {
			t.Fatalf("history of A has no closing by the job: %+v", hist)
		}
		// 0 turns it off.
		cTk := f.ticket(t, record.Input{"title": "C", "assigned_user_id": f.tech.UserID})
		solve(cTk.ID)
		if err := f.e.App.Records.SetSetting(f.ctx, helpdesk.AutoCloseKey, "0"); err != nil {
			t.Fatal(err)
		}
		f.now = f.now.AddDate(1, 0, 0)
		if n, err := h.AutoClose(f.ctx); err != nil || n != 0 {
			t.Fatalf("auto-close off: closed %d (%v)", n, err)
		}
	})
}

// TestRecalculateSLA changes a calendar's hours and checks that the job moves the
// due times of open tickets only, once.
func TestRecalculateSLA(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		cal := f.e.Create("calendars", record.Input{"name": "Office", "organization_id": f.org, "timezone": "UTC", "hours": "mon-fri 09:00-18:00"})
		f.update2(t, "slas", f.sla, record.Input{"calendar_id": cal})
		h := helpdesk.NewJobs(f.e.App.Records, nil)
		if _, err := h.RecalculateChanged(f.ctx); err != nil { // first run: notes where it starts
			t.Fatal(err)
		}
		open := f.ticket(t, record.Input{"title": "open"})
		done := f.ticket(t, record.Input{"title": "done", "assigned_user_id": f.tech.UserID})
		f.update(t, done.ID, record.Input{"status": "solved", "solution": "ok"})
		due := func(id int64) string { return f.get(t, id).String("ttr_due_at") }
		if got := due(open.ID); got != "2026-03-02T13:00:00Z" {
			t.Fatalf("due before: %s", got)
		}
		f.now = t0.Add(time.Hour)
		f.update2(t, "calendars", cal, record.Input{"hours": "mon-fri 10:00-18:00"})
		n, err := h.RecalculateChanged(f.ctx)
		if err != nil || n != 1 {
			t.Fatalf("recalculated %d (%v), want 1", n, err)
		}
		if got := due(open.ID); got != "2026-03-02T14:00:00Z" {
			t.Fatalf("due after: %s", got)
		}
		if got := f.get(t, open.ID).String("tto_due_at"); got != "2026-03-02T11:00:00Z" {
			t.Fatalf("tto after: %s", got)
		}
		if got := due(done.ID); got != "2026-03-02T13:00:00Z" {
			t.Fatalf("a solved ticket moved: %s", got)
		}
		if n, err := h.RecalculateChanged(f.ctx); err != nil || n != 0 {
			t.Fatalf("second run recalculated %d (%v)", n, err)
		}
	})
}

func (f *fixture) update2(t *testing.T, typ string, id int64, in record.Input) {
	t.Helper()
	if _, err := f.e.App.Records.Update(f.ctx, f.e.Sys, f.e.App.Reg.MustType(typ), id, in); err != nil {
		t.Fatalf("update %s %d: %v", typ, id, err)
	}
}
