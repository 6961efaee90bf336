package helpdesk_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestViews checks each view's tickets and order (priority, then resolution due
// time with none last, then id) through GET /api/v1/tickets?view=, with pages of
// two, and that a technician of another organisation sees none of them.
func TestViews(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		other := f.e.User("other", "technician", f.e.Org("Client B", f.e.Root))
		f.e.Create("group-members", record.Input{"group_id": f.group, "user_id": f.tech.UserID, "organization_id": f.org})
		mine := record.Input{"assigned_user_id": f.tech.UserID}
		mk := func(title string, in record.Input, impact, urgency int, at time.Duration) int64 {
			f.now = t0.Add(at)
			in = maps(in)
			in["title"], in["impact"], in["urgency"] = title, impact, urgency
			return f.ticket(t, in).ID
		}
		mk("m-p3-late", mine, 3, 3, -5*time.Hour)      // prio 3, due 08:00 (before the clock's 13:00)
		mk("m-p4-risk", mine, 3, 4, -1*time.Hour)      // prio 4, due 12:00 -> late at 13:00
		mk("m-p4-soon", mine, 3, 4, 0)                 // prio 4, due 13:00 -> at risk
		mk("m-p4-later", mine, 3, 4, 2*time.Hour)      // prio 4, due 15:00 -> at risk
		mk("m-p5", mine, 5, 5, 3*time.Hour)            // prio 5
		mk("m-p2", mine, 1, 1, 30*time.Minute)         // prio 1? (1,1)=1
		p := mk("m-pending", mine, 3, 3, -6*time.Hour) // pending: in mine, never late
		f.update(t, p, record.Input{"status": "pending", "pending_reason": "part ordered"})
		d := mk("m-done", mine, 3, 3, 0)
		f.update(t, d, record.Input{"status": "solved", "solution": "ok"})
		mk("g-p3", record.Input{"assigned_group_id": f.group}, 3, 3, 0)
		mk("u-p3", record.Input{}, 3, 3, 0)
		// A ticket without due time (no SLA) comes last in its priority.
		nodue := mk("u-p3-nodue", record.Input{}, 3, 3, -time.Hour)
		if _, err := f.e.App.DB.Exec(context.Background(), "UPDATE tickets SET sla_id = NULL, tto_due_at = NULL, ttr_due_at = NULL WHERE id = ?", nodue); err != nil {
			t.Fatal(err)
		}
		f.now = t0.Add(4 * time.Hour) // 13:00

		get := func(view string, limit int) []string {
			t.Helper()
			var out []string
			cursor := ""
			for range 20 {
				q := url.Values{"view": {view}, "limit": {fmt.Sprint(limit)}}
				if cursor != "" {
					q.Set("cursor", cursor)
				}
				r := f.tech.Must(200, "GET", "/api/v1/tickets?"+q.Encode(), nil)
				for _, x := range r.JSON["data"].([]any) {
					out = append(out, x.(map[string]any)["title"].(string))
				}
				cursor, _ = r.JSON["next_cursor"].(string)
				if cursor == "" {
					return out
				}
			}
			t.Fatalf("view %s does not end", view)
			return nil
		}
		cases := map[string][]string{
			"mine":       {"m-p5", "m-p4-risk", "m-p4-soon", "m-p4-later", "m-pending", "m-p3-late", "m-p2"},
			"my-groups":  {"g-p3"},
			"unassigned": {"u-p3", "u-p3-nodue"},
			"late":       {"m-p4-risk", "m-p3-late"},
			"at-risk":    {"m-p5", "m-p4-soon", "m-p4-later", "g-p3", "u-p3", "m-p2"},
		}
		for view, want := range cases {
			for _, limit := range []int{2, 50} {
				if got := get(view, limit); !slices.Equal(got, want) {
					t.Errorf("%s (limit %d): %v, want %v", view, limit, got, want)
				}
			}
		}
		r := other.Must(200, "GET", "/api/v1/tickets?view=unassigned&count=1", nil)
		if n := len(r.JSON["data"].([]any)); n != 0 || r.JSON["total"] != 0.0 {
			t.Fatalf("another organisation's technician sees %s", r.Body)
		}
		f.tech.Must(404, "GET", "/api/v1/tickets?view=everything", nil)
		f.tech.Must(422, "GET", "/api/v1/tickets?view=mine&sort=title", nil)
		// Without view= the generic list still answers.
		if r := f.tech.Must(200, "GET", "/api/v1/tickets?count=1", nil); r.JSON["total"] != 11.0 {
			t.Fatalf("plain list: %s", r.Body)
		}
	})
}

func maps(in record.Input) record.Input {
	out := record.Input{}
	for k, v := range in {
		out[k] = v
	}
	return out
}
