package mail_test

import (
	"parc/internal/mail"
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/i18n"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestSubjectShowsTheTitleTyped: a ticket title that looks like an RFC 2047 encoded
// word reaches the mail's subject as the text typed, not as what it would decode to.
func TestSubjectShowsTheTitleTyped(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		env := apitest.New(t, kind)
		org := env.Org("Mairie", env.Root)
		alice := env.User("alice", "self-service", org)
		bob := env.User("bob", "technician", org)
		if _, err := env.App.Records.Update(t.Context(), env.Sys, env.App.Reg.MustType("users"), alice.UserID, record.Input{"email": "alice@example.org", "language": "en"}); err != nil {
			t.Fatal(err)
		}
		n, err := mail.NewNotifier(env.App.DB, i18n.MustLoad(), "Parc <parc@example.org>")
		if err != nil {
			t.Fatal(err)
		}
		n.Install(env.App.Reg)
		titles := []string{
			"=?utf-8?q?Your_password_expires_today?=",
			"Invoice =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= attached",
			strings.Repeat("Écran noir =?x?q?y?= ", 8),
			"Plain printer jam",
		}
		for _, title := range titles {
			bob.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": title, "user_id": alice.UserID, "organization_id": org})
		}
		rows, err := env.App.DB.R.Query("SELECT body FROM mail_outbox ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var raw string
			if err := rows.Scan(&raw); err != nil {
				t.Fatal(err)
			}
			h, _, _ := readMessage(t, []byte(raw))
			subj, err := h.Subject()
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, subj)
			for _, line := range strings.Split(raw[:strings.Index(raw, "\r\n\r\n")], "\r\n") {
				if len(line) > 78 {
					t.Errorf("header line of %d characters: %q", len(line), line)
				}
			}
		}
		if len(got) != len(titles) {
			t.Fatalf("%d messages: %q", len(got), got)
		}
		for i, title := range titles {
			if !strings.HasSuffix(got[i], "New ticket: "+strings.TrimSpace(title)) {
				t.Errorf("subject %q, want the title %q", got[i], title)
			}
		}
	})
}
