package store_test

import (
	"context"
	"testing"

	"parc/internal/store"
	"parc/internal/storetest"
)

func TestMigrateTwiceIsNoOp(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		db := storetest.OpenTest(t, kind)
		ctx := context.Background()
		v1, err := db.SchemaVersion(ctx)
		if err != nil || v1 < 1 {
			t.Fatalf("schema version %d, %v", v1, err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		v2, _ := db.SchemaVersion(ctx)
		if v1 != v2 {
			t.Fatalf("version moved from %d to %d", v1, v2)
		}
	})
}

func TestUniqueViolationIsRecognised(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		db := storetest.OpenTest(t, kind)
		ctx := context.Background()
		ins := "INSERT INTO settings (key, value) VALUES (?, ?)"
		if _, err := db.Exec(ctx, ins, "k", "1"); err != nil {
			t.Fatal(err)
		}
		_, err := db.Exec(ctx, ins, "k", "2")
		if err == nil || !db.IsUnique(err) {
			t.Fatalf("want unique violation, got %v", err)
		}
	})
}

func TestRebind(t *testing.T) {
	got := storeRebind("SELECT a FROM t WHERE b = ? AND c = '?' AND d IN (?, ?)")
	want := "SELECT a FROM t WHERE b = $1 AND c = '?' AND d IN ($2, $3)"
	if got != want {
		t.Fatalf("got %q", got)
	}
}

func storeRebind(q string) string { return store.Rebind(store.Postgres, q) }

// TestOptimizeGathersStatistics: on SQLite the planner gets statistics for the
// tables; PostgreSQL leaves it to autovacuum.
func TestOptimizeGathersStatistics(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		db := storetest.OpenTest(t, kind)
		ctx := context.Background()
		for i := 0; i < 50; i++ {
			if _, err := db.Exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", "k"+string(rune('a'+i%26))+string(rune('a'+i/26)), "v"); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Optimize(ctx); err != nil {
			t.Fatal(err)
		}
		if kind != "sqlite" {
			return
		}
		var n int
		if err := db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'settings'").Scan(&n); err != nil || n == 0 {
			t.Fatalf("no statistics for settings: %d %v", n, err)
		}
	})
}
