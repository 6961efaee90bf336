package mail_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"parc/internal/mail"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"

	"parc/internal/apitest"
	"parc/internal/helpdesk"
	"parc/internal/i18n"
	"parc/internal/record"
	"parc/internal/store"
	"parc/internal/storetest"
)

// received is one message the test SMTP server accepted.
type received struct {
	From string
	To   []string
	Data []byte
	TLS  bool // the message came over an encrypted connection
}

// smtpServer is a real SMTP listener on loopback that keeps what it receives;
// failNext makes it answer the next DATA with a temporary error.
type smtpServer struct {
	mu       sync.Mutex
	got      []received
	failNext bool
}

type session struct {
	srv  *smtpServer
	conn *smtp.Conn
	cur  received
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.From = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.failNext {
		s.srv.failNext = false
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.cur.Data = b
	_, s.cur.TLS = s.conn.TLSConnectionState()
	s.srv.got = append(s.srv.got, s.cur)
	return nil
}

func startSMTP(t *testing.T) (*smtpServer, string) { return startSMTPTLS(t, nil, false) }

// startSMTPTLS is startSMTP with a certificate: STARTTLS offered, or with
// implicit TLS from the first byte (smtps).
func startSMTPTLS(t *testing.T, conf *tls.Config, implicit bool) (*smtpServer, string) {
	srv := &smtpServer{}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{srv: srv, conn: c}, nil }))
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	if s.TLSConfig = conf; conf != nil {
		// Tests make clients refuse the certificate on purpose: no log of it.
		s.ErrorLog = log.New(io.Discard, "", 0)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if implicit {
		l = tls.NewListener(l, conf)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return srv, l.Addr().String()
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

// readMessage gives a received message's header and its text part.
func readMessage(t *testing.T, data []byte) (gomail.Header, string, string) {
	t.Helper()
	mr, err := gomail.CreateReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var text, html string
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		if ct := p.Header.Get("Content-Type"); strings.HasPrefix(ct, "text/html") {
			html = string(b)
		} else {
			text = string(b)
		}
	}
	return mr.Header, text, html
}

func TestNotificationsOverSMTP(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		env := apitest.New(t, kind)
		org := env.Org("Mairie", env.Root)
		alice := env.User("alice", "self-service", org)
		bob := env.User("bob", "technician", org)
		carol := env.User("carol", "technician", org)
		users := env.App.Reg.MustType("users")
		for id, in := range map[int64]record.Input{
			alice.UserID: {"email": "alice@example.org", "language": "fr"},
			bob.UserID:   {"email": "bob@example.org", "language": "en"},
			carol.UserID: {"email": "carol@example.org", "notify_by_mail": false},
		} {
			if _, err := env.App.Records.Update(ctx, env.Sys, users, id, in); err != nil {
				t.Fatal(err)
			}
		}
		group := env.Create("groups", record.Input{"name": "Support", "organization_id": org})
		for _, u := range []int64{bob.UserID, carol.UserID} {
			env.Create("group-members", record.Input{"group_id": group, "user_id": u, "organization_id": org})
		}
		n, err := mail.NewNotifier(env.App.DB, i18n.MustLoad(), "Parc <parc@example.org>")
		if err != nil {
			t.Fatal(err)
		}
		n.Install(env.App.Reg)

		// Bob opens a ticket for Alice, for his group: Alice hears of it in
		// French; Bob (the author) and Carol (opted out) do not.
		tk := bob.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Écran noir", "description": "L'écran <b>reste</b> noir.",
			"user_id": alice.UserID, "assigned_group_id": group, "organization_id": org}).ID()
		// A public follow-up goes to Alice, a private one to nobody here.
		bob.Must(201, "POST", apitest.Path("/api/v1/tickets/%d/followups", tk), map[string]any{"content": "Je passe à 14 h."})
		bob.Must(201, "POST", apitest.Path("/api/v1/tickets/%d/followups", tk), map[string]any{"content": "Secret note", "private": true})
		// Alice answers: Bob, in English.
		alice.Must(201, "POST", apitest.Path("/api/v1/tickets/%d/followups", tk), map[string]any{"content": "Thanks, I'll be there."})
		// Bob solves: Alice.
		bob.Must(200, "PUT", apitest.Path("/api/v1/tickets/%d/solution", tk), map[string]any{"solution": "Câble remplacé.", "solution_type": "fixed"})
		// An SLA watcher reports a breach: the group (Bob).
		err = env.App.DB.Tx(ctx, func(tx *store.Tx) error {
			r, err := env.App.Records.GetTx(ctx, tx, env.Sys, env.App.Reg.MustType("tickets"), tk)
			if err != nil {
				return err
			}
			return n.Notify(ctx, tx, helpdesk.Event{Kind: helpdesk.SLABreached, Ticket: r})
		})
		if err != nil {
			t.Fatal(err)
		}

		srv, addr := startSMTP(t)
		srv.failNext = true
		s := mail.NewSender(env.App.DB, &mail.SMTPConfig{Addr: addr, Host: "127.0.0.1", TLS: mail.TLSOff}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		sent, err := s.SendDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sent != 4 {
			t.Errorf("first pass sent %d, want 4 (one refused for now)", sent)
		}
		var retry int
		env.App.DB.R.QueryRow("SELECT COUNT(*) FROM mail_outbox WHERE state = 'queued' AND attempts = 1 AND last_error LIKE '%try again%'").Scan(&retry)
		if retry != 1 {
			t.Fatalf("%d messages waiting for a retry, want 1", retry)
		}
		// The retry is due after its backoff.
		s.Now = func() time.Time { return time.Now().UTC().Add(mail.Backoff(1) + time.Second) }
		if sent, err := s.SendDue(ctx); err != nil || sent != 1 {
			t.Fatalf("retry: %d sent, %v", sent, err)
		}

		type want struct{ to, subject, text string }
		wants := []want{
			{"alice@example.org", "Nouveau ticket : Écran noir", "bob a ouvert le ticket n°"},
			{"alice@example.org", "Nouveau suivi : Écran noir", "Je passe à 14 h."},
			{"bob@example.org", "New follow-up: Écran noir", "Thanks, I'll be there."},
			{"alice@example.org", "Ticket résolu : Écran noir", "Câble remplacé."},
			{"bob@example.org", "Overdue: Écran noir", "is overdue"},
		}
		got := srv.messages()
		if len(got) != len(wants) {
			for _, g := range got {
				h, _, _ := readMessage(t, g.Data)
				s, _ := h.Subject()
				t.Logf("got %v %s", g.To, s)
			}
			t.Fatalf("%d messages received, want %d", len(got), len(wants))
		}
		for _, w := range wants {
			found := false
			for _, g := range got {
				h, text, html := readMessage(t, g.Data)
				subj, _ := h.Subject()
				if g.To[0] != w.to || !strings.HasSuffix(subj, w.subject) {
					continue
				}
				found = true
				if !strings.HasPrefix(subj, apitest.Path("[parc #%d] ", tk)) || !strings.Contains(text, w.text) || g.From != "parc@example.org" || len(g.To) != 1 {
					t.Errorf("%s %q: from %s, text %q", w.to, subj, g.From, text)
				}
				if !strings.Contains(html, "<html lang=") || strings.Contains(html, "<b>reste</b>") {
					t.Errorf("%s %q: html %q", w.to, subj, html)
				}
				mid, _ := h.MessageID()
				var state string
				env.App.DB.QueryRowContext(context.Background(), "SELECT state FROM mail_outbox WHERE message_id = ? AND recipient = ?", mid, w.to).Scan(&state)
				if state != "sent" || h.Get("Auto-Submitted") != "auto-generated" {
					t.Errorf("%s %q: Message-ID %s recorded as %q", w.to, subj, mid, state)
				}
			}
			if !found {
				t.Errorf("no message %q to %s", w.subject, w.to)
			}
		}
		for _, g := range got {
			if g.To[0] == "carol@example.org" {
				t.Error("carol opted out but got a message")
			}
			if strings.Contains(string(g.Data), "Secret note") {
				t.Error("a private follow-up was mailed")
			}
		}
	})
}

func TestSMTPURL(t *testing.T) {
	c, err := mail.ParseSMTPURL("smtp://u%40x:p%3Aw@mail.example.org:587?starttls=require")
	if err != nil || c.Addr != "mail.example.org:587" || c.User != "u@x" || c.Pass != "p:w" || c.TLS != mail.TLSRequire {
		t.Fatalf("%+v %v", c, err)
	}
	if c, err := mail.ParseSMTPURL("smtps://mail.example.org"); err != nil || c.Addr != "mail.example.org:465" || c.TLS != mail.TLSImplicit {
		t.Fatalf("%+v %v", c, err)
	}
	for _, bad := range []string{"http://x", "smtp://", "smtp://h?starttls=maybe", "smtp://u:hunter2pw@h:xx"} {
		if _, err := mail.ParseSMTPURL(bad); err == nil || strings.Contains(err.Error(), "hunter2pw") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
