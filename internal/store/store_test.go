package store_test

import (
	"context"
	"strings"
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

func TestPlaceholderLists(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{store.Placeholders(3), "?, ?, ?"},
		{store.Placeholders(1), "?"},
		{store.Placeholders(0), ""},
		{store.Rows(2, 3), "(?, ?, ?), (?, ?, ?)"},
		{store.Repeat("(?, 1)", 2), "(?, 1), (?, 1)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestQueriesAreRebound: the store's queriers take '?' on both dialects, an IN list
// built with Placeholders included, inside a transaction and on the read pool.
func TestQueriesAreRebound(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		db := storetest.OpenTest(t, kind)
		ctx := context.Background()
		keys := []any{"a", "b", "c"}
		err := db.Tx(ctx, func(tx *store.Tx) error {
			for _, k := range keys {
				if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", k, "it's ?"); err != nil {
					return err
				}
			}
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM settings WHERE key IN ("+store.Placeholders(len(keys))+")", keys...).Scan(&n); err != nil || n != 3 {
				t.Errorf("in the transaction: %d, %v", n, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM settings WHERE value = 'it''s ?' AND key IN ("+store.Placeholders(2)+")", "a", "c").Scan(&n); err != nil || n != 2 {
			t.Fatalf("on the read pool: %d, %v", n, err)
		}
		if res, err := db.Exec(ctx, "DELETE FROM settings WHERE key = ?", "b"); err != nil {
			t.Fatal(err)
		} else if gone, _ := res.RowsAffected(); gone != 1 {
			t.Fatalf("%d rows deleted", gone)
		}
	})
}

// TestMigrateRefusesAMissingDataStep: a store opened without the data steps its
// migrations expect (store.Config.DataSteps) is refused, instead of being migrated
// with stale data.
func TestMigrateRefusesAMissingDataStep(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		cfg := storetest.TestConfig(t, kind)
		cfg.DataSteps = nil
		db, err := store.Open(context.Background(), cfg)
		if err == nil {
			db.Close()
			t.Fatal("a store was migrated without its data step")
		}
		if !strings.Contains(err.Error(), "0013") || !strings.Contains(err.Error(), "data step") {
			t.Fatalf("unclear error: %v", err)
		}
	})
}
