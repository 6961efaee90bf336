package record

import (
	"context"
	"database/sql"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"parc/internal/store"
)

// Origins of changes, kept in the history.
const (
	OriginWeb       = "web"
	OriginAPI       = "api"
	OriginImport    = "import"
	OriginInventory = "inventory"
	OriginRule      = "rule"
	OriginJob       = "job"
	OriginCLI       = "cli"
	OriginMail      = "mail"
)

// Entry is one line of a record's history.
type Entry struct {
	ID       int64     `json:"id"`
	Action   string    `json:"action"` // create, update, trash, restore, purge
	Field    string    `json:"field,omitempty"`
	OldValue string    `json:"old_value,omitempty"`
	NewValue string    `json:"new_value,omitempty"`
	Origin   string    `json:"origin"`
	UserID   int64     `json:"user_id,omitempty"`
	UserName string    `json:"user_name"`
	At       time.Time `json:"created_at"`
	// OldLabel and NewLabel name referenced records, for display.
	OldLabel string `json:"old_label,omitempty"`
	NewLabel string `json:"new_label,omitempty"`
}

// AddHistoryTx writes history entries for changes a type's own code made (components,
// installed software...) inside the caller's transaction. With no changes it writes one
// entry for the action itself.
func (s *Service) AddHistoryTx(ctx context.Context, tx *store.Tx, a *Actor, r *Record, action string, changes []Change) error {
	return s.addHistory(ctx, tx, a, r, action, changes)
}

func (s *Service) addHistory(ctx context.Context, tx *store.Tx, a *Actor, r *Record, action string, changes []Change) error {
	origin := a.Origin
	if origin == "" {
		origin = OriginWeb
	}
	var org any
	if r.Type.Scope != Global && (r.OrgID != 0 || r.Type.Scope != OrgShared) {
		org = r.OrgID
	}
	var user any
	if a.UserID != 0 {
		user = a.UserID
	}
	name := a.Login
	now := s.Now()
	const cols = "(record_type, record_id, organization_id, action, field, old_value, new_value, origin, user_id, user_name, created_at)"
	if len(changes) == 0 && action == "update" {
		return nil
	}
	if len(changes) == 0 {
		_, err := tx.ExecContext(ctx, "INSERT INTO history "+cols+" VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?, ?)",
			r.Type.Name, r.ID, org, action, origin, user, name, now)
		return err
	}
	// Batches stay under both stores' limit on statement parameters.
	for chunk := range slices.Chunk(changes, 500) {
		args := make([]any, 0, len(chunk)*11)
		for _, c := range chunk {
			args = append(args, r.Type.Name, r.ID, org, action, c.Field, nullable(c.Old), nullable(c.New), origin, user, name, now)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO history "+cols+" VALUES "+store.Rows(len(chunk), 11), args...); err != nil {
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

// HistoryLimit is the largest page of history entries; DefaultHistoryLimit the
// page given without a limit.
const (
	HistoryLimit        = 500
	DefaultHistoryLimit = 100
)

// ParseHistoryQuery reads the limit and before parameters of a history page,
// refusing values that are not positive integers as list parameters are refused.
func ParseHistoryQuery(v url.Values) (limit int, before int64, err error) {
	errs := FieldErrors{}
	limit = DefaultHistoryLimit
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > HistoryLimit {
			errs.Add("limit", "err.bad_limit", HistoryLimit)
		}
		limit = n
	}
	if b := v.Get("before"); b != "" {
		if before, err = strconv.ParseInt(b, 10, 64); err != nil || before <= 0 {
			errs.Add("before", "err.not_integer")
		}
	}
	return limit, before, errs.Err()
}

// History lists a record's changes, newest first, for an actor who may read it.
// beforeID pages back: only entries older than it are returned.
func (s *Service) History(ctx context.Context, a *Actor, t *Type, id int64, limit int, beforeID int64) ([]Entry, error) {
	if _, err := s.load(ctx, s.DB, a, t, id, Read); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > HistoryLimit {
		limit = DefaultHistoryLimit
	}
	q := "SELECT id, action, COALESCE(field, ''), COALESCE(old_value, ''), COALESCE(new_value, ''), origin, COALESCE(user_id, 0), COALESCE(user_name, ''), created_at FROM history WHERE record_type = ? AND record_id = ?"
	args := []any{t.Name, id}
	if beforeID > 0 {
		q += " AND id < ?"
		args = append(args, beforeID)
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := s.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	tsf := &Field{Kind: DateTime}
	for rows.Next() {
		var e Entry
		var at any
		if err := rows.Scan(&e.ID, &e.Action, &e.Field, &e.OldValue, &e.NewValue, &e.Origin, &e.UserID, &e.UserName, &at); err != nil {
			return nil, err
		}
		e.At, _ = tsf.FromDB(at).(time.Time)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.labelHistory(ctx, t, out)
}

// labelHistory names the records that reference fields pointed to.
func (s *Service) labelHistory(ctx context.Context, t *Type, es []Entry) error {
	want := map[string]map[int64]string{}
	for _, e := range es {
		f := t.Field(e.Field)
		if f == nil || f.Kind != Ref {
			continue
		}
		for _, v := range []string{e.OldValue, e.NewValue} {
			if id := ParseID(v); id > 0 {
				if want[f.Ref] == nil {
					want[f.Ref] = map[int64]string{}
				}
				want[f.Ref][id] = ""
			}
		}
	}
	for tn, ids := range want {
		if err := s.labels(ctx, s.Reg.MustType(tn), ids); err != nil {
			return err
		}
	}
	for i := range es {
		e := &es[i]
		f := t.Field(e.Field)
		if f == nil || f.Kind != Ref {
			continue
		}
		e.OldLabel = want[f.Ref][ParseID(e.OldValue)]
		e.NewLabel = want[f.Ref][ParseID(e.NewValue)]
	}
	return nil
}

// ParseID reads a record id written as decimal digits alone (no sign, no space),
// as ids are stored in history values and settings; anything else, and a number
// past the largest id, is 0.
func ParseID(s string) int64 {
	if s == "" || s[0] < '0' || s[0] > '9' { // ParseInt would take a sign
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// labels fills ids with the labels of those records of t (trashed ones included).
func (s *Service) labels(ctx context.Context, t *Type, ids map[int64]string) error {
	return s.labelsOf(ctx, map[*Type]map[int64]string{t: ids})
}

// labelsOf fills the labels of records of several types in one query, with
// placeholders so that the statement is the same from one record to the next.
func (s *Service) labelsOf(ctx context.Context, want map[*Type]map[int64]string) error {
	types := make([]*Type, 0, len(want))
	for t, ids := range want {
		if len(ids) > 0 {
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		return nil
	}
	sort.Slice(types, func(i, j int) bool { return types[i].Name < types[j].Name })
	var parts []string
	var args []any
	for i, t := range types {
		ph := store.Placeholders(len(want[t]))
		parts = append(parts, "SELECT "+strconv.Itoa(i)+", id, "+t.LabelExpr()+" FROM "+t.Table+" WHERE id IN ("+ph+")")
		for id := range want[t] {
			args = append(args, id)
		}
	}
	rows, err := s.DB.QueryContext(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var id int64
		var l sql.NullString
		if err := rows.Scan(&i, &id, &l); err != nil {
			return err
		}
		want[types[i]][id] = l.String
	}
	return rows.Err()
}

// Describe fills the Display labels of records (their references' names).
func (s *Service) Describe(ctx context.Context, rs ...*Record) error { return s.fillDisplay(ctx, rs) }

// fillDisplay names the referenced records of a page of records, one query per
// referenced type, so that list pages never join.
func (s *Service) fillDisplay(ctx context.Context, rs []*Record) error {
	if len(rs) == 0 {
		return nil
	}
	t := rs[0].Type
	want := map[string]map[int64]string{}
	add := func(tn string, id int64) {
		if id <= 0 {
			return
		}
		if want[tn] == nil {
			want[tn] = map[int64]string{}
		}
		want[tn][id] = ""
	}
	for _, r := range rs {
		if t.HasOrg() {
			add("organizations", r.OrgID)
		}
		for _, f := range t.Fields {
			if f.Kind == Ref {
				add(f.Ref, r.Int(f.Name))
			}
		}
	}
	byType := map[*Type]map[int64]string{}
	for tn, ids := range want {
		if rt, ok := s.Reg.Type(tn); ok {
			byType[rt] = ids
		}
	}
	if err := s.labelsOf(ctx, byType); err != nil {
		return err
	}
	for _, r := range rs {
		r.Display = map[string]string{}
		if t.HasOrg() && r.OrgID != 0 {
			r.Display["organization_id"] = want["organizations"][r.OrgID]
		}
		for _, f := range t.Fields {
			if f.Kind == Ref {
				if id := r.Int(f.Name); id > 0 {
					r.Display[f.Name] = want[f.Ref][id]
				}
			}
		}
	}
	if t.LabelSQL != "" {
		self := map[int64]string{}
		for _, r := range rs {
			self[r.ID] = ""
		}
		if err := s.labels(ctx, t, self); err != nil {
			return err
		}
		for _, r := range rs {
			r.Display["_self"] = self[r.ID]
		}
	}
	return nil
}

// ReadSetting reads one setting from the store's readers, "" when unset.
func (s *Service) ReadSetting(ctx context.Context, key string) (string, error) {
	return s.Setting(ctx, s.DB, key)
}

// Setting reads one setting through q (a transaction's view), "" when unset.
func (s *Service) Setting(ctx context.Context, q store.Querier, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// SetSetting writes one setting.
func (s *Service) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.DB.Exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return err
}
