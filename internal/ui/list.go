package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"parc/internal/record"
)

// ListPage is the list of one type: search form, table, pages, bulk update.
type ListPage struct {
	Base
	Type   TypeView
	Trash  bool
	Errors []string // problems with the list parameters or a failed action

	Columns []Column
	Rows    []Row
	Count   string
	Empty   string // the message shown instead of an empty table
	// Filtered is true when the list is narrowed by filters or free text.
	Filtered bool
	// FiltersOpen unfolds the filter builder when conditions are set.
	FiltersOpen bool

	NextHref, FirstHref, ClearHref string

	// The search form.
	Q        string
	MatchAny bool
	Filters  []FilterRow
	Limits   []Option
	Keep     []Hidden // parameters the search form carries unchanged
	// FilterHints explain the filters that are not plain fields (installed software).
	FilterHints []string
	// Quick are ready-made searches (agents that stopped reporting...).
	Quick []Link
	// The column chooser.
	ColumnChoices []Choice
	ColKeep       []Hidden

	Saved     []SavedView
	SaveName  string
	SaveError string
	Query     string // the canonical query, without cursor
	ListHref  string // this list with the canonical query, for forms that come back

	ExportHref, ImportHref, TrashHref, LiveHref, NewHref, NamingHref string

	Selectable bool // rows have checkboxes for the bulk update
	BulkFields []Option
	BulkValue  string
	Actions    bool // rows have restore / purge buttons
	NoTrash    bool
}

// TableView is what the "table" partial draws: a table of records and its pager.
// On a list page, rows may also be selected for a bulk update (Selectable), and
// restored or purged (Actions) through forms that come back to ListHref.
type TableView struct {
	Columns             []Column
	Rows                []Row
	FirstHref, NextHref string
	Selectable, Actions bool
	TypeName, CSRF      string
	ListHref            string
}

// Table is the list's table.
func (p *ListPage) Table() TableView {
	return TableView{Columns: p.Columns, Rows: p.Rows, FirstHref: p.FirstHref, NextHref: p.NextHref,
		Selectable: p.Selectable, Actions: p.Actions, TypeName: p.Type.Name, CSRF: p.CSRF, ListHref: p.ListHref}
}

// Column is one header of the table.
type Column struct {
	Label    string
	SortHref string
	Sort     string // "ascending", "descending" or "" (aria-sort values)
	Class    string
}

// Row is one record of the table.
type Row struct {
	ID             int64
	Href           string
	Label          string
	Cells          []Cell
	Restore, Purge bool
}

// Cell is one value of the table.
type Cell struct {
	Text, Href, Class string
}

// FilterRow is one condition of the filter builder.
type FilterRow struct {
	Index  int
	Fields []Option
	Ops    []Option
	Value  string
}

// Hidden is a hidden form input.
type Hidden struct{ Name, Value string }

// Choice is one checkbox.
type Choice struct {
	Name, Label string
	Checked     bool
}

// SavedView is one saved search.
type SavedView struct {
	ID         int64
	Name, Href string
}

// pageSizes are the page sizes the list offers.
var pageSizes = []int{25, 50, 100, 200}

// listExtra carries what a failed list action (bulk, save) shows on the re-rendered list.
type listExtra struct {
	status    int
	bulkErr   []string
	bulkField string
	bulkValue string
	saveErr   string
	saveName  string
}

func (u *UI) list(c *req, t *record.Type) error {
	v := c.R.URL.Query()
	if canon, ok := u.canonical(c, t, v); ok {
		target := "/" + t.Name
		if enc := canon.Encode(); enc != "" {
			target += "?" + enc
		}
		http.Redirect(c.W, c.R, target, http.StatusSeeOther)
		return nil
	}
	return u.renderList(c, t, v, listExtra{})
}

// canonical turns the search and column forms' inputs (ff/fo/fv rows, col boxes)
// into the list parameters record.ParseListQuery reads, so that every list URL,
// saved search and export link has one form.
func (u *UI) canonical(c *req, t *record.Type, v url.Values) (url.Values, bool) {
	_, rows := v["ff"]
	_, cols := v["cols"]
	if !rows && !cols {
		return nil, false
	}
	out := url.Values{}
	for k, vs := range v {
		switch k {
		case "ff", "fo", "fv", "cols", "col", "cursor", "done", "n":
			continue
		}
		for _, x := range vs {
			if strings.TrimSpace(x) != "" {
				out.Add(k, x)
			}
		}
	}
	if out.Get("match") != "any" {
		out.Del("match")
	}
	if out.Get("limit") == strconv.Itoa(record.DefaultLimit) {
		out.Del("limit")
	}
	if rows {
		out.Del("filter")
		ff, fo, fv := v["ff"], v["fo"], v["fv"]
		for i, name := range ff {
			if name == "" {
				continue
			}
			op, val := at(fo, i), at(fv, i)
			op, val = u.fixFilter(c, t, name, op, val)
			out.Add("filter", name+":"+op+":"+val)
		}
	}
	if cols {
		if names := v["col"]; len(names) > 0 {
			out.Set("columns", strings.Join(names, ","))
		} else {
			out.Del("columns")
		}
	}
	return out, true
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// fixFilter makes a filter row mean what a person meant: text operators on other
// kinds become equality, and a reference may be given by its record's name.
func (u *UI) fixFilter(c *req, t *record.Type, name, op, val string) (string, string) {
	f := t.Field(name)
	if op == "" {
		op = string(record.OpEq)
	}
	if _, ok := t.Virtual[name]; ok {
		return op, strings.TrimSpace(val)
	}
	if f == nil {
		if name == "organization_id" && !isDigits(val) && val != "" {
			if id := orgByName(c.Actor, val); id > 0 {
				val = strconv.FormatInt(id, 10)
			}
		}
		if (op == string(record.OpContains) || op == string(record.OpStarts)) && name != "" {
			op = string(record.OpEq)
		}
		return op, val
	}
	if (op == string(record.OpContains) || op == string(record.OpStarts)) && !f.Kind.IsText() {
		op = string(record.OpEq)
	}
	if f.Kind == record.Ref && val != "" && !isDigits(val) {
		if id := u.refByName(c, u.App.Reg.MustType(f.Ref), val); id > 0 {
			val = strconv.FormatInt(id, 10)
		}
	}
	if f.Kind == record.Enum {
		val = enumValue(c, f, val)
	}
	return op, val
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// refByName finds the one record of t the actor can read whose name is s.
func (u *UI) refByName(c *req, t *record.Type, s string) int64 {
	nf := t.Field(t.NameField)
	if nf == nil || nf.Kind == record.Ref || !c.Actor.Can(t, record.Read) {
		return 0
	}
	page, err := u.App.Records.List(c.R.Context(), c.Actor, t, record.ListQuery{Filters: []record.Filter{{Field: t.NameField, Op: record.OpEq, Value: strings.TrimSpace(s)}}, Limit: 2})
	if err != nil || len(page.Records) != 1 {
		return 0
	}
	return page.Records[0].ID
}

func orgByName(a *record.Actor, s string) int64 {
	s = strings.TrimSpace(s)
	var found int64
	for _, o := range a.Tree.Orgs() {
		if strings.EqualFold(o.Name, s) {
			if found != 0 {
				return 0
			}
			found = o.ID
		}
	}
	return found
}

// enumValue accepts an option's translated label for the option itself.
func enumValue(c *req, f *record.Field, s string) string {
	for _, o := range f.Options {
		if strings.EqualFold(strings.TrimSpace(s), enumLabel(c, f, o)) {
			return o
		}
	}
	return s
}

// listColumns are the fields shown: the chosen columns, else those marked List.
func listColumns(t *record.Type, q record.ListQuery) []*record.Field {
	var out []*record.Field
	if len(q.Columns) > 0 {
		for _, n := range q.Columns {
			out = append(out, t.Field(n))
		}
		return out
	}
	for _, f := range t.Fields {
		if f.List && !f.Hidden {
			out = append(out, f)
		}
	}
	return out
}

// showOrg reports whether the actor reads records of t in more than one organisation.
func showOrg(a *record.Actor, t *record.Type) bool {
	if t.Scope != record.OrgScoped {
		return false
	}
	s := a.Scope(t, record.Read)
	if s.All {
		return a.Tree.Count > 1
	}
	return len(s.IDs)+len(s.OwnIDs) > 1
}

func (u *UI) renderList(c *req, t *record.Type, v url.Values, x listExtra) error {
	if !c.Actor.Can(t, record.Read) {
		return record.ErrForbidden()
	}
	ctx := c.R.Context()
	p := &ListPage{Base: u.base(c, c.T(typeKey(t, true)), "/"+t.Name), Type: typeView(c, t), NoTrash: t.NoTrash}
	q, err := record.ParseListQuery(t, v)
	if err != nil {
		e, ok := record.AsError(err)
		if !ok {
			return err
		}
		for _, f := range c.errText(t, e).Fields {
			p.Errors = append(p.Errors, f.Text)
			switch f.Field {
			case "sort":
				q.Sort = ""
			case "limit":
				q.Limit = 0
			}
		}
	}
	q.Count = true
	page, err := u.App.Records.List(ctx, c.Actor, t, q)
	if e, ok := record.AsError(err); ok && e.Code == record.CodeInvalid && q.Cursor != "" {
		p.Errors = append(p.Errors, c.T(e.Msg.Key, e.Msg.Args...))
		q.Cursor = ""
		page, err = u.App.Records.List(ctx, c.Actor, t, q)
	}
	if err != nil {
		return err
	}
	p.Errors = append(p.Errors, x.bulkErr...)
	p.SaveError, p.SaveName = x.saveErr, x.saveName
	p.Trash, p.Q, p.MatchAny = q.Trash, q.Q, q.Any
	p.Filtered = len(q.Filters) > 0 || q.Q != ""
	canon := q.Encode()
	p.Query = canon.Encode()
	p.ListHref = withQuery("/"+t.Name, canon)
	p.Count = countText(c, t, page.Total, page.TotalCapped)
	if p.Trash {
		p.Title = c.T("ui.list.trash_title", p.Type.Plural)
	}

	// Links around the table.
	if canCreate(c.Actor, t) {
		p.NewHref = "/" + t.Name + "/new"
		p.ImportHref = "/" + t.Name + "/import"
	}
	p.ExportHref = withQuery("/"+t.Name+"/export.csv", canon)
	if !t.NoTrash && c.Actor.Can(t, record.Delete) {
		tv := url.Values{"trash": {"1"}}
		p.TrashHref = "/" + t.Name + "?" + tv.Encode()
		p.LiveHref = "/" + t.Name
	}
	if t.NamingPlan && c.Actor.Can(t, record.Purge) {
		p.NamingHref = "/settings/naming#naming-" + t.Name
	}
	if p.Filtered {
		clear := url.Values{}
		if q.Trash {
			clear.Set("trash", "1")
		}
		p.ClearHref = withQuery("/"+t.Name, clear)
	}
	if page.NextCursor != "" {
		nv := q.Encode()
		nv.Set("cursor", page.NextCursor)
		p.NextHref = withQuery("/"+t.Name, nv)
	}
	if q.Cursor != "" {
		p.FirstHref = p.ListHref
	}

	// Columns and sorting.
	cols := listColumns(t, q)
	sortNow := q.Sort
	if sortNow == "" {
		sortNow = t.DefaultSort
	}
	idColumn := len(cols) == 0 || cols[0].Kind == record.Ref
	if idColumn {
		p.Columns = append(p.Columns, Column{Label: c.T("field.id"), Class: "num"})
	}
	for _, f := range cols {
		col := Column{Label: c.T(f.LabelKey()), Class: kindClass(f)}
		if f.Sort {
			next := f.Name
			switch sortNow {
			case f.Name:
				col.Sort, next = "ascending", "-"+f.Name
			case "-" + f.Name:
				col.Sort = "descending"
			}
			sv := q.Encode()
			sv.Set("sort", next)
			col.SortHref = withQuery("/"+t.Name, sv)
		}
		p.Columns = append(p.Columns, col)
	}
	withOrg := showOrg(c.Actor, t)
	if withOrg {
		p.Columns = append(p.Columns, Column{Label: c.T("field.organization_id")})
	}

	p.Selectable = !q.Trash && !t.SystemOnly && c.Actor.Can(t, record.Update)
	p.Actions = q.Trash
	for _, r := range page.Records {
		row := Row{ID: r.ID, Href: "/" + t.Name + "/" + strconv.FormatInt(r.ID, 10), Label: r.Label()}
		if idColumn {
			row.Cells = append(row.Cells, Cell{Text: "#" + strconv.FormatInt(r.ID, 10), Href: row.Href, Class: "num"})
		}
		for i, f := range cols {
			cell := u.cell(c, r, f)
			if i == 0 && !idColumn {
				cell.Href = row.Href
				if cell.Text == "" {
					cell.Text = "#" + strconv.FormatInt(r.ID, 10)
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		if withOrg {
			row.Cells = append(row.Cells, Cell{Text: r.Display["organization_id"]})
		}
		if q.Trash {
			row.Restore = c.Actor.CanIn(t, record.Delete, r.OrgID)
			row.Purge = c.Actor.CanIn(t, record.Purge, r.OrgID)
		}
		p.Rows = append(p.Rows, row)
	}
	if len(p.Rows) == 0 {
		switch {
		case p.Filtered:
			p.Empty = c.T("ui.list.no_match", lowerFirst(p.Type.Plural))
		case q.Trash:
			p.Empty = c.T("ui.list.trash_empty")
		default:
			p.Empty = c.T("ui.list.empty", lowerFirst(p.Type.Plural))
		}
	}

	// The search form: filter rows, match, free text, page size.
	// Rows show the filters as given, refused ones included, so they can be fixed.
	fields := filterFields(c, u, t)
	for _, raw := range v["filter"] {
		if raw == "" {
			continue
		}
		parts := strings.SplitN(raw, ":", 3)
		f := record.Filter{Field: parts[0]}
		if len(parts) > 1 {
			f.Op = record.Op(parts[1])
		}
		if len(parts) > 2 {
			f.Value = parts[2]
		}
		p.Filters = append(p.Filters, filterRow(c, len(p.Filters), fields, f))
	}
	p.FiltersOpen = len(p.Filters) > 0
	for _, n := range sortedKeys(t.Virtual) {
		p.FilterHints = append(p.FilterHints, c.T("ui.filter.virtual_hint."+n))
	}
	p.Quick = u.quickLinks(c, t)
	for n := len(p.Filters); len(p.Filters) < 3 || len(p.Filters) < n+1; {
		p.Filters = append(p.Filters, filterRow(c, len(p.Filters), fields, record.Filter{}))
	}
	limit := q.Limit
	if limit == 0 {
		limit = record.DefaultLimit
	}
	for _, n := range pageSizes {
		p.Limits = append(p.Limits, Option{Value: strconv.Itoa(n), Label: strconv.Itoa(n), Selected: n == limit})
	}
	if q.Sort != "" {
		p.Keep = append(p.Keep, Hidden{"sort", q.Sort})
	}
	if len(q.Columns) > 0 {
		p.Keep = append(p.Keep, Hidden{"columns", strings.Join(q.Columns, ",")})
	}
	if q.Trash {
		p.Keep = append(p.Keep, Hidden{"trash", "1"})
	}
	// The column chooser keeps everything but the columns.
	for _, k := range sortedKeys(canon) {
		if k == "columns" {
			continue
		}
		for _, val := range canon[k] {
			p.ColKeep = append(p.ColKeep, Hidden{k, val})
		}
	}
	shown := map[string]bool{}
	for _, f := range cols {
		shown[f.Name] = true
	}
	for _, f := range t.VisibleFields() {
		p.ColumnChoices = append(p.ColumnChoices, Choice{Name: f.Name, Label: c.T(f.LabelKey()), Checked: shown[f.Name]})
	}

	saved, err := u.App.Records.SavedSearches(ctx, c.Actor, t)
	if err != nil {
		return err
	}
	for _, s := range saved {
		p.Saved = append(p.Saved, SavedView{ID: s.ID, Name: s.Name, Href: "/" + t.Name + "?" + s.Query})
	}

	if p.Selectable {
		p.BulkFields = append(p.BulkFields, Option{Value: "", Label: c.T("ui.bulk.choose")})
		if t.Scope == record.OrgScoped {
			p.BulkFields = append(p.BulkFields, Option{Value: "organization_id", Label: c.T("field.organization_id"), Selected: x.bulkField == "organization_id"})
		}
		for _, f := range t.Fields {
			if f.Hidden || f.ReadOnly {
				continue
			}
			p.BulkFields = append(p.BulkFields, Option{Value: f.Name, Label: c.T(f.LabelKey()), Selected: x.bulkField == f.Name})
		}
		p.BulkValue = x.bulkValue
	}
	status := x.status
	if status == 0 {
		status = http.StatusOK
	}
	return u.renderPage(c, status, "list", p)
}

func withQuery(path string, v url.Values) string {
	if enc := v.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

func kindClass(f *record.Field) string {
	switch f.Kind {
	case record.Int, record.Decimal, record.Money:
		return "num"
	case record.Bool:
		return "bool"
	case record.LongText:
		return "long"
	}
	return ""
}

// cell writes one value of a list row; references link to their record.
func (u *UI) cell(c *req, r *record.Record, f *record.Field) Cell {
	cell := Cell{Class: kindClass(f)}
	v := r.Get(f.Name)
	if f.Kind == record.Ref {
		id := r.Int(f.Name)
		if id == 0 {
			return cell
		}
		cell.Text = r.Display[f.Name]
		if cell.Text == "" {
			cell.Text = "#" + strconv.FormatInt(id, 10)
		}
		if rt, ok := u.App.Reg.Type(f.Ref); ok && c.Actor.Can(rt, record.Read) {
			cell.Href = "/" + rt.Name + "/" + strconv.FormatInt(id, 10)
		}
		return cell
	}
	cell.Text = u.display(c, f, v)
	if f.Kind == record.LongText && len([]rune(cell.Text)) > 80 {
		cell.Text = string([]rune(cell.Text)[:79]) + "…"
	}
	return cell
}

// filterFields are the fields a filter may use, as select options.
func filterFields(c *req, u *UI, t *record.Type) []Option {
	out := []Option{{Value: "", Label: c.T("ui.filter.field_choose")}}
	for _, n := range sortedKeys(t.Virtual) {
		out = append(out, Option{Value: n, Label: c.T("ui.filter.virtual." + n)})
	}
	for _, f := range t.VisibleFields() {
		out = append(out, Option{Value: f.Name, Label: c.T(f.LabelKey())})
	}
	if t.Scope == record.OrgScoped {
		out = append(out, Option{Value: "organization_id", Label: c.T("field.organization_id")})
	}
	for _, n := range []string{"id", "created_at", "updated_at"} {
		out = append(out, Option{Value: n, Label: c.T("field." + n)})
	}
	return out
}

func filterRow(c *req, i int, fields []Option, f record.Filter) FilterRow {
	row := FilterRow{Index: i, Value: f.Value}
	for _, o := range fields {
		o.Selected = o.Value == f.Field && f.Field != ""
		row.Fields = append(row.Fields, o)
	}
	for _, op := range record.Ops {
		row.Ops = append(row.Ops, Option{Value: string(op), Label: c.T("op." + string(op)), Selected: op == f.Op})
	}
	return row
}

// backTo returns a list URL of t sent by a form, or the plain list.
func backTo(t *record.Type, s string) string {
	p := localPath(s)
	base := "/" + t.Name
	if p == base || strings.HasPrefix(p, base+"?") {
		return p
	}
	return base
}

// addDone appends a confirmation to a page URL.
func addDone(target, done string, extra ...string) string {
	pu, err := url.Parse(target)
	if err != nil {
		return target
	}
	v := pu.Query()
	v.Del("cursor")
	v.Set("done", done)
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	pu.RawQuery = v.Encode()
	return pu.String()
}

// bulk sets one field to one value on the checked rows, all or nothing.
func (u *UI) bulk(c *req, t *record.Type) error {
	if err := parseForm(c); err != nil {
		return err
	}
	form := c.R.PostForm
	back := backTo(t, form.Get("back"))
	var ids []int64
	for _, s := range form["id"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	field, value := form.Get("field"), form.Get("value")
	in := record.Input{}
	var err error
	if field != "" {
		in[field], err = u.bulkValue(c, t, field, value)
	}
	n := 0
	if err == nil {
		n, err = u.App.Records.BulkUpdate(c.R.Context(), c.Actor, t, ids, in)
	}
	if err != nil {
		e, ok := record.AsError(err)
		if !ok {
			return err
		}
		text := c.errText(t, e)
		msgs := append([]string{text.Message}, text.Lines()...)
		bu, _ := url.Parse(back)
		return u.renderList(c, t, bu.Query(), listExtra{status: e.Code.HTTPStatus(), bulkErr: msgs, bulkField: field, bulkValue: value})
	}
	return redirect(c, addDone(back, "bulk", "n", strconv.Itoa(n)))
}

// bulkValue reads a bulk value the way a person types it: a reference or an
// organisation by its name, a list value by its label.
func (u *UI) bulkValue(c *req, t *record.Type, field, value string) (any, error) {
	value = strings.TrimSpace(value)
	notFound := func() error {
		return &record.Error{Code: record.CodeInvalid, Msg: record.Msg{Key: "err.invalid"},
			Fields: map[string]record.Msg{field: {Key: "err.csv_no_such", Args: []any{value}}}}
	}
	if field == "organization_id" && value != "" && !isDigits(value) {
		if id := orgByName(c.Actor, value); id > 0 {
			return id, nil
		}
		return nil, notFound()
	}
	f := t.Field(field)
	if f == nil {
		return value, nil
	}
	switch f.Kind {
	case record.Ref:
		if value != "" && !isDigits(strings.TrimPrefix(value, "#")) {
			if id := u.refByName(c, u.App.Reg.MustType(f.Ref), value); id > 0 {
				return id, nil
			}
			return nil, notFound()
		}
		return strings.TrimPrefix(value, "#"), nil
	case record.Enum:
		return enumValue(c, f, value), nil
	}
	return value, nil
}

func (u *UI) saveSearch(c *req, t *record.Type) error {
	if err := parseForm(c); err != nil {
		return err
	}
	name, query := c.R.PostFormValue("name"), c.R.PostFormValue("query")
	_, err := u.App.Records.SaveSearch(c.R.Context(), c.Actor, t, name, query)
	vals, _ := url.ParseQuery(query)
	if err != nil {
		e, ok := record.AsError(err)
		if !ok {
			return err
		}
		// The first problem is shown by the name input; the fields are the saved
		// search's, not the listed type's.
		text := c.errText(nil, e)
		msg := text.Message
		if len(text.Fields) > 0 {
			f := text.Fields[0]
			msg = f.Line
			if f.Field == "name" {
				msg = c.T("err.field", c.T("ui.saved.name"), f.Text)
			}
		}
		return u.renderList(c, t, vals, listExtra{status: e.Code.HTTPStatus(), saveErr: msg, saveName: name})
	}
	return redirect(c, addDone(withQuery("/"+t.Name, vals), "saved"))
}

func (u *UI) deleteSearch(c *req, t *record.Type) error {
	if err := parseForm(c); err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := u.App.Records.DeleteSavedSearch(c.R.Context(), c.Actor, id); err != nil {
		return err
	}
	return redirect(c, addDone(backTo(t, c.R.PostFormValue("back")), "unsaved"))
}

// quickLinks are the ready-made searches a list offers above its search form.
func (u *UI) quickLinks(c *req, t *record.Type) []Link {
	var out []Link
	switch t.Name {
	case "agents":
		v := url.Values{"filter": {"last_contact_at:lt:" + staleSince(u.App.Records.Now())}}
		out = append(out, Link{Label: c.T("ui.quick.stale_agents"), Href: withQuery("/agents", v)})
	case "computers":
		v := url.Values{"filter": {"last_inventory_at:lt:" + staleSince(u.App.Records.Now())}}
		out = append(out, Link{Label: c.T("ui.quick.stale_inventory"), Href: withQuery("/computers", v)})
		v = url.Values{"filter": {"last_inventory_at:empty:"}}
		out = append(out, Link{Label: c.T("ui.quick.never_inventoried"), Href: withQuery("/computers", v)})
	case "software":
		v := url.Values{"filter": {"install_count:eq:0"}}
		out = append(out, Link{Label: c.T("ui.quick.unused_software"), Href: withQuery("/software", v)})
	}
	return out
}
