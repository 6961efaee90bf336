package ui

import (
	"strconv"
	"strings"

	"parc/internal/helpdesk"
	"parc/internal/record"
)

// The ticket page's references (a task's assignee, the technician and group
// assigned, an approver, the group escalated to, a linked asset) are pickers, as
// in the record forms (docs/forms.md): offered and resolved within the ticket's
// organisation, so another organisation's users and assets are never named.

// pickInputs are the posted values of a picker named name: the id, the text
// shown and the text the id was shown as, kept when the form is refused.
func pickInputs(name string) []string {
	return []string{name, name + pickerText, name + pickerWas}
}

// ticketPicker is one picker of a ticket page's form: what a refused post typed
// and the message by it, else the record cur (0: none) as the user may see it.
func (u *UI) ticketPicker(c *req, x *TicketTab, form, name, id, label, src string, rt *record.Type, cur int64) FormField {
	ff := FormField{Name: name, ID: id, Label: label, Control: "picker", Suggest: src}
	if f := x.Alert(form); f != nil {
		ff.Value, ff.RefLabel, ff.Was, ff.Error = f.Typed[name], f.Typed[name+pickerText], f.Typed[name+pickerWas], f.Errs[name]
		if _, typed := f.Typed[name+pickerText]; typed {
			return ff
		}
		cur, _ = strconv.ParseInt(ff.Value, 10, 64) // posted without its text: shown by its name
		ff.Value = ""
	}
	if cur > 0 && rt != nil {
		if sg, err := u.App.Records.Picked(c.R.Context(), c.Actor, rt, cur); err == nil {
			ff.Value, ff.RefLabel, ff.Was = strconv.FormatInt(cur, 10), sg.Label, sg.Label
		}
	}
	return ff
}

// refPicker is a picker over what field of typeName may reference.
func (u *UI) refPicker(c *req, x *TicketTab, form, typeName, field, id, label string, cur int64) FormField {
	t := u.App.Reg.MustType(typeName)
	return u.ticketPicker(c, x, form, field, id, label, "/ui/suggest/"+typeName+"/"+field, u.App.Reg.MustType(t.Field(field).Ref), cur)
}

// setTicketPickers fills the pickers of the forms of a ticket's tab.
func (u *UI) setTicketPickers(c *req, rec *record.Record, x *TicketTab) {
	x.OrgID = rec.OrgID
	x.Picks = map[string]FormField{}
	hint := c.T("ui.assign.hint_name")
	switch x.Tab {
	case "details":
		p := u.refPicker(c, x, "tasks", "ticket-tasks", "user_id", "task-assignee", c.T("field.assignee"), c.Actor.UserID)
		p.Hint = c.T("ui.assign.hint_task")
		x.Picks["tasks"] = p
		p = u.refPicker(c, x, "assign", "tickets", "assigned_user_id", "as-user", c.T("field.assigned_user_id"), rec.Int("assigned_user_id"))
		p.Hint = c.T("ui.assign.hint_tech")
		x.Picks["assign.user"] = p
		p = u.refPicker(c, x, "assign", "tickets", "assigned_group_id", "as-group", c.T("field.assigned_group_id"), rec.Int("assigned_group_id"))
		p.Hint = hint
		x.Picks["assign.group"] = p
	case "approvals":
		p := u.refPicker(c, x, "approvals", "ticket-approvals", "user_id", "ap-user", c.T("field.approver"), 0)
		p.Hint, p.Required = hint, true
		x.Picks["approvals"] = p
		// The group escalated to is one a ticket may be assigned to.
		p = u.ticketPicker(c, x, "escalate", "group_id", "esc-group", c.T("ui.ticket.escalate_group"),
			"/ui/suggest/tickets/assigned_group_id", u.App.Reg.MustType("groups"), 0)
		p.Hint, p.Required = hint, true
		x.Picks["escalate"] = p
	case "assets":
		p := u.ticketPicker(c, x, "items", "item_id", "it-id", c.T("ui.newticket.asset"), "", nil, 0)
		p.TypeFrom, p.Hint, p.Required = "it-type", c.T("ui.picker.hint_assets"), true
		at := x.Typed("items", "item_type", "computers")
		if !isItemType(at) {
			at = "computers"
		}
		p.Suggest = "/ui/suggest/" + at
		x.Picks["items"] = p
	}
}

// Pick is the picker key of a form of the ticket page, for the template.
func (x *TicketTab) Pick(key string) FormField { return x.Picks[key] }

// ticketPicked turns a picker of a ticket page's form into the id it names: the
// posted id when its text is unchanged, else the one suggestion in the ticket's
// organisation the text names. A text naming none or several refuses the form
// with the message by that field. A post without the picker's text gives the id
// as posted, which the services check as any other write.
func (u *UI) ticketPicked(c *req, id int64, name string, suggest func(record.SuggestQuery) ([]record.Suggestion, error)) (string, error) {
	f := c.R.PostFormValue
	texts, ok := c.R.PostForm[name+pickerText]
	if !ok || len(texts) == 0 {
		return strings.TrimSpace(f(name)), nil
	}
	tk, err := u.App.Records.Get(c.R.Context(), c.Actor, u.App.Reg.MustType("tickets"), id)
	if err != nil {
		return "", err
	}
	v, found, err := pickedID(f(name), texts[0], f(name+pickerWas), tk.OrgID, suggest)
	if err != nil {
		return "", err
	}
	if !found {
		e := record.E(record.CodeInvalid, "err.invalid")
		e.Fields = map[string]record.Msg{name: {Key: "ui.picker.no_match", Args: []any{strings.TrimSpace(texts[0])}}}
		return "", e
	}
	return v, nil
}

// refPicked resolves a picker over what field of typeName may reference.
func (u *UI) refPicked(c *req, id int64, typeName, field, name string) (string, error) {
	t := u.App.Reg.MustType(typeName)
	return u.ticketPicked(c, id, name, func(q record.SuggestQuery) ([]record.Suggestion, error) {
		return u.App.Records.SuggestRef(c.R.Context(), c.Actor, t, field, q)
	})
}

// assign gives the ticket to a technician and a group, both chosen by typing;
// an emptied picker leaves the ticket without one.
func (u *UI) assign(c *req, hd *helpdesk.Service, id int64) (string, error) {
	in := record.Input{}
	for _, f := range []string{"assigned_user_id", "assigned_group_id"} {
		v, err := u.refPicked(c, id, "tickets", f, f)
		if err != nil {
			return "", err
		}
		if v == "" {
			in[f] = nil
		} else {
			in[f] = v
		}
	}
	_, err := u.App.Records.Update(c.R.Context(), c.Actor, u.App.Reg.MustType("tickets"), id, in)
	return "?done=assigned#thread", err
}
