package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"parc/internal/helpdesk/calendar"
	"parc/internal/helpdesk/lifecycle"
	"parc/internal/record"
)

// Due is one due time of a ticket with the business time left until it; Left is
// negative once the due time has passed (the business time elapsed since).
type Due struct {
	At     time.Time
	Left   time.Duration
	Paused bool // pending: the resolution clock is stopped
	// Done: the ticket was taken (TTO) or solved (TTR), so the clock no longer
	// runs; Met tells whether that happened in time.
	Done, Met bool
}

// Clock gives a ticket's due times as its page shows them, counted in the
// business hours of its SLA's calendar. A nil Due means no due time.
func (s *Service) Clock(ctx context.Context, tk *record.Record) (tto, ttr *Due, err error) {
	cal, err := s.calendarOf(ctx, tk.Int("sla_id"))
	if err != nil {
		return nil, nil, err
	}
	now := s.Rec.Now()
	st := lifecycle.Status(tk.String("status"))
	mk := func(field, doneField string) *Due {
		at, ok := tk.Values[field].(time.Time)
		if !ok {
			return nil
		}
		d := &Due{At: at}
		if end, ok := tk.Values[doneField].(time.Time); ok {
			d.Done, d.Met = true, !end.After(at)
			return d
		}
		if now.Before(at) {
			d.Left = cal.Between(now, at)
		} else {
			d.Left = -cal.Between(at, now)
		}
		return d
	}
	tto = mk("tto_due_at", "taken_at")
	ttr = mk("ttr_due_at", "solved_at")
	if ttr != nil && !ttr.Done && st == lifecycle.Pending {
		ttr.Paused = true
	}
	return tto, ttr, nil
}

// calendarOf reads the calendar an SLA counts in; none is 24/7.
func (s *Service) calendarOf(ctx context.Context, slaID int64) (*calendar.Calendar, error) {
	if slaID == 0 {
		return calendar.AlwaysOpen(), nil
	}
	var zone, hours, holidays sql.NullString
	err := s.Rec.DB.QueryRowContext(ctx, `SELECT c.timezone, c.hours, c.holidays FROM slas s
		JOIN calendars c ON c.id = s.calendar_id WHERE s.id = ?`, slaID).Scan(&zone, &hours, &holidays)
	if errors.Is(err, sql.ErrNoRows) {
		return calendar.AlwaysOpen(), nil
	}
	if err != nil {
		return nil, err
	}
	c, err := calendar.Parse(zone.String, hours.String, holidays.String)
	if err != nil {
		return calendar.AlwaysOpen(), nil // as the hooks do: a broken calendar must not break the page
	}
	return c, nil
}
