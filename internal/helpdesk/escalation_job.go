package helpdesk

import (
	"context"
	"errors"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// level is an active escalation level as the job needs it.
type level struct {
	ID, SLA       int64
	Name, Due     string
	Offset        time.Duration
	Notify, Raise bool
	Group         int64
}

func (h *Jobs) levels(ctx context.Context) ([]level, error) {
	rows, err := h.Rec.DB.QueryContext(ctx, `SELECT l.id, l.sla_id, l.name, l.due, l.offset_minutes, l.notify, COALESCE(l.group_id, 0), l.raise_priority
		FROM sla_levels l JOIN slas s ON s.id = l.sla_id
		WHERE l.deleted_at IS NULL AND l.active = ? AND s.deleted_at IS NULL AND s.active = ? ORDER BY l.sla_id, l.offset_minutes, l.id`, true, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []level
	for rows.Next() {
		var l level
		var minutes int64
		if err := rows.Scan(&l.ID, &l.SLA, &l.Name, &l.Due, &minutes, &l.Notify, &l.Group, &l.Raise); err != nil {
			return nil, err
		}
		l.Offset = time.Duration(minutes) * time.Minute
		out = append(out, l)
	}
	return out, rows.Err()
}

// Escalate fires the escalation levels whose time has come: for each active level
// of an active SLA, the tickets of that SLA whose due time plus the level's offset
// has passed and on which the level has not fired yet. A time-to-own level watches
// tickets nobody has taken yet; a time-to-resolve level watches running tickets:
// pending ones are paused (their due time moves when they resume), solved and
// closed ones are done. It reports how many levels fired.
func (h *Jobs) Escalate(ctx context.Context) (int, error) {
	levels, err := h.levels(ctx)
	if err != nil || len(levels) == 0 {
		return 0, err
	}
	sys, err := h.system(ctx)
	if err != nil {
		return 0, err
	}
	now := h.Rec.Now()
	fired := 0
	for _, l := range levels {
		q := "SELECT id FROM tickets WHERE sla_id = ? AND " + runningCond + " AND ttr_due_at <= ?"
		order := " ORDER BY ttr_due_at, id LIMIT ?"
		if l.Due == DueTTO {
			q = "SELECT id FROM tickets WHERE sla_id = ? AND " + untakenCond + " AND tto_due_at <= ?"
			order = " ORDER BY tto_due_at, id LIMIT ?"
		}
		q += " AND NOT EXISTS (SELECT 1 FROM ticket_escalations e WHERE e.ticket_id = tickets.id AND e.level_id = ?)" + order
		ids, err := h.ids(ctx, q, l.SLA, now.Add(-l.Offset), l.ID, h.Batch)
		if err != nil {
			return fired, err
		}
		for _, id := range ids {
			err := h.Rec.DB.Tx(ctx, func(tx *store.Tx) error { return h.fire(ctx, tx, sys, l, id, now) })
			switch {
			case errors.Is(err, errSkip):
			case err != nil:
				return fired, err
			default:
				fired++
			}
		}
	}
	return fired, nil
}

// fire applies one level to one ticket. The row in ticket_escalations is written
// first, in the transaction of the action: a level fires once per ticket, even
// when two passes meet.
func (h *Jobs) fire(ctx context.Context, tx *store.Tx, sys *record.Actor, l level, id int64, now time.Time) error {
	tickets := h.Rec.Reg.MustType("tickets")
	res, err := tx.ExecContext(ctx, "INSERT INTO ticket_escalations (ticket_id, level_id, fired_at) VALUES (?, ?, ?) ON CONFLICT (ticket_id, level_id) DO NOTHING", id, l.ID, now)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errSkip
	}
	tk, err := h.Rec.GetTx(ctx, tx, sys, tickets, id)
	if err != nil {
		return err
	}
	if !stillDue(tk, l, now) {
		return errSkip // changed since the query: the level may fire later
	}
	in := record.Input{}
	if l.Group != 0 && tk.Int("assigned_group_id") != l.Group {
		in["assigned_group_id"] = l.Group
	}
	if l.Raise {
		m, err := LoadMatrix(ctx, h.Rec, tx, tk.OrgID)
		if err != nil {
			return err
		}
		impact, urgency := int(tk.Int("impact")), int(tk.Int("urgency"))
		if i, u, ok := raise(m.Compute, impact, urgency); ok {
			in["impact"], in["urgency"] = int64(i), int64(u)
		}
	}
	if len(in) > 0 {
		if tk, err = h.Rec.UpdateTx(ctx, tx, sys, tickets, id, in); err != nil {
			return err
		}
	}
	if err := h.Rec.AddHistoryTx(ctx, tx, sys, tk, HistorySLALevel, []record.Change{{Field: "sla_level", New: l.Name}}); err != nil {
		return err
	}
	if l.Notify && h.Notify != nil {
		kind := SLABreached
		if l.Offset < 0 {
			kind = SLAWarning
		}
		return h.Notify(ctx, tx, Event{Kind: kind, Ticket: tk, Due: l.Due})
	}
	return nil
}

// stillDue checks, on the ticket as read in the transaction, what the query chose
// it for.
func stillDue(tk *record.Record, l level, now time.Time) bool {
	st := tk.String("status")
	if tk.DeletedAt != nil || tk.Int("sla_id") != l.SLA {
		return false
	}
	field := "ttr_due_at"
	if l.Due == DueTTO {
		if st != "new" || tk.Values["taken_at"] != nil {
			return false
		}
		field = "tto_due_at"
	} else if st != "new" && st != "assigned" && st != "planned" {
		return false
	}
	due, ok := tk.Values[field].(time.Time)
	return ok && !due.Add(l.Offset).After(now)
}

// raise finds the smallest step up in urgency, then in impact, that gives a higher
// priority through the matrix: the priority is computed, never set.
func raise(compute func(impact, urgency int) int, impact, urgency int) (int, int, bool) {
	cur := compute(impact, urgency)
	for u := urgency + 1; u <= 5; u++ {
		if compute(impact, u) > cur {
			return impact, u, true
		}
	}
	for i := impact + 1; i <= 5; i++ {
		for u := urgency; u <= 5; u++ {
			if compute(i, u) > cur {
				return i, u, true
			}
		}
	}
	return impact, urgency, false
}
