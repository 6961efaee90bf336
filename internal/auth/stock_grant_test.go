package auth_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestTechniciansOfOlderStoresGetTheStock: migration 0030's grants, run on a
// technician profile as a store made before the stock has it, give the rights a
// new store gives (items: work; movements: read and create), and leave a profile
// granting every type alone. The statements are the migration's own, read from
// its file (its tables cannot be created twice, so it cannot be run again whole).
func TestTechniciansOfOlderStoresGetTheStock(t *testing.T) {
	src, err := os.ReadFile("../store/migrations/0030_stock.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, grants, ok := strings.Cut(string(src), "-- Technicians of stores created before the stock")
	if !ok {
		t.Fatal("migration 0030 has no grants section")
	}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, sys := setup(t, kind)
		ctx := context.Background()
		var rights string
		if err := a.DB.QueryRowContext(ctx, "SELECT rights FROM profiles WHERE name = 'technician'").Scan(&rights); err != nil {
			t.Fatal(err)
		}
		var m map[string][]string
		if err := json.Unmarshal([]byte(rights), &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "stock-items")
		delete(m, "stock-movements")
		old, _ := json.Marshal(m)
		if _, err := a.DB.Exec(ctx, "UPDATE profiles SET rights = ? WHERE name = 'technician'", string(old)); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("profiles"), record.Input{"name": "all-seeing", "rights": `{"*":["read"]}`}); err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, line := range strings.Split("--"+grants, "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "--") {
				lines = append(lines, l)
			}
		}
		for _, stmt := range strings.Split(strings.Join(lines, " "), ";") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := a.DB.Exec(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		var eve int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = 'eve'").Scan(&eve); err != nil {
			t.Fatal(err)
		}
		actor, err := a.Auth.Actor(ctx, eve, record.OriginWeb)
		if err != nil {
			t.Fatal(err)
		}
		items, moves := a.Reg.MustType("stock-items"), a.Reg.MustType("stock-movements")
		if !actor.Can(items, record.Delete) || !actor.Can(moves, record.Create) || !actor.Can(moves, record.Read) {
			t.Fatal("the technician of an upgraded store cannot keep the stock")
		}
		var all string
		if err := a.DB.QueryRowContext(ctx, "SELECT rights FROM profiles WHERE name = 'all-seeing'").Scan(&all); err != nil {
			t.Fatal(err)
		}
		if all != `{"*":["read"]}` {
			t.Fatalf("a profile granting every type was changed: %s", all)
		}
	})
}
