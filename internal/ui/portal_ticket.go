package ui

import (
	"html/template"
	"mime"
	"net/http"
	"strconv"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/helpdesk/lifecycle"
	"parc/internal/kb"
	"parc/internal/record"
)

// PortalTicketPage is a requester's ticket: its public follow-ups, its files, its
// solution to accept or refuse, and a reply form.
type PortalTicketPage struct {
	Base
	ID                                   int64
	Href                                 string
	Title, Status, StatusClass, TypeText string
	Opened, Description, Category        string
	Assets                               []string
	Entries                              []Entry
	Files                                []FileView
	Approvals                            []ApprovalView
	Solution, SolutionType, SolvedAt     string
	// SolutionHTML is the solution rendered as the knowledge base renders
	// Markdown (solutions are often an article's text), sanitised by internal/kb.
	SolutionHTML        template.HTML
	Solved, Closed      bool
	Satisfaction        int64
	SatisfactionComment string
	Stars               []Option
	Errors              map[string]string
	Reply, Reason       string
	// Awaited: the parts the ticket waits for and when they are expected.
	Awaited []AwaitedRow
}

// Entry is one follow-up (or task) in a timeline.
type Entry struct {
	ID               int64
	Author, At, Text string
	Private, Done    bool
	Minutes          string
}

// FileView is an attachment as listed.
type FileView struct {
	Name, Href, Size string
}

func (u *UI) portalTicket(c *req) error { return u.renderPortalTicket(c, nil, nil, http.StatusOK) }

func (u *UI) renderPortalTicket(c *req, typed, errs map[string]string, status int) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.R.Context()
	hd := u.Helpdesk
	tk, err := hd.Ticket(ctx, c.Actor, id)
	if err != nil {
		return err
	}
	t := tk.Type
	href := "/portal/tickets/" + strconv.FormatInt(id, 10)
	st := tk.String("status")
	p := &PortalTicketPage{Base: u.base(c, tk.Label(), "/portal/tickets"), ID: id, Href: href, Title: tk.String("title"),
		Status: enumLabel(c, t.Field("status"), st), StatusClass: "status-" + st, TypeText: enumLabel(c, t.Field("type"), tk.String("type")),
		Opened: fmtDateTime(c.Lang, tk.CreatedAt, u.Loc), Description: tk.String("description"), Category: tk.Display["category_id"],
		Solution: tk.String("solution"), Solved: st == string(lifecycle.Solved), Closed: st == string(lifecycle.Closed),
		Satisfaction: tk.Int("satisfaction"), SatisfactionComment: tk.String("satisfaction_comment"), Errors: errs}
	if h, err := kb.Render(p.Solution); err == nil {
		p.SolutionHTML = template.HTML(h)
	}
	if v := tk.String("solution_type"); v != "" {
		p.SolutionType = enumLabel(c, t.Field("solution_type"), v)
	}
	if at, ok := tk.Values["solved_at"].(time.Time); ok {
		p.SolvedAt = fmtDateTime(c.Lang, at, u.Loc)
	}
	for i := 5; i >= 1; i-- {
		v := strconv.Itoa(i)
		p.Stars = append(p.Stars, Option{Value: v, Label: c.T("portal.stars." + v), Selected: typed["satisfaction"] == v})
	}
	p.Reply, p.Reason = typed["content"], typed["reason"]
	if p.Entries, err = u.entries(c, hd, id, "ticket-followups"); err != nil {
		return err
	}
	if p.Files, err = u.fileViews(c, hd, id, href); err != nil {
		return err
	}
	if p.Assets, err = u.assetLabels(c, tk); err != nil {
		return err
	}
	aps, err := hd.Approvals(ctx, c.Actor, id)
	if err != nil {
		return err
	}
	for _, a := range aps {
		p.Approvals = append(p.Approvals, u.approvalView(c, a))
	}
	if u.Purchase != nil {
		list, err := u.Purchase.TicketParts(ctx, c.Actor, id)
		if err != nil {
			return err
		}
		p.Awaited = u.awaitedRows(c, list, false)
	}
	return u.renderPage(c, status, "portal_ticket", p)
}

// entries lists a ticket's follow-ups or tasks the user may see, oldest first.
func (u *UI) entries(c *req, hd *helpdesk.Service, id int64, typeName string) ([]Entry, error) {
	page, err := hd.Children(c.R.Context(), c.Actor, typeName, id, record.ListQuery{Limit: record.MaxLimit})
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, r := range page.Records {
		e := Entry{ID: r.ID, Author: r.Display["user_id"], At: fmtDateTime(c.Lang, r.CreatedAt, u.Loc), Text: r.String("content"),
			Private: r.Values["private"] == true, Done: r.Values["done"] == true}
		if typeName == "ticket-tasks" {
			e.Minutes = fmtMinutes(c, r.Int("duration_minutes"))
		}
		out = append(out, e)
	}
	return out, nil
}

// fmtMinutes writes a duration in minutes as hours and minutes.
func fmtMinutes(c *req, m int64) string {
	if m < 60 {
		return c.T("ui.duration.minutes", m)
	}
	return c.T("ui.duration.hours_minutes", m/60, m%60)
}

func (u *UI) fileViews(c *req, hd *helpdesk.Service, id int64, href string) ([]FileView, error) {
	files, err := hd.Files(c.R.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	var out []FileView
	for _, f := range files {
		out = append(out, FileView{Name: f.Name, Href: href + "/attachments/" + strconv.FormatInt(f.ID, 10), Size: fmtBytes(c, f.Size)})
	}
	return out, nil
}

func fmtBytes(c *req, n int64) string {
	if n < 1024 {
		return c.T("ui.size.bytes", n)
	}
	if n < 1<<20 {
		return c.T("ui.size.kb", fmtNumber(c.Lang, float64(n)/1024, 0))
	}
	return c.T("ui.size.mb", fmtNumber(c.Lang, float64(n)/(1<<20), 1))
}

// assetLabels names the assets linked to a ticket.
func (u *UI) assetLabels(c *req, tk *record.Record) ([]string, error) {
	links, err := u.ticketAssets(c, tk)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range links {
		out = append(out, l.TypeName+" · "+l.Label)
	}
	return out, nil
}

// attachment sends one of a ticket's files, as a download: never shown inline,
// so an uploaded page cannot run as the site.
func (u *UI) attachment(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	fid, err := strconv.ParseInt(c.R.PathValue("file"), 10, 64)
	if err != nil {
		return record.ErrNotFound()
	}
	f, err := u.Helpdesk.File(c.R.Context(), c.Actor, id, fid)
	if err != nil {
		return err
	}
	h := c.W.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	c.W.Write(f.Content)
	return nil
}

func (u *UI) portalReply(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	content := c.R.PostFormValue("content")
	_, err = u.Helpdesk.AddChild(c.R.Context(), c.Actor, "ticket-followups", id, record.Input{"content": content})
	if e, ok := record.AsError(err); ok && e.Code == record.CodeInvalid {
		return u.renderPortalTicket(c, map[string]string{"content": content}, c.errText(nil, e).ByField(), http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/portal/tickets/"+strconv.FormatInt(id, 10)+"?done=replied")
}

func (u *UI) portalAccept(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	in := record.Input{"satisfaction": c.R.PostFormValue("satisfaction"), "comment": c.R.PostFormValue("comment")}
	_, err = u.Helpdesk.Accept(c.R.Context(), c.Actor, id, in)
	if e, ok := record.AsError(err); ok && e.Code == record.CodeInvalid {
		return u.renderPortalTicket(c, map[string]string{"satisfaction": c.R.PostFormValue("satisfaction")}, c.errText(nil, e).ByField(), http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/portal/tickets/"+strconv.FormatInt(id, 10)+"?done=accepted")
}

func (u *UI) portalRefuse(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	reason := c.R.PostFormValue("reason")
	_, err = u.Helpdesk.Refuse(c.R.Context(), c.Actor, id, record.Input{"reason": reason})
	if e, ok := record.AsError(err); ok && e.Code == record.CodeInvalid {
		return u.renderPortalTicket(c, map[string]string{"reason": reason}, c.errText(nil, e).ByField(), http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/portal/tickets/"+strconv.FormatInt(id, 10)+"?done=refused")
}

// PortalKBPage shows one FAQ article.
type PortalKBPage struct {
	Base
	Title string
	HTML  template.HTML
	// FAQ is the list of the articles published for requesters, by category,
	// rather than one article.
	FAQ      bool
	Sections []kb.FAQSection
}

// portalFAQ lists the articles published for requesters, by category.
func (u *UI) portalFAQ(c *req) error {
	secs, err := u.KB.FAQ(c.R.Context(), c.Actor)
	if err != nil {
		return err
	}
	return u.renderPage(c, http.StatusOK, "portal_kb", &PortalKBPage{Base: u.base(c, c.T("portal.faq"), "/portal/faq"),
		Title: c.T("portal.faq"), FAQ: true, Sections: secs})
}

func (u *UI) portalKB(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	art, err := u.KB.View(c.R.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	// The article's HTML went through the knowledge base's sanitiser (internal/kb).
	return u.renderPage(c, http.StatusOK, "portal_kb", &PortalKBPage{Base: u.base(c, art.Title, "/portal/faq"), Title: art.Title, HTML: template.HTML(art.HTML)})
}
