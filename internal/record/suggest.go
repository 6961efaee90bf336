package record

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"parc/internal/store"
)

// Suggestion is one record a reference picker offers.
type Suggestion struct {
	ID     int64  `json:"id"`
	Label  string `json:"label"`
	Detail string `json:"detail,omitempty"`
}

// SuggestQuery is what a picker asks: the text typed and the organisation of the
// record being written (0 when not chosen yet).
type SuggestQuery struct {
	Text  string
	Org   int64
	Limit int
}

// PickScope narrows the records a reference field may take beyond the
// organisation rule (the assignee of a ticket is a technician): an SQL condition
// over the referenced type's own columns.
type PickScope func(ctx context.Context, db *store.DB) (cond string, args []any, err error)

// MaxSuggestions bounds one answer of a picker.
const MaxSuggestions = 20

// pathSep joins the names of a tree's records (a location's site, building, room).
const pathSep = " › "

// SuggestRef offers the records field of t may reference, matching the text: those
// the actor reads, in the organisation of the record or one of its ancestors (as
// checkRefs accepts), within the field's PickScope. The actor must be one who may
// write records of t.
func (s *Service) SuggestRef(ctx context.Context, a *Actor, t *Type, field string, q SuggestQuery) ([]Suggestion, error) {
	f := t.Field(field)
	if f == nil || f.Kind != Ref || f.Hidden || f.ReadOnly {
		return nil, ErrNotFound()
	}
	if !a.Can(t, Create) && !a.Can(t, Update) {
		return nil, ErrForbidden()
	}
	rt := s.Reg.MustType(f.Ref)
	var extra []string
	var extraArgs []any
	if ps := t.PickScopes[field]; ps != nil {
		cond, args, err := ps(ctx, s.DB)
		if err != nil {
			return nil, err
		}
		extra, extraArgs = append(extra, cond), args
	}
	if t.Scope != OrgScoped {
		q.Org = 0 // the rule of references within an organisation applies to org-scoped records
	}
	return s.suggest(ctx, a, rt, q, extra, extraArgs)
}

// SuggestRecords offers records of t the actor reads, matching the text, within
// the organisation q.Org and its ancestors when given (a ticket's asset).
func (s *Service) SuggestRecords(ctx context.Context, a *Actor, t *Type, q SuggestQuery) ([]Suggestion, error) {
	return s.suggest(ctx, a, t, q, nil, nil)
}

func (s *Service) suggest(ctx context.Context, a *Actor, rt *Type, q SuggestQuery, conds []string, args []any) ([]Suggestion, error) {
	where, wargs, ok := s.scopeSQL(a, rt, Read)
	if !ok {
		return []Suggestion{}, nil // nothing of that type is readable: nothing to offer
	}
	conds = append([]string{where, "deleted_at IS NULL"}, conds...)
	if c := DisposedSQL(rt, false); c != "" {
		conds = append(conds, c) // a disposed asset is no longer offered
	}
	args = append(append([]any{}, wargs...), args...)
	if q.Org != 0 && rt.Scope != Global {
		o := a.Tree.Get(q.Org)
		if o == nil {
			return []Suggestion{}, nil
		}
		col := "organization_id"
		if rt.Scope == SelfScoped {
			col = "id"
		}
		if rt.Scope == OrgShared {
			// Shared catalogue records, the organisation's own, and its ancestors'
			// marked visible in sub-organisations: what the save accepts.
			cond, cargs := VisibleFromSQL(a.Tree, q.Org)
			conds, args = append(conds, cond), append(args, cargs...)
		} else {
			conds = append(conds, col+" IN ("+intList(pathIDs(o.Path))+")")
		}
	}
	limit := q.Limit
	if limit <= 0 || limit > MaxSuggestions {
		limit = 10
	}
	fetch := func(cond string, cargs []any, order string) ([]*Record, error) {
		all := append(append([]string{}, conds...), cond)
		if order == "" {
			order = rt.NameField + ", id"
		}
		if s.DB.Dialect == store.SQLite && (strings.Contains(cond, "_fts MATCH") || strings.Contains(cond, " IN (")) {
			// A few matching ids: SQLite would rather walk the whole name index
			// to skip a sort; sorting the matches is far cheaper (an expression
			// is not served by the index).
			order = rt.NameField + " || '', id"
		}
		sql := "SELECT " + rt.columns() + " FROM " + rt.Table + " WHERE " + strings.Join(all, " AND ") +
			" ORDER BY " + order + " LIMIT ?"
		return s.queryRecords(ctx, rt, sql, append(append(append([]any{}, args...), cargs...), limit))
	}
	text := strings.TrimSpace(q.Text)
	var recs []*Record
	var err error
	if text == "" {
		recs, err = fetch("1=1", nil, "")
	} else {
		recs, err = s.suggestText(ctx, rt, text, limit, where == "1=1", fetch)
	}
	if err != nil {
		return nil, err
	}
	if err := s.fillDisplay(ctx, recs); err != nil {
		return nil, err
	}
	paths, err := s.treePaths(ctx, rt, recs)
	if err != nil {
		return nil, err
	}
	out := make([]Suggestion, 0, len(recs))
	for _, r := range recs {
		sg := Suggestion{ID: r.ID, Label: r.Label(), Detail: suggestDetail(r)}
		if p := paths[r.ID]; p != "" {
			sg.Label = p
		}
		out = append(out, sg)
	}
	return out, nil
}

// suggestText finds the records whose searchable fields hold the text and,
// for assets, those of the users whose name holds it: two index-served queries
// merged, as one query with an OR between them scanned the whole table.
//
// Records whose name starts with the text come first and alone when there are
// any: that is what a person typing a name means, and the name's prefix index
// answers at once, where a substring search of a whole name costs a scan of
// every row sharing its common pieces ("PC-").
func (s *Service) suggestText(ctx context.Context, rt *Type, text string, limit int, everywhere bool, fetch func(string, []any, string) ([]*Record, error)) ([]*Record, error) {
	if rt.LabelSQL == "" {
		pc, pargs := s.filterSQL(ctx, rt, ListQuery{Filters: []Filter{{Field: rt.NameField, Op: OpStarts, Value: text}}})
		// In an order an index gives, so that no sort of every match is needed:
		// on SQLite, over every organisation the name's prefix index (store
		// migrations' listIndexes), within some their (organisation, name)
		// index; on PostgreSQL the prefix index, which the range reads in order.
		order := ""
		if s.DB.Dialect == store.Postgres {
			order = "lower(" + rt.NameField + `) COLLATE "C", id`
		} else if everywhere {
			order = rt.NameField + " COLLATE NOCASE, id"
		}
		recs, err := fetch(pc, pargs, order)
		if err != nil || len(recs) > 0 {
			return recs, err
		}
	}
	var recs []*Record
	if tc, targs := s.filterSQL(ctx, rt, ListQuery{Q: text}); tc != "" {
		r, err := fetch(tc, targs, "")
		if err != nil {
			return nil, err
		}
		recs = r
	}
	owner := rt.OwnerField()
	if owner == "" || len(recs) >= limit {
		return recs, nil
	}
	uc, uargs := s.filterSQL(ctx, s.Reg.MustType("users"), ListQuery{Q: text})
	if uc == "" {
		return recs, nil
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT id FROM users WHERE deleted_at IS NULL AND "+uc+" LIMIT ?", append(uargs, MaxSuggestions*5)...)
	if err != nil {
		return nil, err
	}
	var users []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		users = append(users, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(users) == 0 {
		return recs, err
	}
	more, err := fetch(owner+" IN ("+intList(users)+")", nil, "")
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, r := range recs {
		seen[r.ID] = true
	}
	for _, r := range more {
		if !seen[r.ID] {
			recs = append(recs, r)
		}
	}
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := recs[i].String(rt.NameField), recs[j].String(rt.NameField)
		if a != b {
			return a < b
		}
		return recs[i].ID < recs[j].ID
	})
	if len(recs) > limit {
		recs = recs[:limit]
	}
	return recs, nil
}

// Picked is a picker's current value: the record's label (its path in a tree)
// when the actor reads it.
func (s *Service) Picked(ctx context.Context, a *Actor, t *Type, id int64) (Suggestion, error) {
	r, err := s.Get(ctx, a, t, id)
	if err != nil {
		return Suggestion{}, err
	}
	paths, err := s.treePaths(ctx, t, []*Record{r})
	if err != nil {
		return Suggestion{}, err
	}
	sg := Suggestion{ID: r.ID, Label: r.Label(), Detail: suggestDetail(r)}
	if p := paths[r.ID]; p != "" {
		sg.Label = p
	}
	return sg, nil
}

// pathIDs are the organisations of a materialised path ("/1/4/9/"): an
// organisation and its ancestors.
func pathIDs(path string) []int64 {
	var out []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// suggestDetail tells records of one name apart: their identifying values
// (inventory number, serial, login, e-mail, code) and their user.
func suggestDetail(r *Record) string {
	var parts []string
	for _, f := range r.Type.Fields {
		if !f.Search || f.Hidden || f.Name == r.Type.NameField && r.Type.LabelSQL == "" {
			continue
		}
		if !(f.Unique || f.Kind == Serial || f.Kind == Email || f.Name == "code" || f.Name == "login") {
			continue
		}
		if v := r.String(f.Name); v != "" && len(parts) < 2 {
			parts = append(parts, v)
		}
	}
	if owner := r.Type.OwnerField(); owner != "" && r.Display[owner] != "" {
		parts = append(parts, r.Display[owner])
	}
	return strings.Join(parts, " · ")
}

// treePaths names each record of a tree type (one whose parent_id references its
// own type: locations, categories) by its path from the top, "Nantes › Bâtiment A
// › Bureau 101", reading one level of ancestors per query.
func (s *Service) treePaths(ctx context.Context, t *Type, recs []*Record) (map[int64]string, error) {
	pf := t.Field("parent_id")
	if pf == nil || pf.Ref != t.Name || len(recs) == 0 {
		return nil, nil
	}
	type node struct {
		parent int64
		label  string
	}
	nodes := map[int64]node{}
	var want []int64
	for _, r := range recs {
		nodes[r.ID] = node{r.Int("parent_id"), r.Label()}
		if p := r.Int("parent_id"); p > 0 {
			want = append(want, p)
		}
	}
	for depth := 0; depth < 16 && len(want) > 0; depth++ {
		var ids []int64
		for _, id := range want {
			if _, ok := nodes[id]; !ok {
				ids = append(ids, id)
			}
		}
		want = nil
		if len(ids) == 0 {
			break
		}
		rows, err := s.DB.QueryContext(ctx, "SELECT id, COALESCE(parent_id, 0), "+t.LabelExpr()+" FROM "+t.Table+" WHERE id IN ("+intList(ids)+")")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var n node
			if err := rows.Scan(&id, &n.parent, &n.label); err != nil {
				rows.Close()
				return nil, err
			}
			nodes[id] = n
			if n.parent > 0 {
				want = append(want, n.parent)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := map[int64]string{}
	for _, r := range recs {
		var names []string
		seen := map[int64]bool{}
		for id := r.ID; id > 0 && !seen[id]; {
			seen[id] = true
			n, ok := nodes[id]
			if !ok {
				break
			}
			names = append([]string{n.label}, names...)
			id = n.parent
		}
		out[r.ID] = strings.Join(names, pathSep)
	}
	return out, nil
}
