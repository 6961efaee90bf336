package ui

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/kb"
	"parc/internal/record"
	"parc/internal/search"
)

// TicketHead is the top of a ticket's thread: what it is, where it stands, who
// asked and who works it, and its due times.
type TicketHead struct {
	Number                  string
	Status, StatusKey       string
	Priority, PriorityLevel string
	Type                    string
	Facts                   []Detail // requester, assignee...: only those set
	Due                     []DueView
	Pending                 string
}

// DueView is one due time with the business time left, and its state for the
// label's shape (ok, risk, late, met, missed, paused).
type DueView struct {
	Label, Text, State string
}

// ThreadView is one entry of the thread as shown.
type ThreadView struct {
	Kind, Title, Author, At, Text string
	// HTML is a text written in Markdown (a solution), rendered and sanitised;
	// Text is then empty.
	HTML          template.HTML
	Private, Done bool
	Meta          []string
	Files         []FileView
	// DoneHref marks a task done, when the user may.
	DoneHref string
}

// threadTab fills the ticket's main tab: header, thread, the forms to add to it,
// and the articles its title suggests.
func (u *UI) threadTab(c *req, rec *record.Record, x *TicketTab) error {
	ctx := c.R.Context()
	hd := u.Helpdesk
	x.Head = u.ticketHead(c, rec)
	due, err := u.dueViews(c, rec)
	if err != nil {
		return err
	}
	x.Head.Due = due
	total, err := hd.TimeSpent(ctx, rec)
	if err != nil {
		return err
	}
	x.TotalTime = fmtMinutes(c, total)
	if total > 0 {
		x.Head.Facts = append(x.Head.Facts, Detail{Label: c.T("timeline.time_spent"), Text: x.TotalTime})
	}
	if err := u.ticketParts(c, rec, x); err != nil {
		return err
	}
	entries, err := hd.Thread(ctx, c.Actor, rec.ID)
	if err != nil {
		return err
	}
	href := "/tickets/" + strconv.FormatInt(rec.ID, 10)
	for _, e := range entries {
		x.Thread = append(x.Thread, u.threadView(c, rec, e, href, x.CanAct && x.Open))
	}
	f := rec.Type.Field("solution_type")
	for _, o := range f.Options {
		x.SolutionTypes = append(x.SolutionTypes, Option{Value: o, Label: enumLabel(c, f, o), Selected: o == rec.String("solution_type")})
	}
	if x.Articles, err = u.articleOptions(c); err != nil {
		return err
	}
	x.Suggested = u.suggestArticles(c, rec.String("title"))
	canned, err := hd.CannedFor(ctx, c.Actor, rec)
	if err != nil {
		return err
	}
	x.Canned = map[string][]CannedOption{}
	for kind, list := range canned {
		for _, cr := range list {
			x.Canned[kind] = append(x.Canned[kind], CannedOption{ID: cr.ID, Label: cr.Name, Text: cr.Content})
		}
	}
	if x.Assets, err = u.ticketAssets(c, rec); err != nil {
		return err
	}
	for i := range x.Assets {
		if a := x.Assets[i].rec; a != nil && a.Type.Name == "computers" && x.CanAct && x.Open {
			if x.Assets[i].Remote, err = u.remoteView(c, a, rec.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// ticketHead writes the header's labels and the facts that are set.
func (u *UI) ticketHead(c *req, rec *record.Record) *TicketHead {
	t := rec.Type
	st := rec.String("status")
	h := &TicketHead{Number: "#" + strconv.FormatInt(rec.ID, 10), Status: enumLabel(c, t.Field("status"), st), StatusKey: st,
		Type: enumLabel(c, t.Field("type"), rec.String("type"))}
	if p := rec.Int("priority"); p > 0 {
		h.PriorityLevel = strconv.FormatInt(p, 10)
		h.Priority = priorityLabel(c, p)
	}
	if st == "pending" {
		h.Pending = rec.String("pending_reason")
	}
	for _, name := range []string{"user_id", "assigned_user_id", "assigned_group_id", "category_id", "location_id"} {
		cell := u.cell(c, rec, t.Field(name))
		if cell.Text != "" {
			h.Facts = append(h.Facts, Detail{Label: c.T(t.Field(name).LabelKey()), Text: cell.Text, Href: cell.Href})
		}
	}
	if org := orgName(c.Actor, rec.OrgID); org != "" {
		h.Facts = append(h.Facts, Detail{Label: c.T("field.organization_id"), Text: org})
	}
	for _, name := range []string{"impact", "urgency"} {
		if v := rec.Int(name); v > 0 {
			h.Facts = append(h.Facts, Detail{Label: c.T("timeline." + name), Text: levelLabel(c, v)})
		}
	}
	return h
}

// priorityLabel names a priority (1 very low ... 6 major).
func priorityLabel(c *req, p int64) string {
	if p < 1 || p > 6 {
		return strconv.FormatInt(p, 10)
	}
	return c.T("timeline.priority." + strconv.FormatInt(p, 10))
}

// levelLabel names an impact or an urgency (1 very low ... 5 very high).
func levelLabel(c *req, v int64) string {
	if v < 1 || v > 5 {
		return strconv.FormatInt(v, 10)
	}
	return c.T("timeline.level." + strconv.FormatInt(v, 10))
}

// dueViews are the ticket's due times with the business time left and their state.
func (u *UI) dueViews(c *req, rec *record.Record) ([]DueView, error) {
	tto, ttr, err := u.Helpdesk.Clock(c.R.Context(), rec)
	if err != nil {
		return nil, err
	}
	var out []DueView
	for _, d := range []struct {
		key string
		due *helpdesk.Due
	}{{"ui.ticket.tto_left", tto}, {"ui.ticket.ttr_left", ttr}} {
		if d.due == nil {
			continue
		}
		out = append(out, DueView{Label: c.T(d.key), Text: u.dueText(c, d.due), State: dueState(d.due)})
	}
	return out, nil
}

// dueState classes a due time: late, at risk (less business time left than the
// lists' at-risk window), running, paused, met or missed.
func dueState(d *helpdesk.Due) string {
	switch {
	case d.Done && d.Met:
		return "met"
	case d.Done:
		return "missed"
	case d.Paused:
		return "paused"
	case d.Left < 0:
		return "late"
	case d.Left < helpdesk.AtRiskWindow:
		return "risk"
	}
	return "ok"
}

// threadView writes one thread entry for reading.
func (u *UI) threadView(c *req, rec *record.Record, e helpdesk.ThreadEntry, href string, canAct bool) ThreadView {
	v := ThreadView{Kind: e.Kind, Author: e.Author, At: fmtDateTime(c.Lang, e.At, u.Loc), Text: e.Text, Private: e.Private, Done: e.Done}
	t := rec.Type
	switch e.Kind {
	case helpdesk.EntryDescription:
		v.Title = c.T("timeline.entry.description")
	case helpdesk.EntryFollowup:
		v.Title = c.T("timeline.entry.followup")
	case helpdesk.EntryTask:
		v.Title = c.T("timeline.entry.task")
		if e.Done && e.DoneBy != "" && e.DoneBy != e.Author {
			v.Meta = append(v.Meta, c.T("thread.task_done_by", e.DoneBy))
		} else if e.Done {
			v.Meta = append(v.Meta, c.T("timeline.task_done"))
		} else {
			v.Meta = append(v.Meta, c.T("timeline.task_todo"))
			if canAct {
				v.DoneHref = href + "/tasks/" + strconv.FormatInt(e.ID, 10) + "/done"
			}
		}
		if e.Assignee != "" {
			v.Meta = append(v.Meta, c.T("timeline.task_for", e.Assignee))
		}
		if e.PlannedStart != nil {
			when := fmtDateTime(c.Lang, *e.PlannedStart, u.Loc)
			if e.PlannedEnd != nil {
				when += " – " + fmtDateTime(c.Lang, *e.PlannedEnd, u.Loc)
			}
			v.Meta = append(v.Meta, c.T("timeline.task_planned", when))
		}
		if e.Minutes > 0 {
			v.Meta = append(v.Meta, c.T("timeline.task_spent", fmtMinutes(c, e.Minutes)))
		}
	case helpdesk.EntryApproval:
		f := u.App.Reg.MustType("ticket-approvals").Field("status")
		v.Title = c.T("timeline.entry.approval", e.Author)
		v.Author = ""
		v.Meta = append(v.Meta, enumLabel(c, f, e.To))
		if e.Answer != "" {
			v.Meta = append(v.Meta, e.Answer)
		}
	case helpdesk.EntryStatus:
		f := t.Field("status")
		v.Title = c.T("timeline.entry.status", enumLabel(c, f, e.From), enumLabel(c, f, e.To))
	case helpdesk.EntryAssign:
		if e.To == "" {
			v.Title = c.T("timeline.entry.unassigned")
		} else {
			v.Title = c.T("timeline.entry.assigned", e.To)
		}
	case helpdesk.EntryEscalation:
		v.Title = c.T("timeline.entry.escalation", e.From, e.To)
	case helpdesk.EntryRemote:
		v.Title = c.T("timeline.entry.remote", remoteToolLabel(c, e.To))
	case helpdesk.EntryPart:
		v.Title = partEntryTitle(c, e.To)
	case helpdesk.EntrySolution:
		v.Title = c.T("timeline.entry.solution")
		if e.SolutionType != "" {
			v.Meta = append(v.Meta, enumLabel(c, t.Field("solution_type"), e.SolutionType))
		}
		// As the portal shows it to the requester, and as the article it may come
		// from reads: Markdown rendered, then sanitised.
		if h, err := kb.Render(e.Text); err == nil && e.Text != "" {
			v.HTML, v.Text = template.HTML(h), ""
		}
	}
	for _, f := range e.Files {
		v.Files = append(v.Files, FileView{Name: f.Name, Href: href + "/attachments/" + strconv.FormatInt(f.ID, 10), Size: fmtBytes(c, f.Size)})
	}
	return v
}

// remoteToolLabel names a remote-control tool (RDP, SSH, TeamViewer...).
func remoteToolLabel(c *req, tool string) string {
	if key := "timeline.remote." + tool; c.cat.Has(c.Lang, key) {
		return c.T(key)
	}
	return tool
}

// suggestArticles are up to five published articles the ticket's title finds;
// a search that fails leaves the side empty rather than the page broken.
func (u *UI) suggestArticles(c *req, title string) []Link {
	if u.Search == nil || strings.TrimSpace(title) == "" || !c.Actor.Can(u.App.Reg.MustType("kb-articles"), record.Read) {
		return nil
	}
	// The whole title first; when no article holds every word, each longer word
	// of it alone (a ticket's title is rarely an article's).
	queries := []string{title}
	for _, w := range strings.Fields(title) {
		if len([]rune(w)) >= 5 && len(queries) < 5 {
			queries = append(queries, w)
		}
	}
	var out []Link
	seen := map[int64]bool{}
	for i, q := range queries {
		if i > 0 && len(out) > 0 || len(out) >= 5 {
			break
		}
		hits, err := u.Search.Search(c.R.Context(), c.Actor, search.Params{Q: q, Types: []string{"kb-articles"}, Limit: 5, PublishedOnly: true})
		if err != nil {
			continue
		}
		for _, h := range hits {
			if !seen[h.ID] && len(out) < 5 {
				seen[h.ID] = true
				out = append(out, Link{Label: h.Title, Href: "/kb-articles/" + strconv.FormatInt(h.ID, 10)})
			}
		}
	}
	return out
}

// CannedView is the list of saved texts a thread form offers, and the id of the
// text box a choice fills.
type CannedView struct {
	Target  string
	Options []CannedOption
}

// CannedOption is one saved text.
type CannedOption struct {
	ID          int64
	Label, Text string
}

// CannedFor is the saved texts of one kind (followup, solution) for the text box
// target.
func (x *TicketTab) CannedFor(kind, target string) CannedView {
	return CannedView{Target: target, Options: x.Canned[kind]}
}

// ticketListCell writes the cells of a ticket list that read better than their
// raw value: the priority's name, and the resolution due time with its state
// (text and a mark, colour only adds). ok is false for the other fields.
func (u *UI) ticketListCell(c *req, r *record.Record, f *record.Field) (Cell, bool) {
	switch f.Name {
	case "priority":
		p := r.Int("priority")
		if p == 0 {
			return Cell{}, true
		}
		return Cell{Text: priorityLabel(c, p), Class: "prio prio-" + strconv.FormatInt(p, 10)}, true
	case "ttr_due_at":
		st := helpdesk.DueState(r, u.App.Records.Now())
		if st == helpdesk.DueNone {
			return Cell{}, true
		}
		at, _ := r.Values["ttr_due_at"].(time.Time)
		return Cell{Text: c.T("timeline.sla."+st, u.shortDateTime(c, at)), Class: "sla sla-" + st}, true
	}
	return Cell{}, false
}

// ticketColumnClass folds the less needed columns of a ticket list on narrower
// screens (the stylesheet hides fold-1 first, then fold-2).
func ticketColumnClass(f *record.Field) string {
	switch f.Name {
	case "title":
		return "long title"
	case "type", "category_id":
		return "fold-1"
	case "user_id":
		return "fold-2 soft-wrap"
	case "assigned_user_id", "status":
		return "soft-wrap"
	case "priority":
		return "nowrap"
	}
	return ""
}

// shortDateTime writes an instant without its year when it is this year's, for
// narrow columns.
func (u *UI) shortDateTime(c *req, t time.Time) string {
	t = t.In(u.Loc)
	if t.Year() != u.App.Records.Now().In(u.Loc).Year() {
		return fmtDateTime(c.Lang, t, u.Loc)
	}
	if c.Lang == "fr" {
		return t.Format("02/01 15:04")
	}
	return t.Format("Jan 2 15:04")
}

// ticketColumnLabel is a shorter header for a ticket list's column, else "".
func ticketColumnLabel(c *req, f *record.Field) string {
	if f.Name == "ttr_due_at" {
		return c.T("timeline.sla_column")
	}
	return ""
}
