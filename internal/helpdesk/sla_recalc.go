package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"parc/internal/helpdesk/calendar"
	"parc/internal/record"
	"parc/internal/store"
)

// recalcBatch is the tickets one UPDATE rewrites: 3 values each stay far under
// both stores' parameter limits, and a batch is one short write transaction.
const recalcBatch = 1000

// RecalcMarkKey is the setting holding the last SLA or calendar change the
// recalculation job has applied.
const RecalcMarkKey = "helpdesk.sla_recalc_mark"

// RecalculateSLA recomputes the due times of the open tickets of the given SLAs
// (every SLA when none is given) from their SLA and calendar as they are now: a
// changed calendar, holiday or time moves the due times of the tickets already
// open. Tickets keep their SLA. It works in batches, one UPDATE per batch, without
// the record hooks and without history: due times are computed fields, as the
// pending clock's waiting_seconds. It reports how many tickets it rewrote.
func RecalculateSLA(ctx context.Context, rec *record.Service, slaIDs ...int64) (int, error) {
	slas, err := loadSLAs(ctx, rec.DB, slaIDs)
	if err != nil {
		return 0, err
	}
	cals := map[int64]*calendar.Calendar{}
	total := 0
	for _, s := range slas {
		cal, ok := cals[s.CalendarID]
		if !ok {
			if cal, err = calendarByID(ctx, rec.DB, rec.DB, s.CalendarID); err != nil {
				return total, err
			}
			cals[s.CalendarID] = cal
		}
		n, err := recalcOne(ctx, rec.DB, s, cal)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func loadSLAs(ctx context.Context, db *store.DB, ids []int64) ([]sla, error) {
	q := "SELECT " + slaCols + " FROM slas WHERE deleted_at IS NULL"
	var args []any
	if len(ids) > 0 {
		q += " AND id IN (" + store.Placeholders(len(ids)) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := db.QueryContext(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sla
	for rows.Next() {
		s, err := scanSLA(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// calendarByID reads a calendar; none, or one that no longer parses (a zone renamed
// in the database: calendars are checked on write), is 24/7 rather than blocking
// every ticket of the organisation.
func calendarByID(ctx context.Context, q store.Querier, db *store.DB, id int64) (*calendar.Calendar, error) {
	if id == 0 {
		return calendar.AlwaysOpen(), nil
	}
	var zone, hours string
	var holidays sql.NullString
	err := q.QueryRowContext(ctx, "SELECT timezone, hours, holidays FROM calendars WHERE id = ?", id).Scan(&zone, &hours, &holidays)
	if errors.Is(err, sql.ErrNoRows) {
		return calendar.AlwaysOpen(), nil
	}
	if err != nil {
		return nil, err
	}
	c, err := calendar.Parse(zone, hours, holidays.String)
	if err != nil {
		return calendar.AlwaysOpen(), nil
	}
	return c, nil
}

var tsField = &record.Field{Kind: record.DateTime}

// recalcOne walks the open tickets of one SLA by id and rewrites their due times.
func recalcOne(ctx context.Context, db *store.DB, s sla, cal *calendar.Calendar) (int, error) {
	var after int64
	done := 0
	for {
		rows, err := db.QueryContext(ctx, "SELECT id, created_at, waiting_seconds FROM tickets WHERE sla_id = ? AND "+openCond+" AND id > ? ORDER BY id LIMIT ?", s.ID, after, recalcBatch)
		if err != nil {
			return done, err
		}
		var args []any
		n := 0
		for rows.Next() {
			var id, waiting int64
			var created any
			if err := rows.Scan(&id, &created, &waiting); err != nil {
				rows.Close()
				return done, err
			}
			c, _ := tsField.FromDB(created).(time.Time)
			tto, ttr := s.due(cal, c, waiting)
			args = append(args, id, tto, ttr)
			after = id
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return done, err
		}
		if n == 0 {
			return done, nil
		}
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, bulkDueUpdate(db.Dialect, n), args...)
			return err
		}); err != nil {
			return done, err
		}
		done += n
		if n < recalcBatch {
			return done, nil
		}
	}
}

// bulkDueUpdate writes n (id, tto, ttr) triples in one statement.
func bulkDueUpdate(d store.Dialect, n int) string {
	row, alias, id := "(?, ?, ?)", "v", "v.column1"
	set := "tto_due_at = v.column2, ttr_due_at = v.column3"
	if d == store.Postgres {
		// VALUES parameters have no type of their own in PostgreSQL.
		row, alias, id = "(CAST(? AS BIGINT), CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ))", "v(id, tto, ttr)", "v.id"
		set = "tto_due_at = v.tto, ttr_due_at = v.ttr"
	}
	return "UPDATE tickets SET " + set + " FROM (VALUES " + store.Repeat(row, n) + ") AS " + alias + " WHERE tickets.id = " + id
}

// RecalculateChanged recalculates the tickets of the SLAs changed, or counting in
// a calendar changed, since its previous run. The first run only notes where it
// starts: tickets written before got their due times when they were written.
func (h *Jobs) RecalculateChanged(ctx context.Context) (int, error) {
	db := h.Rec.DB
	mark, err := h.Rec.Setting(ctx, db, RecalcMarkKey)
	if err != nil {
		return 0, err
	}
	var latest any
	if err := db.QueryRowContext(ctx, "SELECT MAX(u) FROM (SELECT MAX(updated_at) AS u FROM slas UNION ALL SELECT MAX(updated_at) FROM calendars) x").Scan(&latest); err != nil {
		return 0, err
	}
	newest, ok := tsField.FromDB(latest).(time.Time)
	if !ok {
		return 0, nil // no SLA, no calendar
	}
	save := func() error { return h.Rec.SetSetting(ctx, RecalcMarkKey, newest.UTC().Format(time.RFC3339Nano)) }
	if mark == "" {
		return 0, save()
	}
	since, err := time.Parse(time.RFC3339Nano, mark)
	if err != nil || !newest.After(since) {
		if err != nil {
			return 0, save()
		}
		return 0, nil
	}
	ids, err := h.ids(ctx, "SELECT id FROM slas WHERE deleted_at IS NULL AND (updated_at > ? OR calendar_id IN (SELECT id FROM calendars WHERE updated_at > ?))", since, since)
	if err != nil {
		return 0, err
	}
	n := 0
	if len(ids) > 0 {
		if n, err = RecalculateSLA(ctx, h.Rec, ids...); err != nil {
			return n, err
		}
	}
	return n, save()
}
