package record_test

import (
	"testing"

	"parc/internal/record"
)

// TestParseID: an id is decimal digits alone; a number past the largest id is no
// id rather than one wrapped around to another record's.
func TestParseID(t *testing.T) {
	for in, want := range map[string]int64{
		"1": 1, "42": 42, "007": 7, "9223372036854775807": 9223372036854775807,
		"9223372036854775808": 0, "18446744073709551617": 0, "99999999999999999999999": 0,
		"": 0, "0": 0, "-3": 0, "+3": 0, " 3": 0, "3 ": 0, "3a": 0, "1_000": 0, "0x10": 0, "١٢": 0,
	} {
		if got := record.ParseID(in); got != want {
			t.Errorf("ParseID(%q) = %d, want %d", in, got, want)
		}
	}
}
