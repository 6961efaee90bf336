package helpdesk

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// MaxAttachment is the largest file a person attaches to a ticket (the mail
// gateway's limit too).
const MaxAttachment = 5 << 20

// File is an attachment to store or read; Content is empty in lists.
type File struct {
	ID         int64
	Name, Type string
	Size       int64
	CreatedAt  time.Time
	Content    []byte
	FollowupID int64
}

// AddFilesTx stores files with a ticket (and a follow-up) in the caller's
// transaction, as the mail gateway does: they commit and back up with it.
func (s *Service) AddFilesTx(ctx context.Context, tx *store.Tx, tk *record.Record, followupID int64, files []File) error {
	if err := checkFiles(files); err != nil {
		return err
	}
	now := s.Rec.Now()
	for _, f := range files {
		sum := sha256.Sum256(f.Content)
		var fu any
		if followupID != 0 {
			fu = followupID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_attachments (organization_id, ticket_id, followup_id, filename, content_type, size, sha256, content, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, tk.OrgID, tk.ID, fu, f.Name, f.Type, len(f.Content), hex.EncodeToString(sum[:]), f.Content, now); err != nil {
			return err
		}
	}
	return nil
}

// checkFiles refuses a file over MaxAttachment.
func checkFiles(files []File) error {
	for _, f := range files {
		if int64(len(f.Content)) > MaxAttachment {
			return record.E(record.CodeTooLarge, "err.attachment_too_large", f.Name, MaxAttachment>>20)
		}
	}
	return nil
}

// Files lists a ticket's attachments (without content) for whoever sees the
// ticket; those of private follow-ups only for who reads private follow-ups.
func (s *Service) Files(ctx context.Context, a *record.Actor, ticketID int64) ([]File, error) {
	tk, err := s.Ticket(ctx, a, ticketID)
	if err != nil {
		return nil, err
	}
	private := a.Scope(s.Rec.Reg.MustType("ticket-followups"), record.Read).Has(tk.OrgID)
	q := `SELECT a.id, a.filename, a.content_type, a.size, a.created_at, COALESCE(a.followup_id, 0) FROM ticket_attachments a
		LEFT JOIN ticket_followups f ON f.id = a.followup_id WHERE a.ticket_id = ?`
	args := []any{tk.ID}
	if !private {
		q += " AND (f.id IS NULL OR f.private = ?)"
		args = append(args, false)
	}
	q += " ORDER BY a.id"
	rows, err := s.Rec.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []File
	ts := &record.Field{Kind: record.DateTime}
	for rows.Next() {
		var f File
		var at any
		if err := rows.Scan(&f.ID, &f.Name, &f.Type, &f.Size, &at, &f.FollowupID); err != nil {
			return nil, err
		}
		f.CreatedAt, _ = ts.FromDB(at).(time.Time)
		out = append(out, f)
	}
	return out, rows.Err()
}

// File reads one attachment of a ticket, with the same rule as Files.
func (s *Service) File(ctx context.Context, a *record.Actor, ticketID, fileID int64) (*File, error) {
	list, err := s.Files(ctx, a, ticketID)
	if err != nil {
		return nil, err
	}
	for _, f := range list {
		if f.ID != fileID {
			continue
		}
		err := s.Rec.DB.QueryRowContext(ctx, "SELECT content FROM ticket_attachments WHERE id = ?", fileID).Scan(&f.Content)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		return &f, err
	}
	return nil, record.ErrNotFound()
}
