package mail_test

import (
	"context"
	"parc/internal/mail"
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/i18n"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestApprovalRequestIsMailed: asking a user's approval queues a message to that
// user, in their language, with the technician's comment.
func TestApprovalRequestIsMailed(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		env := apitest.New(t, kind)
		org := env.Org("Mairie", env.Root)
		alice := env.User("alice", "self-service", org)
		bob := env.User("bob", "technician", org)
		mgr := env.User("maud", "self-service", org)
		for id, in := range map[int64]record.Input{
			mgr.UserID: {"email": "maud@example.org", "language": "fr"},
			bob.UserID: {"email": "bob@example.org", "language": "en"},
		} {
			if _, err := env.App.Records.Update(ctx, env.Sys, env.App.Reg.MustType("users"), id, in); err != nil {
				t.Fatal(err)
			}
		}
		n, err := mail.NewNotifier(env.App.DB, i18n.MustLoad(), "Parc <parc@example.org>")
		if err != nil {
			t.Fatal(err)
		}
		n.Install(env.App.Reg)
		tk := alice.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Nouvel écran", "type": "request"}).ID()
		bob.Must(201, "POST", apitest.Path("/api/v1/tickets/%d/approvals", tk), map[string]any{"user_id": mgr.UserID, "comment": "Ligne budgétaire 12"})
		rows, err := env.App.DB.QueryContext(ctx, "SELECT recipient, subject, body FROM mail_outbox WHERE event = ?", "approval")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var to, subject string
			var body []byte
			if err := rows.Scan(&to, &subject, &body); err != nil {
				t.Fatal(err)
			}
			got = append(got, to)
			if to != "maud@example.org" || !strings.Contains(subject, "Validation demandée : Nouvel écran") {
				t.Errorf("approval mail to %s: %q", to, subject)
			}
		}
		if len(got) != 1 {
			t.Fatalf("approval mails to %v, want maud only", got)
		}
	})
}
