package ui

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"parc/internal/lifecycle"
	"parc/internal/record"
)

// Lifecycle pages: an asset's finance tab (book value, depreciation table, its
// reconditionings and disposal), a budget's spending, the renewal plan with its
// forecast chart, and the renewal settings (internal/lifecycle).

func (u *UI) registerLifecycle(mux *http.ServeMux) {
	if u.Lifecycle == nil {
		return
	}
	mux.HandleFunc("GET /renewal", u.page(u.renewalPage))
	mux.HandleFunc("GET /renewal/export.csv", u.page(u.renewalCSV))
	mux.HandleFunc("POST /renewal/settings", u.page(u.saveRenewalSettings))
}

// counted writes a count with its key, or the key's "_one" form for 1.
func counted(c *req, key string, n int) string {
	if n == 1 {
		key += "_one"
	}
	return c.T(key, fmtInt(c.Lang, int64(n)))
}

// money writes an amount in euros as the language does.
func money(c *req, x float64) string { return c.T("lifecycle.money", fmtNumber(c.Lang, x, 2)) }

// FinanceTab is an asset's finance and lifecycle tab.
type FinanceTab struct {
	Depreciable bool
	Price       string
	Bought      string
	Method      string
	BookValue   string
	Rows        []DepRow
	Missing     string // why there is no schedule
	Disposed    string // the day the asset left the fleet
	Records     []LinkGroup
	// New lifecycle records about this asset.
	NewDisposal, NewReconditioning string
}

// DepRow is one year of the depreciation table.
type DepRow struct {
	Year, From, To, Opening, Charge, Closing string
	Current                                  bool
}

func (u *UI) financeTab(c *req, t *record.Type, rec *record.Record) (*FinanceTab, error) {
	now := u.Lifecycle.Rec.Now()
	f := &FinanceTab{}
	sc, book, ok := u.Lifecycle.Depreciation(rec, now)
	if ok {
		f.Depreciable = true
		f.Price, f.Bought, f.BookValue = money(c, sc.Price), fmtDate(c.Lang, sc.Start.Format("2006-01-02")), money(c, book)
		m := c.T("lifecycle.method_linear", sc.Years)
		if sc.Method == lifecycle.Declining {
			m = c.T("lifecycle.method_declining", sc.Years, fmtNumber(c.Lang, sc.Rate*100, 2), fmtNumber(c.Lang, lifecycle.DecliningCoefficient(sc.Years), 2))
		}
		if rec.String("depreciation_method") == "" {
			m += " " + c.T("lifecycle.method_default")
		}
		f.Method = m
		for _, y := range sc.Rows {
			f.Rows = append(f.Rows, DepRow{Year: strconv.Itoa(y.N), From: fmtDate(c.Lang, y.From.Format("2006-01-02")),
				To: fmtDate(c.Lang, y.To.AddDate(0, 0, -1).Format("2006-01-02")), Opening: money(c, y.Opening), Charge: money(c, y.Charge),
				Closing: money(c, y.Closing), Current: !now.Before(y.From) && now.Before(y.To)})
		}
	} else {
		f.Missing = c.T("lifecycle.no_purchase")
	}
	if d := rec.String(t.DisposedField); d != "" {
		f.Disposed = fmtDate(c.Lang, d)
	}
	for _, name := range []string{"reconditionings", "disposals"} {
		lt := u.App.Reg.MustType(name)
		if !c.Actor.Can(lt, record.Read) {
			continue
		}
		q := record.ListQuery{Filters: []record.Filter{{Field: "asset_type", Op: record.OpEq, Value: t.Name}, {Field: "asset_id", Op: record.OpEq, Value: strconv.FormatInt(rec.ID, 10)}}, Limit: 20}
		page, err := u.App.Records.List(c.R.Context(), c.Actor, lt, q)
		if err != nil {
			return nil, err
		}
		g := LinkGroup{Type: typeView(c, lt), Empty: c.T("lifecycle.none_" + name)}
		cols := []*record.Field{}
		for _, fl := range lt.Fields {
			if fl.List && fl.Name != "asset_name" && fl.Name != "asset_type" {
				cols = append(cols, fl)
			}
		}
		for _, fl := range cols {
			g.Columns = append(g.Columns, Column{Label: shownLabel(c, fl)})
		}
		for _, r := range page.Records {
			row := Row{Href: "/" + name + "/" + strconv.FormatInt(r.ID, 10)}
			for i, fl := range cols {
				cell := u.cell(c, r, fl)
				if i == 0 {
					cell.Href = row.Href
				}
				row.Cells = append(row.Cells, cell)
			}
			g.Rows = append(g.Rows, row)
		}
		f.Records = append(f.Records, g)
	}
	v := url.Values{"asset_type": {t.Name}, "asset_id": {strconv.FormatInt(rec.ID, 10)}}
	if rec.DeletedAt == nil && rec.Get(t.DisposedField) == nil && c.Actor.CanRecord(rec, record.Update) {
		if c.Actor.CanIn(u.App.Reg.MustType("disposals"), record.Create, rec.OrgID) {
			f.NewDisposal = "/disposals/new?" + v.Encode()
		}
		if c.Actor.CanIn(u.App.Reg.MustType("reconditionings"), record.Create, rec.OrgID) {
			f.NewReconditioning = "/reconditionings/new?" + v.Encode()
		}
	}
	return f, nil
}

// budgetBlock is a budget's spending, on its details tab.
func (u *UI) budgetBlock(c *req, rec *record.Record) (DetailBlock, error) {
	_, sp, err := u.Lifecycle.BudgetSpending(c.R.Context(), c.Actor, rec.ID)
	if err != nil {
		return DetailBlock{}, err
	}
	b := DetailBlock{ID: "spending", Title: c.T("lifecycle.spending_title", rec.Int("year"))}
	for _, l := range sp.Lines {
		t := u.App.Reg.MustType(l.Type)
		d := Detail{Label: c.T(typeKey(t, true)), Text: c.T("lifecycle.spending_line", money(c, l.Amount), l.Count)}
		if c.Actor.Can(t, record.Read) {
			y := rec.Int("year")
			q := url.Values{"filter": {"organization_id:eq:" + strconv.FormatInt(rec.OrgID, 10), fmt.Sprintf("purchase_date:gte:%d-01-01", y), fmt.Sprintf("purchase_date:lte:%d-12-31", y)}}
			d.Href = withQuery("/"+l.Type, q)
		}
		b.Details = append(b.Details, d)
	}
	if len(sp.Lines) == 0 {
		b.Details = append(b.Details, Detail{Label: c.T("lifecycle.bought"), Text: c.T("lifecycle.nothing_bought")})
	}
	b.Details = append(b.Details,
		Detail{Label: c.T("lifecycle.spent"), Text: money(c, sp.Spent)},
		Detail{Label: c.T("lifecycle.committed"), Text: money(c, sp.Committed) + " — " + c.T("lifecycle.committed_hint")},
		Detail{Label: c.T("lifecycle.left"), Text: c.T("lifecycle.left_text", money(c, sp.Left), sp.Percent)})
	return b, nil
}

// RenewalPage is the renewal plan.
type RenewalPage struct {
	Base
	Count, Fleet string
	Rows         []RenewalRow
	// Showing says which rows of how many the page shows ("101–200 of 5,310");
	// FirstHref and NextHref are the pager's links (empty: none).
	Showing             string
	FirstHref, NextHref string
	Limits              []Option
	KeepFilters         map[string]string // the filters the page size form keeps
	Forecast            []ForecastRow
	Chart               ForecastChart
	ExportHref          string
	Types               []Option
	Orgs                []Option
	Settings            *RenewalSettingsForm
	Thresholds          string
}

// RenewalRow is one asset to renew.
type RenewalRow struct {
	Name, Href, Type, Org, Since, Score, Cost, Due string
	Reasons                                        []string
}

// ForecastRow is one year of the forecast table.
type ForecastRow struct{ Year, Count, Cost, NoCost string }

// ForecastChart is the forecast's bars, drawn on the server.
type ForecastChart struct {
	Width, Height, Bottom int
	Bars                  []ForecastBar
	Ticks                 []ChartTick
}

// ForecastBar is one year: its cost bar with the count written above it.
type ForecastBar struct {
	X, Y, W, H, LX, LY int
	Year, Label, Title string
}

// RenewalSettingsForm is the thresholds' form, for who may change them.
type RenewalSettingsForm struct {
	Fields []RenewalInput
	Error  string
}

// RenewalInput is one threshold.
type RenewalInput struct {
	Name, Label, Hint, Value, Error string
}

// renewalPageSize is the list's page size unless ?limit= picks another of
// pageSizes (the record lists' choice).
const renewalPageSize = 100

func (u *UI) renewalQuery(c *req) (lifecycle.PlanQuery, error) {
	v := c.R.URL.Query()
	q := lifecycle.PlanQuery{Type: v.Get("asset_type")}
	if q.Type != "" && !slicesContains(lifecycle.FleetTypes, q.Type) {
		q.Type = ""
	}
	if o, err := strconv.ParseInt(v.Get("organization_id"), 10, 64); err == nil && c.Actor.Tree.Get(o) != nil {
		q.Org = o
	}
	return q, nil
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (u *UI) renewalPage(c *req) error {
	return u.renderRenewal(c, nil, http.StatusOK)
}

func (u *UI) renderRenewal(c *req, form *RenewalSettingsForm, status int) error {
	if !u.mayRenew(c) {
		return record.ErrForbidden()
	}
	q, _ := u.renewalQuery(c)
	ctx, now := c.R.Context(), u.Lifecycle.Rec.Now()
	v := c.R.URL.Query()
	limit := renewalPageSize
	if n, err := strconv.Atoi(v.Get("limit")); err == nil && slices.Contains(pageSizes, n) {
		limit = n
	}
	plan, pg, err := u.Lifecycle.PlanPage(ctx, c.Actor, q, now, v.Get("cursor"), limit)
	if err != nil {
		return err
	}
	p := &RenewalPage{Base: u.base(c, c.T("lifecycle.renewal_title"), "/renewal")}
	p.Count = counted(c, "lifecycle.renewal_count", plan.Due)
	p.Fleet = counted(c, "lifecycle.renewal_fleet", plan.Fleet)
	st := plan.Settings
	p.Thresholds = c.T("lifecycle.thresholds", st.AgeYears, st.Failures, fmtSize(c, int64(st.MinMemoryMB)), fmtSize(c, int64(st.MinDiskMB)))
	keep := url.Values{}
	p.KeepFilters = map[string]string{}
	for _, k := range []string{"organization_id", "asset_type"} {
		if x := v.Get(k); x != "" {
			keep.Set(k, x)
			p.KeepFilters[k] = x
		}
	}
	p.ExportHref = withQuery("/renewal/export.csv", keep)
	if limit != renewalPageSize {
		keep.Set("limit", strconv.Itoa(limit))
	}
	for _, n := range pageSizes {
		p.Limits = append(p.Limits, Option{Value: strconv.Itoa(n), Label: strconv.Itoa(n), Selected: n == limit})
	}
	if v.Get("cursor") != "" {
		p.FirstHref = withQuery("/renewal", keep) + "#renewal-list"
	}
	if pg.Next != "" {
		next := url.Values{"cursor": {pg.Next}}
		for k, x := range keep {
			next[k] = x
		}
		p.NextHref = withQuery("/renewal", next) + "#renewal-list"
	}
	if len(pg.Assets) > 0 {
		p.Showing = c.T("lifecycle.renewal_showing", fmtInt(c.Lang, int64(pg.Pos+1)), fmtInt(c.Lang, int64(pg.Pos+len(pg.Assets))), fmtInt(c.Lang, int64(plan.Due)))
	}
	p.Types = append(p.Types, Option{Value: "", Label: c.T("lifecycle.all_types"), Selected: q.Type == ""})
	for _, name := range lifecycle.FleetTypes {
		t := u.App.Reg.MustType(name)
		if c.Actor.Can(t, record.Read) {
			p.Types = append(p.Types, Option{Value: name, Label: c.T(typeKey(t, true)), Selected: q.Type == name})
		}
	}
	p.Orgs = append(p.Orgs, Option{Value: "", Label: c.T("lifecycle.all_orgs"), Selected: q.Org == 0})
	fleet := u.App.Reg.MustType("computers")
	for _, o := range c.Actor.Tree.Orgs() {
		if c.Actor.CanIn(fleet, record.Read, o.ID) {
			p.Orgs = append(p.Orgs, Option{Value: strconv.FormatInt(o.ID, 10), Label: strings.Repeat("— ", c.Actor.Tree.Depth(o.ID)) + o.Name, Selected: q.Org == o.ID})
		}
	}
	for _, a := range pg.Assets {
		p.Rows = append(p.Rows, u.renewalRow(c, a))
	}
	maxCost := 0.0
	for _, f := range plan.Forecast {
		maxCost = max(maxCost, f.Cost)
		r := ForecastRow{Year: strconv.Itoa(f.Year), Count: fmtInt(c.Lang, int64(f.Count)), Cost: money(c, f.Cost)}
		if f.NoCost > 0 {
			r.NoCost = c.T("lifecycle.without_cost", fmtInt(c.Lang, int64(f.NoCost)))
		}
		p.Forecast = append(p.Forecast, r)
	}
	p.Chart = forecastChart(c, plan.Forecast, maxCost)
	if u.Lifecycle.MayManage(c.Actor) {
		if form == nil {
			form = renewalForm(c, st, nil)
		}
		p.Settings = form
	}
	return u.renderPage(c, status, "renewal", p)
}

// mayRenew: the plan is for whoever reads some fleet type.
func (u *UI) mayRenew(c *req) bool {
	for _, name := range lifecycle.FleetTypes {
		if c.Actor.Can(u.App.Reg.MustType(name), record.Read) {
			return true
		}
	}
	return false
}

func (u *UI) renewalRow(c *req, a lifecycle.Candidate) RenewalRow {
	t := u.App.Reg.MustType(a.Type)
	r := RenewalRow{Name: a.Name, Href: "/" + a.Type + "/" + strconv.FormatInt(a.ID, 10), Type: c.T(typeKey(t, false)),
		Org: orgName(c.Actor, a.OrgID), Score: strconv.Itoa(a.Score), Due: strconv.Itoa(a.DueYear)}
	if a.Since != "" {
		r.Since = fmtDate(c.Lang, a.Since)
	}
	switch a.CostFrom {
	case "none":
		r.Cost = c.T("lifecycle.cost_none")
	default:
		r.Cost = money(c, a.Cost) + " (" + c.T("lifecycle.cost_from_"+a.CostFrom) + ")"
	}
	for _, rs := range a.Reasons {
		r.Reasons = append(r.Reasons, reasonText(c, rs))
	}
	return r
}

// reasonText writes a reason with its values as a person reads them.
func reasonText(c *req, rs lifecycle.Reason) string {
	args := append([]any{}, rs.Args...)
	switch rs.Key {
	case "renewal.reason.age_bought", "renewal.reason.age_seen":
		args[1] = fmtDate(c.Lang, fmt.Sprint(args[1]))
	case "renewal.reason.warranty":
		args[0] = fmtDate(c.Lang, fmt.Sprint(args[0]))
	case "renewal.reason.memory", "renewal.reason.disk":
		for i, a := range args {
			if x, ok := a.(float64); ok {
				args[i] = fmtNumber(c.Lang, x, -1)
			}
		}
	}
	return c.T(rs.Key, args...)
}

// forecastChart lays out one bar a year, its height the cost, the count and the
// cost written on it: the figures are read without colour and without the axis.
func forecastChart(c *req, years []lifecycle.ForecastYear, maxCost float64) ForecastChart {
	const width, height, left, top, bottom = 640, 260, 90, 30, 40
	ch := ForecastChart{Width: width, Height: height, Bottom: height - bottom}
	plotH := float64(height - bottom - top)
	if maxCost <= 0 {
		maxCost = 1
	}
	step := moneyStep(maxCost / 4)
	for v := 0.0; v <= maxCost+step/2; v += step {
		y := height - bottom - int(v/maxCost*plotH)
		if y < top-2 {
			break
		}
		ch.Ticks = append(ch.Ticks, ChartTick{Pos: y, X1: left, X2: width, TX: left - 6, TY: y + 4, Label: c.T("lifecycle.money", fmtNumber(c.Lang, v, 0))})
	}
	n := max(len(years), 1)
	slot := (width - left) / n
	bw := slot * 6 / 10
	for i, f := range years {
		h := int(f.Cost / maxCost * plotH)
		x := left + i*slot + (slot-bw)/2
		y := height - bottom - h
		b := ForecastBar{X: x, Y: y, W: bw, H: h, LX: x + bw/2, LY: y - 6, Year: strconv.Itoa(f.Year),
			Label: counted(c, "lifecycle.chart_bar", f.Count),
			Title: c.T("lifecycle.chart_title_bar", f.Year, fmtInt(c.Lang, int64(f.Count)), money(c, f.Cost))}
		ch.Bars = append(ch.Bars, b)
	}
	return ch
}

// moneyStep rounds a step up to 1, 2 or 5 times a power of ten.
func moneyStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := 1.0
	for p*10 <= x {
		p *= 10
	}
	for p > x {
		p /= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

func renewalForm(c *req, st lifecycle.Settings, errs map[string]string) *RenewalSettingsForm {
	f := &RenewalSettingsForm{}
	add := func(name, value string) {
		f.Fields = append(f.Fields, RenewalInput{Name: name, Label: c.T("lifecycle.set." + name), Hint: c.T("lifecycle.set." + name + "_hint"), Value: value, Error: errs[name]})
	}
	add("age_years", strconv.Itoa(st.AgeYears))
	add("failures", strconv.Itoa(st.Failures))
	add("min_memory_gb", strconv.Itoa(st.MinMemoryMB/1024))
	add("min_disk_gb", strconv.Itoa(st.MinDiskMB/1024))
	add("horizon_years", strconv.Itoa(st.HorizonYears))
	add("default_cost", inputNumber(c.Lang, st.DefaultCost, 2))
	return f
}

func (u *UI) saveRenewalSettings(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	st, err := u.Lifecycle.Settings(c.R.Context())
	if err != nil {
		return err
	}
	errs := map[string]string{}
	num := func(name string, into *int, scale int) {
		n, err := strconv.Atoi(strings.TrimSpace(c.R.PostFormValue(name)))
		if err != nil {
			errs[name] = c.T("err.not_integer")
			return
		}
		*into = n * scale
	}
	num("age_years", &st.AgeYears, 1)
	num("failures", &st.Failures, 1)
	num("min_memory_gb", &st.MinMemoryMB, 1024)
	num("min_disk_gb", &st.MinDiskMB, 1024)
	num("horizon_years", &st.HorizonYears, 1)
	costField := &record.Field{Name: "default_cost", Kind: record.Money}
	if v, m := costField.Parse(strings.TrimSpace(c.R.PostFormValue("default_cost"))); m != nil {
		errs["default_cost"] = c.T(m.Key, m.Args...)
	} else if x, ok := v.(float64); ok {
		st.DefaultCost = x
	} else {
		st.DefaultCost = 0
	}
	if len(errs) == 0 {
		_, err := u.Lifecycle.SetSettings(c.R.Context(), c.Actor, st)
		if err == nil {
			return redirect(c, "/renewal?done=saved")
		}
		e, ok := record.AsError(err)
		if !ok || e.Code != record.CodeInvalid {
			return err
		}
		for k, m := range e.Fields {
			name := map[string]string{"min_memory_mb": "min_memory_gb", "min_disk_mb": "min_disk_gb"}[k]
			if name == "" {
				name = k
			}
			errs[name] = c.T(m.Key, m.Args...)
		}
	}
	form := renewalForm(c, st, errs)
	for i, f := range form.Fields {
		if _, bad := errs[f.Name]; bad {
			form.Fields[i].Value = c.R.PostFormValue(f.Name)
		}
	}
	form.Error = c.T("lifecycle.settings_refused")
	return u.renderRenewal(c, form, http.StatusUnprocessableEntity)
}

// renewalCSV exports the whole renewal list, in the person's spreadsheet style.
func (u *UI) renewalCSV(c *req) error {
	if !u.mayRenew(c) {
		return record.ErrForbidden()
	}
	q, _ := u.renewalQuery(c)
	ctx, now := c.R.Context(), u.Lifecycle.Rec.Now()
	// The whole list, in one query (the store scores and sorts; pages of it would
	// each score the whole fleet again).
	pg, err := u.Lifecycle.Candidates(ctx, c.Actor, q, now, "", 0)
	if err != nil {
		return err
	}
	w := c.W
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="renewal.csv"`)
	cw := csv.NewWriter(w)
	if c.Lang == "fr" {
		cw.Comma = ';'
	}
	w.Write([]byte("\ufeff"))
	head := []string{"lifecycle.col.asset", "lifecycle.col.type", "field.organization_id", "lifecycle.col.since", "lifecycle.col.score",
		"lifecycle.col.reasons", "lifecycle.col.cost", "lifecycle.col.due"}
	for i, k := range head {
		head[i] = c.T(k)
	}
	cw.Write(head)
	for _, a := range pg.Assets {
		r := u.renewalRow(c, a)
		cw.Write([]string{record.NeutraliseCell(r.Name), r.Type, record.NeutraliseCell(r.Org), r.Since, r.Score,
			record.NeutraliseCell(strings.Join(r.Reasons, "; ")), r.Cost, r.Due})
	}
	cw.Flush()
	return cw.Error()
}

// assetHref links a lifecycle record to its asset, when the user reads it.
func (u *UI) assetHref(c *req, rec *record.Record) string {
	t, ok := u.App.Reg.Type(rec.String("asset_type"))
	if !ok || !c.Actor.CanIn(t, record.Read, rec.OrgID) {
		return ""
	}
	return "/" + t.Name + "/" + strconv.FormatInt(rec.Int("asset_id"), 10)
}
