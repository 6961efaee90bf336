package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"parc/internal/loan"
	"parc/internal/store"
)

// LoanDue queues the reminder of a loan ending soon to its borrower (a
// loan.RemindFunc, in the reminder job's transaction): plain text in their
// language, marked as automatic. Borrowers who cannot or do not want to receive
// mail are skipped, as for ticket notifications.
func (n *Notifier) LoanDue(ctx context.Context, tx *store.Tx, r loan.Reminder) error {
	rcpts, err := n.users(ctx, tx, []int64{r.UserID})
	if err != nil || len(rcpts) == 0 {
		return err
	}
	to := rcpts[0]
	end := r.EndDate
	if d, err := time.Parse("2006-01-02", r.EndDate); err == nil && to.Lang == "fr" {
		end = d.Format("02/01/2006")
	}
	subject := n.Cat.T(to.Lang, "mail.loan_due.subject", r.Asset, end)
	text := n.Cat.T(to.Lang, "mail.hello", to.Name) + "\n\n" + n.Cat.T(to.Lang, "mail.loan_due.body", r.Asset, end) + "\n"
	var b [9]byte
	rand.Read(b[:])
	id := fmt.Sprintf("parc.loan.%d.%s@%s", r.Reservation, hex.EncodeToString(b[:]), n.Domain)
	now := n.Now()
	var h gomail.Header
	h.SetDate(now)
	h.SetAddressList("From", []*gomail.Address{{Name: n.From.Name, Address: n.From.Address}})
	h.SetAddressList("To", []*gomail.Address{{Name: to.Name, Address: to.Email}})
	h.Set("Subject", encodeSubject(subject))
	h.SetMessageID(id)
	h.Set("Auto-Submitted", "auto-generated")
	h.Set("X-Auto-Response-Suppress", "All")
	h.Set("Content-Language", to.Lang)
	var raw bytes.Buffer
	w, err := gomail.CreateSingleInlineWriter(&raw, inlineText(h))
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, text); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO mail_outbox (message_id, ticket_id, user_id, event, sender, recipient, lang, subject, body, state, attempts, claim, next_attempt_at, created_at)
		VALUES (?, NULL, ?, 'loan_due', ?, ?, ?, ?, ?, 'queued', 0, 0, ?, ?)`,
		id, to.UserID, n.From.Address, to.Email, to.Lang, subject, raw.String(), now, now)
	return err
}

func inlineText(h gomail.Header) gomail.Header {
	h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	return h
}
