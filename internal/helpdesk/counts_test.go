package helpdesk_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestTicketCounters checks that the home page's counters (migration 0026:
// ticket_flow, ticket_open, kept by triggers) equal a full count of the tickets
// after creations, status changes, assignments, moves between organisations,
// trash, restore, purge and the deletion of an assigned group.
func TestTicketCounters(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		orgB := f.e.Org("Client B", f.e.Root)
		check := func(step string) {
			t.Helper()
			f.checkCounters(t, step)
		}
		check("empty")
		var ids []int64
		for i := range 6 {
			f.now = t0.Add(time.Duration(i) * 50 * time.Minute)
			in := record.Input{"title": "T", "sla_id": f.sla}
			if i%2 == 0 {
				in["assigned_group_id"] = f.group
			}
			if i%3 == 0 {
				in["assigned_user_id"] = f.tech.UserID
			}
			ids = append(ids, f.ticket(t, in).ID)
		}
		check("created")
		f.now = t0.Add(3 * time.Hour)
		f.update(t, ids[0], record.Input{"status": "solved", "solution": "ok"})
		f.now = t0.Add(30 * time.Hour) // after the resolution due time
		f.update(t, ids[1], record.Input{"status": "solved", "solution": "ok"})
		f.update(t, ids[2], record.Input{"status": "pending", "pending_reason": "part"})
		check("status")
		f.update(t, ids[3], record.Input{"assigned_user_id": nil, "assigned_group_id": f.group})
		check("assigned")
		f.update(t, ids[4], record.Input{"organization_id": orgB, "assigned_group_id": nil})
		f.update(t, ids[0], record.Input{"organization_id": orgB})
		check("moved")
		for _, id := range ids[:3] {
			if err := f.e.App.Records.Trash(f.ctx, f.e.Sys, f.tickets, id); err != nil {
				t.Fatal(err)
			}
		}
		check("trashed")
		if err := f.e.App.Records.Restore(f.ctx, f.e.Sys, f.tickets, ids[1]); err != nil {
			t.Fatal(err)
		}
		check("restored")
		if err := f.e.App.Records.Purge(f.ctx, f.e.Sys, f.tickets, ids[0]); err != nil {
			t.Fatal(err)
		}
		check("purged")
		if err := f.e.App.Records.Trash(f.ctx, f.e.Sys, f.e.App.Reg.MustType("groups"), f.group); err != nil {
			t.Fatal(err)
		}
		if err := f.e.App.Records.Purge(f.ctx, f.e.Sys, f.e.App.Reg.MustType("groups"), f.group); err != nil {
			t.Fatal(err)
		}
		check("group deleted")
	})
}

// checkCounters compares the counter tables with counts over the tickets.
func (f *fixture) checkCounters(t *testing.T, step string) {
	t.Helper()
	hour := "CAST(strftime('%s', {c}) AS INTEGER) / 3600"
	if f.e.App.DB.Dialect == "postgres" {
		hour = "CAST(floor(extract(epoch FROM {c}) / 3600) AS BIGINT)"
	}
	h := func(c string) string { return strings.ReplaceAll(hour, "{c}", c) }
	pairs := []struct{ name, counters, tickets string }{
		{"open", "SELECT organization_id, group_id, user_id, n FROM ticket_open WHERE n <> 0 ORDER BY 1, 2, 3",
			"SELECT organization_id, COALESCE(assigned_group_id, 0), COALESCE(assigned_user_id, 0), COUNT(*) FROM tickets WHERE deleted_at IS NULL AND status IN ('new', 'assigned', 'planned', 'pending') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"},
		{"opened", "SELECT hour, organization_id, opened FROM ticket_flow WHERE opened <> 0 ORDER BY 1, 2",
			"SELECT " + h("created_at") + ", organization_id, COUNT(*) FROM tickets WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2"},
		{"solved", "SELECT hour, organization_id, solved, solved_due, solved_met FROM ticket_flow WHERE solved <> 0 ORDER BY 1, 2",
			"SELECT " + h("solved_at") + ", organization_id, COUNT(*), COUNT(ttr_due_at), SUM(CASE WHEN solved_at <= ttr_due_at THEN 1 ELSE 0 END) FROM tickets WHERE deleted_at IS NULL AND solved_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"},
	}
	for _, p := range pairs {
		got, want := f.rows(t, p.counters), f.rows(t, p.tickets)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: %s counters %v, tickets %v", step, p.name, got, want)
		}
	}
}

// rows reads a query's rows as integers.
func (f *fixture) rows(t *testing.T, q string) [][]int64 {
	t.Helper()
	rs, err := f.e.App.DB.R.QueryContext(f.ctx, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out [][]int64
	for rs.Next() {
		row := make([]int64, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, row)
	}
	return out
}

// TestLargeTicketListOrder checks the default ticket list (newest first) of a
// technician whose organisation holds more tickets than the list counts
// (record.CountCap): on SQLite it walks the table in id order instead of
// sorting the organisation's tickets; the pages must still hold exactly the
// organisation's tickets, newest first, page after page.
func TestLargeTicketListOrder(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		other := f.e.Org("Client B", f.e.Root)
		f.ticket(t, record.Input{"title": "first"})
		// Two tickets of Client A for one of Client B, past the count's cap.
		_, err := f.e.App.DB.Exec(f.ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
			INSERT INTO tickets (organization_id, title, created_at, updated_at) SELECT CASE WHEN i % 3 = 0 THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END, 'bulk', ?, ? FROM n`,
			record.CountCap*3/2+30, other, f.org, t0, t0)
		if err != nil {
			t.Fatal(err)
		}
		var want []int64
		for _, r := range f.rows(t, fmt.Sprintf("SELECT id FROM tickets WHERE organization_id = %d ORDER BY id DESC", f.org)) {
			want = append(want, r[0])
		}
		var got []int64
		cursor := ""
		for range 3 {
			q := "/api/v1/tickets?count=1&limit=100"
			if cursor != "" {
				q += "&cursor=" + url.QueryEscape(cursor)
			}
			r := f.tech.Must(200, "GET", q, nil)
			if total := r.JSON["total"]; total == nil {
				t.Fatalf("no total in %v", r.JSON)
			}
			for _, x := range r.JSON["data"].([]any) {
				got = append(got, int64(x.(map[string]any)["id"].(float64)))
			}
			cursor, _ = r.JSON["next_cursor"].(string)
		}
		if fmt.Sprint(got) != fmt.Sprint(want[:300]) {
			t.Errorf("three pages: %v..., want %v...", got[:5], want[:5])
		}
	})
}
