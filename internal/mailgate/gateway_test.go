package mailgate_test

import (
	"context"
	"database/sql"
	"fmt"
	"parc/internal/mailgate"
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/i18n"
	"parc/internal/mail"
	"parc/internal/mailtest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// fixture is a parc with a requester, a technician and a user of another
// organisation, a notifier and a gateway polling a dovecot mailbox.
type fixture struct {
	env                 *apitest.Env
	gate                *mailgate.Gateway
	imap                *mailtest.Dovecot
	box                 string
	alice, bob, mallory int64
	orgA, orgB          int64
	ctx                 context.Context
}

func newFixture(t *testing.T, kind string, d *mailtest.Dovecot) *fixture {
	env := apitest.New(t, kind)
	f := &fixture{env: env, imap: d, box: "support-" + kind, ctx: context.Background()}
	f.orgA = env.Org("Mairie", env.Root)
	f.orgB = env.Org("Autre", env.Root)
	user := func(login, profile string, org int64, email, lang string) int64 {
		id := env.User(login, profile, org).UserID
		if _, err := env.App.Records.Update(f.ctx, env.Sys, env.App.Reg.MustType("users"), id, record.Input{"email": email, "language": lang}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.alice = user("alice", "self-service", f.orgA, "Alice@Example.org", "fr")
	f.bob = user("bob", "technician", f.orgA, "bob@example.org", "en")
	f.mallory = user("mallory", "self-service", f.orgB, "mallory@example.net", "fr")
	cat := i18n.MustLoad()
	n, err := mail.NewNotifier(env.App.DB, cat, "Parc <parc@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	n.Install(env.App.Reg)
	f.gate = mailgate.New(env.App.Core, env.App.Helpdesk, cat, mailgate.Options{Mailboxes: []mailgate.Mailbox{mailbox(t, d.URL(f.box))}, Own: []string{"parc@example.org"}, MaxMessage: 64 << 10, MaxFile: 16 << 10})
	return f
}

// mailbox is the gateway's view of a PARC_IMAP_URL with one mailbox.
func mailbox(t *testing.T, url string) mailgate.Mailbox {
	t.Helper()
	boxes, err := mailgate.ParseMailboxes(url)
	if err != nil || len(boxes) != 1 {
		t.Fatalf("%s: %v %v", url, boxes, err)
	}
	return boxes[0]
}

func (f *fixture) pass(t *testing.T) {
	t.Helper()
	if err := f.gate.RunOnce(f.ctx); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.env.App.DB.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func (f *fixture) str(t *testing.T, q string, args ...any) string {
	t.Helper()
	var s sql.NullString
	if err := f.env.App.DB.QueryRowContext(context.Background(), q, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s.String
}

// outcome reads what became of a mail, by its Message-ID.
func (f *fixture) outcome(t *testing.T, mid string) (string, int64) {
	t.Helper()
	var out string
	var ticket sql.NullInt64
	err := f.env.App.DB.QueryRowContext(context.Background(), "SELECT outcome, ticket_id FROM mail_inbound WHERE message_id = ?", mid).Scan(&out, &ticket)
	if err != nil {
		t.Fatalf("mail %s: %v", mid, err)
	}
	return out, ticket.Int64
}

func plain(from, subject, mid, extra, body string) string {
	return fmt.Sprintf("From: %s\nTo: support@example.org\nSubject: %s\nMessage-ID: <%s>\nDate: Mon, 24 Nov 2025 10:00:00 +0100\nMIME-Version: 1.0\n%sContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s\n", from, subject, mid, extra, body)
}

func TestGateway(t *testing.T) {
	d := mailtest.StartDovecot(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind, d)

		withFile := `From: Alice Martin <alice@example.org>
To: support@example.org
Subject: =?utf-8?q?Imprimante_en_panne_au_2=C3=A8me?=
Message-ID: <m1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

L'imprimante du 2=E8me affiche une erreur.
--b1
Content-Type: application/pdf; name="erreur.pdf"
Content-Disposition: attachment; filename="erreur.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IK
--b1
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="huge.bin"
Content-Transfer-Encoding: base64

` + strings.Repeat(strings.Repeat("A", 76)+"\n", 300) + `--b1--
`
		autoReply := plain("alice@example.org", "Absent du bureau", "m2@example.org", "Auto-Submitted: auto-replied\n", "Je suis absente.")
		bounce := `From: MAILER-DAEMON@example.org
To: support@example.org
Subject: Undelivered Mail Returned to Sender
Message-ID: <m3@example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="r"

--r
Content-Type: text/plain

Delivery failed.
--r
Content-Type: message/delivery-status

Status: 5.1.1
--r--
`
		htmlMail := `From: alice@example.org
To: support@example.org
Subject: Ecran noir
Message-ID: <m4@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><style>p{color:red}</style><script>alert("pwned")</script></head><body><p>Bonjour,</p><p>Mon <b>écran</b> reste noir.<img src=x onerror="alert(1)"></p><a href="javascript:alert(2)">clic</a></body></html>
`
		broken := `From: alice@example.org
To: support@example.org
Subject: Cassé
Message-ID: <m5@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="nope"

--nope
Content-Type: text/plain
Content-Transfer-Encoding: base64

!!!! not base64 !!!!
--nope--
`
		huge := plain("alice@example.org", "Gros fichier", "m6@example.org", "", strings.Repeat("x", 100<<10))
		unknown := plain("stranger@example.com", "Hello", "m7@example.org", "", "Who am I?")
		loop := plain("parc@example.org", "[parc #1] Nouveau suivi", "m8@example.org", "", "Our own mail.")
		f.imap.Deliver(t, f.box, withFile, autoReply, bounce, htmlMail, broken, huge, unknown, loop)
		f.pass(t)

		out, t1 := f.outcome(t, "m1@example.org")
		if out != mailgate.OutTicket || t1 == 0 {
			t.Fatalf("new mail: %s, ticket %d", out, t1)
		}
		tk, err := f.env.App.Records.Get(f.ctx, f.env.Sys, f.env.App.Reg.MustType("tickets"), t1)
		if err != nil {
			t.Fatal(err)
		}
		if tk.String("title") != "Imprimante en panne au 2ème" || tk.Int("user_id") != f.alice || tk.OrgID != f.orgA {
			t.Errorf("ticket: title %q requester %d org %d", tk.String("title"), tk.Int("user_id"), tk.OrgID)
		}
		desc := tk.String("description")
		if !strings.Contains(desc, "L'imprimante du 2ème affiche une erreur.") || !strings.Contains(desc, "huge.bin") || !strings.Contains(desc, "non conservée") {
			t.Errorf("description: %q", desc)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM ticket_attachments WHERE ticket_id = ? AND filename = 'erreur.pdf' AND content_type = 'application/pdf' AND size = 15", t1); n != 1 {
			t.Errorf("attachment kept: %d", n)
		}
		if o := f.str(t, "SELECT MIN(origin) FROM history WHERE record_type = 'tickets' AND record_id = ?", t1); o != record.OriginMail {
			t.Errorf("history origin %q", o)
		}
		for mid, want := range map[string]string{"m2@example.org": mailgate.OutIgnored, "m3@example.org": mailgate.OutIgnored, "m5@example.org": mailgate.OutMalformed,
			"m6@example.org": mailgate.OutRefused, "m7@example.org": mailgate.OutRefused, "m8@example.org": mailgate.OutIgnored} {
			if got, tid := f.outcome(t, mid); got != want || tid != 0 {
				t.Errorf("%s: %s (ticket %d), want %s", mid, got, tid, want)
			}
		}
		out, t4 := f.outcome(t, "m4@example.org")
		html := f.str(t, "SELECT description FROM tickets WHERE id = ?", t4)
		if out != mailgate.OutTicket || !strings.Contains(html, "Mon écran reste noir.") || strings.Contains(html, "alert") || strings.Contains(html, "<") || strings.Contains(html, "color") {
			t.Errorf("HTML mail: %s, description %q", out, html)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM tickets"); n != 2 {
			t.Errorf("%d tickets after the first pass, want 2", n)
		}
		if n := f.imap.Unseen(t, f.box); n != 0 {
			t.Errorf("%d mails left unseen", n)
		}

		// The technician takes the ticket: parc tells him, with a Message-ID it keeps.
		if _, err := f.env.App.Records.Update(f.ctx, f.env.Sys, f.env.App.Reg.MustType("tickets"), t1, record.Input{"assigned_user_id": f.bob}); err != nil {
			t.Fatal(err)
		}
		notif := f.str(t, "SELECT message_id FROM mail_outbox WHERE ticket_id = ? AND user_id = ? AND event = 'assigned'", t1, f.bob)
		if notif == "" {
			t.Fatal("no assignment notification queued")
		}
		// Bob answers the notification; Alice answers with the reference in the
		// subject; Mallory, of another organisation, tries the same.
		bobReply := plain("Bob <BOB@example.org>", "Re: [parc #"+fmt.Sprint(t1)+"] Ticket assigned", "r1@example.org",
			"In-Reply-To: <"+notif+">\nReferences: <"+notif+">\n", "I will come at 2pm.\n\nOn Monday, parc wrote:\n> Ticket assigned")
		aliceReply := fmt.Sprintf(`From: alice@example.org
To: support@example.org
Subject: RE: [PARC #%d] Imprimante
Message-ID: <r2@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b2"

--b2
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Merci, je serai là.

> ancien texte
--b2
Content-Type: text/plain; name="journal.txt"
Content-Disposition: attachment; filename="journal.txt"

erreur 42
--b2--
`, t1)
		malloryReply := plain("mallory@example.net", fmt.Sprintf("Re: [parc #%d] Imprimante", t1), "r3@example.org", "In-Reply-To: <"+notif+">\n", "Let me in.")
		f.imap.Deliver(t, f.box, bobReply, aliceReply, malloryReply)
		f.pass(t)

		for mid, who := range map[string]int64{"r1@example.org": f.bob, "r2@example.org": f.alice} {
			out, tid := f.outcome(t, mid)
			if out != mailgate.OutFollowup || tid != t1 {
				t.Errorf("%s: %s on ticket %d, want a follow-up on %d", mid, out, tid, t1)
			}
			if n := f.count(t, "SELECT COUNT(*) FROM ticket_followups WHERE ticket_id = ? AND user_id = ?", t1, who); n != 1 {
				t.Errorf("%s: %d follow-ups by user %d", mid, n, who)
			}
		}
		if c := f.str(t, "SELECT content FROM ticket_followups WHERE ticket_id = ? AND user_id = ?", t1, f.bob); c != "I will come at 2pm." {
			t.Errorf("quoted text kept: %q", c)
		}
		// A reply's attachment is kept with its follow-up.
		if n := f.count(t, `SELECT COUNT(*) FROM ticket_attachments a JOIN ticket_followups fu ON fu.id = a.followup_id
			WHERE a.ticket_id = ? AND fu.user_id = ? AND a.filename = 'journal.txt'`, t1, f.alice); n != 1 {
			t.Errorf("reply's attachment with its follow-up: %d", n)
		}
		out, tm := f.outcome(t, "r3@example.org")
		if out != mailgate.OutTicket || tm == t1 {
			t.Errorf("foreign reply: %s on ticket %d", out, tm)
		}
		if org := f.count(t, "SELECT organization_id FROM tickets WHERE id = ?", tm); int64(org) != f.orgB {
			t.Errorf("foreign reply's ticket in org %d", org)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM ticket_followups WHERE ticket_id = ?", t1); n != 2 {
			t.Errorf("%d follow-ups on the ticket, want 2", n)
		}
		// Bob's follow-up by mail notifies Alice, in French, and not Bob.
		if n := f.count(t, "SELECT COUNT(*) FROM mail_outbox WHERE ticket_id = ? AND event = 'followup' AND user_id = ? AND lang = 'fr'", t1, f.alice); n != 1 {
			t.Errorf("alice got %d follow-up notifications", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM mail_outbox WHERE event = 'followup' AND user_id = ? AND subject LIKE '%2pm%'", f.bob); n != 0 {
			t.Errorf("bob told of his own follow-up")
		}

		// The same mail again (a second copy, a second pass): still one ticket.
		before := f.count(t, "SELECT COUNT(*) FROM tickets")
		f.imap.Deliver(t, f.box, withFile)
		f.pass(t)
		f.pass(t)
		if n := f.count(t, "SELECT COUNT(*) FROM tickets"); n != before {
			t.Errorf("a mail processed twice made %d tickets, want %d", n, before)
		}
		// A crash after the commit, before \Seen: the next pass finds the mail
		// unseen and only marks it.
		crash := plain("alice@example.org", "Clavier", "c1@example.org", "", "Touche cassée.")
		res, err := f.gate.Handle(f.ctx, mailgate.Source{Mailbox: "test"}, []byte(strings.ReplaceAll(crash, "\n", "\r\n")))
		if err != nil || res.Outcome != mailgate.OutTicket {
			t.Fatalf("handle: %v %v", res, err)
		}
		f.imap.Deliver(t, f.box, crash)
		f.pass(t)
		if n := f.count(t, "SELECT COUNT(*) FROM tickets WHERE title = 'Clavier'"); n != 1 {
			t.Errorf("restart mid-pass: %d tickets", n)
		}
		if n := f.imap.Unseen(t, f.box); n != 0 {
			t.Errorf("%d mails left unseen", n)
		}
	})
}
