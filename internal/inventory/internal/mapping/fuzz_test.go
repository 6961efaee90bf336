package mapping

import "testing"

// FuzzValues: the value readers never fail on any text, and what they return reads back
// as itself (normalising twice changes nothing).
func FuzzValues(f *testing.F) {
	for _, s := range []string{"1333 MHz", "-1 Mbps", "1.5e3", "9223372036854.78", "02:FC:00:00:00:01", "0017F2D11432",
		"08/06/2017", "2025/04/20 00:00:00", "2022-21-09 05:21:23", "Thu Mar 14 15:05:41 2013", "255.255.255.0",
		"ffff:ffff:ffff:ffff::", "fe80::1%en0", "43.7456 Wh", "1e308", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = Int(s)
		_ = Count(s)
		_ = SpeedMbps(s)
		_ = milli(s, "wh")
		if p := Prefix(s, 32); p < 0 || p > 32 {
			t.Fatalf("Prefix(%q) = %d", s, p)
		}
		if m, ok := MAC(s); ok && m != "" {
			if again, ok := MAC(m); !ok || again != m {
				t.Fatalf("MAC(%q) = %q, then %q", s, m, again)
			}
		}
		for _, order := range []DateOrder{DayFirst, MonthFirst} {
			if d, ok := Date(s, order); ok && d != "" {
				if again, ok := Date(d, order); !ok || again != d {
					t.Fatalf("Date(%q) = %q, then %q", s, d, again)
				}
			}
		}
		if d, ok := DateTime(s); ok && d != "" {
			if again, ok := DateTime(d); !ok || again != d {
				t.Fatalf("DateTime(%q) = %q, then %q", s, d, again)
			}
		}
		if a, ok := Addr(s); ok && a.IsValid() {
			if again, ok := Addr(a.String()); !ok || again != a {
				t.Fatalf("Addr(%q) = %v, then %v", s, a, again)
			}
		}
	})
}
