package mapping

import (
	"encoding/hex"
	"math"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Int reads the number at the start of s, ignoring a unit after it: "1333 MHz" is
// 1333, "274877.906944" is 274877, "-1 Mbps" is -1, "4194MB" is 4194. ok is false
// when s holds no number or one too large for an int.
func Int(s string) (v int, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, strconv.IntSize); err == nil {
		return int(n), true
	}
	f, ok := Float(s)
	if !ok {
		return 0, false
	}
	return clamp(f)
}

// Float reads the decimal number at the start of s, as Int does.
func Float(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	digits := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
		digits++
	}
	if end < len(s) && s[end] == '.' {
		end++
		for end < len(s) && s[end] >= '0' && s[end] <= '9' {
			end++
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if end+1 < len(s) && (s[end] == 'e' || s[end] == 'E') {
		e := end + 1
		if s[e] == '-' || s[e] == '+' {
			e++
		}
		start := e
		for e < len(s) && s[e] >= '0' && s[e] <= '9' {
			e++
		}
		if e > start {
			end = e
		}
	}
	f, err := strconv.ParseFloat(s[:end], 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func clamp(f float64) (int, bool) {
	if f >= float64(math.MaxInt) || f <= float64(math.MinInt) {
		return 0, false
	}
	return int(f), true
}

// Count reads a quantity that cannot be negative: a negative or unreadable one is 0.
func Count(s string) int {
	v, ok := Int(s)
	if !ok || v < 0 {
		return 0
	}
	return v
}

// SpeedMbps reads an interface speed in Mbit/s. Unknown speeds come as -1, 0 or, on
// Windows, the largest 64-bit number of bits divided by a million (9223372036854.78):
// all give 0.
func SpeedMbps(s string) int {
	f, ok := Float(s)
	if !ok || f <= 0 || f > 10_000_000 {
		return 0
	}
	return int(f)
}

// Bool reads the agents' booleans: "1", "true", "yes"... are true.
func Bool(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "y", "on", "enabled":
		return true
	}
	return false
}

// MAC normalises a MAC address to lower-case "aa:bb:cc:dd:ee:ff". An empty or all-zero
// address gives "" and ok; ok is false for a value that is not a MAC address.
func MAC(s string) (mac string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	hw, err := net.ParseMAC(s)
	if err != nil {
		// Twelve hex digits without separators.
		b, herr := hex.DecodeString(s)
		if herr != nil || len(b) != 6 {
			return "", false
		}
		hw = b
	}
	for _, b := range hw {
		if b != 0 {
			return hw.String(), true
		}
	}
	return "", true
}

// Addr reads an IP address; a zone ("%eth0") is dropped. ok is false when s is not an
// address; an empty or unspecified address (0.0.0.0, ::) gives an invalid Addr and ok.
func Addr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}, true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	a = a.WithZone("").Unmap()
	if a.IsUnspecified() {
		return netip.Addr{}, true
	}
	return a, true
}

// Prefix reads a network mask ("255.255.255.0", "ffff:ffff:ffff:ffff::", "24") as a
// prefix length; 0 when it cannot.
func Prefix(mask string, bitLen int) int {
	mask = strings.TrimPrefix(strings.TrimSpace(mask), "/")
	if mask == "" {
		return 0
	}
	if n, err := strconv.Atoi(mask); err == nil {
		if n > 0 && n <= bitLen {
			return n
		}
		return 0
	}
	m, err := netip.ParseAddr(mask)
	if err != nil || m.BitLen() != bitLen {
		return 0
	}
	ones, seenZero := 0, false
	for _, b := range m.AsSlice() {
		for i := 7; i >= 0; i-- {
			if b&(1<<i) != 0 {
				if seenZero {
					return 0 // not a contiguous mask
				}
				ones++
			} else {
				seenZero = true
			}
		}
	}
	return ones
}

// DateOrder tells how to read an ambiguous "01/02/2006".
type DateOrder int

const (
	DayFirst   DateOrder = iota // FusionInventory's software install dates
	MonthFirst                  // SMBIOS dates (BIOS, batteries)
)

var dateLayouts = []string{
	"2006-1-2", "2006-1-2 15:04:05", "2006-1-2 15:04", "2006-1-2T15:04:05Z07:00",
	"2006-1-2T15:04:05", "2006/1/2", "2006/1/2 15:04:05", "2006/1/2 15:04", "20060102",
	time.ANSIC,
}

// Date reads a date and returns it as "2006-01-02". Empty values, "N/A" and the Unix
// epoch (what agents report when they do not know) give "" and ok; ok is false for a
// value that is not a real date (such as "1970-00-01" or "2022-21-09").
func Date(s string, order DateOrder) (string, bool) {
	t, ok := parseTime(s, order)
	if !ok || t.IsZero() {
		return "", ok
	}
	return t.Format("2006-01-02"), true
}

// DateTime reads a date and time and returns it as "2006-01-02 15:04:05", as Date.
func DateTime(s string) (string, bool) {
	t, ok := parseTime(s, DayFirst)
	if !ok || t.IsZero() {
		return "", ok
	}
	return t.Format("2006-01-02 15:04:05"), true
}

func parseTime(s string, order DateOrder) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	switch strings.ToLower(s) {
	case "", "n/a", "na", "unknown", "none", "0", "00/00/0000", "0000-00-00", "0000-00-00 00:00:00":
		return time.Time{}, true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return sane(t)
		}
	}
	// "a/b/yyyy" or "a.b.yyyy", possibly followed by a time.
	datePart, timePart, _ := strings.Cut(s, " ")
	f := strings.FieldsFunc(datePart, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(f) != 3 || len(f[2]) != 4 {
		return time.Time{}, false
	}
	a, err1 := strconv.Atoi(f[0])
	b, err2 := strconv.Atoi(f[1])
	y, err3 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return time.Time{}, false
	}
	day, month := a, b
	if a <= 12 && (b > 12 || order == MonthFirst) {
		day, month = b, a
	}
	var hh, mm, ss int
	if timePart != "" {
		t, err := time.Parse("15:04:05", timePart)
		if err != nil {
			if t, err = time.Parse("15:04", timePart); err != nil {
				return time.Time{}, false
			}
		}
		hh, mm, ss = t.Clock()
	}
	t := time.Date(y, time.Month(month), day, hh, mm, ss, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month {
		return time.Time{}, false // 31/02, month 13...
	}
	return sane(t)
}

// sane drops the Unix epoch and years no inventory can mean.
func sane(t time.Time) (time.Time, bool) {
	if t.Year() == 1970 && t.YearDay() == 1 {
		return time.Time{}, true
	}
	if t.Year() < 1980 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}
