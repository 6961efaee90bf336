package api_test

import (
	"context"
	"encoding/json"
	"testing"

	"parc/internal/apitest"
	"parc/internal/storetest"
)

// TestLoanRightsOfOlderStores: built-in profiles are seeded once, so migration
// 0032 gives the technicians and requesters of a store made before hand-overs and
// loans the rights a new store gives them, and leaves a profile granting every
// type alone.
func TestLoanRightsOfOlderStores(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		ctx := context.Background()
		org := e.Org("Client", e.Root)
		tech := e.User("tech", "technician", org)
		marie := e.User("marie", "self-service", org)
		for _, p := range []string{"technician", "self-service"} {
			var rights string
			if err := e.App.DB.QueryRowContext(ctx, "SELECT rights FROM profiles WHERE name = ?", p).Scan(&rights); err != nil {
				t.Fatal(err)
			}
			var m map[string][]string
			if err := json.Unmarshal([]byte(rights), &m); err != nil {
				t.Fatal(err)
			}
			delete(m, "handovers")
			delete(m, "reservations")
			delete(m, "loan-items")
			old, _ := json.Marshal(m)
			if _, err := e.App.DB.Exec(ctx, "UPDATE profiles SET rights = ? WHERE name = ?", string(old), p); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.App.DB.Exec(ctx, "UPDATE profiles SET rights = ? WHERE name = 'observer'", `{"*":["read"]}`); err != nil {
			t.Fatal(err)
		}
		tech.Must(403, "GET", "/api/v1/handovers", nil)
		// The store as it was before migration 0032, then upgraded.
		for _, q := range []string{"DROP TABLE reservations", "DROP TABLE handovers", "DROP TABLE loan_items", "DELETE FROM schema_migrations WHERE version = 32"} {
			if _, err := e.App.DB.W.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.App.DB.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		pc := e.Create("computers", map[string]any{"name": "PC", "organization_id": org})
		tech.Must(201, "POST", "/api/v1/loan-items", map[string]any{"pool": "Laptops", "asset_type": "computers", "asset_id": pc})
		h := tech.Must(201, "POST", "/api/v1/handovers", map[string]any{"asset_type": "computers", "asset_id": pc, "user_id": marie.UserID})
		tech.Must(201, "POST", "/api/v1/reservations", map[string]any{"asset_type": "computers", "asset_id": pc, "user_id": marie.UserID, "start_date": "2027-01-04", "end_date": "2027-01-05"})
		if r := marie.Must(200, "GET", "/api/v1/handovers", nil); len(r.Data()) != 1 {
			t.Errorf("the requester of an upgraded store lists %d hand-overs", len(r.Data()))
		}
		marie.Must(200, "POST", apitest.Path("/api/v1/handovers/%d/acknowledge", h.ID()), nil)
		if r := marie.Must(200, "GET", "/api/v1/reservations", nil); len(r.Data()) != 1 {
			t.Errorf("the requester of an upgraded store lists %d reservations", len(r.Data()))
		}
		marie.Must(403, "POST", "/api/v1/loan-items", map[string]any{"pool": "Mine", "asset_type": "computers", "asset_id": pc})
		var all string
		if err := e.App.DB.QueryRowContext(ctx, "SELECT rights FROM profiles WHERE name = 'observer'").Scan(&all); err != nil {
			t.Fatal(err)
		}
		if all != `{"*":["read"]}` {
			t.Errorf("a profile granting every type was changed: %s", all)
		}
	})
}
