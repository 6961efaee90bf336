package mailgate

import "testing"

func TestParseLimits(t *testing.T) {
	p, err := parse([]byte("From: a@b.c\r\nSubject: x\r\n\r\nbody\r\n"), 10, 10)
	if err != nil || p.Text != "body" || p.Key[:7] != "sha256:" {
		t.Fatalf("%+v %v", p, err)
	}
	if _, err := parse([]byte("Subject: no sender\r\n\r\nx"), 10, 10); err == nil {
		t.Error("a mail without From parsed")
	}
	if got := stripQuote("Réponse\n\nLe lun. 24 nov. 2025, parc a écrit :\n> vieux"); got != "Réponse" {
		t.Errorf("stripQuote: %q", got)
	}
}
