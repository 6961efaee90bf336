package notify

import (
	"context"
	"database/sql"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// RecordNote is an in-app notification about a record other than a ticket (a
// licence expiring or over-deployed), kept in record_notifications.
type RecordNote struct {
	ID, RecordID int64
	RecordType   string
	Event        string
	Detail       string
	At           time.Time
	Unread       bool
}

// NotifyRecord records one notification per user about a record, in the
// caller's transaction.
func (s *Service) NotifyRecord(ctx context.Context, tx *store.Tx, users []int64, org int64, typ string, id int64, event, detail string) error {
	now := s.Rec.Now()
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, "INSERT INTO record_notifications (user_id, organization_id, record_type, record_id, event, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			u, org, typ, id, event, nullable(detail), now); err != nil {
			return err
		}
	}
	return nil
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
	q := "SELECT n.id, n.record_id, n.event, COALESCE(n.detail, ''), n.created_at, n.read_at FROM record_notifications n WHERE n.user_id = ? AND n.record_type = ? AND EXISTS (SELECT 1 FROM " +
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
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT 1 FROM record_notifications WHERE record_type = ? AND record_id = ? AND user_id = ? AND read_at IS NULL LIMIT 1", typ, id, a.UserID).Scan(&one)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.Rec.DB.Exec(ctx, "UPDATE record_notifications SET read_at = ? WHERE record_type = ? AND record_id = ? AND user_id = ? AND read_at IS NULL", s.Rec.Now(), typ, id, a.UserID)
	return err
}
