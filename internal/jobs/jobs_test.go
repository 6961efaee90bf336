package jobs_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parc/internal/jobs"
	"parc/internal/storetest"
)

// TestRunIfDueKeepsTheSchedule runs a job, then checks that neither a second call
// nor a new runner (a restart) runs it before its next due time, that it runs once
// that time has come, and that an error is recorded.
func TestRunIfDueKeepsTheSchedule(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		db := storetest.OpenTest(t, kind)
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		var runs atomic.Int32
		var fail error
		j := jobs.Job{Name: "test.count", Every: time.Hour, Run: func(context.Context) error { runs.Add(1); return fail }}
		r := jobs.New(db, nil)
		r.Now = clock
		if ran, _, err := r.RunIfDue(ctx, j); !ran || err != nil {
			t.Fatalf("first run: %v %v", ran, err)
		}
		restarted := jobs.New(db, nil)
		restarted.Now = clock
		now = now.Add(59 * time.Minute)
		ran, next, err := restarted.RunIfDue(ctx, j)
		if ran || err != nil || !next.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) {
			t.Fatalf("early run after a restart: ran=%v next=%v err=%v", ran, next, err)
		}
		now = now.Add(time.Minute)
		fail = errors.New("mailbox unreachable")
		if ran, _, err := restarted.RunIfDue(ctx, j); !ran || err == nil {
			t.Fatalf("due run: %v %v", ran, err)
		}
		if runs.Load() != 2 {
			t.Fatalf("runs = %d, want 2", runs.Load())
		}
		st, err := r.States(ctx)
		if err != nil || len(st) != 1 {
			t.Fatalf("states: %v %v", st, err)
		}
		if s := st[0]; s.Runs != 2 || s.LastError != "mailbox unreachable" || !s.NextRunAt.Equal(now.Add(time.Hour)) || s.LeaseUntil != nil {
			t.Fatalf("state: %+v", s)
		}
	})
}

// TestTwoServersRunAJobOnce starts the same job on two runners over one store at
// the same instant: it runs once.
func TestTwoServersRunAJobOnce(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		db := storetest.OpenTest(t, kind)
		ctx := context.Background()
		var runs atomic.Int32
		j := jobs.Job{Name: "test.once", Every: time.Hour, Run: func(context.Context) error {
			runs.Add(1)
			time.Sleep(50 * time.Millisecond)
			return nil
		}}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := jobs.New(db, nil).RunIfDue(ctx, j); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if runs.Load() != 1 {
			t.Fatalf("runs = %d, want 1", runs.Load())
		}
	})
}

// TestStartStopsOnShutdown runs a started runner until its context ends; a
// panicking job is recorded as an error and does not stop the others.
func TestStartStopsOnShutdown(t *testing.T) {
	db := storetest.OpenTest(t, "sqlite")
	ctx, cancel := context.WithCancel(context.Background())
	r := jobs.New(db, nil)
	ran := make(chan struct{}, 10)
	r.Add(jobs.Job{Name: "test.tick", Every: time.Hour, Run: func(context.Context) error { ran <- struct{}{}; return nil }})
	r.Add(jobs.Job{Name: "test.panic", Every: time.Hour, Run: func(context.Context) error { panic("boom") }})
	r.Start(ctx)
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("job did not run")
	}
	cancel()
	r.Wait()
	st, err := r.States(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st {
		if s.Name == "test.panic" && s.LastError == "" {
			t.Fatalf("panic not recorded: %+v", s)
		}
	}
}

// TestRunNow runs a job that is not due, refuses while another runner holds it,
// and keeps the schedule: the next due time is an interval after the forced run.
func TestRunNow(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		db := storetest.OpenTest(t, kind)
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		var runs atomic.Int32
		r := jobs.New(db, nil)
		r.Now = func() time.Time { return now }
		j := jobs.Job{Name: "test.now", Every: time.Hour, Run: func(context.Context) error { runs.Add(1); return nil }}
		if ran, _, err := r.RunIfDue(ctx, j); !ran || err != nil {
			t.Fatalf("first run: %v %v", ran, err)
		}
		now = now.Add(10 * time.Minute)
		if err := r.RunNow(ctx, j); err != nil || runs.Load() != 2 {
			t.Fatalf("run now: %v, %d runs", err, runs.Load())
		}
		other := jobs.New(db, nil)
		other.Now = r.Now
		held := j
		held.Run = func(context.Context) error {
			var busy *jobs.BusyError
			if err := r.RunNow(ctx, j); !errors.As(err, &busy) || busy.Name != "test.now" {
				t.Errorf("run now while held: %v", err)
			}
			return nil
		}
		if err := other.RunNow(ctx, held); err != nil {
			t.Fatal(err)
		}
		if runs.Load() != 2 {
			t.Errorf("%d runs, want 2", runs.Load())
		}
		st, err := r.States(ctx)
		if err != nil || len(st) != 1 || !st[0].NextRunAt.Equal(now.Add(time.Hour)) || st[0].LeaseUntil != nil {
			t.Fatalf("state: %+v %v", st, err)
		}
	})
}
