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
	Chips    []FilterChip // the active filters, in words
	// SearchHint says what the free text looks in, for this list.
	SearchHint string
	Limits     []Option
	Keep       []Hidden // parameters the search form carries unchanged
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

	ExportHref, ExportXLSXHref, ImportHref, TrashHref, LiveHref, NewHref, NamingHref, RefileHref string

	Selectable bool // rows have checkboxes for the bulk update
	BulkFields []Option
	BulkValue  string
	Actions    bool // rows have restore / purge buttons
	NoTrash    bool
	// Disposed: the list shows the assets that left the fleet (DisposedHref
	// opens it, LiveHref goes back).
	Disposed     bool
	DisposedHref string
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
	Fields []FilterField
	Ops    []Option
	Value  string
	// PickID is the record a reference's value names (Value is its name), and
	// Was the name it was shown as (list_filter_pick.go).
	PickID, Was string
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
	if t.Scope == record.OrgShared {
		return a.Tree.Count > 1 // shared records and those of organisations
	}
	if t.Scope != record.OrgScoped {
		return false
	}
	s := a.Scope(t, record.Read)
	if s.All {
		return a.Tree.Count > 1
	}
	return len(s.IDs)+len(s.OwnIDs) > 1
}

// renderList draws a list page: the query as given (refused parts reported, not
// failing the page), the table of the page of records, the links around it, the
// search form, saved searches and the bulk form.
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
	if p.Disposed = q.Disposed; p.Disposed {
		p.Title = c.T("lifecycle.disposed_title", p.Type.Plural)
	}

	listLinks(c, t, q, page, canon, p)
	cols := u.listTable(c, t, q, page, p)

	u.searchForm(c, t, v, q, canon, cols, p)

	saved, err := u.App.Records.SavedSearches(ctx, c.Actor, t)
	if err != nil {
		return err
	}
	for _, s := range saved {
		p.Saved = append(p.Saved, SavedView{ID: s.ID, Name: s.Name, Href: "/" + t.Name + "?" + s.Query})
	}

	if p.Selectable {
		bulkForm(c, t, x, p)
	}
	status := x.status
	if status == 0 {
		status = http.StatusOK
	}
	return u.renderPage(c, status, "list", p)
}

// listLinks sets the links around the table: new, import, export, trash, naming
// plan, clearing the filters, next and first pages.
func listLinks(c *req, t *record.Type, q record.ListQuery, page *record.Page, canon url.Values, p *ListPage) {
	if canCreate(c.Actor, t) {
		p.NewHref = "/" + t.Name + "/new"
		p.ImportHref = "/" + t.Name + "/import"
	}
	p.ExportHref = withQuery("/"+t.Name+"/export.csv", canon)
	p.ExportXLSXHref = withQuery("/"+t.Name+"/export.xlsx", canon)
	if !t.NoTrash && c.Actor.Can(t, record.Delete) {
		tv := url.Values{"trash": {"1"}}
		p.TrashHref = "/" + t.Name + "?" + tv.Encode()
		p.LiveHref = "/" + t.Name
	}
	if t.DisposedField != "" && !q.Trash {
		p.DisposedHref = "/" + t.Name + "?disposed=1"
		p.LiveHref = "/" + t.Name
	}
	if t.Name == "software-rules" && c.Actor.CanEverywhere(t, record.Update) {
		// What the saved rules move in the catalogue (internal/ingest/refile.go).
		p.RefileHref = "/software-rules/refile"
	}
	if t.NamingPlan && len(c.Actor.SubtreeOrgs(t, record.Purge)) > 0 {
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

}

// listTable sets the columns (with their sort links) and the rows of the page, and
// gives the record fields shown.
func (u *UI) listTable(c *req, t *record.Type, q record.ListQuery, page *record.Page, p *ListPage) []*record.Field {
	cols := listColumns(t, q)
	sortNow := q.Sort
	if sortNow == "" {
		sortNow = t.DefaultSort
	}
	// Tickets are known by their number: it leads their lists.
	idColumn := len(cols) == 0 || cols[0].Kind == record.Ref || t.Name == "tickets"
	if idColumn {
		p.Columns = append(p.Columns, Column{Label: c.T("field.id"), Class: "num"})
	}
	for _, f := range cols {
		col := Column{Label: shownLabel(c, f), Class: kindClass(f)}
		if t.Name == "tickets" {
			col.Class = ticketColumnClass(f)
			if l := ticketColumnLabel(c, f); l != "" {
				col.Label = l
			}
		}
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
	orgClass := ""
	if t.Name == "tickets" {
		orgClass = "fold-1" // the requester and the title say whose it is
	}
	if withOrg {
		p.Columns = append(p.Columns, Column{Label: c.T("field.organization_id"), Class: orgClass})
	}

	p.Selectable = !q.Trash && !t.SystemOnly && c.Actor.Can(t, record.Update)
	p.Actions = q.Trash
	below := u.stockBelow(c, t, page) // stock items: those below their threshold
	for _, r := range page.Records {
		row := Row{ID: r.ID, Href: "/" + t.Name + "/" + strconv.FormatInt(r.ID, 10), Label: builtinName(c, t.Name, r.Label())}
		if idColumn {
			row.Cells = append(row.Cells, Cell{Text: "#" + strconv.FormatInt(r.ID, 10), Href: row.Href, Class: "num"})
		}
		for i, f := range cols {
			cell := u.cell(c, r, f)
			if f.Name == t.NameField {
				cell.Text = builtinName(c, t.Name, cell.Text)
			}
			if f.Name == "asset_id" && t.HasField("asset_type") {
				cell.Text, cell.Href, cell.Class = r.Label(), assetHref(r), "" // hand-overs and loans (loans.go)
			}
			if t.Name == "tickets" {
				if tc, ok := u.ticketListCell(c, r, f); ok {
					cell = tc
				}
				cell.Class = strings.TrimSpace(cell.Class + " " + ticketColumnClass(f))
			}
			if below != nil && f.Name == "quantity" {
				cell = stockQuantityCell(c, cell, below[r.ID])
			}
			if i == 0 && (!idColumn || t.Name == "tickets") {
				cell.Href = row.Href
				if cell.Text == "" {
					cell.Text = "#" + strconv.FormatInt(r.ID, 10)
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		if withOrg {
			org := builtinName(c, "organizations", r.Display["organization_id"])
			if t.Scope == record.OrgShared {
				org = ownerText(c, r)
			}
			row.Cells = append(row.Cells, Cell{Text: org, Class: orgClass})
		}
		if q.Trash {
			row.Restore = c.Actor.CanRecord(r, record.Delete)
			row.Purge = c.Actor.CanRecord(r, record.Purge)
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

	return cols
}

// searchForm sets the search form: filter rows (as given, refused ones included, so
// they can be fixed), match, free text, page size, and the column chooser.
func (u *UI) searchForm(c *req, t *record.Type, v url.Values, q record.ListQuery, canon url.Values, cols []*record.Field, p *ListPage) {
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
		p.Filters = append(p.Filters, u.pickedRow(c, t, filterRow(c, len(p.Filters), fields, f, u.filterInput(c, t, f)), f))
	}
	if len(q.Filters) > 0 {
		p.Chips = u.filterChips(c, t, q)
	}
	p.FiltersOpen = len(p.Filters) > 0
	for _, n := range sortedKeys(t.Virtual) {
		p.FilterHints = append(p.FilterHints, c.T("ui.filter.virtual_hint."+n))
	}
	p.Quick = u.quickLinks(c, t)
	p.SearchHint = searchHint(c, t)
	for n := len(p.Filters); len(p.Filters) < 3 || len(p.Filters) < n+1; {
		p.Filters = append(p.Filters, filterRow(c, len(p.Filters), fields, record.Filter{}, ""))
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

}

// bulkForm offers the fields a bulk update may set, keeping a refused one's input.
func bulkForm(c *req, t *record.Type, x listExtra, p *ListPage) {
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
		cell.Text = builtinName(c, f.Ref, r.Display[f.Name])
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
