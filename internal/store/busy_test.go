package store_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parc/internal/store"
	"parc/internal/storetest"
)

// TestBusyBoundFollowsTheWriter: CPU work runs at most GOMAXPROCS at a time, one
// fewer while SQLite's writer runs a transaction, and all of it runs.
func TestBusyBoundFollowsTheWriter(t *testing.T) {
	db := storetest.OpenTest(t, "sqlite")
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	ctx := context.Background()
	peak := func() int {
		var cur, top atomic.Int32
		var wg sync.WaitGroup
		for range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := db.Busy(ctx, func() error {
					n := cur.Add(1)
					for {
						m := top.Load()
						if n <= m || top.CompareAndSwap(m, n) {
							break
						}
					}
					time.Sleep(20 * time.Millisecond)
					cur.Add(-1)
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		return int(top.Load())
	}
	if n := peak(); n != 4 {
		t.Fatalf("%d at once with an idle writer, want 4", n)
	}
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- db.Tx(ctx, func(tx *store.Tx) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	if n := peak(); n != 3 {
		t.Fatalf("%d at once while the writer works, want 3", n)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// A call whose context has ended does not run.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	if err := db.Busy(cancelled, func() error { ran = true; return nil }); err == nil || ran {
		t.Fatalf("ran %v, err %v", ran, err)
	}
}
