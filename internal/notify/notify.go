// Package notify keeps the in-app notifications: the helpdesk events mail
// follows (a ticket created or assigned, a follow-up, an approval asked, an SLA
// due time near or passed, a solution), and events about other records
// (records.go: contracts, licences, loans), one row per recipient, written in
// the event's transaction; the header's bell counts the unread ones and the
// notifications page lists them. A notification is only shown while its
// recipient may still read the ticket or the record.
package notify

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/record"
	"parc/internal/store"
)

// UnreadCap is where the bell's count stops ("99+").
const UnreadCap = 99

// PageSize is the notifications listed per page.
const PageSize = 30

// Service records and reads notifications.
type Service struct {
	Rec   *record.Service
	types []string // record types other than tickets whose notifications are shown (Recordable)
}

// New makes the service over the record service (store, registry, clock).
func New(rec *record.Service) *Service { return &Service{Rec: rec} }

// Listen records an event's notifications in its transaction: for the same
// audience mail writes to (helpdesk.Audience), except the ticket's requester,
// who follows their tickets in the portal and by mail.
func (s *Service) Listen(ctx context.Context, tx *store.Tx, ev helpdesk.Event) error {
	ids, err := helpdesk.Audience(ctx, tx, ev)
	if err != nil || len(ids) == 0 {
		return err
	}
	tk := ev.Ticket
	requester, assignee := tk.Int("user_id"), tk.Int("assigned_user_id")
	by := ""
	if ev.Actor != nil && !ev.Actor.System {
		by = ev.Actor.Name
	}
	now := s.Rec.Now()
	for _, id := range ids {
		if id == requester && id != assignee {
			continue
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO notifications (user_id, organization_id, ticket_id, event, actor_name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			id, tk.OrgID, tk.ID, string(ev.Kind), nullable(by), now); err != nil {
			return err
		}
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// visible is the condition a notification n must meet to be shown: its ticket
// (or its record, records.go) is live and within the actor's read scope (the scope's
// unqualified columns are the ticket's, inside the subquery).
func (s *Service) visible(a *record.Actor) (string, []any, bool) {
	var parts []string
	var args []any
	if sc, sargs, ok := s.Rec.ScopeSQL(a, s.Rec.Reg.MustType("tickets"), record.Read); ok {
		parts = append(parts, "EXISTS (SELECT 1 FROM tickets WHERE id = n.ticket_id AND deleted_at IS NULL AND "+sc+")")
		args = append(args, sargs...)
	}
	if c, sargs, ok := s.recordsVisible(a); ok {
		parts = append(parts, c)
		args = append(args, sargs...)
	}
	if len(parts) == 0 {
		return "", nil, false
	}
	return "(" + strings.Join(parts, " OR ") + ")", args, true
}

// Unread counts the actor's unread notifications, up to UnreadCap+1.
func (s *Service) Unread(ctx context.Context, a *record.Actor) (int, error) {
	if a == nil || a.UserID == 0 {
		return 0, nil
	}
	vis, args, ok := s.visible(a)
	if !ok {
		return 0, nil
	}
	var n int
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM notifications n WHERE n.user_id = ? AND n.read_at IS NULL AND "+vis+" LIMIT ?) c",
		append(append([]any{a.UserID}, args...), UnreadCap+1)...).Scan(&n)
	return n, err
}

// Item is one notification as listed.
type Item struct {
	ID, TicketID int64
	// RecordType and RecordID name the record of a notification that is not
	// about a ticket (TicketID 0); Detail is its Note.Detail.
	RecordType string
	RecordID   int64
	Event      string
	Title, By  string // Title: the ticket's title, or the record's label
	Detail     string
	At         time.Time
	Unread     bool
}

// Page is one page of notifications, newest first; Next is the cursor of the
// following page ("" at the end).
type Page struct {
	Items []Item
	Next  string
}

// List reads a page of the actor's notifications, newest first, from the cursor
// a previous page gave ("" for the first).
func (s *Service) List(ctx context.Context, a *record.Actor, cursor string) (*Page, error) {
	vis, vargs, ok := s.visible(a)
	if !ok {
		return &Page{}, nil
	}
	q := "SELECT n.id, COALESCE(n.ticket_id, 0), COALESCE(n.record_type, ''), COALESCE(n.record_id, 0), n.event, COALESCE(n.actor_name, ''), COALESCE(n.detail, ''), n.created_at, n.read_at, " +
		"(SELECT title FROM tickets WHERE id = n.ticket_id) FROM notifications n WHERE n.user_id = ? AND " + vis
	args := append([]any{a.UserID}, vargs...)
	if cursor != "" {
		before, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || before <= 0 {
			return nil, record.E(record.CodeInvalid, "err.bad_cursor")
		}
		q += " AND n.id < ?"
		args = append(args, before)
	}
	q += " ORDER BY n.id DESC LIMIT ?"
	rows, err := s.Rec.DB.QueryContext(ctx, q, append(args, PageSize+1)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	p := &Page{}
	for rows.Next() {
		var it Item
		var at, read any
		var title sql.NullString
		if err := rows.Scan(&it.ID, &it.TicketID, &it.RecordType, &it.RecordID, &it.Event, &it.By, &it.Detail, &at, &read, &title); err != nil {
			return nil, err
		}
		it.At, _ = tsField.FromDB(at).(time.Time)
		it.Unread = read == nil
		it.Title = title.String
		p.Items = append(p.Items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(p.Items) > PageSize {
		p.Items = p.Items[:PageSize]
		p.Next = strconv.FormatInt(p.Items[PageSize-1].ID, 10)
	}
	return p, s.recordLabels(ctx, p.Items)
}

// recordLabels sets the titles of the records' notifications: their labels, one
// query per record type on the page.
func (s *Service) recordLabels(ctx context.Context, items []Item) error {
	ids := map[string]map[int64]string{}
	for _, it := range items {
		if it.RecordType == "" {
			continue
		}
		if ids[it.RecordType] == nil {
			ids[it.RecordType] = map[int64]string{}
		}
		ids[it.RecordType][it.RecordID] = ""
	}
	for typ, m := range ids {
		t, ok := s.Rec.Reg.Type(typ)
		if !ok {
			continue
		}
		if err := s.Rec.Labels(ctx, t, m); err != nil {
			return err
		}
	}
	for i := range items {
		if it := &items[i]; it.RecordType != "" {
			it.Title = ids[it.RecordType][it.RecordID]
		}
	}
	return nil
}

var tsField = &record.Field{Name: "at", Kind: record.DateTime}

// MarkRead marks the actor's notifications read: those of ids, or with ids
// empty every one. Only the actor's own rows are touched.
func (s *Service) MarkRead(ctx context.Context, a *record.Actor, ids ...int64) error {
	q := "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL"
	args := []any{s.Rec.Now(), a.UserID}
	if len(ids) > 0 {
		q += " AND id IN (" + store.Placeholders(len(ids)) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	_, err := s.Rec.DB.Exec(ctx, q, args...)
	return err
}

// Open marks the actor's notification read and tells its ticket, for the
// notification's link; not found when it is not theirs or its ticket is out of
// their reach.
func (s *Service) Open(ctx context.Context, a *record.Actor, id int64) (int64, error) {
	t, err := s.OpenTarget(ctx, a, id)
	return t.Ticket, err
}

// Target is what a notification is about: a ticket, or a record (Type, ID).
type Target struct {
	Ticket int64
	Type   string
	ID     int64
}

// OpenTarget is Open for a notification about a ticket or another record. A
// ticket's opening marks every notification of the ticket read; a record's, those
// of the record.
func (s *Service) OpenTarget(ctx context.Context, a *record.Actor, id int64) (Target, error) {
	var t Target
	vis, vargs, ok := s.visible(a)
	if !ok {
		return t, record.ErrNotFound()
	}
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT COALESCE(n.ticket_id, 0), COALESCE(n.record_type, ''), COALESCE(n.record_id, 0) FROM notifications n WHERE n.id = ? AND n.user_id = ? AND "+vis,
		append([]any{id, a.UserID}, vargs...)...).Scan(&t.Ticket, &t.Type, &t.ID)
	if err == sql.ErrNoRows {
		return t, record.ErrNotFound()
	}
	if err != nil {
		return t, err
	}
	if t.Ticket == 0 {
		return t, s.SeenRecord(ctx, a, t.Type, t.ID)
	}
	// Every unread notification of that ticket is seen once the ticket is opened.
	_, err = s.Rec.DB.Exec(ctx, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND ticket_id = ? AND read_at IS NULL", s.Rec.Now(), a.UserID, t.Ticket)
	return t, err
}

// SeenTicket marks read the actor's unread notifications of a ticket they have
// just opened (its page, however they reached it): what they were told is in
// front of them.
func (s *Service) SeenTicket(ctx context.Context, a *record.Actor, ticket int64) error {
	// Most views have nothing unread: a read first keeps them from taking the
	// store's write lock (SQLite has one writer).
	var one int
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT 1 FROM notifications WHERE ticket_id = ? AND user_id = ? AND read_at IS NULL LIMIT 1", ticket, a.UserID).Scan(&one)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.Rec.DB.Exec(ctx, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND ticket_id = ? AND read_at IS NULL", s.Rec.Now(), a.UserID, ticket)
	return err
}
