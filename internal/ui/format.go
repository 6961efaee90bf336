package ui

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"parc/internal/record"
)

// French groups thousands with a narrow no-break space and writes a decimal comma.
const frThousands = "\u202f"

func thousands(lang string) string {
	if lang == "fr" {
		return frThousands
	}
	return ","
}

func decimalMark(lang string) string {
	if lang == "fr" {
		return ","
	}
	return "."
}

// groupDigits puts sep between groups of three digits of a run of digits.
func groupDigits(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// fmtInt writes an integer for reading: "1 234" in French, "1,234" in English.
func fmtInt(lang string, n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = groupDigits(strings.TrimPrefix(s, "-"), thousands(lang))
	if neg {
		return "-" + s
	}
	return s
}

// fmtNumber writes a number for reading with the language's marks; decimals < 0
// uses as many as needed.
func fmtNumber(lang string, x float64, decimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	out := groupDigits(whole, thousands(lang))
	if frac != "" {
		out += decimalMark(lang) + frac
	}
	if x < 0 {
		out = "-" + out
	}
	return out
}

// inputNumber writes a number for an input box: no grouping, the language's mark,
// so that it reads back unchanged.
func inputNumber(lang string, x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	return strings.Replace(s, ".", decimalMark(lang), 1)
}

// fmtDate writes an ISO date (YYYY-MM-DD) the way the language reads dates.
func fmtDate(lang, iso string) string {
	d, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	if lang == "fr" {
		return d.Format("02/01/2006")
	}
	return d.Format("2006-01-02")
}

// fmtDateTime writes an instant in loc, to the minute.
func fmtDateTime(lang string, t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc != nil {
		t = t.In(loc)
	}
	if lang == "fr" {
		return t.Format("02/01/2006 15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// display writes a field's stored value for reading. References are not resolved
// here: callers use the record's Display labels.
func (u *UI) display(c *req, f *record.Field, v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok && (f.Name == "inventory_format" || f.Name == "format") {
		return protocolLabel(c, s)
	}
	switch f.Kind {
	case record.Bool:
		if b, _ := v.(bool); b {
			return c.T("ui.yes")
		}
		return c.T("ui.no")
	case record.Date:
		s, _ := v.(string)
		return fmtDate(c.Lang, s)
	case record.DateTime:
		t, _ := v.(time.Time)
		return fmtDateTime(c.Lang, t, u.Loc)
	case record.Enum:
		s, _ := v.(string)
		return enumLabel(c, f, s)
	case record.Money:
		x, _ := v.(float64)
		return fmtNumber(c.Lang, x, 2)
	case record.Decimal:
		x, _ := v.(float64)
		return fmtNumber(c.Lang, x, -1)
	case record.Int:
		if d, ok := durationText(c, f, v); ok {
			return d
		}
		if f.Name == "year" {
			return record.Format(v) // 2026, not 2 026
		}
		n, _ := v.(int64)
		return fmtInt(c.Lang, n)
	case record.Ref:
		return "#" + record.Format(v)
	case record.LongText:
		if s, ok := v.(string); ok && f.Name == "hours" {
			return fmtHours(c, s) // a calendar's working hours
		}
	}
	return record.Format(v)
}

// displayText is display for the canonical text form of a value (history entries).
func (u *UI) displayText(c *req, f *record.Field, s string) string {
	if s == "" || f == nil {
		return s
	}
	var v any = s
	switch f.Kind {
	case record.Bool:
		v = s == "true"
	case record.DateTime:
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return s
		}
		v = t
	case record.Money, record.Decimal:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return s
		}
		v = x
	case record.Int, record.Ref:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return s
		}
		v = n
	}
	return u.display(c, f, v)
}

// formValue writes a stored value the way the field's input expects it back.
func (u *UI) formValue(c *req, f *record.Field, v any) string {
	if v == nil {
		return ""
	}
	switch f.Kind {
	case record.Money:
		if x, ok := v.(float64); ok {
			return inputNumber(c.Lang, x, 2)
		}
	case record.Decimal:
		if x, ok := v.(float64); ok {
			return inputNumber(c.Lang, x, -1)
		}
	case record.DateTime:
		if t, ok := v.(time.Time); ok {
			return t.In(u.Loc).Format("2006-01-02T15:04")
		}
	case record.Bool:
		if b, _ := v.(bool); b {
			return "true"
		}
		return "false"
	}
	return record.Format(v)
}

// enumLabel is the translated label of an enum option, or the option itself.
func enumLabel(c *req, f *record.Field, opt string) string {
	key := "enum." + f.Name + "." + opt
	if c.cat.Has(c.Lang, key) {
		return c.T(key)
	}
	return opt
}

// lowerFirst lower-cases the first letter, for a type name inside a sentence.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if next, _ := utf8.DecodeRuneInString(s[n:]); r == utf8.RuneError || unicode.IsUpper(next) {
		return s // an acronym such as "API"
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// countText says how many records there are: "1 234 computers", "1 computer".
func countText(c *req, t *record.Type, n int64, capped bool) string {
	one := n == 1 || (c.Lang == "fr" && n == 0)
	name := c.T(typeKey(t, !one))
	num := fmtInt(c.Lang, n)
	if capped {
		num = c.T("ui.list.more_than", num)
	}
	return c.T("ui.list.count", num, lowerFirst(name))
}

// fmtScaled writes x with one decimal below 10 and none above, dropping a zero
// decimal: 1.5, 23.5, 268.
func fmtScaled(lang string, x float64) string {
	if x < 10 && math.Round(x*10) != math.Round(x)*10 {
		return fmtNumber(lang, math.Round(x*10)/10, 1)
	}
	return fmtNumber(lang, math.Round(x), 0)
}

// fmtSize writes a size given in megabytes (1024-based, as agents count them) for
// reading: "512 MB", "23.5 GB", "1.8 TB" ("Mo", "Go", "To" in French).
func fmtSize(c *req, mb int64) string {
	switch {
	case mb < 0:
		return ""
	case mb < 1024:
		return c.T("ui.unit.mb", fmtInt(c.Lang, mb))
	case mb < 1024*1024:
		return c.T("ui.unit.gb", fmtScaled(c.Lang, float64(mb)/1024))
	}
	return c.T("ui.unit.tb", fmtScaled(c.Lang, float64(mb)/(1024*1024)))
}

// fmtSpeed writes a network speed given in Mbit/s.
func fmtSpeed(c *req, mbps int64) string {
	if mbps >= 1000 {
		return c.T("ui.unit.gbps", fmtScaled(c.Lang, float64(mbps)/1000))
	}
	return c.T("ui.unit.mbps", fmtInt(c.Lang, mbps))
}
