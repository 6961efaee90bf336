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
	// A session advisory lock on PostgreSQL, held for the whole run: the lease
	// below covers a server that dies, the lock covers a run longer than its lease.
	release, got, err := r.DB.TryLock(ctx, lockKey(j.Name))
	if err != nil || !got {
		return false, time.Time{}, err
	}
	defer release()
	start := r.Now()
	claimed, next, err := r.claim(ctx, j, start)
	if err != nil || !claimed {
		return false, next, err
	}
	runErr := safeRun(ctx, j)
	if err := r.finish(ctx, j, start, runErr); err != nil {
		return true, time.Time{}, errors.Join(runErr, err)
	}
	return true, time.Time{}, runErr
}

// claim takes the job for one run: its row must be due and not leased. On SQLite
// the single writer orders the claims; on PostgreSQL the advisory lock already
// does, and the row keeps the schedule across restarts.
func (r *Runner) claim(ctx context.Context, j Job, now time.Time) (bool, time.Time, error) {
	var claimed bool
	var next time.Time
	err := r.DB.Tx(ctx, func(tx *store.Tx) error {
		claimed, next = false, time.Time{}
		if _, err := tx.ExecContext(ctx, "INSERT INTO jobs (name, next_run_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
			j.Name, now, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE jobs SET lease_until = ?, updated_at = ? WHERE name = ? AND next_run_at <= ? AND (lease_until IS NULL OR lease_until < ?)",
			now.Add(j.lease()), now, j.Name, now, now)
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
		if lease.Valid && lease.Time.After(next) {
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
