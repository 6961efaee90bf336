package api_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"parc/internal/apitest"
	"parc/internal/loan"
	"parc/internal/mail"
	"parc/internal/store"
	"parc/internal/storetest"
)

func num(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

// TestHandoverCheckOutAcknowledgeCheckIn: a technician hands a laptop over to a
// requester (the asset's user becomes theirs, the history says so), a second
// check-out of it is refused, the requester acknowledges receipt once (who, when,
// from where) and what they received is then frozen, another client's technician
// neither sees nor hands over the asset, and the check-in records the return and
// clears the asset's user.
func TestHandoverCheckOutAcknowledgeCheckIn(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		clientA := e.Org("Client A", e.Root)
		clientB := e.Org("Client B", e.Root)
		tech := e.User("tech-a", "technician", clientA)
		techB := e.User("tech-b", "technician", clientB)
		marie := e.User("marie", "self-service", clientA)
		paul := e.User("paul", "self-service", clientA)
		good := e.Create("states", map[string]any{"name": "Good"})
		scratched := e.Create("states", map[string]any{"name": "Scratched"})
		laptop := e.Create("computers", map[string]any{"name": "LAP-042", "organization_id": clientA})

		// Another client's technician cannot hand over client A's laptop.
		if r := techB.Do("POST", "/api/v1/handovers", map[string]any{"asset_type": "computers", "asset_id": laptop, "user_id": marie.UserID}); r.Status != 422 {
			t.Errorf("check-out by another client's technician: %d %s", r.Status, r.Body)
		}
		h := tech.Must(201, "POST", "/api/v1/handovers", map[string]any{"asset_type": "computers", "asset_id": laptop, "user_id": marie.UserID,
			"state_id": good, "accessories": "charger, bag, mouse", "comment": "For the move"})
		hid := h.ID()
		if num(h.JSON["technician_id"]) != tech.UserID || h.JSON["handed_at"] == nil || num(h.JSON["organization_id"]) != clientA {
			t.Errorf("hand-over: %s", h.Body)
		}
		pc := tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d", laptop), nil)
		if num(pc.JSON["user_id"]) != marie.UserID {
			t.Errorf("the laptop's user after check-out: %v", pc.JSON["user_id"])
		}
		hist := tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d/history", laptop), nil)
		if !strings.Contains(string(hist.Body), `"field":"user_id"`) || !strings.Contains(string(hist.Body), `"user_name":"tech-a"`) {
			t.Errorf("the laptop's history does not show the check-out by the technician: %s", hist.Body)
		}
		if r := tech.Do("POST", "/api/v1/handovers", map[string]any{"asset_type": "computers", "asset_id": laptop, "user_id": paul.UserID}); r.Status != 409 {
			t.Errorf("a second check-out of a laptop not returned: %d %s", r.Status, r.Body)
		}
		techB.Must(404, "GET", apitest.Path("/api/v1/handovers/%d", hid), nil)
		if r := techB.Must(200, "GET", "/api/v1/handovers", nil); len(r.Data()) != 0 {
			t.Errorf("another client's technician lists %d hand-overs", len(r.Data()))
		}

		// The recipient reads it (and only theirs), cannot change it, acknowledges once.
		if r := marie.Must(200, "GET", "/api/v1/handovers", nil); len(r.Data()) != 1 {
			t.Errorf("marie lists %d hand-overs", len(r.Data()))
		}
		paul.Must(404, "GET", apitest.Path("/api/v1/handovers/%d", hid), nil)
		paul.Must(404, "POST", apitest.Path("/api/v1/handovers/%d/acknowledge", hid), nil)
		marie.Must(403, "PATCH", apitest.Path("/api/v1/handovers/%d", hid), map[string]any{"accessories": "nothing"})
		if r := tech.Do("POST", apitest.Path("/api/v1/handovers/%d/acknowledge", hid), nil); r.Status != 403 && r.Status != 404 {
			t.Errorf("the technician acknowledges for the recipient: %d", r.Status)
		}
		ack := marie.Must(200, "POST", apitest.Path("/api/v1/handovers/%d/acknowledge", hid), nil)
		if num(ack.JSON["acknowledged_by_id"]) != marie.UserID || ack.JSON["acknowledged_at"] == nil || ack.JSON["acknowledged_from"] != "127.0.0.1" {
			t.Errorf("acknowledgement: %s", ack.Body)
		}
		marie.Must(409, "POST", apitest.Path("/api/v1/handovers/%d/acknowledge", hid), nil)
		if r := tech.Do("PATCH", apitest.Path("/api/v1/handovers/%d", hid), map[string]any{"accessories": "charger"}); r.Status != 422 || r.FieldError("accessories") == "" {
			t.Errorf("changing what was acknowledged: %d %s", r.Status, r.Body)
		}
		if r := tech.Do("PATCH", apitest.Path("/api/v1/handovers/%d", hid), map[string]any{"acknowledged_at": nil}); r.Status != 422 {
			t.Errorf("clearing the acknowledgement: %d %s", r.Status, r.Body)
		}
		tech.Must(200, "PATCH", apitest.Path("/api/v1/handovers/%d", hid), map[string]any{"comment": "Moved to Lyon"})

		// Check-in.
		techB.Must(404, "POST", apitest.Path("/api/v1/handovers/%d/check-in", hid), map[string]any{})
		in := tech.Must(200, "POST", apitest.Path("/api/v1/handovers/%d/check-in", hid), map[string]any{"return_state_id": scratched, "return_accessories": "charger", "return_comment": "bag missing"})
		if in.JSON["returned_at"] == nil || num(in.JSON["return_state_id"]) != scratched || in.JSON["return_accessories"] != "charger" || num(in.JSON["received_by_id"]) != tech.UserID {
			t.Errorf("check-in: %s", in.Body)
		}
		tech.Must(409, "POST", apitest.Path("/api/v1/handovers/%d/check-in", hid), map[string]any{})
		pc = tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d", laptop), nil)
		if pc.JSON["user_id"] != nil {
			t.Errorf("the laptop's user after check-in: %v", pc.JSON["user_id"])
		}
		// The history of hand-overs of the laptop; a new check-out is allowed.
		tech.Must(201, "POST", "/api/v1/handovers", map[string]any{"asset_type": "computers", "asset_id": laptop, "user_id": paul.UserID})
		list := tech.Must(200, "GET", apitest.Path("/api/v1/handovers?filter=asset_type:eq:computers&filter=asset_id:eq:%d", laptop), nil)
		if len(list.Data()) != 2 {
			t.Errorf("the laptop's hand-overs: %d", len(list.Data()))
		}
	})
}

// TestReservations: only loan equipment is reserved; overlapping days of one
// asset are refused with the dates taken (also when many ask at once), adjacent
// ones are not; a check-out fulfils the borrower's reservation and refuses another
// user while it holds; the overdue list; reminders once, at the right time.
func TestReservations(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		clientA := e.Org("Client A", e.Root)
		clientB := e.Org("Client B", e.Root)
		tech := e.User("tech-a", "technician", clientA)
		techB := e.User("tech-b", "technician", clientB)
		marie := e.User("marie", "self-service", clientA)
		paul := e.User("paul", "self-service", clientA)
		now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		e.App.Records.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		setNow := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }

		laptop := e.Create("computers", map[string]any{"name": "PRET-01", "organization_id": clientA})
		desk := e.Create("computers", map[string]any{"name": "DESK-01", "organization_id": clientA})
		proj := e.Create("peripherals", map[string]any{"name": "PROJ-01", "organization_id": clientA})
		tech.Must(201, "POST", "/api/v1/loan-items", map[string]any{"pool": "Loan laptops", "asset_type": "computers", "asset_id": laptop})
		tech.Must(201, "POST", "/api/v1/loan-items", map[string]any{"pool": "Projectors", "asset_type": "peripherals", "asset_id": proj})
		if r := tech.Do("POST", "/api/v1/loan-items", map[string]any{"pool": "Again", "asset_type": "computers", "asset_id": laptop}); r.Status != 422 {
			t.Errorf("an asset put twice in loan pools: %d", r.Status)
		}
		if r := techB.Do("POST", "/api/v1/loan-items", map[string]any{"pool": "Mine", "asset_type": "computers", "asset_id": desk}); r.Status != 422 {
			t.Errorf("another client's technician lends client A's computer: %d", r.Status)
		}

		reserve := func(c *apitest.Client, typ string, asset int64, user int64, from, to string) *apitest.Response {
			return c.Do("POST", "/api/v1/reservations", map[string]any{"asset_type": typ, "asset_id": asset, "user_id": user, "start_date": from, "end_date": to})
		}
		if r := reserve(tech, "computers", desk, marie.UserID, "2026-12-01", "2026-12-05"); r.Status != 422 || r.FieldError("asset_id") == "" {
			t.Errorf("reserving an asset that is not loan equipment: %d %s", r.Status, r.Body)
		}
		if r := reserve(tech, "computers", laptop, marie.UserID, "2026-12-05", "2026-12-01"); r.Status != 422 || r.FieldError("end_date") == "" {
			t.Errorf("an end before the start: %d %s", r.Status, r.Body)
		}
		first := reserve(tech, "computers", laptop, marie.UserID, "2026-12-01", "2026-12-05")
		if first.Status != 201 {
			t.Fatalf("reservation: %d %s", first.Status, first.Body)
		}
		resID := first.ID()
		r := reserve(tech, "computers", laptop, paul.UserID, "2026-12-05", "2026-12-08")
		if r.Status != 422 || !strings.Contains(r.FieldError("start_date"), "2026-12-01") || !strings.Contains(r.FieldError("start_date"), "2026-12-05") {
			t.Errorf("an overlapping reservation: %d %s", r.Status, r.Body)
		}
		if r := reserve(tech, "computers", laptop, paul.UserID, "2026-11-20", "2026-12-20"); r.Status != 422 {
			t.Errorf("a reservation around another: %d", r.Status)
		}
		later := reserve(tech, "computers", laptop, paul.UserID, "2026-12-06", "2026-12-08")
		if later.Status != 201 {
			t.Errorf("an adjacent reservation: %d %s", later.Status, later.Body)
		}
		// Moving it onto the first is refused too.
		if r := tech.Do("PATCH", apitest.Path("/api/v1/reservations/%d", later.ID()), map[string]any{"start_date": "2026-12-04"}); r.Status != 422 {
			t.Errorf("moving a reservation onto another: %d %s", r.Status, r.Body)
		}
		// Restoring a reservation from the trash onto days taken meanwhile is refused.
		tech.Must(204, "DELETE", apitest.Path("/api/v1/reservations/%d", later.ID()), nil)
		tech.Must(201, "POST", "/api/v1/reservations", map[string]any{"asset_type": "computers", "asset_id": laptop, "user_id": paul.UserID, "start_date": "2026-12-08", "end_date": "2026-12-09"})
		if r := tech.Do("POST", apitest.Path("/api/v1/reservations/%d/restore", later.ID()), nil); r.Status != 422 || r.FieldError("start_date") == "" {
			t.Errorf("restoring a reservation onto days taken: %d %s", r.Status, r.Body)
		}
		techB.Must(404, "GET", apitest.Path("/api/v1/reservations/%d", resID), nil)
		if r := marie.Must(200, "GET", "/api/v1/reservations", nil); len(r.Data()) != 1 {
			t.Errorf("marie lists %d reservations", len(r.Data()))
		}

		// Many ask for overlapping days at once, round after round: one wins each
		// round, the others are told.
		for round := range 6 {
			var wg sync.WaitGroup
			start := make(chan struct{})
			statuses := make([]int, 12)
			for i := range statuses {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-start
					from := time.Date(2027, time.Month(round+1), 10, 0, 0, 0, 0, time.UTC)
					statuses[i] = reserve(tech, "peripherals", proj, marie.UserID, from.Format("2006-01-02"), from.AddDate(0, 0, 1+i%3).Format("2006-01-02")).Status
				}(i)
			}
			close(start)
			wg.Wait()
			won := 0
			for _, s := range statuses {
				switch s {
				case 201:
					won++
				case 422:
				default:
					t.Errorf("concurrent reservation answered %d", s)
				}
			}
			if won != 1 {
				t.Errorf("round %d: %d of %d concurrent overlapping reservations were accepted: %v", round, won, len(statuses), statuses)
			}
		}

		// While marie's reservation holds, the laptop goes to her only; her
		// check-out fulfils it.
		if r := tech.Do("POST", "/api/v1/handovers", map[string]any{"asset_type": "computers", "asset_id": laptop, "user_id": paul.UserID}); r.Status != 422 || r.FieldError("user_id") == "" {
			t.Errorf("check-out to someone else during a reservation: %d %s", r.Status, r.Body)
		}
		h := tech.Must(201, "POST", "/api/v1/handovers", map[string]any{"asset_type": "computers", "asset_id": laptop, "user_id": marie.UserID, "accessories": "charger"})
		if num(h.JSON["reservation_id"]) != resID {
			t.Errorf("the check-out did not fulfil the reservation: %s", h.Body)
		}
		res := tech.Must(200, "GET", apitest.Path("/api/v1/reservations/%d", resID), nil)
		if res.JSON["status"] != loan.CheckedOut || num(res.JSON["handover_id"]) != h.ID() {
			t.Errorf("the reservation after check-out: %s", res.Body)
		}

		// Reminders: not three days before the end, once the day before.
		var told []loan.Reminder
		// In-process and by mail (the notifier app.Build subscribes when mail is set up).
		n, err := mail.NewNotifier(e.App.DB, e.App.Cat, "parc <parc@example.org>")
		if err != nil {
			t.Fatal(err)
		}
		n.Now = e.App.Records.Now
		if _, err := e.App.DB.Exec(context.Background(), "UPDATE users SET email = ?, language = ? WHERE id = ?", "marie@example.org", "fr", marie.UserID); err != nil {
			t.Fatal(err)
		}
		e.App.Loans.Reminders = []loan.RemindFunc{func(ctx context.Context, tx *store.Tx, r loan.Reminder) error {
			told = append(told, r)
			return nil
		}, n.LoanDue}
		ctx := context.Background()
		if n, err := e.App.Loans.Remind(ctx); err != nil || n != 0 {
			t.Errorf("reminders three days before the end: %d %v", n, err)
		}
		setNow(time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC))
		if n, err := e.App.Loans.Remind(ctx); err != nil || n != 1 {
			t.Errorf("reminders the day before the end: %d %v", n, err)
		}
		if n, err := e.App.Loans.Remind(ctx); err != nil || n != 0 {
			t.Errorf("reminders run again: %d %v", n, err)
		}
		setNow(time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC))
		if n, err := e.App.Loans.Remind(ctx); err != nil || n != 0 {
			t.Errorf("reminders on the last day, already reminded: %d %v", n, err)
		}
		var mails int
		var subject, body string
		if err := e.App.DB.QueryRowContext(ctx, "SELECT COUNT(*), MIN(subject), MIN(body) FROM mail_outbox WHERE event = 'loan_due' AND recipient = 'marie@example.org'").Scan(&mails, &subject, &body); err != nil {
			t.Fatal(err)
		}
		if mails != 1 || subject != "Rappel : PRET-01 est à rendre le 05/12/2026" || !strings.Contains(body, "Auto-Submitted: auto-generated") {
			t.Errorf("reminder mails: %d %q\n%s", mails, subject, body)
		}
		if len(told) != 1 || told[0].Reservation != resID || told[0].UserID != marie.UserID || told[0].Asset != "PRET-01" || told[0].EndDate != "2026-12-05" {
			t.Errorf("reminders told: %+v", told)
		}

		// Overdue: past its end and not checked in; not for another client.
		if r := tech.Must(200, "GET", "/api/v1/reservations/overdue", nil); len(r.Data()) != 0 {
			t.Errorf("overdue on the last day: %s", r.Body)
		}
		setNow(time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC))
		od := tech.Must(200, "GET", "/api/v1/reservations/overdue", nil)
		if len(od.Data()) != 1 || num(od.Data()[0]["id"]) != resID {
			t.Errorf("overdue after the end: %s", od.Body)
		}
		if r := techB.Must(200, "GET", "/api/v1/reservations/overdue", nil); len(r.Data()) != 0 {
			t.Errorf("another client's technician sees overdue loans: %s", r.Body)
		}
		tech.Must(200, "POST", apitest.Path("/api/v1/handovers/%d/check-in", h.ID()), map[string]any{})
		if r := tech.Must(200, "GET", "/api/v1/reservations/overdue", nil); len(r.Data()) != 0 {
			t.Errorf("overdue after check-in: %s", r.Body)
		}
		res = tech.Must(200, "GET", apitest.Path("/api/v1/reservations/%d", resID), nil)
		if res.JSON["status"] != loan.Returned {
			t.Errorf("the reservation after check-in: %s", res.Body)
		}
	})
}
