package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/i18n"
	"parc/internal/record"
	"parc/internal/store"
)

// DefaultLang is the language of users who chose none: most users are French.
const DefaultLang = "fr"

// Notifier turns helpdesk events into queued messages.
type Notifier struct {
	DB     *store.DB
	Cat    *i18n.Catalog
	From   *mail.Address
	Domain string // of Message-IDs
	// BaseURL, when set, gives each message a link to the ticket.
	BaseURL string
	Now     func() time.Time
}

// NewNotifier makes a notifier sending as from (PARC_MAIL_FROM).
func NewNotifier(db *store.DB, cat *i18n.Catalog, from string) (*Notifier, error) {
	addr, domain, err := ParseFrom(from)
	if err != nil {
		return nil, err
	}
	return &Notifier{DB: db, Cat: cat, From: addr, Domain: domain, Now: func() time.Time { return time.Now().UTC() }}, nil
}

// Install subscribes the notifier to the helpdesk events of reg.
func (n *Notifier) Install(reg *record.Registry) { helpdesk.Listen(reg, n.Notify) }

// recipient is a user a message goes to.
type recipient struct {
	UserID int64
	Email  string
	Name   string
	Lang   string
}

// Notify queues the messages an event calls for, in the event's transaction. It is
// also what an SLA watcher calls with SLAWarning and SLABreached events.
func (n *Notifier) Notify(ctx context.Context, tx *store.Tx, ev helpdesk.Event) error {
	ids, err := n.audience(ctx, tx, ev)
	if err != nil || len(ids) == 0 {
		return err
	}
	rcpts, err := n.users(ctx, tx, ids)
	if err != nil {
		return err
	}
	data, err := n.facts(ctx, tx, ev)
	if err != nil {
		return err
	}
	for _, r := range rcpts {
		if err := n.queue(ctx, tx, ev, data, r); err != nil {
			return err
		}
	}
	return nil
}

// audience lists who hears of an event (helpdesk.Audience, which the in-app
// notifications share).
func (n *Notifier) audience(ctx context.Context, tx *store.Tx, ev helpdesk.Event) ([]int64, error) {
	return helpdesk.Audience(ctx, tx, ev)
}

// users reads the recipients among ids who can and want to receive mail: active,
// not in the trash, with an address, not opted out.
func (n *Notifier) users(ctx context.Context, tx *store.Tx, ids []int64) ([]recipient, error) {
	ph := store.Placeholders(len(ids))
	args := []any{true, true}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, email, login, COALESCE(firstname, ''), COALESCE(lastname, ''), COALESCE(language, '')
		FROM users WHERE active = ? AND notify_by_mail = ? AND deleted_at IS NULL AND email IS NOT NULL AND email <> '' AND id IN (`+ph+`) ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []recipient
	for rows.Next() {
		var r recipient
		var login, first, last string
		if err := rows.Scan(&r.UserID, &r.Email, &login, &first, &last, &r.Lang); err != nil {
			return nil, err
		}
		r.Name = strings.TrimSpace(first + " " + last)
		if r.Name == "" {
			r.Name = login
		}
		if !i18n.Supported(r.Lang) {
			r.Lang = DefaultLang
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// queue renders one message for one recipient and stores it in the outbox.
func (n *Notifier) queue(ctx context.Context, tx *store.Tx, ev helpdesk.Event, f *facts, r recipient) error {
	msg, err := n.render(ev, f, r)
	if err != nil {
		return err
	}
	id := n.messageID(ev)
	now := n.Now()
	raw, err := compose(n.From, r, msg, id, n.threadID(ev.Ticket.ID), ev.Ticket.ID, now)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO mail_outbox (message_id, ticket_id, user_id, event, sender, recipient, lang, subject, body, state, attempts, claim, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, 0, ?, ?)`,
		id, ev.Ticket.ID, r.UserID, string(ev.Kind), n.From.Address, r.Email, r.Lang, msg.Subject, raw, now, now)
	return err
}

// messageID makes a fresh Message-ID (without angle brackets) in parc's domain.
func (n *Notifier) messageID(ev helpdesk.Event) string {
	var b [9]byte
	rand.Read(b[:])
	return fmt.Sprintf("parc.%d.%s.%s@%s", ev.Ticket.ID, strings.ReplaceAll(string(ev.Kind), "_", "-"), hex.EncodeToString(b[:]), n.Domain)
}

// threadID is the same for every message about a ticket, so that mail clients
// show them as one conversation.
func (n *Notifier) threadID(ticket int64) string {
	return fmt.Sprintf("parc.ticket.%d@%s", ticket, n.Domain)
}
