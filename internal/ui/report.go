package ui

import (
	"net/http"
	"strconv"
	"time"
)

// ReportPage is a ticket's intervention report, laid out for print (and
// print-to-PDF): the print stylesheet hides the navigation.
type ReportPage struct {
	Base
	ID                                    int64
	Href, Title, Org, Requester, Contact  string
	Technician, Group, Location, Category string
	Opened, Solved, Closed, Printed       string
	Status, Description, Solution, Parts  string
	SolutionType                          string
	Assets                                []string
	Tasks                                 []Entry
	Notes                                 []Entry
	TotalTime                             string
}

func (u *UI) report(c *req) error {
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
	p := &ReportPage{Base: u.base(c, c.T("ui.report.title", id), "/tickets"), ID: id, Href: "/tickets/" + strconv.FormatInt(id, 10),
		Title: tk.String("title"), Org: orgName(c.Actor, tk.OrgID), Requester: tk.Display["user_id"],
		Technician: tk.Display["assigned_user_id"], Group: tk.Display["assigned_group_id"], Location: tk.Display["location_id"],
		Category: tk.Display["category_id"], Opened: fmtDateTime(c.Lang, tk.CreatedAt, u.Loc),
		Status: enumLabel(c, t.Field("status"), tk.String("status")), Description: tk.String("description"),
		Solution: tk.String("solution"), Parts: tk.String("parts_used"), Printed: fmtDateTime(c.Lang, u.App.Records.Now(), u.Loc)}
	if v := tk.String("solution_type"); v != "" {
		p.SolutionType = enumLabel(c, t.Field("solution_type"), v)
	}
	for field, dst := range map[string]*string{"solved_at": &p.Solved, "closed_at": &p.Closed} {
		if at, ok := tk.Values[field].(time.Time); ok {
			*dst = fmtDateTime(c.Lang, at, u.Loc)
		}
	}
	if uid := tk.Int("user_id"); uid != 0 {
		if usr, err := u.App.Records.Get(ctx, c.Actor, u.App.Reg.MustType("users"), uid); err == nil {
			p.Contact = joinNonEmpty(" · ", usr.String("email"), usr.String("phone"))
		}
	}
	if p.Assets, err = u.assetLabels(c, tk); err != nil {
		return err
	}
	if p.Tasks, err = u.entries(c, hd, id, "ticket-tasks"); err != nil {
		return err
	}
	if p.Notes, err = u.entries(c, hd, id, "ticket-followups"); err != nil {
		return err
	}
	total, err := hd.TimeSpent(ctx, tk)
	if err != nil {
		return err
	}
	p.TotalTime = fmtMinutes(c, total)
	return u.renderPage(c, http.StatusOK, "report", p)
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, s := range parts {
		if s == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += s
	}
	return out
}
