package demo

import (
	"strings"
	"testing"

	"parc/internal/helpdesk/calendar"
)

// TestFrenchHolidays checks Easter and the holidays that follow it, and that the
// calendar accepts the text.
func TestFrenchHolidays(t *testing.T) {
	for y, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25"} {
		if got := easter(y).Format("2006-01-02"); got != want {
			t.Errorf("Easter %d: %s, want %s", y, got, want)
		}
	}
	text := frenchHolidays(2026)
	for _, want := range []string{"2025-04-21 Lundi de Pâques", "2026-04-06 Lundi de Pâques", "2026-05-14 Ascension", "2026-05-25 Lundi de Pentecôte",
		"2028-06-05 Lundi de Pentecôte", "07-14 Fête nationale", "11-11 Armistice 1918"} {
		if !strings.Contains(text, want) {
			t.Errorf("holidays lack %q:\n%s", want, text)
		}
	}
	if _, _, err := calendar.ParseHolidays(text); err != nil {
		t.Fatal(err)
	}
}
