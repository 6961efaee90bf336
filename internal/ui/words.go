package ui

import (
	"strings"

	"parc/internal/record"
)

// Words users read instead of stored values: the names parc gives its own
// records (built-in profiles, the root organisation) in the reader's language,
// durations in hours and minutes, days of the week as words.

// builtinName is a record's label as the reader says it: a built-in profile's
// or the bootstrap root organisation's name in the request's language; any
// other label (and one an administrator changed) as stored.
func builtinName(c *req, typ, label string) string {
	var key string
	switch typ {
	case "profiles":
		key = "profile.builtin." + label
	case "organizations":
		if label == "Root" {
			key = "org.root"
		}
	}
	if key != "" && c.cat.Has(c.Lang, key) {
		return c.T(key)
	}
	return label
}

// builtinNames are the names builtinName translates, per type.
var builtinNames = map[string][]string{
	"profiles":      {"super-admin", "admin", "technician", "supervisor", "observer", "self-service"},
	"organizations": {"Root"},
}

// storedName reads a translated built-in name back as stored, so that a filter
// or a form given "Organisation racine" finds "Root".
func storedName(c *req, typ, s string) string {
	s = strings.TrimSpace(s)
	for _, n := range builtinNames[typ] {
		if strings.EqualFold(s, builtinName(c, typ, n)) {
			return n
		}
	}
	return s
}

// durationField reports whether an integer field holds a duration, and its unit
// in seconds.
func durationField(f *record.Field) (int64, bool) {
	switch {
	case strings.HasSuffix(f.Name, "_minutes"):
		return 60, true
	case strings.HasSuffix(f.Name, "_seconds"):
		return 1, true
	}
	return 0, false
}

// fmtDuration writes seconds as hours and minutes: "17 h", "4 h 30 min",
// "45 min"; under a minute, "0 min".
func fmtDuration(c *req, seconds int64) string {
	if seconds < 0 {
		return "−" + fmtDuration(c, -seconds)
	}
	m := seconds / 60
	h, m := m/60, m%60
	switch {
	case h == 0:
		return c.T("ui.duration.min", m)
	case m == 0:
		return c.T("ui.duration.h", fmtInt(c.Lang, h))
	}
	return c.T("ui.duration.h_min", fmtInt(c.Lang, h), m)
}

// fmtHours writes a calendar's working hours with day names in the reader's
// language: "mon-fri 08:30-12:30 13:30-18:00" reads "lundi au vendredi :
// 08:30–12:30, 13:30–18:00". A line it cannot read is kept as written.
func fmtHours(c *req, text string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, hoursLine(c, line))
	}
	return strings.Join(out, "\n")
}

var dayKeys = map[string]string{"mon": "mon", "tue": "tue", "wed": "wed", "thu": "thu", "fri": "fri", "sat": "sat", "sun": "sun",
	"lun": "mon", "mar": "tue", "mer": "wed", "jeu": "thu", "ven": "fri", "sam": "sat", "dim": "sun"}

func hoursLine(c *req, line string) string {
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return line
	}
	var days []string
	for _, part := range strings.Split(strings.ToLower(fields[0]), ",") {
		from, to, isRange := strings.Cut(part, "-")
		a, ok := dayKeys[from]
		if !ok {
			return line
		}
		if !isRange {
			days = append(days, c.T("ui.day."+a))
			continue
		}
		b, ok := dayKeys[to]
		if !ok {
			return line
		}
		days = append(days, c.T("ui.day.range", c.T("ui.day."+a), c.T("ui.day."+b)))
	}
	var ranges []string
	for _, r := range fields[1:] {
		ranges = append(ranges, strings.Replace(r, "-", "–", 1))
	}
	return c.T("ui.day.hours", strings.Join(days, ", "), strings.Join(ranges, ", "))
}

// durationText is display's text for a duration field's value.
func durationText(c *req, f *record.Field, v any) (string, bool) {
	unit, ok := durationField(f)
	n, isInt := v.(int64)
	if !ok || !isInt {
		return "", false
	}
	return fmtDuration(c, n*unit), true
}

// shownLabel is a field's label where its value is shown rather than typed: a
// duration's label without the unit its input takes ("field.X.shown").
func shownLabel(c *req, f *record.Field) string {
	if key := f.LabelKey() + ".shown"; c.cat.Has(c.Lang, key) {
		return c.T(key)
	}
	return c.T(f.LabelKey())
}

// searchHint is the placeholder of a list's search box: what its free text
// looks in. A type may have its own ("ui.list.search_hint.<type>"); words
// matched as the full-text search does are said so; else the searched fields.
func searchHint(c *req, t *record.Type) string {
	if key := "ui.list.search_hint." + t.Name; c.cat.Has(c.Lang, key) {
		return c.T(key)
	}
	if t.TextFilter != nil {
		return c.T("ui.list.search_words")
	}
	var labels []string
	for _, f := range t.Fields {
		if f.Search && !f.Hidden {
			labels = append(labels, lowerFirst(c.T(f.LabelKey())))
		}
	}
	if len(labels) == 0 {
		return ""
	}
	if len(labels) > 4 {
		labels = labels[:4]
	}
	return c.T("ui.list.search_in", strings.Join(labels, ", "))
}
