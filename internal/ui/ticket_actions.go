package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/record"
)

// ticketForm is one form of the technician's ticket page: the tab it sits on, the
// record type its inputs belong to (for the names of fields without an input),
// the inputs a refused post shows again, and what it does.
type ticketForm struct {
	tab, typ string
	inputs   []string
	do       func(c *req, hd *helpdesk.Service, id int64) (string, error)
}

// registerTicket adds the technician's ticket actions. A done one comes back to
// the tab it was made on; a refused one shows that tab again with the messages by
// the form and what was typed in it.
func (u *UI) registerTicket(mux *http.ServeMux) {
	mux.HandleFunc("GET /tickets/{id}/report", u.page(u.report))
	mux.HandleFunc("GET /tickets/{id}/attachments/{file}", u.page(u.attachment))
	for path, f := range map[string]ticketForm{
		"take":      {"details", "tickets", nil, u.take},
		"status":    {"details", "tickets", []string{"status", "pending_reason", "version"}, u.changeStatus},
		"followups": {"details", "ticket-followups", []string{"content", "private"}, u.addFollowup},
		"tasks": {"details", "ticket-tasks", append([]string{"content", "planned_start", "planned_end", "duration_minutes", "done", "private"}, pickInputs("user_id")...),
			u.addTask},
		"assign":    {"details", "tickets", append(pickInputs("assigned_user_id"), pickInputs("assigned_group_id")...), u.assign},
		"solution":  {"details", "tickets", []string{"kb_article_id", "solution", "solution_type", "parts_used"}, u.solve},
		"approvals": {"approvals", "ticket-approvals", append([]string{"comment"}, pickInputs("user_id")...), u.requestApproval},
		"escalate":  {"approvals", "tickets", append([]string{"reason"}, pickInputs("group_id")...), u.escalate},
		"items":     {"assets", "ticket-items", append([]string{"item_type"}, pickInputs("item_id")...), u.linkAsset},
		"parts":     {"details", "stock-movements", []string{"stock", "quantity"}, u.issuePart},
	} {
		mux.HandleFunc("POST /tickets/{id}/"+path, u.page(func(c *req) error {
			id, err := pathID(c)
			if err != nil {
				return err
			}
			if err := parseForm(c); err != nil {
				return err
			}
			back, err := f.do(c, u.Helpdesk, id)
			if err != nil {
				return u.ticketRefused(c, id, path, f, err)
			}
			return redirect(c, "/tickets/"+strconv.FormatInt(id, 10)+back)
		}))
	}
	mux.HandleFunc("POST /tickets/{id}/tasks/{task}/done", u.page(u.taskDone))
	u.registerRemote(mux)
}

// ticketRefused shows the ticket page again after a refused form: 422 with the
// messages by the form and the typed values kept, or 409 after a version conflict,
// whose message asks to reload. A ticket the user may not see or change is the
// error page, as on any other page.
func (u *UI) ticketRefused(c *req, id int64, name string, f ticketForm, err error) error {
	e, ok := record.AsError(err)
	if !ok || e.Code == record.CodeNotFound || e.Code == record.CodeForbidden || e.Code == record.CodeUnauthorized {
		return err
	}
	typed, known := map[string]string{}, map[string]bool{}
	for _, in := range f.inputs {
		known[in] = true
		if vs, ok := c.R.PostForm[in]; ok && len(vs) > 0 {
			typed[in] = vs[len(vs)-1]
		}
	}
	st := u.refusedState(c, u.App.Reg.MustType(f.typ), e, typed, known)
	status := http.StatusUnprocessableEntity
	form := &TicketForm{Name: name, Error: st.message, Details: st.details, Errs: st.errs, Typed: st.typed}
	if st.reload {
		status = http.StatusConflict
		form.ReloadHref = "/tickets/" + strconv.FormatInt(id, 10) + "?tab=" + f.tab
	}
	return u.renderItem(c, u.App.Reg.MustType("tickets"), f.tab, form, status)
}

func (u *UI) take(c *req, hd *helpdesk.Service, id int64) (string, error) {
	_, err := u.App.Records.Update(c.R.Context(), c.Actor, u.App.Reg.MustType("tickets"), id, record.Input{"assigned_user_id": c.Actor.UserID})
	return "?done=taken", err
}

// changeStatus moves the ticket to another status; the version the page was
// read at guards against overwriting someone else's change unseen.
func (u *UI) changeStatus(c *req, hd *helpdesk.Service, id int64) (string, error) {
	f := c.R.PostFormValue
	in := record.Input{"status": f("status")}
	if v := f("version"); v != "" {
		in["version"] = v
	}
	if f("status") == "pending" {
		// The reason goes with the pause only: leaving pending clears it.
		in["pending_reason"] = f("pending_reason")
	}
	_, err := u.App.Records.Update(c.R.Context(), c.Actor, u.App.Reg.MustType("tickets"), id, in)
	return "?done=status", err
}

func (u *UI) addFollowup(c *req, hd *helpdesk.Service, id int64) (string, error) {
	f := c.R.PostFormValue
	_, err := hd.AddChild(c.R.Context(), c.Actor, "ticket-followups", id, record.Input{"content": f("content"), "private": f("private") == "on"})
	return "?done=followup#thread", err
}

func (u *UI) addTask(c *req, hd *helpdesk.Service, id int64) (string, error) {
	f := c.R.PostFormValue
	in := record.Input{"content": f("content"), "private": f("private") == "on", "done": f("done") == "on", "user_id": c.Actor.UserID}
	a, err := u.refPicked(c, id, "ticket-tasks", "user_id", "user_id")
	if err != nil {
		return "", err
	}
	if a != "" {
		in["user_id"] = a // another technician; the record checks they exist and may be seen
	}
	if m := strings.TrimSpace(f("duration_minutes")); m != "" {
		in["duration_minutes"] = m
	}
	// Planned times come from datetime-local inputs, in the server's zone.
	for _, k := range []string{"planned_start", "planned_end"} {
		if v := strings.TrimSpace(f(k)); v != "" {
			if tm, err := time.ParseInLocation("2006-01-02T15:04", v, u.Loc); err == nil {
				in[k] = tm.Format(time.RFC3339)
			} else {
				in[k] = v // refused by the field check, with its message
			}
		}
	}
	_, err = hd.AddChild(c.R.Context(), c.Actor, "ticket-tasks", id, in)
	return "?done=task#thread", err
}

func (u *UI) taskDone(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	task, err := strconv.ParseInt(c.R.PathValue("task"), 10, 64)
	if err != nil {
		return record.ErrNotFound()
	}
	t := u.App.Reg.MustType("ticket-tasks")
	r, err := u.App.Records.Get(c.R.Context(), c.Actor, t, task)
	if err != nil || r.Int("ticket_id") != id {
		return record.ErrNotFound()
	}
	if _, err := u.App.Records.Update(c.R.Context(), c.Actor, t, task, record.Input{"done": true}); err != nil {
		return u.ticketRefused(c, id, "task-done", ticketForm{tab: "details", typ: "ticket-tasks"}, err)
	}
	return redirect(c, "/tickets/"+strconv.FormatInt(id, 10)+"?done=task#thread")
}

// solve writes the solution, typed or taken from a knowledge-base article (then
// linked to the ticket); the parts used go with it, for the report.
func (u *UI) solve(c *req, hd *helpdesk.Service, id int64) (string, error) {
	f := c.R.PostFormValue
	ctx := c.R.Context()
	in := record.Input{"solution": f("solution")}
	if v := f("solution_type"); v != "" {
		in["solution_type"] = v
	}
	var err error
	if v := f("kb_article_id"); v != "" {
		aid, _ := strconv.ParseInt(v, 10, 64)
		_, err = u.KB.SolveFrom(ctx, c.Actor, hd, id, aid, f("parts_used"), in)
	} else {
		_, err = hd.SolveWithParts(ctx, c.Actor, id, f("parts_used"), in)
	}
	if err != nil {
		return "", err
	}
	return "?done=solved#thread", nil
}

func (u *UI) requestApproval(c *req, hd *helpdesk.Service, id int64) (string, error) {
	f := c.R.PostFormValue
	user, err := u.refPicked(c, id, "ticket-approvals", "user_id", "user_id")
	if err != nil {
		return "", err
	}
	_, err = hd.RequestApproval(c.R.Context(), c.Actor, id, record.Input{"user_id": user, "comment": f("comment")})
	return "?tab=approvals&done=approval_requested", err
}

func (u *UI) escalate(c *req, hd *helpdesk.Service, id int64) (string, error) {
	f := c.R.PostFormValue
	group, err := u.refPicked(c, id, "tickets", "assigned_group_id", "group_id")
	if err != nil {
		return "", err
	}
	_, err = hd.Escalate(c.R.Context(), c.Actor, id, record.Input{"group_id": group, "reason": f("reason")})
	return "?tab=approvals&done=escalated", err
}

func (u *UI) linkAsset(c *req, hd *helpdesk.Service, id int64) (string, error) {
	f := c.R.PostFormValue
	at := f("item_type")
	if !isItemType(at) {
		return "", record.E(record.CodeInvalid, "ui.bad_form")
	}
	rt := u.App.Reg.MustType(at)
	item, err := u.ticketPicked(c, id, "item_id", func(q record.SuggestQuery) ([]record.Suggestion, error) {
		return u.App.Records.SuggestRecords(c.R.Context(), c.Actor, rt, q)
	})
	if err != nil {
		return "", err
	}
	_, err = hd.AddChild(c.R.Context(), c.Actor, "ticket-items", id, record.Input{"item_type": at, "item_id": item})
	return "?tab=assets&done=linked", err
}
