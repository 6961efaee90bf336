package ui

import (
	"testing"
	"time"
)

func TestNumbersAndDates(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int64
		want string
	}{
		{"fr", 0, "0"}, {"fr", 999, "999"}, {"fr", 1234, "1\u202f234"}, {"fr", -1234567, "-1\u202f234\u202f567"},
		{"en", 1234567, "1,234,567"}, {"en", 100000, "100,000"},
	} {
		if got := fmtInt(c.lang, c.n); got != c.want {
			t.Errorf("fmtInt(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	if got := fmtNumber("fr", 1234.5, 2); got != "1\u202f234,50" {
		t.Errorf("fr money %q", got)
	}
	if got := fmtNumber("en", -0.25, -1); got != "-0.25" {
		t.Errorf("en decimal %q", got)
	}
	if got := inputNumber("fr", 1234.5, 2); got != "1234,50" {
		t.Errorf("fr input %q", got)
	}
	if got := fmtDate("fr", "2025-03-01"); got != "01/03/2025" {
		t.Errorf("fr date %q", got)
	}
	if got := fmtDate("en", "2025-03-01"); got != "2025-03-01" {
		t.Errorf("en date %q", got)
	}
	if got := fmtDate("fr", "not a date"); got != "not a date" {
		t.Errorf("bad date %q", got)
	}
	at := time.Date(2025, 3, 1, 13, 4, 0, 0, time.UTC)
	if got := fmtDateTime("fr", at, time.UTC); got != "01/03/2025 13:04" {
		t.Errorf("fr datetime %q", got)
	}
	for in, want := range map[string]string{"Ordinateurs": "ordinateurs", "Équipements réseau": "équipements réseau", "API tokens": "API tokens", "": "", "Périphérique": "périphérique", "É": "é"} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q", in, got)
		}
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/computers?q=1": "/computers?q=1", "/": "/", "": "", "//evil.example": "", "/\\evil.example": "",
		"https://evil.example/": "", "javascript:alert(1)": "", "/a\nb": "",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
