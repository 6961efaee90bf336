package mail

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"parc/internal/store"
)

// Sender delivers the outbox. Several senders (servers sharing a PostgreSQL store)
// may run: each message is claimed before it is sent.
type Sender struct {
	DB   *store.DB
	SMTP *SMTPConfig
	Log  *slog.Logger
	Now  func() time.Time
	// MaxAttempts before a message is given up as failed.
	MaxAttempts int
	// Lease is how long a claimed message is left to its sender before another
	// may take it (a sender that died mid-send).
	Lease time.Duration
}

// NewSender makes a sender with the default policy: 10 attempts, backoff from one
// minute doubling up to six hours (about 17 hours in all).
func NewSender(db *store.DB, cfg *SMTPConfig, log *slog.Logger) *Sender {
	return &Sender{DB: db, SMTP: cfg, Log: log, Now: func() time.Time { return time.Now().UTC() }, MaxAttempts: 10, Lease: 10 * time.Minute}
}

// Backoff is the wait after the n-th failed attempt.
func Backoff(n int) time.Duration {
	d := time.Minute
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// Run sends due messages every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, every time.Duration) {
	for {
		if _, err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
			s.Log.Warn("mail outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

type outgoing struct {
	id, claim           int64
	attempts            int
	from, to, body, mid string
}

// SendDue sends the messages that are due, in one SMTP session, and reports how
// many went out.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	now := s.Now()
	rows, err := s.DB.QueryContext(ctx, `SELECT id, claim, attempts, sender, recipient, body, message_id FROM mail_outbox
		WHERE state IN ('queued', 'sending') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 100`, now)
	if err != nil {
		return 0, err
	}
	var due []outgoing
	for rows.Next() {
		var o outgoing
		if err := rows.Scan(&o.id, &o.claim, &o.attempts, &o.from, &o.to, &o.body, &o.mid); err != nil {
			rows.Close()
			return 0, err
		}
		due = append(due, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(due) == 0 {
		return 0, err
	}
	var cl *smtp.Client
	defer func() {
		if cl != nil {
			cl.Quit()
		}
	}()
	sent := 0
	for _, o := range due {
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		ok, err := s.claim(ctx, &o)
		if err != nil {
			return sent, err
		}
		if !ok {
			continue // another sender has it
		}
		if cl == nil {
			if cl, err = s.SMTP.dial(); err != nil {
				cl = nil
				s.failed(ctx, o, err)
				continue
			}
		}
		if err := cl.SendMail(o.from, []string{o.to}, strings.NewReader(o.body)); err != nil {
			s.failed(ctx, o, err)
			var se *smtp.SMTPError
			if !errors.As(err, &se) {
				// The session is broken: the next message starts a new one.
				cl.Close()
				cl = nil
			}
			continue
		}
		if _, err := s.DB.Exec(ctx, "UPDATE mail_outbox SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?", s.Now(), o.id); err != nil {
			return sent, err
		}
		sent++
		s.Log.Debug("mail sent", "to", o.to, "message_id", o.mid)
	}
	return sent, nil
}

// claim takes a message for this sender and counts the attempt.
func (s *Sender) claim(ctx context.Context, o *outgoing) (bool, error) {
	res, err := s.DB.Exec(ctx, `UPDATE mail_outbox SET state = 'sending', claim = claim + 1, attempts = attempts + 1, next_attempt_at = ?
		WHERE id = ? AND claim = ? AND state IN ('queued', 'sending')`, s.Now().Add(s.Lease), o.id, o.claim)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	o.attempts++
	return n == 1, nil
}

// failed schedules another attempt, or gives up on a permanent refusal (5xx) or
// after MaxAttempts.
func (s *Sender) failed(ctx context.Context, o outgoing, cause error) {
	var se *smtp.SMTPError
	permanent := errors.As(cause, &se) && se.Code >= 500
	state, next := "queued", s.Now().Add(Backoff(o.attempts))
	if permanent || o.attempts >= s.MaxAttempts {
		state = "failed"
	}
	msg := cause.Error()
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	s.Log.Warn("mail not sent", "to", o.to, "message_id", o.mid, "attempt", o.attempts, "state", state, "err", msg)
	if _, err := s.DB.Exec(ctx, "UPDATE mail_outbox SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ?", state, next, msg, o.id); err != nil {
		s.Log.Warn("mail outbox", "err", err)
	}
}
