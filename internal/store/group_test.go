package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"parc/internal/store"
	"parc/internal/storetest"
)

// TestConcurrentTransactionsEachKeepTheirOutcome: many writers at once (grouped
// into shared commits on SQLite) each get their own answer: the ones that fail
// leave nothing behind, the others are all stored, a panic reaches its own caller
// only, and a duplicate within the same group is refused as it would be in turn.
func TestConcurrentTransactionsEachKeepTheirOutcome(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		db := storetest.OpenTest(t, kind)
		ctx := context.Background()
		ins := "INSERT INTO settings (key, value) VALUES (?, ?)"
		const n = 200
		errs := make([]error, n)
		panics := make([]any, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				defer func() { panics[i] = recover() }()
				errs[i] = db.Tx(ctx, func(tx *store.Tx) error {
					key := fmt.Sprint("k", i)
					if i%10 == 3 {
						key = "shared" // only one of these may win
					}
					if _, err := tx.ExecContext(ctx, ins, key, "v"); err != nil {
						return err
					}
					if _, err := tx.ExecContext(ctx, ins, key+"-second", "v"); err != nil {
						return err
					}
					switch {
					case i%10 == 7:
						return errors.New("refused by the caller")
					case i == 99:
						panic("boom")
					}
					return nil
				})
			}(i)
		}
		wg.Wait()
		want := map[string]bool{}
		shared := 0
		for i := 0; i < n; i++ {
			switch {
			case i == 99:
				if panics[i] != "boom" {
					t.Errorf("%d: panic %v, err %v", i, panics[i], errs[i])
				}
			case panics[i] != nil:
				t.Errorf("%d: unexpected panic %v", i, panics[i])
			case i%10 == 7:
				if errs[i] == nil || errs[i].Error() != "refused by the caller" {
					t.Errorf("%d: err %v", i, errs[i])
				}
			case i%10 == 3:
				if errs[i] == nil {
					shared++
					want["shared"], want["shared-second"] = true, true
				} else if !db.IsUnique(errs[i]) {
					t.Errorf("%d: err %v", i, errs[i])
				}
			default:
				if errs[i] != nil {
					t.Errorf("%d: err %v", i, errs[i])
				}
				want[fmt.Sprint("k", i)], want[fmt.Sprint("k", i, "-second")] = true, true
			}
		}
		if shared != 1 {
			t.Errorf("%d writers of the shared key succeeded, want 1", shared)
		}
		rows, err := db.R.QueryContext(ctx, "SELECT key FROM settings WHERE key LIKE 'k%' OR key LIKE 'shared%'")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[string]bool{}
		for rows.Next() {
			var k string
			rows.Scan(&k)
			got[k] = true
		}
		if len(got) != len(want) {
			t.Errorf("stored %d keys, want %d", len(got), len(want))
		}
		for k := range want {
			if !got[k] {
				t.Errorf("missing %s", k)
			}
		}
	})
}

// TestTxAfterCloseFails: a transaction asked of a closed store gets an error, not a hang.
func TestTxAfterCloseFails(t *testing.T) {
	db := storetest.OpenTest(t, "sqlite")
	db.Close()
	if err := db.Tx(context.Background(), func(*store.Tx) error { return nil }); err == nil {
		t.Fatal("transaction on a closed store succeeded")
	}
}

// TestPanickingTransactionReleasesTheWriter: a transaction whose function panics
// is rolled back, and the next one can still write.
func TestPanickingTransactionReleasesTheWriter(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		db := storetest.OpenTest(t, kind)
		ctx := context.Background()
		func() {
			defer func() {
				if recover() != "boom" {
					t.Error("the panic did not reach the caller")
				}
			}()
			db.Tx(ctx, func(tx *store.Tx) error {
				tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", "panicked", "v")
				panic("boom")
			})
		}()
		done := make(chan error, 1)
		go func() {
			done <- db.Tx(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", "after", "v")
				return err
			})
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the writer is still held by the panicked transaction")
		}
		var n int
		db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM settings WHERE key = 'panicked'").Scan(&n)
		if n != 0 {
			t.Fatal("the panicked transaction was committed")
		}
	})
}
