package store_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"parc/internal/store"
	"parc/internal/storetest"
)

// TestCachedStatementsNestAndEvict: the same query run again while its first rows
// are still open (a cached statement in use) gives both result sets whole; more
// distinct queries than the cache holds still run; a failed statement is not reused
// in a broken state.
func TestCachedStatementsNestAndEvict(t *testing.T) {
	db := storetest.OpenTest(t, "sqlite")
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if _, err := db.W.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", fmt.Sprint("k", i), fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = "SELECT key FROM settings WHERE key LIKE ? ORDER BY key"
	outer, err := tx.QueryContext(ctx, q, "k%")
	if err != nil {
		t.Fatal(err)
	}
	n, inner := 0, 0
	for outer.Next() {
		n++
		rows, err := tx.QueryContext(ctx, q, "k%")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			inner++
		}
		rows.Close()
	}
	outer.Close()
	if n != 5 || inner != 25 {
		t.Fatalf("outer %d inner %d, want 5 and 25", n, inner)
	}
	for i := 0; i < 300; i++ {
		var v string
		if err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT value FROM settings WHERE key = ? AND %d = %d", i, i), "k3").Scan(&v); err != nil || v != "3" {
			t.Fatalf("query %d: %q %v", i, v, err)
		}
	}
	ins := "INSERT INTO settings (key, value) VALUES (?, ?)"
	if _, err := tx.ExecContext(ctx, ins, "k1", "dup"); err == nil {
		t.Fatal("duplicate key accepted")
	}
	if _, err := tx.ExecContext(ctx, ins, "k9", "9"); err != nil {
		t.Fatalf("statement after a failure: %v", err)
	}
}

// TestWALIsCheckpointedBesideTheWriter: the writer never checkpoints, so without
// the checkpointer the log would hold every commit; with it the log restarts.
func TestWALIsCheckpointedBesideTheWriter(t *testing.T) {
	db := storetest.OpenTest(t, "sqlite")
	ctx := context.Background()
	const commits = 1500
	for i := 0; i < commits; i++ {
		if _, err := db.W.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", fmt.Sprint("wal", i), "v"); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(500 * time.Millisecond)
	// The next commit starts the log over, once all of it was copied.
	if _, err := db.W.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('wal-last', 'v')"); err != nil {
		t.Fatal(err)
	}
	var busy, logFrames, copied int
	if err := db.W.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logFrames, &copied); err != nil {
		t.Fatal(err)
	}
	if logFrames >= commits {
		t.Fatalf("the log holds %d frames after %d commits: never restarted", logFrames, commits)
	}
}

// TestWALStaysBoundedUnderBulkWrites: large transactions back to back, faster than
// the checkpointer copies them, still let the log start over.
func TestWALStaysBoundedUnderBulkWrites(t *testing.T) {
	db := storetest.OpenTest(t, "sqlite")
	ctx := context.Background()
	blob := strings.Repeat("x", 3000)
	for tx := 0; tx < 80; tx++ {
		err := db.Tx(ctx, func(q *store.Tx) error {
			for i := 0; i < 500; i++ {
				if _, err := q.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", fmt.Sprint("bulk", tx, "-", i), blob); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	st, err := os.Stat(db.Path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	// 80 transactions of ~1.5 MB: unbounded, the log would hold all 120 MB; the
	// writer starts it over past 40 MB.
	if st.Size() > 80<<20 {
		t.Fatalf("the log grew to %d MB", st.Size()>>20)
	}
}
