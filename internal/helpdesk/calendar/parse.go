package calendar

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// dayNames accepts English and French three-letter day names.
var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"dim": time.Sunday, "lun": time.Monday, "mar": time.Tuesday, "mer": time.Wednesday,
	"jeu": time.Thursday, "ven": time.Friday, "sam": time.Saturday,
}

// Parse builds a calendar from its stored text forms.
//
// hours has one line per day or group of days, then one or more ranges:
//
//	mon-fri 08:00-12:00 13:30-18:00
//	sat 09:00-12:00
//
// Days are mon..sun (or lun..dim), as a range (mon-fri) or a list (mon,wed). A range
// ends at 24:00 at the latest; a night shift is written as two ranges on two days.
//
// holidays has one date per line, YYYY-MM-DD for one day or MM-DD for every year,
// optionally followed by a name. In both texts, # starts a comment.
func Parse(zone, hours, holidays string) (*Calendar, error) {
	loc, err := LoadZone(zone)
	if err != nil {
		return nil, err
	}
	c := &Calendar{Loc: loc}
	week, err := ParseHours(hours)
	if err != nil {
		return nil, err
	}
	c.Week = week
	c.Dates, c.Yearly, err = ParseHolidays(holidays)
	return c, err
}

// LoadZone reads an IANA zone name; empty is UTC.
func LoadZone(zone string) (*time.Location, error) {
	zone = strings.TrimSpace(zone)
	if zone == "" {
		return time.UTC, nil
	}
	// "Local" would make due times depend on the server's settings.
	if zone == "Local" {
		return nil, fmt.Errorf("unknown time zone %q", zone)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", zone)
	}
	return loc, nil
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		out = append(out, strings.TrimSpace(l))
	}
	return out
}

// ParseHours reads working hours (see Parse); at least one range is required.
func ParseHours(s string) ([7][]Span, error) {
	var week [7][]Span
	total := 0
	for n, l := range lines(s) {
		if l == "" {
			continue
		}
		fields := strings.Fields(strings.ReplaceAll(l, ";", " "))
		days, err := parseDays(fields[0])
		if err != nil {
			return week, fmt.Errorf("line %d: %v", n+1, err)
		}
		if len(fields) < 2 {
			return week, fmt.Errorf("line %d: no hours after %q", n+1, fields[0])
		}
		for _, r := range fields[1:] {
			for _, part := range strings.Split(r, ",") {
				if part == "" {
					continue
				}
				sp, err := parseSpan(part)
				if err != nil {
					return week, fmt.Errorf("line %d: %v", n+1, err)
				}
				for _, d := range days {
					week[d] = append(week[d], sp)
					total++
				}
			}
		}
	}
	if total == 0 {
		return week, fmt.Errorf("no working hours: give at least one line such as \"mon-fri 09:00-17:00\"")
	}
	for d := range week {
		sort.Slice(week[d], func(i, j int) bool { return week[d][i].Start < week[d][j].Start })
		for i := 1; i < len(week[d]); i++ {
			if week[d][i].Start < week[d][i-1].End {
				return week, fmt.Errorf("%s: ranges overlap", time.Weekday(d))
			}
		}
	}
	return week, nil
}

func parseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for _, part := range strings.Split(strings.ToLower(s), ",") {
		from, to, isRange := strings.Cut(part, "-")
		a, ok := dayNames[from]
		if !ok {
			return nil, fmt.Errorf("unknown day %q (mon, tue, wed, thu, fri, sat, sun)", from)
		}
		if !isRange {
			out = append(out, a)
			continue
		}
		b, ok := dayNames[to]
		if !ok {
			return nil, fmt.Errorf("unknown day %q (mon, tue, wed, thu, fri, sat, sun)", to)
		}
		// Ranges run Monday-first and may wrap: sat-mon is Saturday, Sunday, Monday.
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == b {
				break
			}
		}
	}
	return out, nil
}

func parseSpan(s string) (Span, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return Span{}, fmt.Errorf("%q: a range is written HH:MM-HH:MM", s)
	}
	start, err := parseClock(a)
	if err != nil {
		return Span{}, err
	}
	end, err := parseClock(b)
	if err != nil {
		return Span{}, err
	}
	if end <= start {
		return Span{}, fmt.Errorf("%q: the range ends before it starts", s)
	}
	return Span{start, end}, nil
}

func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a time of day (HH:MM, 00:00 to 24:00)", s)
	}
	return hh*3600 + mm*60, nil
}

// ParseHolidays reads holidays (see Parse).
func ParseHolidays(s string) (dates, yearly map[string]bool, err error) {
	dates, yearly = map[string]bool{}, map[string]bool{}
	for n, l := range lines(s) {
		if l == "" {
			continue
		}
		d := strings.Fields(l)[0]
		if t, err := time.Parse("2006-01-02", d); err == nil {
			dates[t.Format("2006-01-02")] = true
			continue
		}
		// A leap year accepts 02-29 as a yearly date.
		if t, err := time.Parse("2006-01-02", "2000-"+d); err == nil && len(d) == 5 {
			yearly[t.Format("01-02")] = true
			continue
		}
		return nil, nil, fmt.Errorf("line %d: %q is not a date (YYYY-MM-DD, or MM-DD for every year)", n+1, d)
	}
	return dates, yearly, nil
}
