package ui

import (
	"parc/internal/record"
	"strconv"
)

// The actions on one record from its page: to the trash, back, and purge.

// trash moves a record to the trash (types without one are deleted outright).
func (u *UI) trash(c *req, t *record.Type) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := u.App.Records.Trash(c.R.Context(), c.Actor, t, id); err != nil {
		return err
	}
	if t.NoTrash {
		return redirect(c, "/"+t.Name+"?done=deleted")
	}
	return redirect(c, "/"+t.Name+"/"+strconv.FormatInt(id, 10)+"?done=trashed")
}

func (u *UI) restore(c *req, t *record.Type) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	if err := u.App.Records.Restore(c.R.Context(), c.Actor, t, id); err != nil {
		return err
	}
	if b := c.R.PostFormValue("back"); b != "" {
		return redirect(c, addDone(backTo(t, b), "restored"))
	}
	return redirect(c, "/"+t.Name+"/"+strconv.FormatInt(id, 10)+"?done=restored")
}

func (u *UI) purge(c *req, t *record.Type) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	if err := u.App.Records.Purge(c.R.Context(), c.Actor, t, id); err != nil {
		return err
	}
	back := "/" + t.Name + "?trash=1"
	if b := c.R.PostFormValue("back"); b != "" {
		back = backTo(t, b)
	}
	return redirect(c, addDone(back, "purged"))
}
