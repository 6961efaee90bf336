package mailgate_test

import (
	"crypto/x509"
	"errors"
	"parc/internal/mailgate"
	"strings"
	"testing"

	"parc/internal/mail"
	"parc/internal/mailtest"
)

// TestGatewayOverTLS reads mails over IMAPS and STARTTLS from a dovecot whose
// certificate comes from a private authority: refused while parc does not trust
// it (the mail stays unseen for later), read once the authority is given.
func TestGatewayOverTLS(t *testing.T) {
	cert := mailtest.NewCert(t)
	d := mailtest.StartDovecotTLS(t, cert)
	roots, err := mail.LoadCAFile(cert.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, "sqlite", d)
	for i, tc := range []struct{ name, url string }{
		{"imaps", "imaps://tls-implicit:" + mailtest.Password + "@" + d.TLSAddr + "/INBOX"},
		{"starttls=require", "imap://tls-require:" + mailtest.Password + "@" + d.Addr + "/INBOX?starttls=require"},
		// Offered STARTTLS is used, and an untrusted certificate is no reason
		// to go on in plain text.
		{"starttls=auto", "imap://tls-auto:" + mailtest.Password + "@" + d.Addr + "/INBOX"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			box := mailbox(t, tc.url)
			mid := "tls" + string(rune('a'+i)) + "@example.org"
			d.Deliver(t, box.User, plain("alice@example.org", "Wi-Fi "+tc.name, mid, "", "Plus de réseau."))

			_, err := f.gate.Poll(f.ctx, box)
			var unknown x509.UnknownAuthorityError
			if err == nil || !errors.As(err, &unknown) || !strings.Contains(err.Error(), mail.CAFileVar) || !strings.HasPrefix(err.Error(), "IMAP "+box.Addr+": ") {
				t.Fatalf("untrusted certificate: %v", err)
			}
			if n := d.Unseen(t, box.User); n != 1 {
				t.Fatalf("%d unseen after a refused connection, want 1", n)
			}
			if n := f.count(t, "SELECT COUNT(*) FROM mail_inbound WHERE message_id = ?", mid); n != 0 {
				t.Fatalf("mail handled over an untrusted connection")
			}

			box.RootCAs = roots
			counts, err := f.gate.Poll(f.ctx, box)
			if err != nil || counts[mailgate.OutTicket] != 1 {
				t.Fatalf("trusted: %v %v", counts, err)
			}
			out, tk := f.outcome(t, mid)
			if out != mailgate.OutTicket || f.str(t, "SELECT title FROM tickets WHERE id = ?", tk) != "Wi-Fi "+tc.name {
				t.Errorf("%s: %s, ticket %d", mid, out, tk)
			}
			if n := d.Unseen(t, box.User); n != 0 {
				t.Errorf("%d unseen after the pass", n)
			}
		})
	}
}
