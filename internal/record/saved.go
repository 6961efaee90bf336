package record

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// SavedSearch is a named list query a user keeps for a type.
type SavedSearch struct {
	ID        int64     `json:"id"`
	Type      string    `json:"type"`
	Name      string    `json:"name"`
	Query     string    `json:"query"` // URL-encoded list parameters
	CreatedAt time.Time `json:"created_at"`
}

// SavedSearches lists the actor's saved searches for a type.
func (s *Service) SavedSearches(ctx context.Context, a *Actor, t *Type) ([]SavedSearch, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT id, name, query, created_at FROM saved_searches WHERE user_id = ? AND record_type = ? ORDER BY name, id", a.UserID, t.Name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []SavedSearch{}
	tsf := &Field{Kind: DateTime}
	for rows.Next() {
		ss := SavedSearch{Type: t.Name}
		var at any
		if err := rows.Scan(&ss.ID, &ss.Name, &ss.Query, &at); err != nil {
			return nil, err
		}
		ss.CreatedAt, _ = tsf.FromDB(at).(time.Time)
		out = append(out, ss)
	}
	return out, rows.Err()
}

// SaveSearch keeps a list query under a name; the query is checked against the type.
func (s *Service) SaveSearch(ctx context.Context, a *Actor, t *Type, name, query string) (*SavedSearch, error) {
	name = strings.TrimSpace(name)
	errs := FieldErrors{}
	if name == "" {
		errs.Add("name", "err.required")
	} else if utf8.RuneCountInString(name) > 100 {
		errs.Add("name", "err.too_long", 100)
	}
	v, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		errs.Add("query", "err.bad_filter", query)
	} else if _, err := ParseListQuery(t, v); err != nil {
		errs.Add("query", "err.bad_filter", query)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !a.Can(t, Read) {
		return nil, ErrForbidden()
	}
	v.Del("cursor")
	ss := &SavedSearch{Type: t.Name, Name: name, Query: v.Encode(), CreatedAt: s.Now()}
	id, err := s.DB.Insert(ctx, "INSERT INTO saved_searches (user_id, record_type, name, query, created_at) VALUES (?, ?, ?, ?, ?)", a.UserID, t.Name, ss.Name, ss.Query, ss.CreatedAt)
	if err != nil {
		return nil, err
	}
	ss.ID = id
	return ss, nil
}

// DeleteSavedSearch removes one of the actor's saved searches.
func (s *Service) DeleteSavedSearch(ctx context.Context, a *Actor, id int64) error {
	res, err := s.DB.Exec(ctx, "DELETE FROM saved_searches WHERE id = ? AND user_id = ?", id, a.UserID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound()
	}
	return nil
}
