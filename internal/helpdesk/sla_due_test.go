package helpdesk_test

import (
	"testing"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestRecalculationAgreesWithWrites: the recalculation job, run with nothing
// changed, gives every open ticket the due times its writes gave it: an SLA with
// only a time to own, one with only a time to resolve, one counting in business
// hours with time spent pending, tickets opened at a time with a fraction of a
// second.
func TestRecalculationAgreesWithWrites(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		cal := f.e.Create("calendars", record.Input{"name": "Office", "organization_id": f.org, "timezone": "UTC", "hours": "mon-fri 09:00-18:00"})
		f.update2(t, "slas", f.sla, record.Input{"calendar_id": cal})
		ttoOnly := f.e.Create("ticket-categories", record.Input{"name": "Accounts", "organization_id": f.org})
		ttrOnly := f.e.Create("ticket-categories", record.Input{"name": "Printers", "organization_id": f.org})
		f.e.Create("slas", record.Input{"name": "Own fast", "organization_id": f.org, "category_id": ttoOnly, "tto_minutes": 45})
		f.e.Create("slas", record.Input{"name": "Fix fast", "organization_id": f.org, "category_id": ttrOnly, "ttr_minutes": 90})

		f.now = t0.Add(17*time.Hour + 123456789*time.Nanosecond) // 17:00, past the office's last hour
		var ids []int64
		for _, in := range []record.Input{
			{"title": "own fast", "category_id": ttoOnly},
			{"title": "fix fast", "category_id": ttrOnly},
			{"title": "standard"},
			{"title": "pending", "assigned_user_id": f.tech.UserID},
		} {
			ids = append(ids, f.ticket(t, in).ID)
		}
		f.now = f.now.Add(time.Minute)
		f.update(t, ids[3], record.Input{"status": "pending", "pending_reason": "waiting for the part"})
		f.now = f.now.Add(24 * time.Hour)
		f.update(t, ids[3], record.Input{"status": "assigned"})

		due := func(id int64) [2]string {
			r := f.get(t, id)
			return [2]string{r.String("tto_due_at"), r.String("ttr_due_at")}
		}
		before := map[int64][2]string{}
		for _, id := range ids {
			before[id] = due(id)
		}
		if b := before[ids[0]]; b[0] == "" || b[1] != "" {
			t.Fatalf("time to own only: %q", b)
		}
		if b := before[ids[1]]; b[0] != "" || b[1] == "" {
			t.Fatalf("time to resolve only: %q", b)
		}
		if f.get(t, ids[3]).Int("waiting_seconds") == 0 || before[ids[3]][1] == before[ids[2]][1] {
			t.Fatalf("the pending time did not push the ticket's due time: %q %q", before[ids[3]], before[ids[2]])
		}
		n, err := helpdesk.RecalculateSLA(f.ctx, f.e.App.Records)
		if err != nil || n != len(ids) {
			t.Fatalf("recalculated %d (%v), want %d", n, err, len(ids))
		}
		for _, id := range ids {
			if got := due(id); got != before[id] {
				t.Errorf("ticket %d: due %q after the recalculation, %q when written", id, got, before[id])
			}
		}
	})
}
