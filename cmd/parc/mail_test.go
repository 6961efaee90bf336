package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parc/internal/app"
	"parc/internal/jobs"
	"parc/internal/mailgate"
	"parc/internal/mailtest"
	"parc/internal/record"
	"parc/internal/store"
	"parc/internal/storetest"
)

// TestMain lets a test run this binary as parc itself (PARC_TEST_AS_PARC=1), to
// see what a user of the command sees: its exit status and its messages.
func TestMain(m *testing.M) {
	if os.Getenv("PARC_TEST_AS_PARC") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runParc runs parc with args in a process of its own, with the mail settings
// of env only (the test's own PARC_* mail variables are cleared), and gives its
// exit status and output.
func runParc(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "PARC_TEST_AS_PARC=1", "PARC_DATABASE_URL=", "PARC_SMTP_URL=", "PARC_IMAP_URL=",
		"PARC_MAIL_FROM=", "PARC_MAIL_CA_FILE=", "PARC_MAIL_UNKNOWN_SENDER=", "PARC_MAIL_MAX_MB=", "PARC_LOG_FORMAT=", "PARC_LOG_LEVEL=")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run parc %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

// TestMailgateOnceTakesTheGatewayLease: while another process runs the gateway
// (as parc serve does, under its job lease and lock), `parc mailgate --once` polls
// nothing and says why; once that run is over, it polls.
func TestMailgateOnceTakesTheGatewayLease(t *testing.T) {
	d := mailtest.StartDovecot(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		cfg := storetest.TestConfig(t, kind)
		data := cfg.DataDir
		if data == "" {
			data = t.TempDir()
		}
		a, sys, err := openApp(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		u, err := a.Auth.CreateUser(ctx, sys, "alice", "correct horse battery", "self-service", sys.Tree.Root)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Records.Update(ctx, sys, a.Reg.MustType("users"), u.ID, record.Input{"email": "alice@example.org"}); err != nil {
			t.Fatal(err)
		}
		box := "lease-" + kind
		d.Deliver(t, box, "From: alice@example.org\nTo: support@example.org\nSubject: Scanner\nMessage-ID: <lease@example.org>\n\nIt jams.\n")
		env := map[string]string{"PARC_DATABASE_URL": cfg.DatabaseURL, "PARC_IMAP_URL": d.URL(box), "PARC_MAIL_FROM": "Parc <parc@example.org>"}
		tickets := func() int {
			var n int
			if err := a.DB.R.QueryRow("SELECT COUNT(*) FROM tickets").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// The other process's run: the job's lease (and, on PostgreSQL, its lock)
		// is held while this runs.
		other := jobs.New(a.DB, nil)
		ran, _, err := other.RunIfDue(ctx, jobs.Job{Name: mailgate.JobName, Every: time.Minute, Run: func(context.Context) error {
			code, _, errOut := runParc(t, env, "mailgate", "--once", "--data", data)
			if code == 0 || !strings.Contains(errOut, "another process") {
				t.Errorf("mailgate --once during another run: exit %d\n%s", code, errOut)
			}
			if n := d.Unseen(t, box); n != 1 {
				t.Errorf("%d mails unseen during another run, want 1", n)
			}
			if n := tickets(); n != 0 {
				t.Errorf("%d tickets opened during another run", n)
			}
			return nil
		}})
		if !ran || err != nil {
			t.Fatalf("the other run: %v %v", ran, err)
		}
		// The other run is over: the next pass polls, though the job is not due yet.
		code, _, errOut := runParc(t, env, "mailgate", "--once", "--data", data)
		if code != 0 || !strings.Contains(errOut, "outcome=ticket") || tickets() != 1 {
			t.Fatalf("mailgate --once after the other run: exit %d, %d tickets\n%s", code, tickets(), errOut)
		}
	})
}

// TestMailgateOnce: one `parc mailgate --once` turns a new mail into a ticket of
// its sender and the reply to it into a follow-up; a second pass finds nothing
// new.
func TestMailgateOnce(t *testing.T) {
	d := mailtest.StartDovecot(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		cfg := storetest.TestConfig(t, kind)
		data := cfg.DataDir
		if data == "" {
			data = t.TempDir()
		}
		a, sys, err := openApp(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		u, err := a.Auth.CreateUser(ctx, sys, "alice", "correct horse battery", "self-service", sys.Tree.Root)
		if err != nil {
			t.Fatal(err)
		}
		alice := u.ID
		if _, err := a.Records.Update(ctx, sys, a.Reg.MustType("users"), alice, record.Input{"email": "alice@example.org"}); err != nil {
			t.Fatal(err)
		}
		a.Close()

		box := "support-" + kind
		d.Deliver(t, box,
			"From: Alice <alice@example.org>\nTo: support@example.org\nSubject: Imprimante en panne\nMessage-ID: <new@example.org>\n\nElle n'imprime plus.\n",
			"From: alice@example.org\nTo: support@example.org\nSubject: Re: Imprimante en panne\nMessage-ID: <reply@example.org>\nIn-Reply-To: <new@example.org>\n\nC'est réparé.\n\n> Elle n'imprime plus.\n")
		env := map[string]string{"PARC_DATABASE_URL": cfg.DatabaseURL, "PARC_IMAP_URL": d.URL(box), "PARC_MAIL_FROM": "Parc <parc@example.org>"}
		code, _, errOut := runParc(t, env, "mailgate", "--once", "--data", data)
		if code != 0 || !strings.Contains(errOut, "outcome=ticket") || !strings.Contains(errOut, "outcome=followup") {
			t.Fatalf("first pass: exit %d\n%s", code, errOut)
		}
		if n := d.Unseen(t, box); n != 0 {
			t.Errorf("%d mails left unseen", n)
		}
		check := func(pass string) {
			t.Helper()
			a, sys, err := openApp(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			count := func(q string, args ...any) int {
				var n int
				if err := a.DB.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				return n
			}
			if n := count("SELECT COUNT(*) FROM tickets"); n != 1 {
				t.Fatalf("%s: %d tickets, want 1", pass, n)
			}
			tk, err := a.Records.Get(ctx, sys, a.Reg.MustType("tickets"), int64(count("SELECT id FROM tickets")))
			if err != nil {
				t.Fatal(err)
			}
			if tk.String("title") != "Imprimante en panne" || tk.Int("user_id") != alice || !strings.Contains(tk.String("description"), "Elle n'imprime plus.") {
				t.Errorf("%s: ticket %q requester %d: %q", pass, tk.String("title"), tk.Int("user_id"), tk.String("description"))
			}
			var content string
			var by int64
			if err := a.DB.QueryRowContext(context.Background(), "SELECT content, user_id FROM ticket_followups WHERE ticket_id = ?", tk.ID).Scan(&content, &by); err != nil {
				t.Fatalf("%s: the reply is not the ticket's one follow-up: %v", pass, err)
			}
			if content != "C'est réparé." || by != alice {
				t.Errorf("%s: follow-up %q by %d", pass, content, by)
			}
			if n := count("SELECT COUNT(*) FROM ticket_followups"); n != 1 {
				t.Errorf("%s: %d follow-ups, want 1", pass, n)
			}
			if n := count("SELECT COUNT(*) FROM mail_inbound"); n != 2 {
				t.Errorf("%s: %d mails recorded, want 2", pass, n)
			}
		}
		check("first pass")

		code, _, errOut = runParc(t, env, "mailgate", "--once", "--data", data)
		if code != 0 || strings.Contains(errOut, "outcome=") {
			t.Fatalf("second pass: exit %d\n%s", code, errOut)
		}
		check("second pass")
	})
}

// TestMailgateErrors: a wrong setting or an unreachable or untrusted server
// ends `parc mailgate --once` with a message that says which, and a failure
// status for cron or a service manager to see.
func TestMailgateErrors(t *testing.T) {
	data := t.TempDir()
	a, _, err := openApp(context.Background(), store.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	// A loopback port nobody listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	cert := mailtest.NewCert(t)
	d := mailtest.StartDovecotTLS(t, cert)
	imaps := "imaps://tls-box:" + mailtest.Password + "@" + d.TLSAddr + "/INBOX"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string // in the output, in this order
	}{
		{"no mailbox", nil, []string{"parc: mailgate needs PARC_IMAP_URL"}},
		{"bad URL", map[string]string{"PARC_IMAP_URL": "http://support:hunter2pw@127.0.0.1/INBOX"}, []string{"parc: PARC_IMAP_URL must start with imap:// or imaps://"}},
		{"unparsable URL", map[string]string{"PARC_IMAP_URL": "imap://support:hunter2pw@127.0.0.1:xx/INBOX"}, []string{"parc: PARC_IMAP_URL: invalid port"}},
		{"unreachable", map[string]string{"PARC_IMAP_URL": "imap://support:hunter2pw@" + closed + "/INBOX"},
			[]string{"parc: IMAP " + closed + ": ", "connection refused"}},
		{"untrusted certificate", map[string]string{"PARC_IMAP_URL": imaps},
			[]string{"parc: IMAP " + d.TLSAddr + ": ", "certificate signed by unknown authority", "PARC_MAIL_CA_FILE"}},
		{"missing CA file", map[string]string{"PARC_IMAP_URL": imaps, "PARC_MAIL_CA_FILE": filepath.Join(data, "missing.pem")},
			[]string{"parc: PARC_MAIL_CA_FILE: ", "missing.pem"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runParc(t, tc.env, "mailgate", "--once", "--data", data)
			rest := errOut
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("exit %d, output lacks %q:\n%s", code, w, errOut)
				}
				rest = rest[i+len(w):]
			}
			if code != 1 || out != "" || strings.Contains(errOut, "hunter2pw") {
				t.Errorf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
			}
		})
	}
	// The same server once its authority is given: a clean pass.
	code, _, errOut := runParc(t, map[string]string{"PARC_IMAP_URL": imaps, "PARC_MAIL_CA_FILE": cert.CAFile}, "mailgate", "--once", "--data", data)
	if code != 0 || strings.Contains(errOut, "level=WARN") {
		t.Fatalf("trusted: exit %d\n%s", code, errOut)
	}
}

// TestMailCAFile: PARC_MAIL_CA_FILE makes the SMTP sender and every mailbox
// trust the private authority, which they do not without it.
func TestMailCAFile(t *testing.T) {
	cert := mailtest.NewCert(t)
	block, _ := pem.Decode(cert.CertPEM)
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := openApp(context.Background(), store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	t.Setenv("PARC_SMTP_URL", "smtps://127.0.0.1")
	t.Setenv("PARC_MAIL_FROM", "parc@example.org")
	t.Setenv("PARC_IMAP_URL", "imaps://a:b@127.0.0.1/INBOX,imap://c:d@127.0.0.1/INBOX")
	for _, ca := range []string{"", cert.CAFile} {
		t.Setenv("PARC_MAIL_CA_FILE", ca)
		cfg, err := mailConfig()
		if err != nil {
			t.Fatal(err)
		}
		wired, err := app.Build(a.DB, app.Options{Log: logger(io.Discard), Mail: cfg})
		if err != nil {
			t.Fatal(err)
		}
		pools := map[string]*x509.CertPool{"SMTP": wired.Sender.SMTP.RootCAs}
		for _, m := range wired.Gateway.Opt.Mailboxes {
			pools[m.Name()] = m.RootCAs
		}
		for name, pool := range pools {
			_, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost"})
			if (err == nil) != (ca != "") {
				t.Errorf("%s with PARC_MAIL_CA_FILE=%q: %v", name, ca, err)
			}
		}
	}
}
