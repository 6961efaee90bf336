package softver

import (
	"cmp"
	"slices"
	"strings"
	"testing"
)

// TestKeyOrdersVersions: keys sort as the versions they stand for.
func TestKeyOrdersVersions(t *testing.T) {
	ordered := []string{
		"", "0", "0.9", "1", "1.0", "1.0.1", "1.0.9", "1.0.10", "1.1.1w", "1.2", "1.10",
		"1:2.38.1-5+deb12u2", "1:2.38.1-5+deb12u3", "1:2.38.1-5+deb12u13",
		"2.9.9", "3.0.9", "3.0.13", "3.0.13a", "10.0", "99999999", "100000000", "123456789012", "20231010123456",
	}
	for i := 1; i < len(ordered); i++ {
		a, b := Key(ordered[i-1]), Key(ordered[i])
		if !(a < b) {
			t.Errorf("%q (%q) should sort before %q (%q)", ordered[i-1], a, ordered[i], b)
		}
	}
	// Leading zeros, case and spaces do not change a version.
	for _, same := range [][2]string{{"3.0.09", "3.0.9"}, {" 1.2A ", "1.2a"}, {"007", "7"}} {
		if Key(same[0]) != Key(same[1]) {
			t.Errorf("%q and %q should have one key", same[0], same[1])
		}
	}
	if got := Key("3.0.13"); got != "13.0.213" {
		t.Errorf("Key(3.0.13) = %q", got)
	}
	if got := Key(strings.Repeat("1.", 200)); len(got) != MaxKey {
		t.Errorf("long key is %d bytes", len(got))
	}
}

// FuzzKeyOrder: for any two versions made of digit runs and separators, the key
// order is the order of their parts compared number by number.
func FuzzKeyOrder(f *testing.F) {
	f.Add("3.0.9", "3.0.13")
	f.Add("1:2.38-5", "1:2.38-5+deb12u1")
	f.Fuzz(func(t *testing.T, a, b string) {
		pa, pb := parts(a), parts(b)
		if pa == nil || pb == nil || len(a) > 100 || len(b) > 100 {
			return
		}
		want := slices.CompareFunc(pa, pb, comparePart)
		got := strings.Compare(Key(a), Key(b))
		if want != got {
			t.Fatalf("%q vs %q: keys %q, %q compare %d, parts %d", a, b, Key(a), Key(b), got, want)
		}
	})
}

// parts splits a version of digits and '.', '-', '+' into numbers and separators;
// nil for anything else.
func parts(v string) []string {
	var out []string
	for i := 0; i < len(v); {
		j := i + 1
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			for j < len(v) && v[j] >= '0' && v[j] <= '9' {
				j++
			}
			if n := strings.TrimLeft(v[i:j], "0"); len(n) > 18 {
				return nil
			}
		case c == '.' || c == '-' || c == '+':
		default:
			return nil
		}
		out = append(out, v[i:j])
		i = j
	}
	return out
}

func comparePart(a, b string) int {
	da, db := a[0] >= '0' && a[0] <= '9', b[0] >= '0' && b[0] <= '9'
	switch {
	case da && db:
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
	case da:
		return 1 // a digit sorts after the separators
	case db:
		return -1
	}
	return strings.Compare(a, b)
}
