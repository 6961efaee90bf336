package helpdesk

import (
	"context"
	"errors"
	"strconv"
	"time"

	"parc/internal/jobs"
	"parc/internal/record"
	"parc/internal/store"
)

// SQL conditions shared with the partial indexes of migration 0009: SQLite uses a
// partial index only when the query repeats its condition.
const (
	openCond    = "deleted_at IS NULL AND status IN ('new', 'assigned', 'planned', 'pending')"
	runningCond = "deleted_at IS NULL AND status IN ('new', 'assigned', 'planned')"
	untakenCond = "deleted_at IS NULL AND taken_at IS NULL AND status = 'new'"
)

// AutoCloseKey is the setting holding the days after which a solved ticket is
// closed; unset means DefaultAutoCloseDays, 0 never.
const AutoCloseKey = "helpdesk.autoclose_days"

// DefaultAutoCloseDays is GLPI's usual delay.
const DefaultAutoCloseDays = 7

// Jobs are the helpdesk's background jobs: escalation, automatic closing, and
// recalculation of due times after a calendar or an SLA changed.
type Jobs struct {
	Rec *record.Service
	// Notify receives the SLA warning and breach events of notifying levels (the
	// mail notifier); nil raises none.
	Notify Listener
	// Batch bounds the tickets one level or one closing pass handles per run.
	Batch int
}

// NewJobs makes the helpdesk jobs over the record service (whose clock they read).
func NewJobs(rec *record.Service, notify Listener) *Jobs {
	return &Jobs{Rec: rec, Notify: notify, Batch: 500}
}

// Register adds the jobs to a runner.
func (h *Jobs) Register(r *jobs.Runner) {
	r.Add(jobs.Job{Name: "helpdesk.escalation", Every: time.Minute, Jitter: 5 * time.Second, Run: func(ctx context.Context) error {
		_, err := h.Escalate(ctx)
		return err
	}})
	r.Add(jobs.Job{Name: "helpdesk.autoclose", Every: 15 * time.Minute, Jitter: 30 * time.Second, Run: func(ctx context.Context) error {
		_, err := h.AutoClose(ctx)
		return err
	}})
	r.Add(jobs.Job{Name: "helpdesk.sla_recalculation", Every: time.Minute, Jitter: 5 * time.Second, Run: func(ctx context.Context) error {
		_, err := h.RecalculateChanged(ctx)
		return err
	}})
}

func (h *Jobs) system(ctx context.Context) (*record.Actor, error) {
	tree, err := record.LoadOrgTree(ctx, h.Rec.DB)
	if err != nil {
		return nil, err
	}
	return record.SystemActor(tree, record.OriginJob), nil
}

// errSkip rolls back a transaction that found nothing to do after all.
var errSkip = errors.New("skip")

// ids runs a query returning ids, on the readers.
func (h *Jobs) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	return h.Rec.DB.IDs(ctx, h.Rec.DB, q, args...)
}

// AutoClose closes the tickets solved for the configured number of days (the
// requester neither refused the solution nor wrote since: either reopens the
// ticket and clears its solving time). It reports how many it closed.
func (h *Jobs) AutoClose(ctx context.Context) (int, error) {
	days := DefaultAutoCloseDays
	v, err := h.Rec.Setting(ctx, h.Rec.DB, AutoCloseKey)
	if err != nil {
		return 0, err
	}
	if v != "" {
		if days, err = strconv.Atoi(v); err != nil || days < 0 {
			return 0, errors.New(AutoCloseKey + " must be a number of days, not " + strconv.Quote(v))
		}
	}
	if days == 0 {
		return 0, nil
	}
	cutoff := h.Rec.Now().AddDate(0, 0, -days)
	sys, err := h.system(ctx)
	if err != nil {
		return 0, err
	}
	tickets := h.Rec.Reg.MustType("tickets")
	closed := 0
	for {
		before := closed
		ids, err := h.ids(ctx, "SELECT id FROM tickets WHERE deleted_at IS NULL AND status = 'solved' AND solved_at <= ? ORDER BY solved_at, id LIMIT ?", cutoff, h.Batch)
		if err != nil {
			return closed, err
		}
		for _, id := range ids {
			err := h.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
				tk, err := h.Rec.GetTx(ctx, tx, sys, tickets, id)
				if err != nil {
					return err
				}
				// Read again in the transaction: a reply may have reopened it.
				at, ok := tk.Values["solved_at"].(time.Time)
				if tk.DeletedAt != nil || tk.String("status") != "solved" || !ok || at.After(cutoff) {
					return errSkip
				}
				_, err = h.Rec.UpdateTx(ctx, tx, sys, tickets, id, record.Input{"status": "closed"})
				return err
			})
			switch {
			case errors.Is(err, errSkip):
			case err != nil:
				return closed, err
			default:
				closed++
			}
		}
		// A full batch may hide more; one that closed nothing would only repeat.
		if len(ids) < h.Batch || closed == before {
			return closed, nil
		}
	}
}
