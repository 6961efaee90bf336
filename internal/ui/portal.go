package ui

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"parc/internal/helpdesk"
	"parc/internal/record"
)

// The self-service portal: requesters open tickets, follow them, answer, accept
// or refuse solutions and give the approvals asked of them. Requesters (users who
// read only their own tickets) never see the technician pages; others may use it.

func (u *UI) registerPortal(mux *http.ServeMux) {
	mux.HandleFunc("GET /portal", u.page(u.portalHome))
	mux.HandleFunc("GET /portal/new", u.page(u.portalNew))
	mux.HandleFunc("POST /portal/new", u.page(u.portalCreate))
	mux.HandleFunc("GET /portal/tickets", u.page(u.portalTickets))
	mux.HandleFunc("GET /portal/tickets/{id}", u.page(u.portalTicket))
	mux.HandleFunc("POST /portal/tickets/{id}/reply", u.page(u.portalReply))
	mux.HandleFunc("POST /portal/tickets/{id}/accept", u.page(u.portalAccept))
	mux.HandleFunc("POST /portal/tickets/{id}/refuse", u.page(u.portalRefuse))
	mux.HandleFunc("GET /portal/tickets/{id}/attachments/{file}", u.page(u.attachment))
	mux.HandleFunc("POST /portal/approvals/{id}/{verb}", u.page(u.portalAnswer))
	mux.HandleFunc("GET /portal/kb/{id}", u.page(u.portalKB))
	mux.HandleFunc("GET /portal/faq", u.page(u.portalFAQ))
}

// portalOnly reports a requester: someone who reads no ticket but their own.
func (u *UI) portalOnly(a *record.Actor) bool {
	if a == nil || a.System {
		return false
	}
	sc := a.Scope(u.App.Reg.MustType("tickets"), record.Read)
	return !sc.All && len(sc.IDs) == 0 && len(sc.OwnIDs) > 0
}

// portalPath lists what requesters may open besides the portal: their account.
func portalPath(p string) bool {
	return p == "/portal" || strings.HasPrefix(p, "/portal/") || p == "/account" || strings.HasPrefix(p, "/account/")
}

func (u *UI) portalMenu(c *req, active string) []MenuArea {
	items := []MenuItem{
		{Label: c.T("portal.home"), Href: "/portal"},
		{Label: c.T("portal.new_incident"), Href: "/portal/new?type=incident"},
		{Label: c.T("portal.new_request"), Href: "/portal/new?type=request"},
		{Label: c.T("portal.my_tickets"), Href: "/portal/tickets"},
		{Label: c.T("portal.faq"), Href: "/portal/faq"},
	}
	for i := range items {
		items[i].Active = items[i].Href == active
	}
	return []MenuArea{{Label: c.T("portal.title"), Items: items}}
}

// PortalPage is the portal's home and its list of the requester's tickets.
type PortalPage struct {
	Base
	Tickets   []PortalTicketRow
	Approvals []ApprovalView
	Loans     *PortalLoans // hand-overs to acknowledge, loans (loans.go)
	All       bool         // the full list rather than the home's latest tickets
	MoreHref  string
	Empty     string
}

// PortalTicketRow is one of the requester's tickets.
type PortalTicketRow struct {
	ID                               int64
	Href, Title, Status, StatusClass string
	Type, Updated                    string
}

func (u *UI) portalHome(c *req) error    { return u.portalList(c, false) }
func (u *UI) portalTickets(c *req) error { return u.portalList(c, true) }

func (u *UI) portalList(c *req, all bool) error {
	title, active := c.T("portal.title"), "/portal"
	if all {
		title, active = c.T("portal.my_tickets"), "/portal/tickets"
	}
	p := &PortalPage{Base: u.base(c, title, active), All: all, Empty: c.T("portal.no_tickets")}
	tickets := u.App.Reg.MustType("tickets")
	q := record.ListQuery{Sort: "-updated_at", Limit: 10, Cursor: c.R.URL.Query().Get("cursor"),
		Filters: []record.Filter{{Field: "user_id", Op: record.OpEq, Value: strconv.FormatInt(c.Actor.UserID, 10)}}}
	if all {
		q.Limit = 50
	}
	page, err := u.App.Records.List(c.R.Context(), c.Actor, tickets, q)
	if err != nil {
		return err
	}
	for _, r := range page.Records {
		p.Tickets = append(p.Tickets, u.portalRow(c, r))
	}
	if page.NextCursor != "" {
		p.MoreHref = "/portal/tickets"
		if all {
			p.MoreHref += "?" + url.Values{"cursor": {page.NextCursor}}.Encode()
		}
	}
	if !all {
		if p.Approvals, err = u.myApprovals(c); err != nil {
			return err
		}
		if p.Loans, err = u.portalLoans(c); err != nil {
			return err
		}
	}
	return u.renderPage(c, http.StatusOK, "portal", p)
}

func (u *UI) portalRow(c *req, r *record.Record) PortalTicketRow {
	t := r.Type
	return PortalTicketRow{ID: r.ID, Href: "/portal/tickets/" + strconv.FormatInt(r.ID, 10), Title: r.String("title"),
		Status: enumLabel(c, t.Field("status"), r.String("status")), StatusClass: "status-" + r.String("status"),
		Type: enumLabel(c, t.Field("type"), r.String("type")), Updated: fmtDateTime(c.Lang, r.UpdatedAt, u.Loc)}
}

// ApprovalView is an approval as pages show it; Answer forms appear for the approver.
type ApprovalView struct {
	ID                                        int64
	Ticket, TicketHref, Approver, RequestedBy string
	Status, StatusKey, Comment, Answer, At    string
	CanAnswer                                 bool
}

func (u *UI) approvalView(c *req, r *record.Record) ApprovalView {
	v := ApprovalView{ID: r.ID, Ticket: r.Display["ticket_id"], Approver: r.Display["user_id"], RequestedBy: r.Display["requested_by_id"],
		StatusKey: r.String("status"), Status: enumLabel(c, r.Type.Field("status"), r.String("status")),
		Comment: r.String("comment"), Answer: r.String("answer"),
		CanAnswer: r.String("status") == helpdesk.ApprovalPending && r.Int("user_id") == c.Actor.UserID}
	if at, ok := r.Values["answered_at"]; ok && at != nil {
		v.At = u.display(c, r.Type.Field("answered_at"), at)
	}
	return v
}

// myApprovals are the approvals awaiting the user's answer.
func (u *UI) myApprovals(c *req) ([]ApprovalView, error) {
	t := u.App.Reg.MustType("ticket-approvals")
	if !c.Actor.Can(t, record.Read) {
		return nil, nil
	}
	q := record.ListQuery{Limit: 50, Filters: []record.Filter{
		{Field: "user_id", Op: record.OpEq, Value: strconv.FormatInt(c.Actor.UserID, 10)},
		{Field: "status", Op: record.OpEq, Value: helpdesk.ApprovalPending}}}
	page, err := u.App.Records.List(c.R.Context(), c.Actor, t, q)
	if err != nil {
		return nil, err
	}
	var out []ApprovalView
	for _, r := range page.Records {
		out = append(out, u.approvalView(c, r))
	}
	return out, nil
}

func (u *UI) portalAnswer(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	verb := c.R.PathValue("verb")
	if verb != "approve" && verb != "refuse" {
		return record.ErrNotFound()
	}
	if err := parseForm(c); err != nil {
		return err
	}
	hd := u.Helpdesk
	if _, err := hd.AnswerApproval(c.R.Context(), c.Actor, id, verb == "approve", c.R.PostFormValue("comment")); err != nil {
		return err
	}
	return redirect(c, "/portal?done=answered")
}

// categoryOptions shows ticket categories as a tree: children under their
// parent, indented.
func categoryOptions(c *req, cats []*record.Record, selected int64) []Option {
	out := []Option{{Value: "", Label: c.T("portal.category_none")}}
	kids := map[int64][]*record.Record{}
	known := map[int64]bool{}
	for _, r := range cats {
		known[r.ID] = true
	}
	for _, r := range cats {
		parent := r.Int("parent_id")
		if !known[parent] {
			parent = 0 // a parent not offered: shown at the top
		}
		kids[parent] = append(kids[parent], r)
	}
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		list := kids[parent]
		sort.SliceStable(list, func(i, j int) bool {
			return strings.ToLower(list[i].String("name")) < strings.ToLower(list[j].String("name"))
		})
		for _, r := range list {
			out = append(out, Option{Value: strconv.FormatInt(r.ID, 10), Label: strings.Repeat("\u00a0\u00a0\u00a0", depth) + r.String("name"), Selected: r.ID == selected})
			if depth < 10 {
				walk(r.ID, depth+1)
			}
		}
	}
	walk(0, 0)
	return out
}

// ownAssets lists the requester's own equipment (assets whose user is them), as
// "type:id" options.
func (u *UI) ownAssets(c *req, selected string) ([]Option, error) {
	out := []Option{{Value: "", Label: c.T("portal.asset_none")}}
	for _, name := range helpdesk.ItemTypes {
		t := u.App.Reg.MustType(name)
		if !c.Actor.Can(t, record.Read) {
			continue
		}
		q := record.ListQuery{Limit: 100, Filters: []record.Filter{{Field: "user_id", Op: record.OpEq, Value: strconv.FormatInt(c.Actor.UserID, 10)}}}
		page, err := u.App.Records.List(c.R.Context(), c.Actor, t, q)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Records {
			v := name + ":" + strconv.FormatInt(r.ID, 10)
			label := c.T(typeKey(t, false)) + " · " + r.Label()
			if sn := r.String("serial"); sn != "" && t.HasField("serial") {
				label += " (" + sn + ")"
			}
			out = append(out, Option{Value: v, Label: label, Selected: v == selected})
		}
	}
	return out, nil
}
