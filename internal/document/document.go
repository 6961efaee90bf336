// Package document keeps the files attached to records: a contract's signed
// copy, an invoice, a disposal's collection certificate, a hand-over form. They
// are stored in the database as the helpdesk's attachments are (same size limit,
// file names cleaned, content type read from the content), and follow their
// record's permissions: a document is read by whoever reads its record, added
// and removed by whoever may change it. docs/documents.md describes the rules.
package document

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"parc/internal/helpdesk"
	"parc/internal/record"
	"parc/internal/store"
)

// MaxSize is the largest document kept: the helpdesk's attachment limit.
const MaxSize = helpdesk.MaxAttachment

// HistoryField is the field of a record's history entries that record a
// document added (new value: its name) or removed (old value).
const HistoryField = "documents"

// Types are the record types that accept documents, when the registry has them
// (purchase orders and requests once purchasing declares them).
var Types = []string{
	"contracts", "supplier-items", "suppliers", "licenses",
	"disposals", "reconditionings", "budgets", "handovers", "loan-items", "reservations",
	"stock-items", "purchase-requests", "purchase-orders",
	"computers", "monitors", "network-equipment", "printers", "phones", "peripherals",
	"software", "locations",
}

// Service keeps the documents.
type Service struct {
	Rec *record.Service
}

// NewService makes the service over the record service.
func NewService(rec *record.Service) *Service { return &Service{Rec: rec} }

// Doc is one document; Content is empty in lists.
type Doc struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Type      string    `json:"content_type"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	UserID    int64     `json:"user_id,omitempty"`
	User      string    `json:"user,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Content   []byte    `json:"-"`
}

// Accepts reports whether records of the type take documents.
func (s *Service) Accepts(typeName string) bool {
	if _, ok := s.Rec.Reg.Type(typeName); !ok {
		return false
	}
	for _, t := range Types {
		if t == typeName {
			return true
		}
	}
	return false
}

// record reads the record documents belong to, as the actor may read it (not
// found otherwise, and for a type that takes no documents).
func (s *Service) record(ctx context.Context, a *record.Actor, typeName string, id int64) (*record.Record, error) {
	if !s.Accepts(typeName) {
		return nil, record.ErrNotFound()
	}
	return s.Rec.Get(ctx, a, s.Rec.Reg.MustType(typeName), id)
}

// CanWrite reports whether the actor may add and remove the record's documents:
// they may change the record, which is not in the trash.
func CanWrite(a *record.Actor, r *record.Record) bool {
	return r.DeletedAt == nil && !r.Type.AppendOnly && a.CanRecord(r, record.Update)
}

// List gives a record's documents, newest first.
func (s *Service) List(ctx context.Context, a *record.Actor, typeName string, id int64) (*record.Record, []Doc, error) {
	r, err := s.record(ctx, a, typeName, id)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.Rec.DB.QueryContext(ctx, `SELECT d.id, d.filename, d.content_type, d.size, d.sha256, COALESCE(d.user_id, 0), COALESCE(TRIM(COALESCE(u.firstname, '') || ' ' || COALESCE(u.lastname, '')), ''), COALESCE(u.login, ''), d.created_at
		FROM documents d LEFT JOIN users u ON u.id = d.user_id
		WHERE d.record_type = ? AND d.record_id = ? AND d.deleted_at IS NULL ORDER BY d.id DESC`, typeName, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := []Doc{}
	ts := &record.Field{Kind: record.DateTime}
	for rows.Next() {
		var d Doc
		var at any
		var login string
		if err := rows.Scan(&d.ID, &d.Name, &d.Type, &d.Size, &d.SHA256, &d.UserID, &d.User, &login, &at); err != nil {
			return nil, nil, err
		}
		if d.User == "" {
			d.User = login
		}
		d.CreatedAt, _ = ts.FromDB(at).(time.Time)
		out = append(out, d)
	}
	return r, out, rows.Err()
}

// Get reads one of a record's documents with its content.
func (s *Service) Get(ctx context.Context, a *record.Actor, typeName string, id, docID int64) (*Doc, error) {
	if _, err := s.record(ctx, a, typeName, id); err != nil {
		return nil, err
	}
	var d Doc
	var at any
	err := s.Rec.DB.QueryRowContext(ctx, `SELECT id, filename, content_type, size, sha256, content, created_at FROM documents
		WHERE id = ? AND record_type = ? AND record_id = ? AND deleted_at IS NULL`, docID, typeName, id).
		Scan(&d.ID, &d.Name, &d.Type, &d.Size, &d.SHA256, &d.Content, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, record.ErrNotFound()
	}
	if err != nil {
		return nil, err
	}
	d.CreatedAt, _ = (&record.Field{Kind: record.DateTime}).FromDB(at).(time.Time)
	return &d, nil
}

// TooLarge is the refusal of a file over MaxSize.
func TooLarge(name string) error {
	if name == "" {
		return record.E(record.CodeTooLarge, "err.document_too_large", MaxSize>>20)
	}
	return record.E(record.CodeTooLarge, "err.attachment_too_large", CleanName(name), MaxSize>>20)
}

// Add attaches a file to a record the actor may change, and records it in the
// record's history.
func (s *Service) Add(ctx context.Context, a *record.Actor, typeName string, id int64, name string, content []byte) (*Doc, error) {
	r, err := s.record(ctx, a, typeName, id)
	if err != nil {
		return nil, err
	}
	if !CanWrite(a, r) {
		return nil, record.E(record.CodeForbidden, "err.forbidden")
	}
	if int64(len(content)) > MaxSize {
		return nil, TooLarge(name)
	}
	if len(content) == 0 {
		return nil, record.E(record.CodeInvalid, "err.document_empty")
	}
	sum := sha256.Sum256(content)
	d := &Doc{Name: CleanName(name), Type: http.DetectContentType(content), Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]),
		UserID: a.UserID, User: a.Login, CreatedAt: s.Rec.Now()}
	org := r.OrgID
	if org == 0 {
		org = a.Tree.Root
	}
	var user any
	if a.UserID != 0 {
		user = a.UserID
	}
	err = s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO documents (organization_id, record_type, record_id, filename, content_type, size, sha256, content, user_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, org, typeName, id, d.Name, d.Type, d.Size, d.SHA256, content, user, d.CreatedAt).Scan(&d.ID); err != nil {
			return err
		}
		return s.Rec.AddHistoryTx(ctx, tx, a, r, "update", []record.Change{{Field: HistoryField, New: d.Name}})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Delete removes one of a record's documents (kept with the time it was
// removed), and records it in the record's history.
func (s *Service) Delete(ctx context.Context, a *record.Actor, typeName string, id, docID int64) error {
	r, err := s.record(ctx, a, typeName, id)
	if err != nil {
		return err
	}
	if !CanWrite(a, r) {
		return record.E(record.CodeForbidden, "err.forbidden")
	}
	return s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, `UPDATE documents SET deleted_at = ? WHERE id = ? AND record_type = ? AND record_id = ? AND deleted_at IS NULL RETURNING filename`,
			s.Rec.Now(), docID, typeName, id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return record.ErrNotFound()
		}
		if err != nil {
			return err
		}
		return s.Rec.AddHistoryTx(ctx, tx, a, r, "update", []record.Change{{Field: HistoryField, Old: name}})
	})
}

// CleanName keeps a file name readable and harmless, as the mail gateway does
// with attachments: no path, no control character, at most 200 characters.
func CleanName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if s == "" || s == "." || s == ".." {
		s = "document"
	}
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200])
	}
	return s
}
