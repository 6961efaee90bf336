package mailgate_test

import (
	"strings"
	"testing"

	"parc/internal/mailtest"
	"parc/internal/storetest"
)

// TestSubjectControlCharactersAreCleaned: a subject whose encoded words hide
// control or text-direction characters still opens a ticket, titled without them
// (a title refuses them), as inventory values are cleaned.
func TestSubjectControlCharactersAreCleaned(t *testing.T) {
	d := mailtest.StartDovecot(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind, d)
		// "Facture\u202efdp.exe" would show as "Factureexe.pdf"; then a BEL and an ESC.
		f.imap.Deliver(t, f.box, plain("alice@example.org", "=?utf-8?q?Facture=E2=80=AEfdp.exe_=07bip=1B[2J?=", "odd@example.org", "", "Voir la pièce jointe."))
		f.pass(t)
		var title string
		if err := f.env.App.DB.R.QueryRow("SELECT title FROM tickets").Scan(&title); err != nil {
			t.Fatalf("no ticket: %v", err)
		}
		if title != "Facturefdp.exe  bip [2J" || strings.ContainsAny(title, "\x07\x1b\u202e") {
			t.Errorf("title %q", title)
		}
	})
}
