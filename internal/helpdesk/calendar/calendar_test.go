package calendar

import (
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, zone, hours, holidays string) *Calendar {
	t.Helper()
	c, err := Parse(zone, hours, holidays)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func at(t *testing.T, zone, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const office = "mon-fri 08:00-12:00 13:30-18:00 # 8h30 a day"

const frHolidays = `
2026-05-14 Ascension
05-01 Fête du travail
12-25 Noël`

func TestAddAndBetween(t *testing.T) {
	paris := mustParse(t, "Europe/Paris", office, frHolidays)
	ny := mustParse(t, "America/New_York", office, "")
	fullParis := mustParse(t, "Europe/Paris", "mon-sun 00:00-24:00", "")
	p := func(s string) time.Time { return at(t, "Europe/Paris", s) }
	cases := []struct {
		name  string
		cal   *Calendar
		start time.Time
		d     time.Duration
		want  time.Time
		real  time.Duration // elapsed wall time when it matters (DST), else 0
	}{
		{"within a morning", paris, p("2026-03-02 09:00"), 2 * time.Hour, p("2026-03-02 11:00"), 0},
		{"across lunch", paris, p("2026-03-02 11:00"), 2 * time.Hour, p("2026-03-02 14:30"), 0},
		{"across a night", paris, p("2026-03-02 17:00"), 2 * time.Hour, p("2026-03-03 09:00"), 0},
		{"ends at closing time", paris, p("2026-03-02 16:00"), 2 * time.Hour, p("2026-03-02 18:00"), 0},
		{"starts before opening", paris, p("2026-03-02 06:00"), 30 * time.Minute, p("2026-03-02 08:30"), 0},
		{"starts at lunch", paris, p("2026-03-02 12:30"), time.Hour, p("2026-03-02 14:30"), 0},
		{"over a weekend", paris, p("2026-03-06 17:00"), 2 * time.Hour, p("2026-03-09 09:00"), 0},
		{"starts on a Saturday", paris, p("2026-03-07 10:00"), 30 * time.Minute, p("2026-03-09 08:30"), 0},
		{"two full days end at closing time", paris, p("2026-03-02 08:00"), 17 * time.Hour, p("2026-03-03 18:00"), 0},
		{"several days and one hour", paris, p("2026-03-02 08:00"), 18 * time.Hour, p("2026-03-04 09:00"), 0},
		// Clocks go forward on Sunday 29 March 2026 in Paris: 63 real hours, not 64.
		{"DST spring weekend", paris, p("2026-03-27 17:00"), 2 * time.Hour, p("2026-03-30 09:00"), 63 * time.Hour},
		// Clocks go back on Sunday 25 October 2026: 65 real hours.
		{"DST autumn weekend", paris, p("2026-10-23 17:00"), 2 * time.Hour, p("2026-10-26 09:00"), 65 * time.Hour},
		{"one-off holiday (Ascension)", paris, p("2026-05-13 17:00"), 2 * time.Hour, p("2026-05-15 09:00"), 0},
		{"yearly holiday then weekend", paris, p("2026-04-30 17:00"), 2 * time.Hour, p("2026-05-04 09:00"), 0},
		{"yearly holiday another year", paris, p("2027-12-24 17:00"), 2 * time.Hour, p("2027-12-27 09:00"), 0},
		{"zero duration", paris, p("2026-03-07 10:00"), 0, p("2026-03-07 10:00"), 0},
		{"start given in UTC", paris, time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC), time.Hour, time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC), 0},
		{"other time zone", ny, time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), 2 * time.Hour, time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC), 0},
		{"other zone, its own DST date", ny, at(t, "America/New_York", "2026-03-06 17:00"), 2 * time.Hour, at(t, "America/New_York", "2026-03-09 09:00"), 63 * time.Hour},
		{"24/7 UTC", AlwaysOpen(), time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC), 36 * time.Hour, time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC), 0},
		{"24/7 Paris over the short day", fullParis, p("2026-03-28 12:00"), 24 * time.Hour, p("2026-03-29 13:00"), 24 * time.Hour},
		{"24/7 Paris over the long day", fullParis, p("2026-10-24 12:00"), 24 * time.Hour, p("2026-10-25 11:00"), 24 * time.Hour},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.cal.Add(c.start, c.d)
			if !got.Equal(c.want) {
				t.Fatalf("Add(%s, %s) = %s, want %s", c.start, c.d, got.In(c.cal.Loc), c.want.In(c.cal.Loc))
			}
			if c.real != 0 && got.Sub(c.start) != c.real {
				t.Fatalf("elapsed %s, want %s", got.Sub(c.start), c.real)
			}
			if b := c.cal.Between(c.start, got); b != c.d {
				t.Fatalf("Between(start, Add(start, d)) = %s, want %s", b, c.d)
			}
		})
	}
}

func TestBetween(t *testing.T) {
	paris := mustParse(t, "Europe/Paris", office, frHolidays)
	fullParis := mustParse(t, "Europe/Paris", "mon-sun 00:00-24:00", "")
	p := func(s string) time.Time { return at(t, "Europe/Paris", s) }
	for _, c := range []struct {
		cal  *Calendar
		a, b time.Time
		want time.Duration
	}{
		{paris, p("2026-03-07 09:00"), p("2026-03-08 18:00"), 0},                                  // a weekend
		{paris, p("2026-03-09 10:00"), p("2026-03-09 09:00"), 0},                                  // reversed
		{paris, p("2026-03-06 17:00"), p("2026-03-09 09:00"), 2 * time.Hour},                      // Friday evening to Monday morning
		{paris, p("2026-03-02 00:00"), p("2026-03-09 00:00"), 5 * (8*time.Hour + 30*time.Minute)}, // one week
		{paris, p("2026-05-11 00:00"), p("2026-05-18 00:00"), 4 * (8*time.Hour + 30*time.Minute)}, // the Ascension week
		{paris, p("2026-03-02 12:10"), p("2026-03-02 13:20"), 0},                                  // lunch
		{fullParis, p("2026-03-29 00:00"), p("2026-03-30 00:00"), 23 * time.Hour},
		{fullParis, p("2026-10-25 00:00"), p("2026-10-26 00:00"), 25 * time.Hour},
	} {
		if got := c.cal.Between(c.a, c.b); got != c.want {
			t.Errorf("Between(%s, %s) = %s, want %s", c.a, c.b, got, c.want)
		}
	}
	if !paris.Open(p("2026-03-02 09:00")) || paris.Open(p("2026-03-02 12:30")) || paris.Open(p("2026-05-14 09:00")) {
		t.Error("Open")
	}
}

func TestNoWorkingTime(t *testing.T) {
	// Every day a holiday: Add gives up instead of looping.
	var all []string
	for d := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2000; d = d.AddDate(0, 0, 1) {
		all = append(all, d.Format("01-02"))
	}
	c := mustParse(t, "UTC", "mon-sun 09:00-17:00", strings.Join(all, "\n"))
	if got := c.Add(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Hour); !got.IsZero() {
		t.Fatalf("got %s", got)
	}
}

func TestParse(t *testing.T) {
	c := mustParse(t, "Europe/Paris", "lun-ven 08:00-12:00,14:00-18:00\nsam 09:00-12:00\n# comment\n\nsun 10:00-11:00", "")
	if len(c.Week[time.Monday]) != 2 || len(c.Week[time.Saturday]) != 1 || len(c.Week[time.Sunday]) != 1 || c.Week[time.Monday][1] != (Span{14 * 3600, 18 * 3600}) {
		t.Fatalf("week %v", c.Week)
	}
	c = mustParse(t, "", "sat-mon 00:00-24:00", "")
	if c.Loc != time.UTC || len(c.Week[time.Sunday]) != 1 || len(c.Week[time.Tuesday]) != 0 || len(c.Week[time.Monday]) != 1 {
		t.Fatalf("wrapping range %v", c.Week)
	}
	for _, bad := range []struct{ zone, hours, holidays string }{
		{"Mars/Olympus", office, ""},
		{"Local", office, ""},
		{"UTC", "", ""},
		{"UTC", "# only a comment", ""},
		{"UTC", "mon", ""},
		{"UTC", "xyz 08:00-12:00", ""},
		{"UTC", "mon-xyz 08:00-12:00", ""},
		{"UTC", "mon 8-12", ""},
		{"UTC", "mon 12:00-08:00", ""},
		{"UTC", "mon 08:00-25:00", ""},
		{"UTC", "mon 08:00-24:30", ""},
		{"UTC", "mon 08:60-09:00", ""},
		{"UTC", "mon 08:00-12:00 11:00-13:00", ""},
		{"UTC", office, "2026-02-30"},
		{"UTC", office, "13-01"},
		{"UTC", office, "Christmas"},
	} {
		if _, err := Parse(bad.zone, bad.hours, bad.holidays); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if _, _, err := ParseHolidays("02-29 leap day\n2028-02-29"); err != nil {
		t.Fatal(err)
	}
}
