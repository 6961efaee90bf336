package ui

import (
	"strings"

	"parc/internal/record"
)

// A list filter on a reference (assigned technician, location, manufacturer) is
// chosen as a form's reference is: its value box suggests records as the user
// types (static/picker.js, /ui/suggest/{type}/{field}?for=filter), and the row
// carries the chosen record's id beside its name (fi, fw), so that a name many
// records share ("Open space" in every building) still filters on the one
// picked. A name typed and not picked is read back by fixFilter.

// FilterField is a field a filter row may choose, and where its value box finds
// suggestions ("" for a field that names no record).
type FilterField struct {
	Option
	Suggest string
}

// filterSuggest is the suggestions' address of a filter on name, when it names
// records the actor reads.
func (u *UI) filterSuggest(c *req, t *record.Type, name string) string {
	if name == "organization_id" {
		return "/ui/suggest/organizations"
	}
	f := t.Field(name)
	if f == nil || f.Kind != record.Ref || f.Hidden {
		return ""
	}
	if rt, ok := u.App.Reg.Type(f.Ref); !ok || !c.Actor.Can(rt, record.Read) {
		return ""
	}
	return "/ui/suggest/" + t.Name + "/" + f.Name + "?for=filter"
}

// pickedFilterValue is a row's value: the picked record's id while the box
// still shows the name it was picked as, else the text typed. The page writes
// the id as "field:id" (pickedRow), so that a row whose field was changed
// without the script (which clears the id) does not take another type's id.
func pickedFilterValue(name, val, id, was string) string {
	if f, n, ok := strings.Cut(id, ":"); ok {
		if f != name {
			return val
		}
		id = n
	}
	if id != "" && isDigits(id) && strings.TrimSpace(val) != "" && strings.TrimSpace(val) == strings.TrimSpace(was) {
		return id
	}
	return val
}

// pickedRow shows a reference filter's value by its record's name, with the id
// kept beside it, also when the name alone would not read back to that record.
func (u *UI) pickedRow(c *req, t *record.Type, row FilterRow, f record.Filter) FilterRow {
	if !isDigits(f.Value) || f.Op != record.OpEq && f.Op != record.OpNe {
		return row
	}
	if fld := t.Field(f.Field); f.Field != "organization_id" && (fld == nil || fld.Kind != record.Ref) {
		return row
	}
	if name := u.filterValueText(c, t, f.Field, f.Value); name != f.Value && name != "" {
		row.Value, row.PickID, row.Was = name, f.Field+":"+f.Value, name
	}
	return row
}
