package record

import (
	"encoding/json"
	"math"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is a field's value kind. Each kind knows how to parse input (JSON values and
// the strings of forms and CSV files), how to read the database value back, and how
// to write the value as text for history, CSV and display.
type Kind string

const (
	Text     Kind = "text"
	LongText Kind = "longtext"
	Int      Kind = "int"
	Decimal  Kind = "decimal"
	Money    Kind = "money"
	Bool     Kind = "bool"
	Date     Kind = "date"
	DateTime Kind = "datetime"
	Enum     Kind = "enum"
	Ref      Kind = "ref"
	IP       Kind = "ip"
	MAC      Kind = "mac"
	Serial   Kind = "serial"
	Email    Kind = "email"
	URL      Kind = "url"
)

const (
	defaultTextMax     = 255
	defaultLongTextMax = 65535
	dateLayout         = "2006-01-02"
)

// IsText reports kinds held as Go strings.
func (k Kind) IsText() bool {
	switch k {
	case Text, LongText, Enum, IP, MAC, Serial, Email, URL, Date:
		return true
	}
	return false
}

// Parse converts one input value for f into its Go value: string, int64, float64,
// bool, time.Time, or nil for "empty". It accepts JSON values and strings alike.
func (f *Field) Parse(v any) (any, *Msg) {
	if v == nil {
		return nil, nil
	}
	if s, ok := v.(string); ok {
		if !utf8.ValidString(s) {
			return nil, &Msg{Key: "err.encoding"}
		}
		if f.Kind != LongText {
			s = strings.TrimSpace(s)
		}
		if s == "" {
			return nil, nil
		}
		return f.parseString(s)
	}
	switch f.Kind {
	case Int, Ref:
		n, ok := jsonInt(v)
		if !ok {
			return nil, &Msg{Key: "err.not_integer"}
		}
		return f.checkRange(float64(n), n)
	case Decimal, Money:
		x, ok := jsonFloat(v)
		if !ok {
			return nil, &Msg{Key: "err.not_number"}
		}
		if f.Kind == Money {
			x = math.Round(x*100) / 100
		}
		return f.checkRange(x, x)
	case Bool:
		b, ok := v.(bool)
		if !ok {
			return nil, &Msg{Key: "err.not_bool"}
		}
		return b, nil
	}
	return nil, &Msg{Key: "err.not_text"}
}

func (f *Field) parseString(s string) (any, *Msg) {
	switch f.Kind {
	case Text, Serial, LongText:
		max := f.Max
		if max == 0 {
			max = defaultTextMax
			if f.Kind == LongText {
				max = defaultLongTextMax
			}
		}
		if n := utf8.RuneCountInString(s); n > max {
			return nil, &Msg{Key: "err.too_long", Args: []any{max}}
		}
		if f.Kind != LongText && strings.IndexFunc(s, NotInLine) >= 0 {
			return nil, &Msg{Key: "err.control_chars"}
		}
		return s, nil
	case Enum:
		for _, o := range f.Options {
			if strings.EqualFold(o, s) {
				return o, nil
			}
		}
		return nil, &Msg{Key: "err.not_in_list", Args: []any{strings.Join(f.Options, ", ")}}
	case Int, Ref:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, &Msg{Key: "err.not_integer"}
		}
		if f.Kind == Ref && n <= 0 {
			return nil, &Msg{Key: "err.bad_reference"}
		}
		return f.checkRange(float64(n), n)
	case Decimal, Money:
		// French users type decimal commas.
		x, err := strconv.ParseFloat(strings.Replace(strings.ReplaceAll(s, " ", ""), ",", ".", 1), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, &Msg{Key: "err.not_number"}
		}
		if f.Kind == Money {
			x = math.Round(x*100) / 100
		}
		return f.checkRange(x, x)
	case Bool:
		switch strings.ToLower(s) {
		case "1", "true", "yes", "on", "oui", "vrai":
			return true, nil
		case "0", "false", "no", "off", "non", "faux":
			return false, nil
		}
		return nil, &Msg{Key: "err.not_bool"}
	case Date:
		t, err := parseDate(s)
		if err != nil {
			return nil, &Msg{Key: "err.not_date"}
		}
		return t.Format(dateLayout), nil
	case DateTime:
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, &Msg{Key: "err.not_datetime"}
		}
		return t.UTC(), nil
	case IP:
		ip := net.ParseIP(s)
		if ip == nil {
			return nil, &Msg{Key: "err.not_ip"}
		}
		return ip.String(), nil
	case MAC:
		hw, err := net.ParseMAC(s)
		if err != nil || len(hw) != 6 {
			return nil, &Msg{Key: "err.not_mac"}
		}
		return hw.String(), nil
	case Email:
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s || len(s) > defaultTextMax {
			return nil, &Msg{Key: "err.not_email"}
		}
		return s, nil
	case URL:
		if len(s) > 2048 || !(strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")) || strings.IndexFunc(s, NotInLine) >= 0 {
			return nil, &Msg{Key: "err.not_url"}
		}
		return s, nil
	}
	return nil, &Msg{Key: "err.invalid"}
}

// NotInLine reports the characters refused in single-line fields (names, titles,
// logins, serials, URLs): C0 and C1 control characters (tab, CR, LF, NUL, BEL, ESC
// and NEL among them), DEL, the line and paragraph separators, and the bidirectional
// embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069), which make
// "abc\u202egnp.exe" show as "abcexe.png". Multi-line text keeps tab, CR and LF.
func NotInLine(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// CleanLine makes text from outside (inventory agents, mail subjects) fit a
// single-line field instead of refusing it: control characters and separators
// become spaces, bidirectional controls are dropped, and the ends are trimmed.
func CleanLine(s string) string {
	if strings.IndexFunc(s, NotInLine) < 0 {
		return s
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return -1
		case NotInLine(r):
			return ' '
		}
		return r
	}, s))
}

// parseDate accepts ISO dates and the French day/month/year form.
func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, s)
	if err == nil {
		return t, nil
	}
	if t, err2 := time.Parse("02/01/2006", s); err2 == nil {
		return t, nil
	}
	return time.Time{}, err
}

func (f *Field) checkRange(x float64, v any) (any, *Msg) {
	if f.Min != nil && x < *f.Min {
		return nil, &Msg{Key: "err.too_small", Args: []any{*f.Min}}
	}
	if f.MaxNum != nil && x > *f.MaxNum {
		return nil, &Msg{Key: "err.too_big", Args: []any{*f.MaxNum}}
	}
	return v, nil
}

func jsonInt(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return 0, false
		}
		return int64(n), true
	case int64:
		return n, true
	case int:
		return int64(n), true
	}
	return 0, false
}

func jsonFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		x, err := n.Float64()
		return x, err == nil && !math.IsInf(x, 0)
	case float64:
		return n, true
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	}
	return 0, false
}

// FromDB normalises a scanned database value into the field's Go value.
func (f *Field) FromDB(v any) any {
	if v == nil {
		return nil
	}
	switch f.Kind {
	case Int, Ref:
		switch n := v.(type) {
		case int64:
			return n
		case int32:
			return int64(n)
		case float64:
			return int64(n)
		case []byte:
			i, _ := strconv.ParseInt(string(n), 10, 64)
			return i
		case string:
			i, _ := strconv.ParseInt(n, 10, 64)
			return i
		}
	case Decimal, Money:
		switch v.(type) {
		case float64, int64, []byte, string:
			return Float(v)
		}
	case Bool:
		switch b := v.(type) {
		case bool:
			return b
		case int64:
			return b != 0
		}
	case Date:
		switch d := v.(type) {
		case time.Time:
			return d.Format(dateLayout)
		case string:
			if len(d) >= 10 {
				return d[:10]
			}
			return d
		case []byte:
			if len(d) >= 10 {
				return string(d[:10])
			}
		}
	case DateTime:
		switch d := v.(type) {
		case time.Time:
			return d.UTC()
		case string:
			if t, err := parseDBTime(d); err == nil {
				return t
			}
		}
	default:
		switch s := v.(type) {
		case string:
			return s
		case []byte:
			return string(s)
		}
	}
	return v
}

// ParseDBTime reads the text form SQLite keeps timestamps in.
func parseDBTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, &time.ParseError{Value: s}
}

// Format writes a Go value as canonical text: history, CSV and cursors use it.
func Format(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "true"
		}
		return "false"
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Equal compares two field values as stored.
func Equal(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return Format(a) == Format(b)
}

// Float reads a number as either driver gives it (SQLite: float64 or int64;
// PostgreSQL's NUMERIC: text), 0 when it is none.
func Float(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int64:
		return float64(n)
	case []byte:
		x, _ := strconv.ParseFloat(string(n), 64)
		return x
	case string:
		x, _ := strconv.ParseFloat(n, 64)
		return x
	}
	return 0
}
