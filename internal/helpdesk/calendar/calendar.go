// Package calendar counts time in business hours: working hours per weekday (several
// ranges a day), holidays (one-off or yearly) and an IANA time zone. SLA due times
// are computed with it.
package calendar

import (
	"time"
	// The zone database travels in the binary: a server without /usr/share/zoneinfo
	// still computes Europe/Paris due times.
	_ "time/tzdata"
)

// Span is a working range within a day, in seconds since local midnight; End may be
// 24h (midnight of the next day).
type Span struct{ Start, End int }

// Calendar is a set of business hours in a time zone.
type Calendar struct {
	Loc  *time.Location
	Week [7][]Span // by time.Weekday, sorted, not overlapping
	// Dates are one-off holidays ("2026-05-14"); Yearly recur every year ("12-25").
	Dates  map[string]bool
	Yearly map[string]bool
}

// maxDays bounds the search for business time, so that a calendar whose every day
// is a holiday cannot loop for ever.
const maxDays = 3660

// AlwaysOpen is the 24/7 calendar: business time is elapsed time.
func AlwaysOpen() *Calendar {
	c := &Calendar{Loc: time.UTC}
	for d := range c.Week {
		c.Week[d] = []Span{{0, 86400}}
	}
	return c
}

// IsHoliday reports whether the local date of t is a holiday.
func (c *Calendar) IsHoliday(t time.Time) bool {
	t = t.In(c.Loc)
	return c.Dates[t.Format("2006-01-02")] || c.Yearly[t.Format("01-02")]
}

// at is the instant of a day's second in the calendar's zone. time.Date normalises
// 24:00 to the next midnight, and a time skipped by a DST change to a real instant.
func (c *Calendar) at(y int, m time.Month, d, sec int) time.Time {
	return time.Date(y, m, d, sec/3600, sec%3600/60, sec%60, 0, c.Loc)
}

// spans calls fn with each working range of the days from start's local date on,
// until fn returns false or maxDays have passed.
func (c *Calendar) spans(start time.Time, fn func(s, e time.Time) bool) {
	y, m, d := start.In(c.Loc).Date()
	for i := 0; i < maxDays; i++ {
		noon := time.Date(y, m, d+i, 12, 0, 0, 0, c.Loc)
		if c.IsHoliday(noon) {
			continue
		}
		dy, dm, dd := noon.Date()
		for _, sp := range c.Week[noon.Weekday()] {
			if !fn(c.at(dy, dm, dd, sp.Start), c.at(dy, dm, dd, sp.End)) {
				return
			}
		}
	}
}

// Add returns the instant at which d of business time has passed since start. A
// due time that falls exactly at the end of a working range stays there rather than
// moving to the next opening. It returns the zero time when the calendar has no
// working time within ten years.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	var out time.Time
	c.spans(start, func(s, e time.Time) bool {
		if !e.After(start) {
			return true
		}
		if s.Before(start) {
			s = start
		}
		if avail := e.Sub(s); d > avail {
			d -= avail
			return true
		}
		out = s.Add(d)
		return false
	})
	return out
}

// Between returns the business time elapsed from a to b (0 when b is not after a).
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	var total time.Duration
	c.spans(a, func(s, e time.Time) bool {
		if !s.Before(b) {
			return false
		}
		if s.Before(a) {
			s = a
		}
		if e.After(b) {
			e = b
		}
		if e.After(s) {
			total += e.Sub(s)
		}
		return true
	})
	return total
}

// Open reports whether t falls in business hours.
func (c *Calendar) Open(t time.Time) bool {
	return c.Between(t, t.Add(time.Second)) > 0
}
