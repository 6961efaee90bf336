package ui

import (
	"net/url"
	"strconv"
	"strings"

	"parc/internal/dashboard"
	"parc/internal/record"
)

// HomeBlock is one count of the home page and the list it opens.
type HomeBlock struct {
	ID, Label, Count, Href string
	Zero                   bool // nothing to see: drawn quieter
	Alert                  bool // late or at risk and not zero
}

// TechHome is a technician's part of the home page.
type TechHome struct {
	Mine                             HomeBlock
	ByPriority, ByDue, Queues, Tasks []HomeBlock
}

// ManagerHome is a supervisor's or administrator's part of the home page.
type ManagerHome struct {
	Backlog, Inflow, Outflow, SLA HomeBlock
	Top                           []HomeBlock // the four above, in a row
	SLAText                       string      // "87 % (54 of 62)" or "no ticket solved"
	Groups, Techs                 []HomeBlock
	Silent, Warranties            *HomeBlock
	Chart                         FlowChart
}

// FlowChart is the inflow/outflow chart drawn as SVG on the server: bars told
// apart by their pattern (hatched, solid), the backlog as a dashed line with
// square markers, every value also in the table beside it.
type FlowChart struct {
	Width, Height, Left, Bottom, PlotH int
	Bars                               []ChartBar
	Backlog                            string // polyline points
	Marks                              []ChartPoint
	Ticks                              []ChartTick
	XLabels                            []ChartTick
	Rows                               []ChartRow
}

// ChartBar is one bar: Kind "in" or "out" picks its pattern.
type ChartBar struct {
	X, Y, W, H  int
	Kind, Title string
}

// ChartPoint is a marker of the backlog line.
type ChartPoint struct{ X, Y int }

// ChartTick is an axis label at a position: a grid line from X1 to X2 at Pos
// (vertical axis), the label at TX, TY.
type ChartTick struct {
	Pos, X1, X2, TX, TY int
	Label               string
}

// ChartRow is one day of the chart's table.
type ChartRow struct{ Day, Opened, Solved, Open string }

func (u *UI) homeBlock(c *req, b dashboard.Block, label string) HomeBlock {
	v := url.Values{"filter": b.Filters}
	if b.Sort != "" {
		v.Set("sort", b.Sort)
	}
	n := fmtInt(c.Lang, int64(b.N))
	if b.Capped {
		n += "+"
	}
	id := "home-" + strings.ReplaceAll(b.Key, ".", "-")
	return HomeBlock{ID: id, Label: label, Count: n, Href: withQuery("/"+b.Type, v), Zero: b.N == 0,
		Alert: b.N > 0 && (strings.Contains(b.Key, "late") || b.Key == "at_risk")}
}

func (u *UI) techHome(c *req) (*TechHome, error) {
	d, err := u.Dashboard.Technician(c.R.Context(), c.Actor, u.App.Records.Now(), u.Loc)
	if err != nil {
		return nil, err
	}
	h := &TechHome{Mine: u.homeBlock(c, d.Mine, c.T("home.mine"))}
	for _, b := range d.ByPriority {
		h.ByPriority = append(h.ByPriority, u.homeBlock(c, b, c.T("home."+b.Key)))
	}
	for _, list := range []struct {
		in  []dashboard.Block
		out *[]HomeBlock
	}{{d.ByDue, &h.ByDue}, {d.Queues, &h.Queues}, {d.Tasks, &h.Tasks}} {
		for _, b := range list.in {
			*list.out = append(*list.out, u.homeBlock(c, b, c.T("home."+b.Key)))
		}
	}
	return h, nil
}

func (u *UI) managerHome(c *req) (*ManagerHome, error) {
	d, err := u.Dashboard.Manager(c.R.Context(), c.Actor, u.App.Records.Now(), u.Loc)
	if err != nil {
		return nil, err
	}
	h := &ManagerHome{Backlog: u.homeBlock(c, d.Backlog, c.T("home.backlog")),
		Inflow:  u.homeBlock(c, d.Inflow, c.T("home.inflow", dashboard.FlowDays)),
		Outflow: u.homeBlock(c, d.Outflow, c.T("home.outflow", dashboard.FlowDays)),
		SLA:     u.homeBlock(c, d.SLA, c.T("home.sla"))}
	if p := d.SLAPercent(); p >= 0 {
		h.SLA.Count = strconv.Itoa(p) + " %"
		h.SLAText = c.T("home.sla_detail", fmtInt(c.Lang, int64(d.SLAMet)), fmtInt(c.Lang, int64(d.SLA.N)))
	} else {
		h.SLA.Count, h.SLAText = "—", c.T("home.sla_none")
	}
	for _, b := range d.Groups {
		h.Groups = append(h.Groups, u.homeBlock(c, b, nameOr(c, b.Label, "home.no_group")))
	}
	for _, b := range d.Techs {
		h.Techs = append(h.Techs, u.homeBlock(c, b, nameOr(c, b.Label, "home.no_technician")))
	}
	if d.Silent != nil {
		b := u.homeBlock(c, *d.Silent, c.T("home.silent", dashboard.SilentDays))
		h.Silent = &b
	}
	if d.Warranties != nil {
		b := u.homeBlock(c, *d.Warranties, c.T("home.warranties", dashboard.WarrantyDays))
		h.Warranties = &b
	}
	h.Top = []HomeBlock{h.Backlog, h.Inflow, h.Outflow, h.SLA}
	h.Chart = u.flowChart(c, d.Flow)
	return h, nil
}

func nameOr(c *req, name, key string) string {
	if name == "" {
		return c.T(key)
	}
	return name
}

// flowChart lays the days out: a pair of bars per day, the backlog line on the
// same scale, a few round ticks on the vertical axis.
func (u *UI) flowChart(c *req, days []dashboard.Day) FlowChart {
	const left, top, bottom, width, height = 48, 12, 28, 720, 240
	ch := FlowChart{Width: width, Height: height, Left: left, Bottom: height - bottom, PlotH: height - bottom - top}
	peak := 1
	for _, d := range days {
		peak = max(peak, d.Opened, d.Solved, d.Open)
	}
	step := niceStep(peak)
	peak = (peak + step - 1) / step * step
	y := func(n int) int { return ch.Bottom - n*ch.PlotH/peak }
	for v := 0; v <= peak; v += step {
		ch.Ticks = append(ch.Ticks, ChartTick{Pos: y(v), X1: left, X2: width, TX: left - 6, TY: y(v) + 4, Label: fmtInt(c.Lang, int64(v))})
	}
	slot := (width - left - 8) / max(1, len(days))
	bw := max(2, (slot-4)/2)
	var pts []string
	for i, d := range days {
		x := left + 4 + i*slot
		day := fmtDate(c.Lang, d.Day.Format("2006-01-02"))
		ch.Bars = append(ch.Bars,
			ChartBar{X: x, Y: y(d.Opened), W: bw, H: ch.Bottom - y(d.Opened), Kind: "in", Title: c.T("home.chart_opened_on", day, d.Opened)},
			ChartBar{X: x + bw, Y: y(d.Solved), W: bw, H: ch.Bottom - y(d.Solved), Kind: "out", Title: c.T("home.chart_solved_on", day, d.Solved)})
		cx, cy := x+bw, y(d.Open)
		pts = append(pts, strconv.Itoa(cx)+","+strconv.Itoa(cy))
		ch.Marks = append(ch.Marks, ChartPoint{X: cx - 2, Y: cy - 2})
		if i%7 == 0 || (i == len(days)-1 && i%7 >= 4) {
			ch.XLabels = append(ch.XLabels, ChartTick{Pos: cx, TX: cx, TY: ch.Bottom + 18, Label: shortDay(c, d.Day.Format("2006-01-02"))})
		}
		ch.Rows = append(ch.Rows, ChartRow{Day: day, Opened: fmtInt(c.Lang, int64(d.Opened)), Solved: fmtInt(c.Lang, int64(d.Solved)), Open: fmtInt(c.Lang, int64(d.Open))})
	}
	ch.Backlog = strings.Join(pts, " ")
	return ch
}

// niceStep is a round tick step giving about four ticks up to peak.
func niceStep(peak int) int {
	for _, s := range []int{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000} {
		if peak/s <= 4 {
			return s
		}
	}
	return max(1, peak/4)
}

// shortDay is a day as the chart's axis shows it: 07/12 or 12/07.
func shortDay(c *req, iso string) string {
	if len(iso) < 10 {
		return iso
	}
	if c.Lang == "fr" {
		return iso[8:10] + "/" + iso[5:7]
	}
	return iso[5:7] + "/" + iso[8:10]
}

// homeRole is which home page the actor gets.
func (u *UI) homeRole(c *req) dashboard.Role {
	if u.Dashboard == nil {
		return dashboard.RoleNone
	}
	return u.Dashboard.RoleOf(c.Actor)
}

// assetCards are the counters of the asset types the actor reads.
func (u *UI) assetCards(c *req) ([]Card, error) {
	var cards []Card
	for _, t := range u.App.Reg.InArea(record.AreaAssets) {
		if !c.Actor.Can(t, record.Read) {
			continue
		}
		page, err := u.App.Records.List(c.R.Context(), c.Actor, t, record.ListQuery{Count: true, Limit: 1})
		if err != nil {
			return nil, err
		}
		card := Card{Label: c.T(typeKey(t, true)), Count: fmtInt(c.Lang, page.Total), Href: "/" + t.Name}
		if page.TotalCapped {
			card.Count += "+"
		}
		if canCreate(c.Actor, t) {
			card.NewHref = "/" + t.Name + "/new"
		}
		cards = append(cards, card)
	}
	return cards, nil
}
