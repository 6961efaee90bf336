package mail_test

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"os"
	"parc/internal/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parc/internal/mailtest"
	"parc/internal/storetest"
)

// TestSMTPOverTLS sends the outbox over smtps and STARTTLS to a relay whose
// certificate comes from a private authority: while parc does not trust that
// authority nothing is sent and the message waits with a clear error; once
// PARC_MAIL_CA_FILE's authority is given, it arrives, encrypted.
func TestSMTPOverTLS(t *testing.T) {
	cert := mailtest.NewCert(t)
	roots, err := mail.LoadCAFile(cert.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db := storetest.OpenTest(t, "sqlite")
	for _, tc := range []struct {
		name     string
		implicit bool
		url      string // the relay's address is added after the scheme
	}{
		{"smtps", true, "smtps://"},
		{"starttls=require", false, "smtp://?starttls=require"},
		// Offered STARTTLS is used, and an untrusted certificate is no reason to
		// send in plain text.
		{"starttls=auto", false, "smtp://"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, addr := startSMTPTLS(t, cert.ServerTLS(t), tc.implicit)
			cfg, err := mail.ParseSMTPURL(strings.Replace(tc.url, "://", "://"+addr, 1))
			if err != nil {
				t.Fatal(err)
			}
			mid := "tls." + tc.name + "@example.org"
			if _, err := db.Exec(context.Background(), `INSERT INTO mail_outbox (message_id, event, sender, recipient, lang, subject, body, next_attempt_at, created_at)
				VALUES (?, 'created', 'parc@example.org', 'alice@example.org', 'en', 'TLS', ?, ?, ?)`,
				mid, "From: parc@example.org\r\nTo: alice@example.org\r\nSubject: TLS\r\nMessage-ID: <"+mid+">\r\n\r\nOver "+tc.name+".\r\n",
				time.Now().UTC(), time.Now().UTC()); err != nil {
				t.Fatal(err)
			}
			state := func() (string, string) {
				var st, last string
				db.QueryRowContext(context.Background(), "SELECT state, COALESCE(last_error, '') FROM mail_outbox WHERE message_id = ?", mid).Scan(&st, &last)
				return st, last
			}

			_, err = mail.Dial(cfg)
			var unknown x509.UnknownAuthorityError
			if err == nil || !errors.As(err, &unknown) || !strings.HasPrefix(err.Error(), "SMTP "+addr+": ") || !strings.Contains(err.Error(), mail.CAFileVar) {
				t.Fatalf("untrusted certificate: %v", err)
			}
			s := mail.NewSender(db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if sent, err := s.SendDue(ctx); err != nil || sent != 0 {
				t.Fatalf("untrusted: %d sent, %v", sent, err)
			}
			if st, last := state(); st != "queued" || !strings.Contains(last, "certificate signed by unknown authority") || !strings.Contains(last, mail.CAFileVar) {
				t.Fatalf("after a refused certificate: %s, %q", st, last)
			}
			if n := len(srv.messages()); n != 0 {
				t.Fatalf("%d messages received over an untrusted connection", n)
			}

			cfg.RootCAs = roots
			s.Now = func() time.Time { return time.Now().UTC().Add(mail.Backoff(1) + time.Second) }
			if sent, err := s.SendDue(ctx); err != nil || sent != 1 {
				t.Fatalf("trusted: %d sent, %v", sent, err)
			}
			got := srv.messages()
			if len(got) != 1 || !got[0].TLS || got[0].To[0] != "alice@example.org" || !strings.Contains(string(got[0].Data), "Over "+tc.name+".") {
				t.Fatalf("received %+v", got)
			}
			if st, _ := state(); st != "sent" {
				t.Errorf("state %s", st)
			}
		})
	}
}

// TestSMTPRequireTLS: starttls=require refuses a relay that does not offer it,
// rather than sending in plain text.
func TestSMTPRequireTLS(t *testing.T) {
	srv, addr := startSMTP(t)
	cfg, err := mail.ParseSMTPURL("smtp://" + addr + "?starttls=require")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mail.Dial(cfg); err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") {
		t.Fatalf("plain relay with starttls=require: %v", err)
	}
	// Without TLS asked for, the same relay is used as it is.
	cfg.TLS = mail.TLSAuto
	cl, err := mail.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.SendMail("parc@example.org", []string{"bob@example.org"}, strings.NewReader("Subject: x\r\n\r\nx\r\n")); err != nil {
		t.Fatal(err)
	}
	cl.Quit()
	if got := srv.messages(); len(got) != 1 || got[0].TLS {
		t.Fatalf("received %+v", got)
	}
}

func TestLoadCAFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := mail.LoadCAFile(filepath.Join(dir, "missing.pem")); err == nil || !strings.Contains(err.Error(), mail.CAFileVar) {
		t.Errorf("missing file: %v", err)
	}
	junk := filepath.Join(dir, "junk.pem")
	os.WriteFile(junk, []byte("not a certificate"), 0o644)
	if _, err := mail.LoadCAFile(junk); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("file without a certificate: %v", err)
	}
}
