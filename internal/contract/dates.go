package contract

import "time"

// DateLayout is how dates are kept (record.Date values).
const DateLayout = "2006-01-02"

// addMonths adds n months to a day, keeping to the month's last day when the
// day does not exist there (31 January + 1 month is 28 or 29 February).
func addMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, time.UTC)
}

// Dates are a contract's derived dates for a start, a duration, the renewals so
// far and a notice period: End is the last day covered, Notice the last day to
// give notice (none without a notice period).
type Dates struct {
	End, Notice time.Time
	HasNotice   bool
}

// Derive computes a contract's end and notice dates: a contract starting on
// 1 January for 12 months ends on 31 December; each renewal adds the duration;
// with 3 months' notice, notice must be given by 30 September.
func Derive(start time.Time, months, renewals, noticeMonths int) Dates {
	next := addMonths(start, months*(renewals+1)) // the first day no longer covered
	d := Dates{End: next.AddDate(0, 0, -1)}
	if noticeMonths > 0 {
		d.Notice, d.HasNotice = addMonths(next, -noticeMonths).AddDate(0, 0, -1), true
	}
	return d
}

// parseDay reads a stored date.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(DateLayout, s)
	return t, err == nil
}

// Today is the day of t in loc, as a date at midnight UTC (as dates are kept).
func Today(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
