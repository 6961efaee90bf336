package ui

import (
	"net/url"
	"parc/internal/record"
)

// Saved searches of a list.

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
