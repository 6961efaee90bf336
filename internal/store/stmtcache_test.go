package store_test

import (
	"context"
	"fmt"
	"testing"

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
