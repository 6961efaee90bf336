// Package softver orders software versions as text: Key(a) < Key(b) byte-wise
// when version a comes before b, so that the stores compare versions with a plain
// index ("all machines with OpenSSL older than 3.0.13").
package softver

import "strings"

// MaxKey is the longest key kept (the column's size).
const MaxKey = 255

// Key is v, lower-cased and trimmed, with each run of ASCII digits written as its
// length then its digits, leading zeros dropped: "3.0.13" -> "13.0.213". A longer
// number has a longer length, so it sorts after a shorter one, and a digit sorts
// against other characters as a digit did. Lengths 0 to 8 take one character, '0'
// to '8'; longer runs take '9' and two digits (runs past 99 digits are cut). This
// keeps keys about as long as the versions themselves: the installations table
// stores one per row, twice (row and index).
func Key(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	var b strings.Builder
	b.Grow(len(v) + 8)
	for i := 0; i < len(v); {
		c := v[i]
		if c < '0' || c > '9' {
			b.WriteByte(c)
			i++
			continue
		}
		j := i
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		run := strings.TrimLeft(v[i:j], "0")
		i = j
		n := min(len(run), 99)
		if n <= 8 {
			b.WriteByte(byte('0' + n))
		} else {
			b.WriteByte('9')
			b.WriteByte(byte('0' + n/10))
			b.WriteByte(byte('0' + n%10))
		}
		b.WriteString(run[:n])
	}
	out := b.String()
	if len(out) > MaxKey {
		out = out[:MaxKey]
	}
	return out
}
