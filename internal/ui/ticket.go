package ui

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/helpdesk/lifecycle"
	"parc/internal/record"
)

// TicketTab is what a ticket's work tabs show: follow-ups, tasks, solution,
// approvals and escalation, linked assets and their earlier tickets.
type TicketTab struct {
	Tab, Href, CSRF string
	Open            bool // follow-ups, tasks, links still accepted (not closed)
	CanAct          bool // the user works the ticket
	Solved          bool

	Entries   []Entry
	Files     []FileView // the ticket's attachments, with its follow-ups
	Tasks     []Entry
	TotalTime string

	Solution, SolutionType string
	SolutionTypes          []Option
	Articles               []Option

	Approvals []ApprovalView

	Assets    []AssetLink
	ItemTypes []Option
	// Purchase: the parts the ticket waits for, and the form that requests one.
	Purchase *PurchaseView

	// The status form, on the details tab: the statuses the ticket may move to
	// (solving goes through the solution tab) and the version the page shows.
	Statuses      []Option
	PendingReason string
	Version       int64

	// The thread (details tab): its header, entries and suggested articles.
	Head      *TicketHead
	Thread    []ThreadView
	Suggested []Link
	// Canned are the saved texts offered by kind (followup, solution).
	Canned map[string][]CannedOption

	// OrgID is the ticket's organisation, within which the pickers offer; Picks
	// are the pickers of the tab's forms (ticket_pickers.go).
	OrgID int64
	Picks map[string]FormField

	// Form is the refused form shown again, nil when none.
	Form *TicketForm
	// Parts: the parts issued to the ticket, their cost, and what may be issued.
	Parts *TicketPartsView
}

// TicketForm is a refused form of the ticket page shown again, as the record form
// shows its own (formState): the message on top, the details without an input,
// each input's message and what was typed.
type TicketForm struct {
	Name       string // the path the form posts to: followups, tasks, status...
	Error      string
	Details    []string
	ReloadHref string
	Errs       map[string]string
	Typed      map[string]string
}

// Alert is the refused form's message block when name is that form, else nil.
func (x *TicketTab) Alert(name string) *TicketForm {
	if x.Form == nil || x.Form.Name != name {
		return nil
	}
	return x.Form
}

// FieldErr is the message by one input of a refused form, with the id of its
// paragraph that the input names in aria-describedby; it prints as its text.
type FieldErr struct{ ID, Text string }

func (e *FieldErr) String() string { return e.Text }

// Err is the message by one input of the refused form name, nil when none.
func (x *TicketTab) Err(name, field string) *FieldErr {
	if f := x.Alert(name); f != nil && f.Errs[field] != "" {
		return &FieldErr{ID: name + "-" + strings.ReplaceAll(field, "_", "-") + "-err", Text: f.Errs[field]}
	}
	return nil
}

// Typed is what was typed in an input of the refused form name, else def.
func (x *TicketTab) Typed(name, field, def string) string {
	if f := x.Alert(name); f != nil {
		return f.Typed[field]
	}
	return def
}

// Ticked tells whether a checkbox of the refused form name was ticked, else def.
func (x *TicketTab) Ticked(name, field string, def bool) bool {
	if f := x.Alert(name); f != nil {
		v := f.Typed[field]
		return v == "on" || v == "true"
	}
	return def
}

// keepChoices selects in a refused form's lists what the user had chosen.
func (x *TicketTab) keepChoices() {
	if x.Form == nil {
		return
	}
	pick := func(opts []Option, field string) {
		v, ok := x.Form.Typed[field]
		if !ok {
			return
		}
		for i := range opts {
			opts[i].Selected = opts[i].Value == v
		}
	}
	switch x.Form.Name {
	case "status":
		pick(x.Statuses, "status")
	case "solution":
		pick(x.Articles, "kb_article_id")
		pick(x.SolutionTypes, "solution_type")
	case "items":
		pick(x.ItemTypes, "item_type")
	}
}

// AssetLink is an asset linked to a ticket, with its earlier tickets.
type AssetLink struct {
	TypeName, Label, Href string
	Previous              []Row
	MoreHref              string
	// Remote: a linked computer's remote-control launches, from the ticket.
	Remote *RemoteView
	rec    *record.Record
}

// ticketTabs are the work tabs of a ticket's page, after its thread: follow-ups,
// tasks and the solution are written in the thread itself.
func ticketTabs(c *req, href string) []Tab {
	var out []Tab
	for _, k := range [][2]string{{"approvals", "ui.ticket.tab_approvals"}, {"assets", "ui.ticket.tab_assets"}} {
		out = append(out, Tab{Key: k[0], Label: c.T(k[1]), Href: href + "?tab=" + k[0]})
	}
	return out
}

// ticketTab fills the work tab of a ticket (the status form on the details tab),
// with a refused form shown again.
func (u *UI) ticketTab(c *req, rec *record.Record, tab, href string, refused *TicketForm) (*TicketTab, error) {
	hd := u.Helpdesk
	st := lifecycle.Status(rec.String("status"))
	x := &TicketTab{Tab: tab, Href: href, CSRF: c.Sess.CSRF, Open: st != lifecycle.Closed, Solved: st == lifecycle.Solved,
		CanAct: rec.DeletedAt == nil && c.Actor.CanIn(rec.Type, record.Update, rec.OrgID), Form: refused}
	var err error
	switch tab {
	case "details":
		x.Version, x.PendingReason = rec.Version, rec.String("pending_reason")
		if v, err := strconv.ParseInt(x.Typed("status", "version", ""), 10, 64); err == nil {
			x.Version = v // kept after a conflict, which the reload link resolves
		}
		f := rec.Type.Field("status")
		for _, to := range lifecycle.Names() {
			s := lifecycle.Status(to)
			if s == st || s != lifecycle.Solved && lifecycle.Allowed(st, s) {
				x.Statuses = append(x.Statuses, Option{Value: to, Label: enumLabel(c, f, to), Selected: s == st})
			}
		}
		err = u.threadTab(c, rec, x)
	case "approvals":
		var aps []*record.Record
		if aps, err = hd.Approvals(c.R.Context(), c.Actor, rec.ID); err != nil {
			return nil, err
		}
		for _, a := range aps {
			x.Approvals = append(x.Approvals, u.approvalView(c, a))
		}
	case "assets":
		if x.Assets, err = u.ticketAssets(c, rec); err != nil {
			return nil, err
		}
		for i := range x.Assets {
			if err := u.previousTickets(c, rec.ID, &x.Assets[i]); err != nil {
				return nil, err
			}
		}
		f := u.App.Reg.MustType("ticket-items").Field("item_type")
		for _, o := range helpdesk.ItemTypes {
			x.ItemTypes = append(x.ItemTypes, Option{Value: o, Label: enumLabel(c, f, o)})
		}
	}
	if err != nil {
		return nil, err
	}
	x.keepChoices()
	u.setTicketPickers(c, rec, x)
	return x, nil
}

// options lists records of a type the user reads, as select options (first 500).
func (u *UI) options(c *req, typeName string, filters []record.Filter) ([]Option, error) {
	t := u.App.Reg.MustType(typeName)
	out := []Option{{Value: "", Label: c.T("ui.form.choose")}}
	if !c.Actor.Can(t, record.Read) {
		return out, nil
	}
	page, err := u.App.Records.List(c.R.Context(), c.Actor, t, record.ListQuery{Limit: record.MaxLimit, Filters: filters})
	if err != nil {
		return nil, err
	}
	for _, r := range page.Records {
		label := r.Label()
		out = append(out, Option{Value: strconv.FormatInt(r.ID, 10), Label: label})
	}
	return out, nil
}

// articleOptions are the published knowledge-base articles a solution may use.
func (u *UI) articleOptions(c *req) ([]Option, error) {
	return u.options(c, "kb-articles", []record.Filter{{Field: "published", Op: record.OpEq, Value: "true"}})
}

// ticketAssets lists the assets linked to a ticket that the user may see.
func (u *UI) ticketAssets(c *req, tk *record.Record) ([]AssetLink, error) {
	page, err := u.App.Records.List(c.R.Context(), record.SystemActor(c.Actor.Tree, c.Actor.Origin), u.App.Reg.MustType("ticket-items"),
		record.ListQuery{Limit: 100, Filters: []record.Filter{{Field: "ticket_id", Op: record.OpEq, Value: strconv.FormatInt(tk.ID, 10)}}})
	if err != nil {
		return nil, err
	}
	var out []AssetLink
	for _, it := range page.Records {
		t, ok := u.App.Reg.Type(it.String("item_type"))
		if !ok {
			continue
		}
		a, err := u.App.Records.Get(c.R.Context(), c.Actor, t, it.Int("item_id"))
		if err != nil {
			continue // an asset the user does not see is not named to them
		}
		l := AssetLink{TypeName: c.T(typeKey(t, false)), Label: a.Label(), rec: a}
		if !u.portalOnly(c.Actor) {
			l.Href = "/" + t.Name + "/" + strconv.FormatInt(a.ID, 10)
		}
		out = append(out, l)
	}
	return out, nil
}

// previousTickets fills an asset's other tickets, newest first: recurring failures.
func (u *UI) previousTickets(c *req, current int64, l *AssetLink) error {
	t, id := assetOf(l.Href)
	if t == "" {
		return nil
	}
	q := record.ListQuery{Limit: 10, Sort: "-id", Filters: []record.Filter{
		{Field: "asset", Op: record.OpEq, Value: t + ":" + id},
		{Field: "id", Op: record.OpNe, Value: strconv.FormatInt(current, 10)}}}
	rows, next, err := u.ticketRows(c, q)
	l.Previous = rows
	if next {
		l.MoreHref = withQuery("/tickets", url.Values{"filter": {"asset:eq:" + t + ":" + id}})
	}
	return err
}

// assetOf splits "/computers/12" into its type and id.
func assetOf(href string) (string, string) {
	for i := 1; i < len(href); i++ {
		if href[i] == '/' {
			return href[1:i], href[i+1:]
		}
	}
	return "", ""
}

// ticketRows lists tickets as table rows: number and title, status, opening date.
func (u *UI) ticketRows(c *req, q record.ListQuery) ([]Row, bool, error) {
	t := u.App.Reg.MustType("tickets")
	page, err := u.App.Records.List(c.R.Context(), c.Actor, t, q)
	if err != nil {
		return nil, false, err
	}
	var out []Row
	for _, r := range page.Records {
		href := "/tickets/" + strconv.FormatInt(r.ID, 10)
		out = append(out, Row{ID: r.ID, Href: href, Cells: []Cell{
			{Text: r.Label(), Href: href},
			{Text: enumLabel(c, t.Field("status"), r.String("status"))},
			{Text: fmtDateTime(c.Lang, r.CreatedAt, u.Loc), Class: "nowrap"},
			{Text: r.String("solution")},
		}})
	}
	return out, page.NextCursor != "", nil
}

func (u *UI) dueText(c *req, d *helpdesk.Due) string {
	at := fmtDateTime(c.Lang, d.At, u.Loc)
	switch {
	case d.Done && d.Met:
		return c.T("ui.ticket.due_met", at)
	case d.Done:
		return c.T("ui.ticket.due_missed", at)
	case d.Paused:
		return c.T("ui.ticket.due_paused", at)
	case d.Left < 0:
		return c.T("ui.ticket.due_late", at, fmtSpan(c, -d.Left))
	}
	return c.T("ui.ticket.due_left", at, fmtSpan(c, d.Left))
}

// fmtSpan writes business time as hours and minutes.
func fmtSpan(c *req, d time.Duration) string {
	return fmtMinutes(c, int64(d/time.Minute))
}

// ticketViewItems are the helpdesk views of the menu: list filters of tickets.
func (u *UI) ticketViewItems(c *req, active string) []MenuItem {
	t := u.App.Reg.MustType("tickets")
	if !c.Actor.Can(t, record.Read) {
		return nil
	}
	me := strconv.FormatInt(c.Actor.UserID, 10)
	views := []struct {
		key     string
		filters []string
		sort    string
	}{
		{"ui.ticket.view_mine", []string{"assigned_user_id:eq:" + me, "open:eq:true"}, "ttr_due_at"},
		{"ui.ticket.view_my_groups", []string{"my_groups:eq:" + me, "open:eq:true"}, "ttr_due_at"},
		{"ui.ticket.view_unassigned", []string{"status:eq:new"}, "-id"},
		{"ui.ticket.view_at_risk", []string{"due:eq:at_risk"}, "ttr_due_at"},
		{"ui.ticket.view_late", []string{"due:eq:late"}, "ttr_due_at"},
	}
	cur := c.R.URL.RequestURI()
	var out []MenuItem
	for _, v := range views {
		href := withQuery("/tickets", url.Values{"filter": v.filters, "sort": {v.sort}})
		out = append(out, MenuItem{Label: c.T(v.key), Href: href, Active: href == cur})
	}
	return out
}
