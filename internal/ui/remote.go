package ui

import (
	"net/http"
	"strconv"
	"strings"

	"parc/internal/record"
)

// RemoteView is a computer's remote-control launches: one button each, a form
// that records the launch and then opens it.
type RemoteView struct {
	Computer, Action string
	Links            []RemoteLink
	CSRF             string
	TicketID         int64 // the ticket the launch is opened from, 0 for none
}

// RemoteLink is one launch as a button.
type RemoteLink struct {
	Label, Target, Tool string
}

// registerRemote adds the launch action.
func (u *UI) registerRemote(mux *http.ServeMux) {
	mux.HandleFunc("POST /computers/{id}/remote", u.page(u.remoteLaunch))
}

// remoteView lists a computer's launches; nil when there are none or the user
// may not work on it.
func (u *UI) remoteView(c *req, pc *record.Record, ticketID int64) (*RemoteView, error) {
	if u.Remote == nil {
		return nil, nil
	}
	links, err := u.Remote.Launches(c.R.Context(), c.Actor, pc.ID)
	if err != nil || len(links) == 0 {
		return nil, err
	}
	href := "/computers/" + strconv.FormatInt(pc.ID, 10)
	v := &RemoteView{Computer: pc.Label(), Action: href + "/remote", CSRF: c.Sess.CSRF, TicketID: ticketID}
	for _, l := range links {
		v.Links = append(v.Links, RemoteLink{Label: remoteToolLabel(c, l.Tool), Target: l.Target, Tool: l.Tool})
	}
	return v, nil
}

// remoteLaunch records a launch in the computer's history (and the ticket's,
// when opened from one), then sends the browser to the tool's link.
func (u *UI) remoteLaunch(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	var ticket int64
	if v := c.R.PostFormValue("ticket_id"); v != "" {
		if ticket, err = strconv.ParseInt(v, 10, 64); err != nil || ticket <= 0 {
			return record.ErrNotFound()
		}
	}
	l, err := u.Remote.Open(c.R.Context(), c.Actor, id, c.R.PostFormValue("tool"), ticket)
	if err != nil {
		return err
	}
	http.Redirect(c.W, c.R, l.URL, http.StatusSeeOther)
	return nil
}

// remoteHistoryText writes a launch's history line: "Remote desktop (RDP) · 10.0.0.5".
func remoteHistoryText(c *req, v string) string {
	tool, target, _ := strings.Cut(v, ": ")
	return remoteToolLabel(c, tool) + " · " + target
}
