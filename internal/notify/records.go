package notify

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// Notifications about records other than tickets (a contract's notice deadline,
// a licence's expiry, a loan's return date; purchase orders may follow) share the
// tickets' table and bell. The API is three calls:
//
//   - Service.Recordable, at wiring: the record types whose notifications the bell
//     shows. A notification is shown to its recipient only while the record is
//     live and within what they may read (the type's read scope), like a ticket's.
//   - Service.Record, in the event's transaction: one row per recipient, in the
//     record's organisation, once per recipient, record and Note.Key.
//   - Service.SeenRecord, when a record's page is opened: its notifications are
//     read. RecordNotes lists them for a record's page.
//
// The notifications page shows the sentence "notif.record.<event>" of the
// catalogue, with the record's label and Note.Detail (a date is written in the
// reader's language), and links to the record's page (/<type>/<id>).

// Note is one notification about a record.
type Note struct {
	Type  string // the record type's name ("contracts"), declared with Recordable
	ID    int64  // the record
	Org   int64  // the record's organisation
	Event string // "license_expiring": notif.event.<Event> and notif.record.<Event> name it
	// Key makes the notification once per recipient and record: the event and
	// what it is about ("license_expiring:2027-03-31"); empty: Event alone.
	Key string
	// Detail is what the sentence tells beside the record's label: a date
	// (YYYY-MM-DD) or a number, as canonical text; may be empty.
	Detail string
}

// Recordable declares record types whose notifications the bell shows.
func (s *Service) Recordable(types ...string) {
	for _, t := range types {
		if !slices.Contains(s.types, t) {
			s.types = append(s.types, t)
		}
	}
}

// Record records a notification about a record for each user, in the caller's
// transaction, unless the user already has one with the same key. It returns
// how many were written.
func (s *Service) Record(ctx context.Context, tx *store.Tx, users []int64, n Note) (int, error) {
	if !slices.Contains(s.types, n.Type) {
		return 0, fmt.Errorf("notify: record type %q not declared with Recordable", n.Type)
	}
	key := n.Key
	if key == "" {
		key = n.Event
	}
	now := s.Rec.Now()
	written := 0
	for _, u := range users {
		res, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, organization_id, record_type, record_id, event, event_key, detail, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, u, n.Org, n.Type, n.ID, n.Event, key, nullable(n.Detail), now)
		if err != nil {
			return written, err
		}
		if k, _ := res.RowsAffected(); k > 0 {
			written++
		}
	}
	return written, nil
}

// recordsVisible is the condition for a notification n about a record: its type
// is declared, the record is live and within the actor's read scope.
func (s *Service) recordsVisible(a *record.Actor) (string, []any, bool) {
	var parts []string
	var args []any
	for _, name := range s.types {
		t, ok := s.Rec.Reg.Type(name)
		if !ok {
			continue
		}
		sc, sargs, ok := s.Rec.ScopeSQL(a, t, record.Read)
		if !ok {
			continue
		}
		parts = append(parts, "n.record_type = ? AND EXISTS (SELECT 1 FROM "+t.Table+" WHERE id = n.record_id AND deleted_at IS NULL AND "+sc+")")
		args = append(append(args, name), sargs...)
	}
	if len(parts) == 0 {
		return "", nil, false
	}
	return "(" + strings.Join(parts, ") OR (") + ")", args, true
}

// RecordNote is a notification about a record, as its page lists them.
type RecordNote struct {
	ID, RecordID int64
	RecordType   string
	Event        string
	Detail       string
	At           time.Time
	Unread       bool
}

// RecordNotes lists the actor's notifications about records of a type, newest
// first, at most limit, those of records they can no longer read left out.
func (s *Service) RecordNotes(ctx context.Context, a *record.Actor, typ string, limit int) ([]RecordNote, error) {
	t, ok := s.Rec.Reg.Type(typ)
	if !ok || a == nil || a.UserID == 0 {
		return nil, nil
	}
	sc, args, ok := s.Rec.ScopeSQL(a, t, record.Read)
	if !ok {
		return nil, nil
	}
	q := "SELECT n.id, n.record_id, n.event, COALESCE(n.detail, ''), n.created_at, n.read_at FROM notifications n WHERE n.user_id = ? AND n.record_type = ? AND EXISTS (SELECT 1 FROM " +
		t.Table + " WHERE id = n.record_id AND deleted_at IS NULL AND " + sc + ") ORDER BY n.id DESC LIMIT ?"
	rows, err := s.Rec.DB.QueryContext(ctx, q, append(append([]any{a.UserID, typ}, args...), limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RecordNote
	for rows.Next() {
		n := RecordNote{RecordType: typ}
		var at, read any
		if err := rows.Scan(&n.ID, &n.RecordID, &n.Event, &n.Detail, &at, &read); err != nil {
			return nil, err
		}
		n.At, _ = tsField.FromDB(at).(time.Time)
		n.Unread = read == nil
		out = append(out, n)
	}
	return out, rows.Err()
}

// SeenRecord marks read the actor's notifications about a record they opened.
func (s *Service) SeenRecord(ctx context.Context, a *record.Actor, typ string, id int64) error {
	var one int
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT 1 FROM notifications WHERE record_type = ? AND record_id = ? AND user_id = ? AND read_at IS NULL LIMIT 1", typ, id, a.UserID).Scan(&one)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.Rec.DB.Exec(ctx, "UPDATE notifications SET read_at = ? WHERE record_type = ? AND record_id = ? AND user_id = ? AND read_at IS NULL", s.Rec.Now(), typ, id, a.UserID)
	return err
}

// ContractNotice records the in-app notification of a contract's alert
// (contract_notice, contract_end) for each user, in the caller's transaction:
// once per user and date it is about (the notice deadline or the end).
func (s *Service) ContractNotice(ctx context.Context, tx *store.Tx, users []int64, contractID int64, event string) error {
	col := "end_date"
	if event == "contract_notice" {
		col = "notice_date"
	}
	var org int64
	var on sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT organization_id, substr(CAST("+col+" AS TEXT), 1, 10) FROM contracts WHERE id = ?", contractID).Scan(&org, &on); err != nil {
		return err
	}
	_, err := s.Record(ctx, tx, users, Note{Type: "contracts", ID: contractID, Org: org, Event: event, Key: event + ":" + on.String, Detail: on.String})
	return err
}
