package record

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"parc/internal/store"
)

// Service runs the generic operations of every type against the store.
type Service struct {
	DB  *store.DB
	Reg *Registry
	// Now is the clock; tests may fix it.
	Now func() time.Time
	// Sealer encrypts the secrets hooks keep (licence keys), set by app.Build
	// (internal/secret); nil: such secrets are refused.
	Sealer Sealer
}

// Sealer encrypts a secret for a context (the field it is kept in).
type Sealer interface {
	Seal(plain, context string) (string, error)
}

// NewService makes a service over a store and a registry.
func NewService(db *store.DB, reg *Registry) *Service {
	return &Service{DB: db, Reg: reg, Now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// metaKeys are input keys that are accepted and ignored: they come back from a GET.
var metaKeys = map[string]bool{"id": true, "created_at": true, "updated_at": true, "deleted_at": true, "display": true}

// Input is the values a caller sends: JSON values or strings, by field name.
type Input map[string]any

// scopeSQL is the WHERE fragment limiting rows to what the actor may do action on.
// It returns ok=false when nothing at all is allowed.
func (s *Service) scopeSQL(a *Actor, t *Type, action Action) (string, []any, bool) {
	if a.System {
		return "1=1", nil, true
	}
	if action == Read && t.ReadScope != nil {
		return t.ReadScope(a)
	}
	if t.Scope == Global {
		return "1=1", nil, a.Can(t, action)
	}
	if t.Scope == OrgShared {
		return sharedScopeSQL(a, t, action)
	}
	sc := a.Scope(t, action)
	if sc.Empty() {
		return "", nil, false
	}
	if sc.All {
		return "1=1", nil, true
	}
	col := "organization_id"
	if t.Scope == SelfScoped {
		col = "id"
	}
	var parts []string
	var args []any
	if len(sc.IDs) > 0 {
		parts = append(parts, col+" IN ("+intList(sc.IDs)+")")
	}
	if t.Scope == SelfScoped {
		// Trashed organisations, outside the tree, under one the actor covers.
		if gone := a.TrashedIn(t, action); len(gone) > 0 {
			parts = append(parts, col+" IN ("+intList(gone)+")")
		}
	}
	if len(sc.OwnIDs) > 0 {
		parts = append(parts, "("+col+" IN ("+intList(sc.OwnIDs)+") AND "+t.OwnerField()+" = ?)")
		args = append(args, a.UserID)
	}
	return "(" + strings.Join(parts, " OR ") + ")", args, true
}

// sharedScopeSQL limits an OrgShared type to the records the actor may read: the
// shared ones, those of the organisations where the actor may read the type, and
// the recursive ones of their ancestors.
func sharedScopeSQL(a *Actor, t *Type, action Action) (string, []any, bool) {
	sc := a.Scope(t, action)
	if sc.Empty() {
		return "", nil, false
	}
	if sc.All {
		return "1=1", nil, true
	}
	in := map[int64]bool{}
	for _, id := range sc.IDs {
		in[id] = true
	}
	up := map[int64]bool{}
	for _, id := range sc.IDs {
		_, anc := a.Tree.SeenFrom(id)
		for _, p := range anc {
			if !in[p] {
				up[p] = true
			}
		}
	}
	cond := "(organization_id IS NULL OR organization_id IN (" + intList(sc.IDs) + ")"
	var args []any
	if len(up) > 0 {
		cond += " OR (" + RecursiveField + " = ? AND organization_id IN (" + intList(keys(up)) + "))"
		args = append(args, true)
	}
	return cond + ")", args, true
}

// VisibleFromSQL limits an OrgShared type to the records an organisation's records
// may use: the shared ones, the organisation's own, and its ancestors' recursive
// ones (a computer of one client cannot take another client's state).
func VisibleFromSQL(tree *OrgTree, org int64) (string, []any) {
	self, anc := tree.SeenFrom(org)
	cond := "(organization_id IS NULL OR organization_id = ?"
	args := []any{self}
	if len(anc) > 0 {
		cond += " OR (" + RecursiveField + " = ? AND organization_id IN (" + intList(anc) + "))"
		args = append(args, true)
	}
	return cond + ")", args
}

// intList writes ids the server computed itself (never user text) as an SQL list.
func intList(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(Format(id))
	}
	return b.String()
}

// scanRecord reads one row selected with t.columns().
func scanRecord(t *Type, sc interface{ Scan(...any) error }) (*Record, error) {
	vis := t.VisibleFields()
	n := 5 + len(vis)
	if t.HasOrg() {
		n++
	}
	raw := make([]any, n)
	ptrs := make([]any, n)
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	if err := sc.Scan(ptrs...); err != nil {
		return nil, err
	}
	r := &Record{Type: t, Values: make(map[string]any, len(vis))}
	i := 0
	next := func() any { v := raw[i]; i++; return v }
	idf := &Field{Kind: Int}
	tsf := &Field{Kind: DateTime}
	r.ID, _ = idf.FromDB(next()).(int64)
	if t.HasOrg() {
		r.OrgID, _ = idf.FromDB(next()).(int64)
	}
	r.Version, _ = idf.FromDB(next()).(int64)
	r.CreatedAt, _ = tsf.FromDB(next()).(time.Time)
	r.UpdatedAt, _ = tsf.FromDB(next()).(time.Time)
	if d, ok := tsf.FromDB(next()).(time.Time); ok {
		r.DeletedAt = &d
	}
	if t.Scope == SelfScoped {
		r.OrgID = r.ID
	}
	for _, f := range vis {
		r.Values[f.Name] = f.FromDB(next())
	}
	return r, nil
}

// load reads a record the actor may do action on; trashed records are included.
func (s *Service) load(ctx context.Context, q store.Querier, a *Actor, t *Type, id int64, action Action) (*Record, error) {
	where, args, ok := s.scopeSQL(a, t, action)
	if !ok {
		return nil, ErrNotFound()
	}
	query := "SELECT " + t.columns() + " FROM " + t.Table + " WHERE id = ? AND " + where
	r, err := scanRecord(t, q.QueryRowContext(ctx, query, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound()
	}
	return r, err
}

// loadForUpdate is load that also locks the row on PostgreSQL until the
// transaction ends: two transactions changing one record then run one after the
// other, the second reading what the first wrote. Without it, the second compared
// the version it had read before the first committed, and an update that named no
// version (a follow-up taking its ticket) failed as a conflict. SQLite's single
// writer already runs them one after the other.
func (s *Service) loadForUpdate(ctx context.Context, tx *store.Tx, a *Actor, t *Type, id int64) (*Record, error) {
	if s.DB.Dialect != store.Postgres {
		return s.load(ctx, tx, a, t, id, Read)
	}
	where, args, ok := s.scopeSQL(a, t, Read)
	if !ok {
		return nil, ErrNotFound()
	}
	query := "SELECT " + t.columns() + " FROM " + t.Table + " WHERE id = ? AND " + where + " FOR NO KEY UPDATE"
	r, err := scanRecord(t, tx.QueryRowContext(ctx, query, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound()
	}
	return r, err
}

// GetTx reads one record the actor may see inside the caller's transaction (trashed
// records included), without the labels of its references.
func (s *Service) GetTx(ctx context.Context, tx *store.Tx, a *Actor, t *Type, id int64) (*Record, error) {
	return s.load(ctx, tx, a, t, id, Read)
}

// Get reads one record the actor may see.
func (s *Service) Get(ctx context.Context, a *Actor, t *Type, id int64) (*Record, error) {
	r, err := s.load(ctx, s.DB, a, t, id, Read)
	if err != nil {
		return nil, err
	}
	if err := s.fillDisplay(ctx, []*Record{r}); err != nil {
		return nil, err
	}
	return r, nil
}

// parseInput turns input into field values, reporting unknown and read-only keys.
func (s *Service) parseInput(a *Actor, t *Type, in Input, errs FieldErrors) (vals map[string]any, extra map[string]any, org *int64, version *int64) {
	vals = map[string]any{}
	extra = map[string]any{}
	for k, v := range in {
		switch {
		case metaKeys[k]:
			continue
		case k == "version":
			n, ok := jsonInt(v)
			if s, isStr := v.(string); isStr && s != "" {
				f := &Field{Kind: Int}
				x, m := f.Parse(s)
				n, ok = 0, m == nil
				if ok {
					n = x.(int64)
				}
			}
			if !ok && v != nil && v != "" {
				errs.Add(k, "err.not_integer")
			} else if ok {
				version = &n
			}
			continue
		case k == "organization_id":
			if !t.HasOrg() {
				errs.Add(k, "err.unknown_field")
				continue
			}
			f := &Field{Kind: Ref}
			x, m := f.Parse(v)
			if m != nil {
				errs.Add(k, m.Key, m.Args...)
			} else if x != nil {
				id := x.(int64)
				org = &id
			}
			continue
		}
		if contains(t.Extras, k) {
			extra[k] = v
			continue
		}
		f := t.Field(k)
		if f == nil || f.Hidden {
			errs.Add(k, "err.unknown_field")
			continue
		}
		if f.ReadOnly && !a.System {
			errs.Add(k, "err.read_only")
			continue
		}
		x, m := f.Parse(v)
		if m != nil {
			errs.Add(k, m.Key, m.Args...)
			continue
		}
		vals[k] = x
	}
	return
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Create stores a new record.
func (s *Service) Create(ctx context.Context, a *Actor, t *Type, in Input) (*Record, error) {
	var out *Record
	err := s.DB.Tx(ctx, func(tx *store.Tx) error {
		r, err := s.CreateTx(ctx, tx, a, t, in)
		out = r
		return err
	})
	if err != nil {
		return nil, s.mapDBError(t, err)
	}
	return out, nil
}

// CreateTx stores a new record inside the caller's transaction.
func (s *Service) CreateTx(ctx context.Context, tx *store.Tx, a *Actor, t *Type, in Input) (*Record, error) {
	if !a.Can(t, Create) || t.SystemOnly && !a.System {
		return nil, ErrForbidden()
	}
	errs := FieldErrors{}
	vals, extra, org, _ := s.parseInput(a, t, in, errs)
	_, orgGiven := in["organization_id"]
	r := &Record{Type: t, Values: map[string]any{}, Version: 1}
	for _, f := range t.Fields {
		if v, ok := vals[f.Name]; ok {
			r.Values[f.Name] = v
		} else if !f.Hidden {
			r.Values[f.Name] = f.Default
		}
	}
	switch t.Scope {
	case OrgScoped:
		if org == nil {
			if id, ok := a.DefaultOrg(t); ok {
				org = &id
			} else if _, bad := errs["organization_id"]; !bad {
				errs.Add("organization_id", "err.required")
			}
		}
		if org != nil {
			if a.Tree.Get(*org) == nil || !a.CanIn(t, Create, *org) {
				errs.Add("organization_id", "err.org_not_allowed")
			} else {
				r.OrgID = *org
			}
		}
	case OrgShared:
		// No organisation: shared by all, which needs the right everywhere.
		if org == nil && !orgGiven && !a.CanOwn(t, Create, 0, false) {
			return nil, ErrForbidden()
		}
		if org != nil {
			if a.Tree.Get(*org) == nil {
				errs.Add("organization_id", "err.org_not_allowed")
			} else {
				r.OrgID = *org
			}
		}
		if _, bad := errs["organization_id"]; !bad && !a.CanOwn(t, Create, r.OrgID, r.Bool(RecursiveField)) {
			errs.Add("organization_id", "err.org_not_allowed")
		}
	}
	now := s.Now()
	r.CreatedAt, r.UpdatedAt = now, now
	w := &Write{Ctx: ctx, Tx: tx, DB: s.DB, Actor: a, Type: t, Create: true, New: r, Extra: extra, Errors: errs, Service: s}
	if err := s.validate(w); err != nil {
		return nil, err
	}
	cols := []string{}
	args := []any{}
	if t.HasOrg() {
		cols = append(cols, "organization_id")
		args = append(args, orgValue(t, r.OrgID))
	}
	cols = append(cols, "version", "created_at", "updated_at")
	args = append(args, r.Version, now, now)
	for _, f := range t.Fields {
		v, ok := r.Values[f.Name]
		if !ok {
			continue
		}
		cols = append(cols, f.Name)
		args = append(args, dbValue(v))
	}
	ph := store.Placeholders(len(cols))
	id, err := s.DB.InsertID(ctx, tx, "INSERT INTO "+t.Table+" ("+strings.Join(cols, ", ")+") VALUES ("+ph+")", args...)
	if err != nil {
		return nil, err
	}
	r.ID = id
	if t.Scope == SelfScoped {
		r.OrgID = id
	}
	if t.Hooks.AfterWrite != nil {
		if err := t.Hooks.AfterWrite(w); err != nil {
			return nil, err
		}
		if err := errs.Err(); err != nil {
			return nil, err
		}
	}
	if err := s.addHistory(ctx, tx, a, r, "create", nil); err != nil {
		return nil, err
	}
	for k := range r.Values {
		if f := t.Field(k); f != nil && f.Hidden {
			delete(r.Values, k)
		}
	}
	return r, nil
}

// orgText is an organisation in the history: empty for none (a shared record).
func orgText(org int64) string {
	if org == 0 {
		return ""
	}
	return Format(org)
}

// orgValue is the organization_id stored for a record: NULL for a shared one.
func orgValue(t *Type, org int64) any {
	if org == 0 && t.Scope == OrgShared {
		return nil
	}
	return org
}

// dbValue turns a Go value into a driver argument.
func dbValue(v any) any {
	if t, ok := v.(time.Time); ok {
		return t.UTC()
	}
	return v
}

// validate runs the checks shared by create and update: required fields, naming
// plan, references, uniqueness, then the type's own hook.
func (s *Service) validate(w *Write) error {
	t, r, errs := w.Type, w.New, w.Errors
	if t.NamingPlan && r.Values[t.NameField] == nil && w.Create {
		if err := s.applyNamingPlan(w); err != nil {
			return err
		}
	}
	for _, f := range t.Fields {
		if f.Required && r.Values[f.Name] == nil && !f.Hidden {
			if _, bad := errs[f.Name]; !bad {
				errs.Add(f.Name, "err.required")
			}
		}
	}
	var refs []*Field
	for _, f := range t.Fields {
		if f.Kind != Ref {
			continue
		}
		id, ok := r.Values[f.Name].(int64)
		// An unchanged reference is checked again when the record changes
		// organisation and refers to a catalogue record (OrgShared): the new
		// organisation may not see it.
		moved := w.Old != nil && w.Old.OrgID != r.OrgID && s.Reg.MustType(f.Ref).Scope == OrgShared
		if !ok || (w.Old != nil && w.Old.Int(f.Name) == id && !moved) {
			continue
		}
		refs = append(refs, f)
	}
	if err := s.checkRefs(w, refs); err != nil {
		return err
	}
	if err := s.checkUnique(w); err != nil {
		return err
	}
	if t.Hooks.BeforeWrite != nil {
		if err := t.Hooks.BeforeWrite(w); err != nil {
			return err
		}
	}
	return errs.Err()
}

// checkRefs verifies that each referenced record exists, is live, may be read by
// the actor, and belongs to the record's organisation or one of its ancestors. One
// query answers for all the references of a write (a computer has eight).
func (s *Service) checkRefs(w *Write, refs []*Field) error {
	if len(refs) == 0 {
		return nil
	}
	var parts []string
	var args []any
	for i, f := range refs {
		tt := s.Reg.MustType(f.Ref)
		where, wargs, ok := s.scopeSQL(w.Actor, tt, Read)
		if !ok {
			continue // nothing of that type is readable: reported below as not found
		}
		org := "CAST(NULL AS BIGINT)"
		switch tt.Scope {
		case OrgScoped, OrgShared:
			org = "organization_id"
		case SelfScoped:
			org = "id"
		}
		args = append(append(args, w.New.Values[f.Name]), wargs...)
		if tt.Scope == OrgShared && w.Type.HasOrg() {
			// Only what the record's organisation sees (a shared record sees the shared ones).
			vis, vargs := VisibleFromSQL(w.Actor.Tree, w.New.OrgID)
			where += " AND " + vis
			args = append(args, vargs...)
		}
		parts = append(parts, "SELECT "+strconv.Itoa(i)+", "+org+", CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END FROM "+tt.Table+" WHERE id = ? AND "+where)
	}
	type found struct {
		org  sql.NullInt64
		live bool
	}
	got := map[int]found{}
	if len(parts) > 0 {
		rows, err := w.Tx.QueryContext(w.Ctx, strings.Join(parts, " UNION ALL "), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var i, live int
			var f found
			if err := rows.Scan(&i, &f.org, &live); err != nil {
				return err
			}
			f.live = live == 1
			got[i] = f
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i, f := range refs {
		target, ok := got[i]
		if !ok || !target.live {
			w.Errors.Add(f.Name, "err.bad_reference")
			continue
		}
		tt := s.Reg.MustType(f.Ref)
		if tt.Scope == OrgScoped && w.Type.Scope == OrgScoped && w.New.OrgID != 0 &&
			!w.Actor.Tree.IsAncestorOrSelf(target.org.Int64, w.New.OrgID) {
			w.Errors.Add(f.Name, "err.reference_other_org")
		}
	}
	return nil
}

// checkUnique looks for another live record holding a unique value.
func (s *Service) checkUnique(w *Write) error {
	t, r := w.Type, w.New
	for _, f := range t.Fields {
		if !f.Unique {
			continue
		}
		v := r.Values[f.Name]
		if v == nil || (w.Old != nil && Equal(w.Old.Values[f.Name], v)) {
			continue
		}
		q := "SELECT id FROM " + t.Table + " WHERE " + f.Name + " = ? AND deleted_at IS NULL AND id <> ?"
		args := []any{v, r.ID}
		if t.Scope == OrgScoped {
			q += " AND organization_id = ?"
			args = append(args, r.OrgID)
		} else if t.Scope == OrgShared {
			// Unique per owner: two clients may each have a state "On loan".
			q += " AND COALESCE(organization_id, 0) = ?"
			args = append(args, r.OrgID)
		}
		var other int64
		err := w.Tx.QueryRowContext(w.Ctx, q+" LIMIT 1", args...).Scan(&other)
		if err == nil {
			w.Errors.Add(f.Name, "err.duplicate")
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return nil
}

// Update changes the given fields of a record. A non-nil expected version must match
// the stored one, else the update is refused with a conflict.
func (s *Service) Update(ctx context.Context, a *Actor, t *Type, id int64, in Input) (*Record, error) {
	var out *Record
	err := s.DB.Tx(ctx, func(tx *store.Tx) error {
		r, err := s.UpdateTx(ctx, tx, a, t, id, in)
		out = r
		return err
	})
	if err != nil {
		return nil, s.mapDBError(t, err)
	}
	return out, nil
}

// UpdateTx is Update inside the caller's transaction.
func (s *Service) UpdateTx(ctx context.Context, tx *store.Tx, a *Actor, t *Type, id int64, in Input) (*Record, error) {
	old, err := s.loadForUpdate(ctx, tx, a, t, id)
	if err != nil {
		return nil, err
	}
	if !a.CanRecord(old, Update) || t.SystemOnly && !a.System {
		return nil, ErrForbidden()
	}
	if old.DeletedAt != nil {
		return nil, E(CodeConflict, "err.in_trash")
	}
	errs := FieldErrors{}
	vals, extra, org, version := s.parseInput(a, t, in, errs)
	if version != nil && *version != old.Version {
		return nil, E(CodeConflict, "err.version_conflict", old.Version)
	}
	r := old.clone()
	for k, v := range vals {
		r.Values[k] = v
	}
	if org != nil && *org != old.OrgID && t.Scope == OrgScoped {
		if a.Tree.Get(*org) == nil || !a.CanIn(t, Create, *org) {
			errs.Add("organization_id", "err.org_not_allowed")
		} else {
			r.OrgID = *org
		}
	}
	if t.Scope == OrgShared {
		if _, given := in["organization_id"]; given && org == nil {
			r.OrgID = 0
		} else if org != nil {
			r.OrgID = *org
		}
		// The record must stay within what the actor may write, wherever it goes.
		if (r.OrgID != old.OrgID || r.Bool(RecursiveField) != old.Bool(RecursiveField)) &&
			(r.OrgID != 0 && a.Tree.Get(r.OrgID) == nil || !a.CanOwn(t, Create, r.OrgID, r.Bool(RecursiveField))) {
			errs.Add("organization_id", "err.org_not_allowed")
		}
	}
	w := &Write{Ctx: ctx, Tx: tx, DB: s.DB, Actor: a, Type: t, Old: old, New: r, Extra: extra, Errors: errs, Service: s}
	if err := s.validate(w); err != nil {
		return nil, err
	}
	changes := diff(old, r)
	if len(changes) == 0 {
		if t.Hooks.AfterWrite != nil {
			if err := t.Hooks.AfterWrite(w); err != nil {
				return nil, err
			}
		}
		return old, nil
	}
	r.Version = old.Version + 1
	r.UpdatedAt = s.Now()
	sets := []string{"version = ?", "updated_at = ?"}
	args := []any{r.Version, r.UpdatedAt}
	for _, c := range changes {
		sets = append(sets, c.Field+" = ?")
		if c.Field == "organization_id" {
			args = append(args, orgValue(t, r.OrgID))
		} else {
			args = append(args, dbValue(r.Values[c.Field]))
		}
	}
	args = append(args, id, old.Version)
	res, err := tx.ExecContext(ctx, "UPDATE "+t.Table+" SET "+strings.Join(sets, ", ")+" WHERE id = ? AND version = ?", args...)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, E(CodeConflict, "err.version_conflict", old.Version)
	}
	if t.Hooks.AfterWrite != nil {
		if err := t.Hooks.AfterWrite(w); err != nil {
			return nil, err
		}
	}
	if err := s.addHistory(ctx, tx, a, r, "update", loud(changes)); err != nil {
		return nil, err
	}
	for k := range r.Values {
		if f := t.Field(k); f != nil && f.Hidden {
			delete(r.Values, k)
		}
	}
	return r, nil
}

// Change is one field's old and new value.
type Change struct {
	Field    string
	Old, New string
	quiet    bool // stored but not written to the history
}

func diff(old, r *Record) []Change {
	var out []Change
	if old.OrgID != r.OrgID && r.Type.HasOrg() {
		out = append(out, Change{Field: "organization_id", Old: orgText(old.OrgID), New: orgText(r.OrgID)})
	}
	for _, f := range r.Type.Fields {
		nv, ok := r.Values[f.Name]
		if !ok {
			continue
		}
		ov := old.Values[f.Name]
		if f.Hidden {
			if nv != nil {
				out = append(out, Change{Field: f.Name, Old: "", New: ""})
			}
			continue
		}
		if !Equal(ov, nv) {
			out = append(out, Change{Field: f.Name, Old: Format(ov), New: Format(nv), quiet: f.NoHistory})
		}
	}
	return out
}

// Trash moves a record to the trash (or deletes it outright for types without one).
func (s *Service) Trash(ctx context.Context, a *Actor, t *Type, id int64) error {
	if t.NoTrash {
		return s.purge(ctx, a, t, id, true)
	}
	return s.mapDBError(t, s.DB.Tx(ctx, func(tx *store.Tx) error {
		r, err := s.load(ctx, tx, a, t, id, Read)
		if err != nil {
			return err
		}
		if !a.CanRecord(r, Delete) {
			return ErrForbidden()
		}
		if r.DeletedAt != nil {
			return E(CodeConflict, "err.already_in_trash")
		}
		if t.Hooks.BeforeDelete != nil {
			if err := t.Hooks.BeforeDelete(ctx, tx, s.DB, r, false); err != nil {
				return err
			}
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, "UPDATE "+t.Table+" SET deleted_at = ?, updated_at = ?, version = version + 1 WHERE id = ?", now, now, id); err != nil {
			return err
		}
		return s.addHistory(ctx, tx, a, r, "trash", nil)
	}))
}

// Restore takes a record out of the trash.
func (s *Service) Restore(ctx context.Context, a *Actor, t *Type, id int64) error {
	return s.mapDBError(t, s.DB.Tx(ctx, func(tx *store.Tx) error {
		r, err := s.load(ctx, tx, a, t, id, Read)
		if err != nil {
			return err
		}
		if !a.CanRecord(r, Delete) {
			return ErrForbidden()
		}
		if r.DeletedAt == nil {
			return E(CodeConflict, "err.not_in_trash")
		}
		w := &Write{Ctx: ctx, Tx: tx, DB: s.DB, Actor: a, Type: t, New: r, Errors: FieldErrors{}, Service: s}
		if err := s.checkUnique(w); err != nil {
			return err
		}
		if t.Hooks.BeforeRestore != nil {
			if err := t.Hooks.BeforeRestore(w); err != nil {
				return err
			}
		}
		if err := w.Errors.Err(); err != nil {
			return err
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, "UPDATE "+t.Table+" SET deleted_at = NULL, updated_at = ?, version = version + 1 WHERE id = ?", now, id); err != nil {
			return err
		}
		return s.addHistory(ctx, tx, a, r, "restore", nil)
	}))
}

// Purge deletes a record from the trash for good; its history stays.
func (s *Service) Purge(ctx context.Context, a *Actor, t *Type, id int64) error {
	return s.purge(ctx, a, t, id, t.NoTrash)
}

func (s *Service) purge(ctx context.Context, a *Actor, t *Type, id int64, direct bool) error {
	return s.mapDBError(t, s.DB.Tx(ctx, func(tx *store.Tx) error {
		r, err := s.load(ctx, tx, a, t, id, Read)
		if err != nil {
			return err
		}
		need := Purge
		if direct {
			need = Delete
		}
		if !a.CanRecord(r, need) {
			return ErrForbidden()
		}
		if r.DeletedAt == nil && !direct {
			return E(CodeConflict, "err.not_in_trash")
		}
		if t.Hooks.BeforeDelete != nil {
			if err := t.Hooks.BeforeDelete(ctx, tx, s.DB, r, true); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.Table+" WHERE id = ?", id); err != nil {
			if store.IsForeignKeyViolation(err) {
				return E(CodeConflict, "err.still_referenced")
			}
			return err
		}
		return s.addHistory(ctx, tx, a, r, "purge", nil)
	}))
}

// mapDBError turns a unique violation that raced past the checks into a clear conflict.
func (s *Service) mapDBError(t *Type, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := AsError(err); ok {
		return err
	}
	if s.DB.IsUnique(err) {
		return E(CodeConflict, "err.duplicate_record")
	}
	return fmt.Errorf("%s: %w", t.Name, err)
}

// loud drops the changes of fields kept out of the history.
func loud(cs []Change) []Change {
	out := cs[:0:0]
	for _, c := range cs {
		if !c.quiet {
			out = append(out, c)
		}
	}
	return out
}
