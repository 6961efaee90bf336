// Package jobs runs parc's periodic background jobs in `parc serve`: one goroutine
// per job, an interval with jitter, and a row per job in the `jobs` table that says
// when it last ran and may run next. The row is what makes a restart wait for the
// next due time instead of running every job at once, and what keeps two servers
// on one PostgreSQL store from running the same job together.
package jobs

import (
	"context"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"parc/internal/store"
)

// Job is one periodic task.
type Job struct {
	Name string
	// Every is the time between the starts of two runs.
	Every time.Duration
	// Jitter adds up to this much to each wait, so that servers started together
	// do not poll in step.
	Jitter time.Duration
	// Lease is how long a run may hold the job before another server may take it
	// over (a server that died mid-run); default ten times Every, at least a minute.
	Lease time.Duration
	Run   func(ctx context.Context) error
}

func (j Job) lease() time.Duration {
	if j.Lease > 0 {
		return j.Lease
	}
	return max(10*j.Every, time.Minute)
}

// Runner runs jobs against a store.
type Runner struct {
	DB  *store.DB
	Log *slog.Logger
	Now func() time.Time

	mu   sync.Mutex
	jobs []Job
	wg   sync.WaitGroup
}

// New makes a runner; add jobs, then Start.
func New(db *store.DB, log *slog.Logger) *Runner {
	if log == nil {
		log = slog.Default()
	}
	return &Runner{DB: db, Log: log, Now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// Add registers a job; jobs added after Start are not run.
func (r *Runner) Add(j Job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.jobs = append(r.jobs, j)
}

// Jobs lists the registered jobs.
func (r *Runner) Jobs() []Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Job(nil), r.jobs...)
}

// Start runs every job in its own goroutine until ctx ends; Wait waits for them.
func (r *Runner) Start(ctx context.Context) {
	for _, j := range r.Jobs() {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.loop(ctx, j)
		}()
	}
}

// Wait returns once every job goroutine has stopped (after ctx ended).
func (r *Runner) Wait() { r.wg.Wait() }

func (r *Runner) loop(ctx context.Context, j Job) {
	for {
		wait := j.Every
		if _, next, err := r.RunIfDue(ctx, j); err != nil {
			if ctx.Err() != nil {
				return
			}
			r.Log.Warn("job", "job", j.Name, "err", err)
		} else if !next.IsZero() {
			// Not due (a restart, or another server ran it): sleep until it is.
			wait = max(min(next.Sub(r.Now()), j.Every), time.Second)
		}
		if j.Jitter > 0 {
			wait += rand.N(j.Jitter)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// lockKey is the PostgreSQL advisory lock of a job: a fixed prefix so that it does
// not meet the ingest's locks, and the name's hash.
func lockKey(name string) int64 {
	h := fnv.New32a()
	h.Write([]byte(name))
	return 0x7061_7263<<32 | int64(h.Sum32())
}
