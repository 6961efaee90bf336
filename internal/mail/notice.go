package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"io"
	"strings"

	gomail "github.com/emersion/go-message/mail"

	"parc/internal/store"
)

// Notice is a message about something other than a ticket (a contract's notice
// date or end...): its words in the recipient's language, and a path on parc's
// site it links to (with BaseURL).
type Notice struct {
	Event string // kind, kept in the outbox ("contract_notice")
	// Thread groups the notices of one record in mail programs ("contract.12").
	Thread string
	// Message gives the subject and the text in a language.
	Message func(lang string) (subject, text string)
	Path    string
}

// QueueNotice queues a notice for each of users who can and want to receive
// mail, in the caller's transaction (sent by the outbox job, as ticket mail is).
func (n *Notifier) QueueNotice(ctx context.Context, tx *store.Tx, users []int64, nt Notice) (int, error) {
	if len(users) == 0 {
		return 0, nil
	}
	rcpts, err := n.users(ctx, tx, users)
	if err != nil {
		return 0, err
	}
	now := n.Now()
	for _, r := range rcpts {
		subject, text := nt.Message(r.Lang)
		if nt.Path != "" && n.BaseURL != "" {
			text += "\n\n" + strings.TrimRight(n.BaseURL, "/") + nt.Path
		}
		text = n.Cat.T(r.Lang, "mail.hello", r.Name) + "\n\n" + text + "\n\n-- \n" + n.Cat.T(r.Lang, "mail.footer") + "\n"
		var b [9]byte
		rand.Read(b[:])
		id := fmt.Sprintf("parc.%s.%s@%s", strings.ReplaceAll(nt.Event, "_", "-"), hex.EncodeToString(b[:]), n.Domain)
		raw, err := composeNotice(n, r, subject, text, id, fmt.Sprintf("parc.%s@%s", nt.Thread, n.Domain))
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (message_id, ticket_id, user_id, event, sender, recipient, lang, subject, body, state, attempts, claim, next_attempt_at, created_at)
			VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, 0, ?, ?)`,
			id, r.UserID, nt.Event, n.From.Address, r.Email, r.Lang, subject, raw, now, now); err != nil {
			return 0, err
		}
	}
	return len(rcpts), nil
}

// composeNotice writes a notice as an RFC 5322 message, text and HTML, marked as
// automatic like ticket notifications.
func composeNotice(n *Notifier, to recipient, subject, text, id, thread string) (string, error) {
	var h gomail.Header
	h.SetDate(n.Now())
	h.SetAddressList("From", []*gomail.Address{{Name: n.From.Name, Address: n.From.Address}})
	h.SetAddressList("To", []*gomail.Address{{Name: to.Name, Address: to.Email}})
	h.Set("Subject", encodeSubject(subject))
	h.SetMessageID(id)
	h.SetMsgIDList("References", []string{thread})
	h.Set("Auto-Submitted", "auto-generated")
	h.Set("X-Auto-Response-Suppress", "All")
	h.Set("Content-Language", to.Lang)
	var b bytes.Buffer
	w, err := gomail.CreateInlineWriter(&b, h)
	if err != nil {
		return "", err
	}
	htmlBody := "<!DOCTYPE html><html lang=\"" + html.EscapeString(to.Lang) + "\"><body><p>" +
		strings.ReplaceAll(html.EscapeString(text), "\n", "<br>") + "</p></body></html>"
	for _, p := range []struct{ ctype, body string }{{"text/plain", text}, {"text/html", htmlBody}} {
		var ph gomail.InlineHeader
		ph.SetContentType(p.ctype, map[string]string{"charset": "utf-8"})
		ph.Set("Content-Transfer-Encoding", "quoted-printable")
		pw, err := w.CreatePart(ph)
		if err != nil {
			return "", err
		}
		if _, err := io.WriteString(pw, p.body); err != nil {
			return "", err
		}
		if err := pw.Close(); err != nil {
			return "", err
		}
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return b.String(), nil
}
