package record

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"parc/internal/store"
)

// Op is a filter operator.
type Op string

const (
	OpEq       Op = "eq"
	OpNe       Op = "ne"
	OpContains Op = "contains"
	OpStarts   Op = "starts"
	OpLt       Op = "lt"
	OpLte      Op = "lte"
	OpGt       Op = "gt"
	OpGte      Op = "gte"
	OpEmpty    Op = "empty"
	OpNotEmpty Op = "notempty"
)

// Ops lists the operators in the order forms offer them.
var Ops = []Op{OpContains, OpEq, OpNe, OpStarts, OpLt, OpLte, OpGt, OpGte, OpEmpty, OpNotEmpty}

// Filter is one condition on a field.
type Filter struct {
	Field string
	Op    Op
	Value string
}

// ListQuery is everything a list view or API list call can ask for. Its URL form
// (Encode) is also what saved searches keep.
type ListQuery struct {
	Filters []Filter
	Any     bool   // OR the filters instead of AND
	Q       string // free text over searchable fields
	Sort    string // field name; "-" prefix for descending
	Limit   int
	Cursor  string
	Trash   bool // list the trash instead of live records
	// Disposed lists the records that left the fleet instead of those in it, for
	// types with a DisposedField (URL: disposed=1).
	Disposed bool
	Count    bool // also count matching rows
	Columns  []string
	// VisibleFrom, for OrgShared types, keeps the records an organisation's records
	// may use (a picker on a computer of that organisation).
	VisibleFrom int64
}

const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// ParseListQuery reads list parameters: filter=FIELD:OP:VALUE (repeatable), match=any,
// q, sort, limit, cursor, trash=1, count=1, columns=a,b.
func ParseListQuery(t *Type, v url.Values) (ListQuery, error) {
	q := ListQuery{Q: strings.TrimSpace(v.Get("q")), Sort: v.Get("sort"), Cursor: v.Get("cursor"),
		Any: v.Get("match") == "any", Trash: v.Get("trash") == "1" || v.Get("trash") == "true",
		Count: v.Get("count") == "1" || v.Get("count") == "true"}
	q.Disposed = t.DisposedField != "" && (v.Get("disposed") == "1" || v.Get("disposed") == "true")
	errs := FieldErrors{}
	for _, raw := range v["filter"] {
		if raw == "" {
			continue
		}
		parts := strings.SplitN(raw, ":", 3)
		if len(parts) < 2 {
			errs.Add("filter", "err.bad_filter", raw)
			continue
		}
		f := Filter{Field: parts[0], Op: Op(parts[1])}
		if len(parts) == 3 {
			f.Value = parts[2]
		}
		if msg := checkFilter(t, f); msg != nil {
			errs.Add("filter", msg.Key, msg.Args...)
			continue
		}
		q.Filters = append(q.Filters, f)
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > MaxLimit {
			errs.Add("limit", "err.bad_limit", MaxLimit)
		}
		q.Limit = n
	}
	if q.Sort != "" {
		name := strings.TrimPrefix(q.Sort, "-")
		if !sortable(t, name) {
			errs.Add("sort", "err.bad_sort", name)
		}
	}
	if c := v.Get("columns"); c != "" {
		for _, name := range strings.Split(c, ",") {
			if f := t.Field(name); f != nil && !f.Hidden {
				q.Columns = append(q.Columns, name)
			} else if name != "" {
				errs.Add("columns", "err.unknown_field_named", name)
			}
		}
	}
	return q, errs.Err()
}

func sortable(t *Type, name string) bool {
	if name == "id" || name == "updated_at" || name == "created_at" {
		return true
	}
	f := t.Field(name)
	return f != nil && !f.Hidden && f.Kind != LongText
}

func checkFilter(t *Type, f Filter) *Msg {
	if vf, ok := t.Virtual[f.Field]; ok {
		if _, _, msg := vf(f.Op, f.Value); msg != nil {
			return msg
		}
		return nil
	}
	var fld *Field
	switch f.Field {
	case "organization_id":
		fld = &Field{Name: "organization_id", Kind: Ref}
	case "id":
		fld = &Field{Name: "id", Kind: Int}
	case "updated_at", "created_at":
		fld = &Field{Name: f.Field, Kind: DateTime}
	default:
		fld = t.Field(f.Field)
	}
	if fld == nil || fld.Hidden {
		return &Msg{Key: "err.unknown_field_named", Args: []any{f.Field}}
	}
	known := false
	for _, o := range Ops {
		known = known || o == f.Op
	}
	if !known {
		return &Msg{Key: "err.bad_operator", Args: []any{string(f.Op)}}
	}
	if f.Op == OpEmpty || f.Op == OpNotEmpty {
		return nil
	}
	if (f.Op == OpContains || f.Op == OpStarts) && !fld.Kind.IsText() {
		return &Msg{Key: "err.bad_operator", Args: []any{string(f.Op)}}
	}
	if f.Op != OpContains && f.Op != OpStarts {
		if _, m := filterField(fld).Parse(f.Value); m != nil {
			return &Msg{Key: "err.bad_filter_value", Args: []any{f.Field}}
		}
	}
	return nil
}

// filterField relaxes a field's input rules for filter values (no length or range limits).
func filterField(f *Field) *Field {
	c := *f
	c.Min, c.MaxNum, c.Max = nil, nil, 1<<20
	if c.Kind == Enum {
		c.Kind = Text
	}
	return &c
}

// Encode writes the query back as URL parameters (without the cursor).
func (q ListQuery) Encode() url.Values {
	v := url.Values{}
	for _, f := range q.Filters {
		v.Add("filter", f.Field+":"+string(f.Op)+":"+f.Value)
	}
	if q.Any {
		v.Set("match", "any")
	}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	if q.Sort != "" {
		v.Set("sort", q.Sort)
	}
	if q.Limit != 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Trash {
		v.Set("trash", "1")
	}
	if q.Disposed {
		v.Set("disposed", "1")
	}
	if len(q.Columns) > 0 {
		v.Set("columns", strings.Join(q.Columns, ","))
	}
	return v
}

// CountCap is where list counts stop (see Page.TotalCapped).
const CountCap = 1000

// Page is one page of a list.
type Page struct {
	Records    []*Record
	NextCursor string
	Total      int64 // -1 when not counted
	// TotalCapped says that more than Total records match (counting stopped at CountCap).
	TotalCapped bool
}

// List returns one page of the records the actor may read.
func (s *Service) List(ctx context.Context, a *Actor, t *Type, q ListQuery) (*Page, error) {
	where, args, ok := s.scopeSQL(a, t, Read)
	if !ok {
		return nil, ErrForbidden()
	}
	conds := []string{where}
	if q.Trash {
		conds = append(conds, "deleted_at IS NOT NULL")
	} else {
		conds = append(conds, "deleted_at IS NULL")
	}
	if c := DisposedSQL(t, q.Disposed); c != "" {
		conds = append(conds, c)
	}
	fc, fargs := s.filterSQL(ctx, t, q)
	if fc != "" {
		conds = append(conds, fc)
		args = append(args, fargs...)
	}
	if q.VisibleFrom != 0 && t.Scope == OrgShared {
		vc, vargs := VisibleFromSQL(a.Tree, q.VisibleFrom)
		conds = append(conds, vc)
		args = append(args, vargs...)
	}
	sortName := q.Sort
	if sortName == "" {
		sortName = t.DefaultSort
	}
	desc := strings.HasPrefix(sortName, "-")
	sortName = strings.TrimPrefix(sortName, "-")
	sortField := sortFieldOf(t, sortName)
	base := strings.Join(conds, " AND ")
	page := &Page{Total: -1}
	if q.Count {
		// Counting stops at CountCap: an exact count of a large table costs a full scan
		// on every page view, and past ten thousand "more than" is what a person reads.
		cq := "SELECT COUNT(*) FROM (SELECT 1 FROM " + t.Table + " WHERE " + base + " LIMIT ?) capped"
		if err := s.DB.QueryRowContext(ctx, cq, append(append([]any{}, args...), CountCap+1)...).Scan(&page.Total); err != nil {
			return nil, err
		}
		if page.Total > CountCap {
			page.Total, page.TotalCapped = CountCap, true
		}
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	var cur *cursor
	if q.Cursor != "" {
		c, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, err
		}
		cur = c
	}
	from := t.Table
	if sortField.Name == "id" && page.TotalCapped && s.DB.Dialect == store.SQLite {
		// More than CountCap rows match: walking the table in id order finds a
		// page within about limit × rows / CountCap rows, where SQLite's planner
		// would rather read every match through an index on a filtered column
		// (the organisation, for most lists) and sort them all.
		from += " NOT INDEXED"
	}
	recs, err := s.readPage(ctx, t, from, base, args, sortField, desc, cur, limit+1)
	if err != nil {
		return nil, err
	}
	page.Records = recs
	if len(page.Records) > limit {
		page.Records = page.Records[:limit]
		last := page.Records[limit-1]
		page.NextCursor = encodeCursor(sortName, last)
	}
	if err := s.fillDisplay(ctx, page.Records); err != nil {
		return nil, err
	}
	return page, nil
}

// DisposedSQL is the condition that keeps the records in the fleet (disposed
// false) or those that left it, for types with a DisposedField; "" for others.
func DisposedSQL(t *Type, disposed bool) string {
	if t.DisposedField == "" {
		return ""
	}
	if disposed {
		return t.DisposedField + " IS NOT NULL"
	}
	return t.DisposedField + " IS NULL"
}

func sortFieldOf(t *Type, name string) *Field {
	switch name {
	case "id":
		return &Field{Name: "id", Kind: Int}
	case "created_at", "updated_at":
		return &Field{Name: name, Kind: DateTime, Required: true}
	}
	return t.Field(name)
}

// filterSQL builds the WHERE fragment of the filters and free text.
func (s *Service) filterSQL(ctx context.Context, t *Type, q ListQuery) (string, []any) {
	var parts []string
	var args []any
	like := s.DB.ILike()
	for _, f := range q.Filters {
		if vf, ok := t.Virtual[f.Field]; ok {
			cond, vargs, _ := vf(f.Op, f.Value)
			if sel, ok := strings.CutPrefix(cond, selectivePrefix); ok {
				cond = sel
				if s.DB.Dialect == store.SQLite {
					cond = "unlikely(" + sel + ")"
				}
			}
			parts = append(parts, cond)
			args = append(args, vargs...)
			continue
		}
		col := f.Field
		fld := sortFieldOf(t, col)
		if col == "organization_id" {
			fld = &Field{Name: col, Kind: Ref}
			if t.Scope == SelfScoped {
				col = "id"
			}
		}
		var val any
		if f.Op != OpContains && f.Op != OpStarts && f.Op != OpEmpty && f.Op != OpNotEmpty {
			val, _ = filterField(fld).Parse(f.Value)
		}
		switch f.Op {
		case OpEmpty:
			parts = append(parts, col+" IS NULL")
		case OpNotEmpty:
			parts = append(parts, col+" IS NOT NULL")
		case OpContains:
			parts = append(parts, col+" "+like+" ? ESCAPE '\\'")
			args = append(args, "%"+escapeLike(f.Value)+"%")
		case OpStarts:
			if cond, a, ok := s.caseFreePrefix(col, f.Value); ok {
				parts = append(parts, cond)
				args = append(args, a)
				continue
			}
			if s.DB.Dialect == store.Postgres {
				// A range on lower(col) in byte order lets the (lower(name) COLLATE "C")
				// index serve it even in a generic plan, where LIKE $1 cannot.
				lc := "lower(" + col + `) COLLATE "C"`
				parts = append(parts, "("+lc+" >= lower(?) AND "+lc+" < (lower(?) || chr(1114111)) AND lower("+col+") LIKE lower(?) ESCAPE '\\')")
				args = append(args, f.Value, f.Value, escapeLike(f.Value)+"%")
				continue
			}
			parts = append(parts, col+" "+like+" ? ESCAPE '\\'")
			args = append(args, escapeLike(f.Value)+"%")
		default:
			if val == nil {
				if f.Op == OpEq {
					parts = append(parts, col+" IS NULL")
				} else if f.Op == OpNe {
					parts = append(parts, col+" IS NOT NULL")
				}
				continue
			}
			op := map[Op]string{OpEq: "=", OpNe: "<>", OpLt: "<", OpLte: "<=", OpGt: ">", OpGte: ">="}[f.Op]
			if f.Op == OpNe {
				parts = append(parts, "("+col+" <> ? OR "+col+" IS NULL)")
			} else {
				parts = append(parts, col+" "+op+" ?")
			}
			args = append(args, dbValue(val))
		}
	}
	join := " AND "
	if q.Any {
		join = " OR "
	}
	out := ""
	if len(parts) > 0 {
		out = "(" + strings.Join(parts, join) + ")"
	}
	if phrase, ok := s.selectiveText(ctx, t, q.Q); ok {
		// The trigram index finds substrings of three characters or more.
		if out != "" {
			out += " AND "
		}
		out += "id IN (SELECT rowid FROM " + t.Table + "_fts WHERE " + t.Table + "_fts MATCH ?)"
		args = append(args, phrase)
	} else if q.Q != "" {
		var or []string
		if t.TextFilter != nil {
			// Words anywhere, in any form; the substring match below still finds
			// what is not a word (a number, part of a word).
			if cond, targs, ok := t.TextFilter(s.DB.Dialect, q.Q); ok {
				or = append(or, cond)
				args = append(args, targs...)
			}
		}
		for _, f := range t.Fields {
			if f.Search && !f.Hidden {
				or = append(or, f.Name+" "+like+" ? ESCAPE '\\'")
				args = append(args, "%"+escapeLike(q.Q)+"%")
			}
		}
		if len(or) > 0 {
			if out != "" {
				out += " AND "
			}
			out += "(" + strings.Join(or, " OR ") + ")"
		}
	}
	return out, args
}

// textIndexLimit is the number of free-text matches past which a list reads its
// sort order and tests each row instead of using the trigram index.
const textIndexLimit = 2000

// selectiveText reports whether free text should go through the type's SQLite
// trigram index, and the FTS5 phrase to match. The index answers a rare piece (a
// serial, a MAC) at once, but a word found in most rows ("Windows") made every
// page sort the whole table; such words are found sooner by reading the list in
// order and testing each row, so the index is used only under textIndexLimit hits.
func (s *Service) selectiveText(ctx context.Context, t *Type, text string) (string, bool) {
	if text == "" || !t.TextIndex || s.DB.Dialect != store.SQLite || utf8.RuneCountInString(text) < 3 {
		return "", false
	}
	phrase := `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
	var hits int
	err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+t.Table+"_fts WHERE "+t.Table+"_fts MATCH ? LIMIT ?) x", phrase, textIndexLimit).Scan(&hits)
	return phrase, err == nil && hits < textIndexLimit
}

// caseFreePrefix matches a prefix without letters (an IP address, a MAC, a
// number) case-sensitively, which is the same match, so that a plain index on
// the column serves it: GLOB on SQLite (its LIKE uses only NOCASE indexes), LIKE
// on PostgreSQL (ILIKE uses no B-tree). The name has its own prefix index.
func (s *Service) caseFreePrefix(col, value string) (string, any, bool) {
	if col == "name" || value == "" || strings.IndexFunc(value, unicode.IsLetter) >= 0 {
		return "", nil, false
	}
	if s.DB.Dialect == store.Postgres {
		return col + " LIKE ? ESCAPE '\\'", escapeLike(value) + "%", true
	}
	if strings.ContainsAny(value, "*?[") {
		return "", nil, false
	}
	return col + " GLOB ?", value + "*", true
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

type cursor struct {
	V  *string `json:"v"`
	ID int64   `json:"id"`
}

func encodeCursor(sortName string, r *Record) string {
	c := cursor{ID: r.ID}
	var v any
	switch sortName {
	case "id":
	case "created_at":
		v = r.CreatedAt
	case "updated_at":
		v = r.UpdatedAt
	default:
		v = r.Values[sortName]
	}
	if v != nil {
		s := Format(v)
		c.V = &s
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(raw string) (*cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil, E(CodeInvalid, "err.bad_cursor")
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.ID <= 0 {
		return nil, E(CodeInvalid, "err.bad_cursor")
	}
	return &c, nil
}

// readPage reads up to n records of from (the table, with any planner hint)
// matching where, in the list order, after the
// cursor. NULLs sort last both ways. A nullable sort column is read in two
// segments, its values by (col, id) then its NULLs by id, because no index serves
// an ORDER BY on "(col IS NULL), col": with two plain orders the (col, id) list
// indexes give a first page without sorting every matching row.
func (s *Service) readPage(ctx context.Context, t *Type, from, where string, args []any, f *Field, desc bool, c *cursor, n int) ([]*Record, error) {
	dir, cmp := "ASC", ">"
	if desc {
		dir, cmp = "DESC", "<"
	}
	col := f.Name
	sel := "SELECT " + t.columns() + " FROM " + from + " WHERE " + where
	if col == "id" {
		q, qa := sel, append([]any{}, args...)
		if c != nil {
			q += " AND id " + cmp + " ?"
			qa = append(qa, c.ID)
		}
		return s.queryRecords(ctx, t, q+" ORDER BY id "+dir+" LIMIT ?", append(qa, n))
	}
	nullable := !(f.Required || col == "created_at" || col == "updated_at")
	// Names sort as people read them, ignoring case and accents, on the
	// store's folded key and its index (store.FoldedSort).
	key, keyArg := col, "?"
	if store.FoldedSort(t.Table, col) {
		key, keyArg = store.FoldFunc+"("+col+")", store.FoldFunc+"(?)"
	}
	var out []*Record
	if c == nil || c.V != nil {
		q, qa := sel, append([]any{}, args...)
		if nullable {
			q += " AND " + col + " IS NOT NULL"
		}
		if c != nil {
			v, m := filterField(f).Parse(*c.V)
			if m != nil || v == nil {
				return nil, E(CodeInvalid, "err.bad_cursor")
			}
			q += " AND (" + key + ", id) " + cmp + " (" + keyArg + ", ?)"
			qa = append(qa, dbValue(v), c.ID)
		}
		recs, err := s.queryRecords(ctx, t, q+" ORDER BY "+key+" "+dir+", id "+dir+" LIMIT ?", append(qa, n))
		if err != nil || !nullable || len(recs) >= n {
			return recs, err
		}
		out = recs
	}
	q, qa := sel+" AND "+col+" IS NULL", append([]any{}, args...)
	if c != nil && c.V == nil {
		q += " AND id " + cmp + " ?"
		qa = append(qa, c.ID)
	}
	recs, err := s.queryRecords(ctx, t, q+" ORDER BY id "+dir+" LIMIT ?", append(qa, n-len(out)))
	return append(out, recs...), err
}

func (s *Service) queryRecords(ctx context.Context, t *Type, q string, args []any) ([]*Record, error) {
	rows, err := s.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Record
	for rows.Next() {
		r, err := scanRecord(t, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
