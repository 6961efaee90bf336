package ui

import (
	"strconv"
	"strings"
	"time"

	"parc/internal/record"
)

// Filters as people read them: a list's active filters are shown as chips
// ("Technicien attribué est Julien Moreau", "Ouvert est oui"), each with a link
// that removes it, and the filter rows show the same words instead of ids and
// true/false. fixFilter reads those words back.

// FilterChip is one active filter.
type FilterChip struct {
	Text, RemoveHref, RemoveLabel string
}

// filterChips are the list's filters as sentences, each with the list without it.
func (u *UI) filterChips(c *req, t *record.Type, q record.ListQuery) []FilterChip {
	var out []FilterChip
	for i, f := range q.Filters {
		rest := q
		rest.Cursor = ""
		rest.Filters = append(append([]record.Filter{}, q.Filters[:i]...), q.Filters[i+1:]...)
		text := u.filterLabel(c, t, f.Field) + " " + c.T("op."+string(f.Op))
		if v := u.filterValueText(c, t, f.Field, f.Value); v != "" && f.Op != record.OpEmpty && f.Op != record.OpNotEmpty {
			text += " " + v
		}
		out = append(out, FilterChip{Text: text, RemoveHref: withQuery("/"+t.Name, rest.Encode()), RemoveLabel: c.T("ui.filter.remove", text)})
	}
	return out
}

// filterLabel names a filter's field, virtual ones included.
func (u *UI) filterLabel(c *req, t *record.Type, name string) string {
	if _, ok := t.Virtual[name]; ok {
		return c.T("ui.filter.virtual." + name)
	}
	return u.fieldLabel(c, t, name)
}

// filterValueText is a filter's value as a person reads it: a referenced
// record's name, a choice's label, yes or no, a date as written in the
// language. A value that names nothing the actor may read stays as given.
func (u *UI) filterValueText(c *req, t *record.Type, name, value string) string {
	if value == "" {
		return ""
	}
	if _, ok := t.Virtual[name]; ok {
		switch name {
		case "open":
			return boolText(c, value)
		case "due":
			key := "ui.filter.due." + value
			if c.cat.Has(c.Lang, key) {
				return c.T(key)
			}
		case "my_groups":
			return u.refText(c, "users", value)
		case "asset":
			typ, id, _ := strings.Cut(value, ":")
			if at, ok := u.App.Reg.Type(typ); ok {
				name := u.refText(c, typ, id)
				if name == id {
					name = c.T("ui.picker.unreadable") // an asset the reader may not see is not named, nor numbered
				}
				return c.T(typeKey(at, false)) + " " + name
			}
		}
		return value
	}
	if name == "organization_id" {
		if id, err := strconv.ParseInt(value, 10, 64); err == nil {
			if n := orgName(c.Actor, id); n != "" {
				return builtinName(c, "organizations", n)
			}
		}
		return value
	}
	f := t.Field(name)
	if f == nil {
		if name == "created_at" || name == "updated_at" {
			return dateText(c, value)
		}
		return value
	}
	switch f.Kind {
	case record.Ref:
		return u.refText(c, f.Ref, value)
	case record.Bool:
		return boolText(c, value)
	case record.Enum:
		return enumLabel(c, f, value)
	case record.Date, record.DateTime:
		return dateText(c, value)
	}
	return value
}

// refText is the name of the record of type typ with this id, if the actor
// may read it; else the id as given.
func (u *UI) refText(c *req, typ, value string) string {
	id, err := strconv.ParseInt(value, 10, 64)
	t, ok := u.App.Reg.Type(typ)
	if err != nil || !ok || !c.Actor.Can(t, record.Read) {
		return value
	}
	r, err := u.App.Records.Get(c.R.Context(), c.Actor, t, id)
	if err != nil || r.Label() == "" {
		return value
	}
	return builtinName(c, typ, r.Label())
}

func boolText(c *req, value string) string {
	b, err := strconv.ParseBool(value)
	switch {
	case err != nil:
		return value
	case b:
		return lowerFirst(c.T("ui.yes"))
	}
	return lowerFirst(c.T("ui.no"))
}

// dateText writes an ISO date (or date and time) as the language writes dates.
func dateText(c *req, value string) string {
	if len(value) == len("2006-01-02") {
		if _, err := time.Parse("2006-01-02", value); err == nil {
			return fmtDate(c.Lang, value)
		}
	}
	return value
}

// filterInput is a filter row's value as shown in its input: the same words as
// the chip where fixFilter reads them back to the same value, else as given.
func (u *UI) filterInput(c *req, t *record.Type, f record.Filter) string {
	if f.Value == "" || f.Field == "" {
		return f.Value
	}
	shown := u.filterValueText(c, t, f.Field, f.Value)
	if shown == f.Value {
		return shown
	}
	if _, back := u.fixFilter(c, t, f.Field, string(f.Op), shown); back == f.Value {
		return shown
	}
	return f.Value
}

// wordValue reads yes/no words (in either language) as a boolean filter value.
func wordValue(c *req, s string) string {
	w := strings.ToLower(strings.TrimSpace(s))
	switch w {
	case strings.ToLower(c.T("ui.yes")), "oui", "yes":
		return "true"
	case strings.ToLower(c.T("ui.no")), "non", "no":
		return "false"
	}
	return s
}
