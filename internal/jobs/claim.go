package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"parc/internal/store"
)

// RunIfDue runs the job once if its row says it is due and no one else holds it.
// It reports whether it ran and, when it did not, the job's next due time (zero
// when unknown). The run's own error is recorded in the row and returned.
func (r *Runner) RunIfDue(ctx context.Context, j Job) (ran bool, next time.Time, err error) {
	return r.run(ctx, j, false)
}

// BusyError says that another process holds a job: RunNow did not run it.
type BusyError struct {
	Name  string
	Until time.Time // the end of the other process's lease; zero when unknown
}

func (e *BusyError) Error() string {
	if e.Until.IsZero() {
		return fmt.Sprintf("job %s is being run by another process", e.Name)
	}
	return fmt.Sprintf("job %s is being run by another process (its lease ends at %s)", e.Name, e.Until.Format(time.RFC3339))
}

// RunNow runs the job once now, due or not, under the same lock and lease as
// RunIfDue: a one-off command (`parc mailgate --once`) and the servers' runners
// never run one job at once. When another process holds the job it returns a
// *BusyError without running; otherwise it returns the run's error, and the job's
// next run is an interval after this one.
func (r *Runner) RunNow(ctx context.Context, j Job) error {
	ran, next, err := r.run(ctx, j, true)
	if err == nil && !ran {
		return &BusyError{Name: j.Name, Until: next}
	}
	return err
}

func (r *Runner) run(ctx context.Context, j Job, now bool) (ran bool, next time.Time, err error) {
	// A session advisory lock on PostgreSQL, held for the whole run: the lease
	// below covers a server that dies, the lock covers a run longer than its lease.
	release, got, err := r.DB.TryLock(ctx, lockKey(j.Name))
	if err != nil || !got {
		return false, time.Time{}, err
	}
	defer release()
	start := r.Now()
	claimed, next, err := r.claim(ctx, j, start, now)
	if err != nil || !claimed {
		return false, next, err
	}
	runErr := safeRun(ctx, j)
	if err := r.finish(ctx, j, start, runErr); err != nil {
		return true, time.Time{}, errors.Join(runErr, err)
	}
	return true, time.Time{}, runErr
}

// claim takes the job for one run: its row must be due (unless now) and not
// leased. On SQLite the single writer orders the claims; on PostgreSQL the
// advisory lock already does, and the row keeps the schedule across restarts.
// When the job is not claimed, the time given is its next due time or, when
// leased, the end of the lease.
func (r *Runner) claim(ctx context.Context, j Job, now time.Time, evenIfNotDue bool) (bool, time.Time, error) {
	var claimed bool
	var next time.Time
	q := "UPDATE jobs SET lease_until = ?, updated_at = ? WHERE name = ? AND (lease_until IS NULL OR lease_until < ?)"
	args := []any{now.Add(j.lease()), now, j.Name, now}
	if !evenIfNotDue {
		q += " AND next_run_at <= ?"
		args = append(args, now)
	}
	err := r.DB.Tx(ctx, func(tx *store.Tx) error {
		claimed, next = false, time.Time{}
		if _, err := tx.ExecContext(ctx, "INSERT INTO jobs (name, next_run_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
			j.Name, now, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			claimed = true
			return nil
		}
		var nt, lease sql.NullTime
		if err := tx.QueryRowContext(ctx, "SELECT next_run_at, lease_until FROM jobs WHERE name = ?", j.Name).Scan(&nt, &lease); err != nil {
			return err
		}
		next = nt.Time
		if lease.Valid && (lease.Time.After(next) || evenIfNotDue) {
			next = lease.Time
		}
		return nil
	})
	return claimed, next.UTC(), err
}

// finish records a run and schedules the next one an interval after its start.
func (r *Runner) finish(ctx context.Context, j Job, start time.Time, runErr error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var msg any
	if runErr != nil {
		msg = runErr.Error()
	}
	end := r.Now()
	return r.DB.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE jobs SET last_run_at = ?, next_run_at = ?, lease_until = NULL, last_error = ?,
			last_duration_ms = ?, runs = runs + 1, updated_at = ? WHERE name = ?`,
			start, start.Add(j.Every), msg, end.Sub(start).Milliseconds(), end, j.Name)
		return err
	})
}

// safeRun keeps a panicking job from taking the server down with it.
func safeRun(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", j.Name, p)
		}
	}()
	return j.Run(ctx)
}

// State is a job's row.
type State struct {
	Name           string
	LastRunAt      *time.Time
	NextRunAt      time.Time
	LastError      string
	LastDurationMS int64
	Runs           int64
	LeaseUntil     *time.Time
}

// States reads the rows of every job that ran at least once.
func (r *Runner) States(ctx context.Context) ([]State, error) {
	rows, err := r.DB.QueryContext(ctx, "SELECT name, last_run_at, next_run_at, COALESCE(last_error, ''), last_duration_ms, runs, lease_until FROM jobs ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []State
	for rows.Next() {
		var s State
		var last, lease sql.NullTime
		if err := rows.Scan(&s.Name, &last, &s.NextRunAt, &s.LastError, &s.LastDurationMS, &s.Runs, &lease); err != nil {
			return nil, err
		}
		if last.Valid {
			t := last.Time.UTC()
			s.LastRunAt = &t
		}
		if lease.Valid {
			t := lease.Time.UTC()
			s.LeaseUntil = &t
		}
		s.NextRunAt = s.NextRunAt.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}
