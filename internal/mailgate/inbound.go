package mailgate

import (
	"context"
	"fmt"

	"parc/internal/helpdesk"
	"parc/internal/store"
)

// inbound is the record of one processed mail (table mail_inbound): its key makes
// processing idempotent, its Message-ID lets replies to it find their ticket.
type inbound struct {
	Key, MessageID       string
	Src                  Source
	Sender, Subject      string
	Outcome, Reason      string
	TicketID, FollowupID int64
}

func (g *Gateway) processed(ctx context.Context, key string) (bool, error) {
	return g.processedTx(ctx, g.App.DB, key)
}

func (g *Gateway) processedTx(ctx context.Context, q store.Querier, key string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM mail_inbound WHERE message_key = ?", key).Scan(&n)
	return n > 0, err
}

func nullable(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// record writes the mail's record inside the transaction of what it became.
func (g *Gateway) record(ctx context.Context, tx *store.Tx, r inbound) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO mail_inbound (message_key, message_id, mailbox, uid_validity, uid, sender, subject, outcome, reason, ticket_id, followup_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Key, nullString(r.MessageID), r.Src.Mailbox, nullable(int64(r.Src.UIDValidity)), nullable(int64(r.Src.UID)),
		nullString(truncate(r.Sender, 320)), nullString(truncate(r.Subject, 500)), r.Outcome, nullString(truncate(r.Reason, 1000)),
		nullable(r.TicketID), nullable(r.FollowupID), g.App.Records.Now())
	return err
}

// refuse records a mail that becomes nothing (ignored, refused, malformed) and
// logs why, so that it is neither retried nor lost from sight.
func (g *Gateway) refuse(ctx context.Context, r inbound, outcome, reason string) (Result, error) {
	r.Outcome, r.Reason = outcome, reason
	err := g.App.DB.Tx(ctx, func(tx *store.Tx) error {
		if done, err := g.processedTx(ctx, tx, r.Key); err != nil || done {
			return err
		}
		return g.record(ctx, tx, r)
	})
	if err != nil && !g.App.DB.IsUnique(err) {
		return Result{}, err
	}
	g.Log.Warn("mail gateway: mail not turned into a ticket", "outcome", outcome, "reason", reason,
		"from", r.Sender, "subject", r.Subject, "message_id", r.MessageID, "mailbox", r.Src.Mailbox, "uid", r.Src.UID)
	return Result{Outcome: outcome, Reason: reason}, nil
}

// files are the mail's attachments as the helpdesk keeps them.
func (p *parsed) files() []helpdesk.File {
	var out []helpdesk.File
	for _, f := range p.Files {
		out = append(out, helpdesk.File{Name: f.Name, Type: f.Type, Content: f.Data})
	}
	return out
}

// usersByEmail finds the active users with this address, oldest account first.
func (g *Gateway) usersByEmail(ctx context.Context, addr string) ([]int64, error) {
	db := g.App.DB
	return db.IDs(ctx, db, "SELECT id FROM users WHERE lower(email) = ? AND active = ? AND deleted_at IS NULL ORDER BY id", addr, true)
}

// refuseBig records a mail refused for its size from its header alone.
func (g *Gateway) refuseBig(ctx context.Context, src Source, header []byte, size int64) (Result, error) {
	key, mid := headerKey(header)
	if done, err := g.processed(ctx, key); err != nil || done {
		return Result{Outcome: OutDuplicate}, err
	}
	r := inbound{Key: key, MessageID: mid, Src: src}
	if p, err := parse(header, 0, 0); err == nil {
		r.Sender, r.Subject = p.From, p.Subject
	}
	return g.refuse(ctx, r, OutRefused, fmt.Sprintf("mail of %d bytes over the %d-byte limit", size, g.Opt.MaxMessage))
}
