package notify_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"parc/internal/apitest"
	"parc/internal/notify"
	"parc/internal/record"
	"parc/internal/secret"
	"parc/internal/store"
	"parc/internal/storetest"
)

// TestRecordNotificationsReachTheBell: with a fixed clock, a contract's notice
// alert, a licence's expiry alert and a loan's reminder each reach the bell of
// the users they concern once (running the jobs again adds nothing), then the
// loan's overdue notice; the notifications page says each in a sentence and
// opens the record; another client's technician sees none, the borrower only
// her loan's, and a record put in the trash takes its notification away.
func TestRecordNotificationsReachTheBell(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		t.Setenv(secret.EnvKey, strings.Repeat("44", 32))
		e := apitest.New(t, kind)
		ctx := context.Background()
		var mu sync.Mutex
		now := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		setNow := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
		e.App.Records.Now = clock
		e.App.Licenses.Now = clock
		e.App.Contracts.Loc = time.UTC

		clientA := e.Org("Client A", e.Root)
		clientB := e.Org("Client B", e.Root)
		techA := e.User("tech-a", "technician", clientA)
		techB := e.User("tech-b", "technician", clientB)
		marie := e.User("marie", "self-service", clientA)

		// A contract whose notice is due by 30 September, a licence expiring on
		// 20 September, a laptop lent to marie until tomorrow.
		ct := techA.Must(201, "POST", "/api/v1/contracts", map[string]any{"number": "MC-7", "name": "Printers", "kind": "maintenance",
			"start_date": "2026-01-01", "duration_months": 12, "notice_months": 3, "responsible_user_id": techA.UserID, "organization_id": clientA}).ID()
		lic := techA.Must(201, "POST", "/api/v1/licenses", map[string]any{"name": "CAD suite", "license_type": "site",
			"organization_id": clientA, "expiry_date": "2026-09-20"}).ID()
		laptop := e.Create("computers", record.Input{"name": "PRET-07", "organization_id": clientA})
		techA.Must(201, "POST", "/api/v1/loan-items", map[string]any{"pool": "Loan laptops", "asset_type": "computers", "asset_id": laptop})
		res := techA.Must(201, "POST", "/api/v1/reservations", map[string]any{"asset_type": "computers", "asset_id": laptop,
			"user_id": marie.UserID, "start_date": "2026-09-01", "end_date": "2026-09-02"}).ID()
		techA.Must(201, "POST", "/api/v1/handovers", map[string]any{"asset_type": "computers", "asset_id": laptop, "user_id": marie.UserID})

		runJobs := func() {
			t.Helper()
			if _, err := e.App.ContractAlerts.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := e.App.Licenses.RunAlerts(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := e.App.Loans.Remind(ctx); err != nil {
				t.Fatal(err)
			}
		}
		actor := func(c *apitest.Client) *record.Actor {
			t.Helper()
			a, err := e.App.Auth.Actor(ctx, c.UserID, record.OriginWeb)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		told := func(c *apitest.Client) map[string]notify.Item {
			t.Helper()
			pg, err := e.App.Notify.List(ctx, actor(c), "")
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]notify.Item{}
			for _, it := range pg.Items {
				if _, dup := out[it.Event]; dup {
					t.Errorf("%s told twice of %s", c.Token[:4], it.Event)
				}
				out[it.Event] = it
			}
			return out
		}
		runJobs()
		runJobs() // once

		a := told(techA)
		if len(a) != 3 || a["contract_notice"].RecordID != ct || a["license_expiring"].RecordID != lic || a["loan_due"].RecordID != res {
			t.Fatalf("technician of A told %+v", a)
		}
		if it := a["loan_due"]; it.RecordType != "reservations" || it.Title != "PRET-07" || it.Detail != "2026-09-02" {
			t.Errorf("loan reminder: %+v", it)
		}
		if it := a["license_expiring"]; it.Title != "CAD suite" || it.Detail != "2026-09-20" {
			t.Errorf("licence alert: %+v", it)
		}
		if n, _ := e.App.Notify.Unread(ctx, actor(techA)); n != 3 {
			t.Errorf("technician of A: %d unread, want 3", n)
		}
		if b := told(techB); len(b) != 0 {
			t.Errorf("technician of B told %+v", b)
		}
		if m := told(marie); len(m) != 1 || m["loan_due"].RecordID != res {
			t.Errorf("the borrower told %+v", m)
		}

		// The page says each in words and links to the record.
		web := e.Pages(t, "tech-a")
		status, body := web("/notifications")
		if status != 200 {
			t.Fatalf("notifications page: %d", status)
		}
		for _, want := range []string{"Contract MC-7 – Printers: notice must be given by 2026-09-30", "Licence CAD suite expires on 2026-09-20",
			"Loan of PRET-07: due back on 2026-09-02"} {
			if !strings.Contains(body, want) {
				t.Errorf("notifications page lacks %q", want)
			}
		}
		if status, body := web(apitest.Path("/notifications/%d", a["loan_due"].ID)); status != 200 || !strings.Contains(body, "PRET-07") ||
			!strings.Contains(body, apitest.Path("/reservations/%d", res)) {
			t.Errorf("the loan's notification opened %d %s", status, body)
		}
		if status, _ := e.Pages(t, "tech-b")(apitest.Path("/notifications/%d", a["loan_due"].ID)); status != 404 {
			t.Errorf("another user opens the notification: %d", status)
		}

		// Overdue: once, to the borrower and the technician.
		setNow(time.Date(2026, 9, 4, 9, 0, 0, 0, time.UTC))
		runJobs()
		runJobs()
		if a := told(techA); a["loan_overdue"].RecordID != res || a["loan_overdue"].Detail != "2026-09-02" || len(a) != 4 {
			t.Errorf("technician of A after the return date: %+v", a)
		}
		if m := told(marie); len(m) != 2 || m["loan_overdue"].RecordID != res {
			t.Errorf("the borrower after the return date: %+v", m)
		}
		if n, _ := e.App.Notify.Unread(ctx, actor(techA)); n != 1 {
			t.Errorf("technician of A: %d unread after reading the page, want the overdue one", n)
		}

		// A licence in the trash: its notification goes.
		techA.Must(204, "DELETE", apitest.Path("/api/v1/licenses/%d", lic), nil)
		if a := told(techA); len(a) != 3 || a["license_expiring"].ID != 0 {
			t.Errorf("after the licence went to the trash: %+v", a)
		}
	})
}

// TestMigrationKeepsOldNotifications: a store as it was before migration 0038
// (contracts' notifications in notifications.contract_id, licences' in
// record_notifications) keeps every row, read or not, after it.
func TestMigrationKeepsOldNotifications(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		t.Setenv(secret.EnvKey, strings.Repeat("45", 32))
		e := apitest.New(t, kind)
		ctx := context.Background()
		clientA := e.Org("Client A", e.Root)
		techA := e.User("tech-a", "technician", clientA)
		techB := e.User("tech-b", "technician", e.Org("Client B", e.Root))
		ct := techA.Must(201, "POST", "/api/v1/contracts", map[string]any{"number": "MC-1", "name": "Copiers", "kind": "maintenance",
			"start_date": "2026-01-01", "duration_months": 12, "organization_id": clientA}).ID()
		lic := techA.Must(201, "POST", "/api/v1/licenses", map[string]any{"name": "Office", "license_type": "site", "organization_id": clientA}).ID()
		tk := techA.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Printer jam", "description": "Tray 2", "organization_id": clientA}).ID()

		// Back to the schema of migration 0037.
		pg := e.App.DB.Dialect == store.Postgres
		var down []string
		if pg {
			down = []string{
				"DROP INDEX notifications_record", "DROP INDEX notifications_once",
				"ALTER TABLE notifications DROP COLUMN record_type", "ALTER TABLE notifications DROP COLUMN record_id",
				"ALTER TABLE notifications DROP COLUMN event_key", "ALTER TABLE notifications DROP COLUMN detail",
				"ALTER TABLE notifications ADD COLUMN contract_id BIGINT REFERENCES contracts(id) ON DELETE CASCADE",
				"CREATE INDEX notifications_contract ON notifications(contract_id)",
				"CREATE TABLE record_notifications (id BIGSERIAL PRIMARY KEY, user_id BIGINT NOT NULL, organization_id BIGINT NOT NULL, record_type TEXT NOT NULL, record_id BIGINT NOT NULL, event TEXT NOT NULL, detail TEXT, created_at TIMESTAMPTZ NOT NULL, read_at TIMESTAMPTZ)",
			}
		} else {
			down = []string{
				"DROP TABLE notifications",
				"CREATE TABLE notifications (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, organization_id INTEGER NOT NULL REFERENCES organizations(id), ticket_id INTEGER REFERENCES tickets(id) ON DELETE CASCADE, contract_id INTEGER REFERENCES contracts(id) ON DELETE CASCADE, event TEXT NOT NULL, actor_name TEXT, created_at TEXT NOT NULL, read_at TEXT)",
				"CREATE INDEX notifications_contract ON notifications(contract_id)",
				"CREATE TABLE record_notifications (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, organization_id INTEGER NOT NULL, record_type TEXT NOT NULL, record_id INTEGER NOT NULL, event TEXT NOT NULL, detail TEXT, created_at TEXT NOT NULL, read_at TEXT)",
			}
		}
		down = append(down, "ALTER TABLE reservations DROP COLUMN overdue_notified_at", "DELETE FROM schema_migrations WHERE version = 38",
			"DELETE FROM notifications")
		for _, q := range down {
			if _, err := e.App.DB.W.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		at := time.Date(2026, 8, 31, 8, 0, 0, 0, time.UTC)
		old := []struct {
			q    string
			args []any
		}{
			{"INSERT INTO notifications (user_id, organization_id, ticket_id, event, actor_name, created_at) VALUES (?, ?, ?, 'created', 'Tech A', ?)", []any{techA.UserID, clientA, tk, at}},
			{"INSERT INTO notifications (user_id, organization_id, contract_id, event, created_at, read_at) VALUES (?, ?, ?, 'contract_notice', ?, ?)", []any{techA.UserID, clientA, ct, at, at}},
			{"INSERT INTO notifications (user_id, organization_id, contract_id, event, created_at) VALUES (?, ?, ?, 'contract_end', ?)", []any{techB.UserID, clientA, ct, at}},
			{"INSERT INTO record_notifications (user_id, organization_id, record_type, record_id, event, detail, created_at) VALUES (?, ?, 'licenses', ?, 'license_over', '3', ?)", []any{techA.UserID, clientA, lic, at}},
		}
		for _, o := range old {
			if _, err := e.App.DB.Exec(ctx, o.q, o.args...); err != nil {
				t.Fatalf("%s: %v", o.q, err)
			}
		}
		if err := e.App.DB.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var rows int
		if err := e.App.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM notifications").Scan(&rows); err != nil || rows != 4 {
			t.Fatalf("rows after the migration: %d %v", rows, err)
		}
		a, err := e.App.Auth.Actor(ctx, techA.UserID, record.OriginWeb)
		if err != nil {
			t.Fatal(err)
		}
		list, err := e.App.Notify.List(ctx, a, "")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]notify.Item{}
		for _, it := range list.Items {
			got[it.Event] = it
		}
		if len(got) != 3 || got["created"].TicketID != tk || got["created"].By != "Tech A" ||
			got["contract_notice"].RecordType != "contracts" || got["contract_notice"].RecordID != ct || got["contract_notice"].Unread ||
			got["license_over"].RecordType != "licenses" || got["license_over"].RecordID != lic || got["license_over"].Detail != "3" || !got["license_over"].Unread {
			t.Errorf("technician of A after the migration: %+v", got)
		}
		if n, _ := e.App.Notify.Unread(ctx, a); n != 2 {
			t.Errorf("unread after the migration: %d, want 2", n)
		}
		// tech-b's row is kept, though tech-b cannot read the contract: not shown.
		b, _ := e.App.Auth.Actor(ctx, techB.UserID, record.OriginWeb)
		if l, err := e.App.Notify.List(ctx, b, ""); err != nil || len(l.Items) != 0 {
			t.Errorf("technician of B: %+v %v", l, err)
		}
	})
}
