package ui

import (
	"net/url"
	"strconv"
	"strings"

	"parc/internal/helpdesk"
	"parc/internal/record"
)

// The search form of lists: filters as users type them (names for references,
// labels for choices) made canonical, and the rows of the form.

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
		case "ff", "fo", "fv", "fi", "fw", "cols", "col", "cursor", "done", "n":
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
			val = pickedFilterValue(name, val, at(v["fi"], i), at(v["fw"], i))
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
		val = strings.TrimSpace(val)
		switch name {
		case "open":
			val = wordValue(c, val)
		case "due":
			for _, d := range []string{"late", "at_risk"} {
				if strings.EqualFold(val, c.T("ui.filter.due."+d)) {
					val = d
				}
			}
		case "asset":
			val = u.assetByName(c, val)
		case "my_groups":
			if val != "" && !isDigits(val) {
				if id := u.refByName(c, u.App.Reg.MustType("users"), val); id > 0 {
					val = strconv.FormatInt(id, 10)
				}
			}
		}
		return op, val
	}
	if f == nil {
		if name == "organization_id" && !isDigits(val) && val != "" {
			val = storedName(c, "organizations", val)
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
		if id := u.refByName(c, u.App.Reg.MustType(f.Ref), storedName(c, f.Ref, val)); id > 0 {
			val = strconv.FormatInt(id, 10)
		}
	}
	if f.Kind == record.Enum {
		val = enumValue(c, f, val)
	}
	if f.Kind == record.Bool {
		val = wordValue(c, val)
	}
	return op, val
}

// assetByName reads an asset filter given in words back to TYPE:ID: as its chip
// shows it ("Ordinateur PC-NTE-0002") or the asset's name alone, the one asset of
// that name the actor reads. Anything else stays as given (and is refused).
func (u *UI) assetByName(c *req, val string) string {
	if typ, id, ok := strings.Cut(val, ":"); ok && isItemType(typ) && isDigits(id) {
		return val
	}
	type guess struct {
		types []string
		name  string
	}
	var guesses []guess
	for _, typ := range helpdesk.ItemTypes {
		label := c.T(typeKey(u.App.Reg.MustType(typ), false)) + " "
		if len(val) > len(label) && strings.EqualFold(val[:len(label)], label) {
			guesses = append(guesses, guess{[]string{typ}, val[len(label):]})
		}
	}
	guesses = append(guesses, guess{helpdesk.ItemTypes, val}) // a name that starts like a type's
	for _, g := range guesses {
		found := ""
		for _, typ := range g.types {
			if id := u.refByName(c, u.App.Reg.MustType(typ), g.name); id > 0 {
				if found != "" {
					return val // two assets of that name: the user picks by adding the kind
				}
				found = typ + ":" + strconv.FormatInt(id, 10)
			}
		}
		if found != "" {
			return found
		}
	}
	return val
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
	s = strings.TrimSpace(s)
	page, err := u.App.Records.List(c.R.Context(), c.Actor, t, record.ListQuery{Filters: []record.Filter{{Field: t.NameField, Op: record.OpEq, Value: s}}, Limit: 2})
	if err == nil && len(page.Records) == 1 {
		return page.Records[0].ID
	}
	if err != nil || len(page.Records) > 1 {
		return 0
	}
	// Not as written: the one name that differs only by case or accents
	// ("dell", "pc-nte-0002"; accents only where the store's match ignores them).
	if nf.Kind.IsText() {
		if id := u.foldedName(c, t, s); id > 0 {
			return id
		}
	}
	if t.LabelSQL == "" {
		return 0
	}
	// A label computed from several fields (a user's first and last names):
	// look for its longest word, then compare whole labels.
	word := ""
	for _, w := range strings.Fields(s) {
		if len(w) > len(word) {
			word = w
		}
	}
	page, err = u.App.Records.List(c.R.Context(), c.Actor, t, record.ListQuery{Q: word, Limit: 50})
	if err != nil {
		return 0
	}
	var found int64
	for _, r := range page.Records {
		if strings.EqualFold(r.Label(), s) {
			if found != 0 {
				return 0
			}
			found = r.ID
		}
	}
	return found
}

// foldedName finds the one record of t whose name equals s ignoring case, among
// those holding s (the store's case-insensitive match).
func (u *UI) foldedName(c *req, t *record.Type, s string) int64 {
	if s == "" {
		return 0
	}
	page, err := u.App.Records.List(c.R.Context(), c.Actor, t, record.ListQuery{Filters: []record.Filter{{Field: t.NameField, Op: record.OpContains, Value: s}}, Limit: 50})
	if err != nil {
		return 0
	}
	var found int64
	for _, r := range page.Records {
		if strings.EqualFold(r.String(t.NameField), s) {
			if found != 0 {
				return 0
			}
			found = r.ID
		}
	}
	return found
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

// filterFields are the fields a filter may use, as select options; those naming
// a record carry where their value box finds suggestions (filterSuggest).
func filterFields(c *req, u *UI, t *record.Type) []FilterField {
	out := []FilterField{{Option: Option{Value: "", Label: c.T("ui.filter.field_choose")}}}
	for _, n := range sortedKeys(t.Virtual) {
		out = append(out, FilterField{Option: Option{Value: n, Label: c.T("ui.filter.virtual." + n)}})
	}
	for _, f := range t.VisibleFields() {
		out = append(out, FilterField{Option: Option{Value: f.Name, Label: c.T(f.LabelKey())}, Suggest: u.filterSuggest(c, t, f.Name)})
	}
	if t.HasOrg() {
		out = append(out, FilterField{Option: Option{Value: "organization_id", Label: c.T("field.organization_id")}, Suggest: u.filterSuggest(c, t, "organization_id")})
	}
	for _, n := range []string{"id", "created_at", "updated_at"} {
		out = append(out, FilterField{Option: Option{Value: n, Label: c.T("field." + n)}})
	}
	return out
}

func filterRow(c *req, i int, fields []FilterField, f record.Filter, shown string) FilterRow {
	row := FilterRow{Index: i, Value: shown}
	for _, o := range fields {
		o.Selected = o.Value == f.Field && f.Field != ""
		row.Fields = append(row.Fields, o)
	}
	for _, op := range record.Ops {
		row.Ops = append(row.Ops, Option{Value: string(op), Label: c.T("op." + string(op)), Selected: op == f.Op})
	}
	return row
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
	case "stock-items":
		out = append(out, Link{Label: c.T("ui.stock.reorder_title"), Href: "/stock-items/reorder"})
	}
	return out
}
