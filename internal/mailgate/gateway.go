// Package mailgate is parc's mail gateway: it polls IMAP mailboxes and turns new
// mails into tickets and replies into follow-ups, through the record framework
// (history origin "mail"), once per mail whatever happens.
package mailgate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"

	"parc/internal/core"
	"parc/internal/helpdesk"
	"parc/internal/i18n"
	"parc/internal/record"
	"parc/internal/store"
)

// Unknown-sender policies.
const (
	UnknownRefuse = "refuse" // default: log and record, no ticket
	UnknownCreate = "create" // ticket without requester in Options.DefaultOrg
)

// Options configure the gateway.
type Options struct {
	Mailboxes []Mailbox
	// MaxMessage: bigger mails are refused (default 10 MB). MaxFile: bigger
	// attachments are not kept, which the ticket says (default and most: the
	// helpdesk's MaxAttachment, 5 MB). MaxFiles:
	// attachments kept per mail in all (default MaxMessage).
	MaxMessage, MaxFile, MaxFiles int64
	// Own are parc's own addresses (PARC_MAIL_FROM, the mailboxes): mails from them
	// are loops.
	Own []string
	// UnknownSender is UnknownRefuse or UnknownCreate; DefaultOrg is where
	// UnknownCreate files tickets.
	UnknownSender string
	DefaultOrg    int64
}

// Gateway turns mails into tickets and follow-ups.
type Gateway struct {
	App  *core.Core
	Help *helpdesk.Service
	Cat  *i18n.Catalog
	Log  *slog.Logger
	Opt  Options
	own  map[string]bool
}

// New makes a gateway that files mails through the helpdesk service.
func New(a *core.Core, help *helpdesk.Service, cat *i18n.Catalog, opt Options) *Gateway {
	if opt.MaxMessage <= 0 {
		opt.MaxMessage = 10 << 20
	}
	if opt.MaxFile <= 0 || opt.MaxFile > helpdesk.MaxAttachment {
		opt.MaxFile = helpdesk.MaxAttachment
	}
	if opt.MaxFiles <= 0 {
		opt.MaxFiles = opt.MaxMessage
	}
	if opt.UnknownSender == "" {
		opt.UnknownSender = UnknownRefuse
	}
	own := map[string]bool{}
	for _, o := range opt.Own {
		own[strings.ToLower(strings.TrimSpace(o))] = true
	}
	return &Gateway{App: a, Help: help, Cat: cat, Log: a.Log, Opt: opt, own: own}
}

// Source says where a mail was read, for the record of processed mails.
type Source struct {
	Mailbox     string
	UIDValidity uint32
	UID         uint32
}

// Outcomes of a mail.
const (
	OutTicket    = "ticket"
	OutFollowup  = "followup"
	OutIgnored   = "ignored"
	OutRefused   = "refused"
	OutMalformed = "malformed"
	// OutDuplicate: processed before (not recorded again).
	OutDuplicate = "duplicate"
)

// Result is what became of a mail.
type Result struct {
	Outcome    string
	Reason     string
	TicketID   int64
	FollowupID int64
}

// Handle processes one raw mail. A nil error means the mail is dealt with for
// good (recorded, in the same transaction as its ticket or follow-up) and may be
// marked as seen; an error is transient (the store is down...) and the mail is
// left for the next pass.
func (g *Gateway) Handle(ctx context.Context, src Source, raw []byte) (Result, error) {
	key, mid := headerKey(raw)
	if done, err := g.processed(ctx, key); err != nil || done {
		return Result{Outcome: OutDuplicate}, err
	}
	rec := inbound{Key: key, MessageID: mid, Src: src}
	if int64(len(raw)) > g.Opt.MaxMessage {
		return g.refuse(ctx, rec, OutRefused, fmt.Sprintf("mail of %d bytes over the %d-byte limit", len(raw), g.Opt.MaxMessage))
	}
	p, err := parse(raw, g.Opt.MaxFile, g.Opt.MaxFiles)
	if err != nil {
		return g.refuse(ctx, rec, OutMalformed, err.Error())
	}
	rec.Sender, rec.Subject = p.From, p.Subject
	if why := automatic(p.Header, p.From, g.own); why != "" {
		return g.refuse(ctx, rec, OutIgnored, why)
	}
	users, err := g.usersByEmail(ctx, p.From)
	if err != nil {
		return Result{}, err
	}
	if len(users) == 0 && g.Opt.UnknownSender != UnknownCreate {
		return g.refuse(ctx, rec, OutRefused, "unknown sender "+p.From)
	}
	res, err := g.apply(ctx, rec, p, users)
	if err == nil {
		return res, nil
	}
	if errors.Is(err, errAlreadyDone) || g.App.DB.IsUnique(err) {
		return Result{Outcome: OutDuplicate}, nil
	}
	if e, ok := record.AsError(err); ok {
		// A rule refused the ticket (no right to open one, a field...): final.
		return g.refuse(ctx, rec, OutRefused, describe(g.Cat, e))
	}
	return Result{}, err
}

var errAlreadyDone = errors.New("mail already processed")

// apply creates the follow-up or the ticket and records the mail, in one
// transaction.
func (g *Gateway) apply(ctx context.Context, rec inbound, p *parsed, users []int64) (Result, error) {
	var res Result
	err := g.App.DB.Tx(ctx, func(tx *store.Tx) error {
		res = Result{}
		if done, err := g.processedTx(ctx, tx, rec.Key); err != nil || done {
			if err == nil {
				err = errAlreadyDone
			}
			return err
		}
		ticket, actor, err := g.replyTarget(ctx, tx, p, users)
		if err != nil {
			return err
		}
		if ticket != 0 {
			fu, err := g.Help.ReplyTx(ctx, tx, actor, ticket, record.Input{"content": g.body(p, stripQuote(p.Text), actor.Lang)}, p.files())
			if err == nil {
				res = Result{Outcome: OutFollowup, TicketID: ticket, FollowupID: fu.ID}
			} else if e, ok := record.AsError(err); !ok || e.Code != record.CodeConflict {
				return err
			} // else the ticket is closed: the reply opens a new one
		}
		if res.Outcome == "" {
			tk, err := g.newTicket(ctx, tx, p, users)
			if err != nil {
				return err
			}
			res = Result{Outcome: OutTicket, TicketID: tk.ID}
		}
		rec.Outcome, rec.TicketID, rec.FollowupID = res.Outcome, res.TicketID, res.FollowupID
		return g.record(ctx, tx, rec)
	})
	return res, err
}

// ticketRef finds "[parc #123]" in a subject.
var ticketRef = regexp.MustCompile(`(?i)\[parc #(\d{1,18})\]`)

// replyTarget finds the ticket a mail answers and whether its sender may write
// on it: the ticket is named by the messages it answers (parc's notifications,
// or mails that opened it or followed it up), else by "[parc #N]" in the subject;
// the sender must be its requester, its assigned technician or a member of its
// group, and see it. Anyone else starts a ticket of their own.
func (g *Gateway) replyTarget(ctx context.Context, tx *store.Tx, p *parsed, users []int64) (int64, *record.Actor, error) {
	ticket, err := g.threadTicket(ctx, tx, p.References)
	if err != nil {
		return 0, nil, err
	}
	if ticket == 0 {
		if m := ticketRef.FindStringSubmatch(p.Subject); m != nil {
			ticket, _ = strconv.ParseInt(m[1], 10, 64)
		}
	}
	if ticket == 0 {
		return 0, nil, nil
	}
	for _, uid := range users {
		ok, err := g.participant(ctx, tx, ticket, uid)
		if err != nil || !ok {
			if err != nil {
				return 0, nil, err
			}
			continue
		}
		a, err := g.App.Auth.Actor(ctx, uid, record.OriginMail)
		if err != nil {
			continue
		}
		if _, err := g.App.Records.GetTx(ctx, tx, a, g.App.Reg.MustType("tickets"), ticket); err != nil {
			continue // another organisation, or no right on it any more
		}
		return ticket, a, nil
	}
	g.Log.Info("mail gateway: reply from a non-participant opens a new ticket", "from", p.From, "ticket", ticket)
	return 0, nil, nil
}

// threadTicket finds the ticket of the first referenced message parc knows.
func (g *Gateway) threadTicket(ctx context.Context, tx *store.Tx, refs []string) (int64, error) {
	if len(refs) > 50 {
		refs = refs[len(refs)-50:]
	}
	for _, id := range refs {
		var t sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT ticket_id FROM mail_outbox WHERE message_id = ? AND ticket_id IS NOT NULL
			UNION ALL SELECT ticket_id FROM mail_inbound WHERE message_id = ? AND ticket_id IS NOT NULL`, id, id).Scan(&t)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, err
		}
		return t.Int64, nil
	}
	return 0, nil
}

// participant reports whether a user is the ticket's requester, assigned
// technician or a member of its assigned group.
func (g *Gateway) participant(ctx context.Context, tx *store.Tx, ticket, uid int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets t WHERE t.id = ? AND t.deleted_at IS NULL AND (t.user_id = ? OR t.assigned_user_id = ?
		OR EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = t.assigned_group_id AND m.user_id = ? AND m.deleted_at IS NULL))`, ticket, uid, uid, uid).Scan(&n)
	return n > 0, err
}

// newTicket opens a ticket for the sender (the first of their accounts that may),
// or, for an unknown sender under UnknownCreate, without requester in DefaultOrg.
func (g *Gateway) newTicket(ctx context.Context, tx *store.Tx, p *parsed, users []int64) (*record.Record, error) {
	tickets := g.App.Reg.MustType("tickets")
	// A subject's control and text-direction characters are cleaned, as inventory
	// values are: a title refuses them, and the mail should still become a ticket.
	title := record.CleanLine(p.Subject)
	if title == "" {
		title = g.Cat.T("fr", "mail.gate.no_subject")
	}
	in := record.Input{"title": truncate(title, 250), "type": "incident"}
	if len(users) == 0 {
		a, err := g.App.System(ctx, record.OriginMail)
		if err != nil {
			return nil, err
		}
		in["organization_id"] = g.Opt.DefaultOrg
		in["description"] = g.Cat.T("fr", "mail.gate.from", p.From) + "\n\n" + g.body(p, p.Text, "fr")
		return g.Help.OpenTx(ctx, tx, a, helpdesk.Opening{Ticket: in, Files: p.files()})
	}
	var firstErr error
	for _, uid := range users {
		a, err := g.App.Auth.Actor(ctx, uid, record.OriginMail)
		if err != nil {
			continue
		}
		in := record.Input{"title": in["title"], "type": "incident", "description": g.body(p, p.Text, a.Lang)}
		// Filed in the sender's own organisation when they may open tickets there.
		var org int64
		if err := tx.QueryRowContext(ctx, "SELECT organization_id FROM users WHERE id = ?", uid).Scan(&org); err != nil {
			return nil, err
		}
		if a.CanIn(tickets, record.Create, org) {
			in["organization_id"] = org
		}
		tk, err := g.Help.OpenTx(ctx, tx, a, helpdesk.Opening{Ticket: in, Files: p.files()})
		if err == nil {
			return tk, nil
		}
		if _, ok := record.AsError(err); !ok {
			return nil, err
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = record.ErrForbidden()
	}
	return nil, firstErr
}

// body is the text a ticket or follow-up gets: the mail's text, then a line per
// attachment that was not kept.
func (g *Gateway) body(p *parsed, text, lang string) string {
	if !i18n.Supported(lang) {
		lang = "fr"
	}
	var b strings.Builder
	b.WriteString(text)
	mb := func(n int64) int64 { return (n + (1 << 20) - 1) >> 20 }
	for _, f := range p.Refused {
		if f.Size > g.Opt.MaxFile {
			b.WriteString("\n\n" + g.Cat.T(lang, "mail.gate.attachment_refused", f.Name, mb(f.Size), mb(g.Opt.MaxFile)))
		} else {
			b.WriteString("\n\n" + g.Cat.T(lang, "mail.gate.attachments_refused", mb(g.Opt.MaxFiles)) + " " + f.Name)
		}
	}
	s := strings.TrimSpace(b.String())
	if s == "" {
		s = "-"
	}
	return truncate(s, 60000)
}

func describe(cat *i18n.Catalog, e *record.Error) string {
	return e.Render(cat, "en", nil).String()
}
