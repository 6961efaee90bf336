package ui

import (
	"net/url"
	"parc/internal/record"
	"strconv"
	"strings"
)

// Bulk update of the records selected on a list.

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
