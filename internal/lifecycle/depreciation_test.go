package lifecycle

import (
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestDecliningSwitchesToLinear: 10,000 € over 4 years declining (coefficient
// 1.25, rate 31.25 %): year 1 3,125 → 6,875; year 2, 31.25 % is 2,148.44 but
// linear over the 3 years left is 2,291.67, which it takes → 4,583.33; year 3
// 2,291.67 → 2,291.66; the last year takes what is left, 2,291.66 → 0.
func TestDecliningSwitchesToLinear(t *testing.T) {
	s := Depreciate(10000, date("2020-06-15"), Declining, 4)
	want := []float64{3125, 2291.67, 2291.67, 2291.66}
	if s.Rate != 0.3125 || len(s.Rows) != 4 {
		t.Fatalf("%+v", s)
	}
	for i, r := range s.Rows {
		if r.Charge != want[i] {
			t.Errorf("year %d: charge %v, want %v", i+1, r.Charge, want[i])
		}
	}
	if s.Rows[3].Closing != 0 || !s.Rows[3].To.Equal(date("2024-06-15")) {
		t.Errorf("last year %+v", s.Rows[3])
	}
	if v := s.BookValue(date("2019-01-01")); v != 10000 {
		t.Errorf("before the purchase: %v", v)
	}
	if v := s.BookValue(date("2030-01-01")); v != 0 {
		t.Errorf("after the period: %v", v)
	}
	// Two years or less: no declining coefficient, linear.
	if s := Depreciate(1000, date("2020-01-01"), Declining, 2); s.Rows[0].Charge != 500 || s.Rows[1].Charge != 500 {
		t.Errorf("2 years declining: %+v", s.Rows)
	}
	// No period given: the default, linear.
	if s := Depreciate(900, date("2020-01-01"), "", 0); s.Method != Linear || len(s.Rows) != DefaultYears {
		t.Errorf("default: %+v", s)
	}
}
