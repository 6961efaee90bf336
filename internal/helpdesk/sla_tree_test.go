package helpdesk_test

import (
	"testing"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestRecalculateInheritedSLA: a ticket of a sub-category gets its parent
// category's SLA when written, and the recalculation job, which keeps each
// ticket's SLA, moves its due times when that parent's SLA changes.
func TestRecalculateInheritedSLA(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		parent := f.e.Create("ticket-categories", record.Input{"name": "Matériel", "organization_id": f.org})
		child := f.e.Create("ticket-categories", record.Input{"name": "Imprimante", "organization_id": f.org, "parent_id": parent})
		grandChild := f.e.Create("ticket-categories", record.Input{"name": "Toner", "organization_id": f.org, "parent_id": child})
		hw := f.e.Create("slas", record.Input{"name": "Matériel", "organization_id": f.org, "category_id": parent, "tto_minutes": 30, "ttr_minutes": 120})
		h := helpdesk.NewJobs(f.e.App.Records, nil)
		if _, err := h.RecalculateChanged(f.ctx); err != nil { // first run: notes where it starts
			t.Fatal(err)
		}
		inChild := f.ticket(t, record.Input{"title": "child", "category_id": child})
		inGrandChild := f.ticket(t, record.Input{"title": "grand-child", "category_id": grandChild})
		plain := f.ticket(t, record.Input{"title": "no category"})
		for _, c := range []struct {
			id, sla int64
			ttr     string
		}{{inChild.ID, hw, "2026-03-02T11:00:00Z"}, {inGrandChild.ID, hw, "2026-03-02T11:00:00Z"}, {plain.ID, f.sla, "2026-03-02T13:00:00Z"}} {
			tk := f.get(t, c.id)
			if tk.Int("sla_id") != c.sla || tk.String("ttr_due_at") != c.ttr {
				t.Fatalf("ticket %d: sla %d ttr %s, want %d %s", c.id, tk.Int("sla_id"), tk.String("ttr_due_at"), c.sla, c.ttr)
			}
		}
		f.now = t0.Add(time.Minute)
		f.update2(t, "slas", hw, record.Input{"ttr_minutes": 180})
		n, err := h.RecalculateChanged(f.ctx)
		if err != nil || n != 2 {
			t.Fatalf("recalculated %d (%v), want 2", n, err)
		}
		for _, id := range []int64{inChild.ID, inGrandChild.ID} {
			if got := f.get(t, id).String("ttr_due_at"); got != "2026-03-02T12:00:00Z" {
				t.Fatalf("ticket %d due after the change: %s", id, got)
			}
		}
		if got := f.get(t, plain.ID).String("ttr_due_at"); got != "2026-03-02T13:00:00Z" {
			t.Fatalf("a ticket of another SLA moved: %s", got)
		}
	})
}
