package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"parc/internal/httpctx"
	"parc/internal/loan"
	"parc/internal/record"
)

// Hand-over and loans pages: the loans page (overdue loans, hand-overs waiting
// for their acknowledgement, the reservation calendar of a pool), the check-out
// and reservation forms, the check-in on a hand-over's page, an asset's hand-over
// tab, and the requester's acknowledgement on the portal.

func init() {
	pageNames = append(pageNames, "loans", "loan_form", "portal_handover")
	pageParts["item"] = append(pageParts["item"], "templates/loans_parts.html")
	pageParts["portal"] = append(pageParts["portal"], "templates/loans_parts.html")
	pageParts["loans"] = []string{"templates/loans_parts.html"}
	pageParts["portal_handover"] = []string{"templates/loans_parts.html"}
	for k, v := range map[string]string{"acknowledged": "ui.done.acknowledged", "checked_out": "ui.done.checked_out",
		"checked_in": "ui.done.checked_in", "reserved": "ui.done.reserved", "lendable": "ui.done.lendable", "choose_asset": "ui.done.choose_asset"} {
		doneKeys[k] = v
	}
}

func (u *UI) registerLoans(mux *http.ServeMux) {
	mux.HandleFunc("GET /loans", u.page(u.loansPage))
	mux.HandleFunc("GET /loans/check-out", u.page(u.checkOutForm))
	mux.HandleFunc("POST /loans/check-out", u.page(u.checkOut))
	mux.HandleFunc("GET /loans/reserve", u.page(u.reserveForm))
	mux.HandleFunc("POST /loans/reserve", u.page(u.reserve))
	mux.HandleFunc("POST /loans/handovers/{id}/check-in", u.page(u.checkIn))
	mux.HandleFunc("POST /loans/items", u.page(u.lend))
	mux.HandleFunc("GET /portal/handovers/{id}", u.page(u.portalHandover))
	mux.HandleFunc("POST /portal/handovers/{id}/acknowledge", u.page(u.portalAcknowledge))
}

// loansMenu is the loans page's menu entry, for those who read reservations.
// loanLists are the record lists the loans page links to, left out of the menu.
var loanLists = map[string]bool{"/handovers": true, "/loan-items": true, "/reservations": true}

// isLoanType tells hand-overs, loan equipment and reservations, which start from
// their asset, from the other records that name an asset (disposals, wipes).
func isLoanType(t *record.Type) bool { return loanLists["/"+t.Name] }

func (u *UI) loansMenu(c *req, active string) []MenuItem {
	if u.Loans == nil || !c.Actor.Can(u.App.Reg.MustType("reservations"), record.Read) {
		return nil
	}
	return []MenuItem{{Label: c.T("ui.loans.title"), Href: "/loans", Active: active == "/loans"}}
}

// LoanRow is a hand-over or a reservation as the loan pages list it.
type LoanRow struct {
	ID                   int64
	Href                 string // the record's page
	Asset, AssetHref     string
	AssetType            string
	User, Technician     string
	From, Until          string
	Status, StatusClass  string
	Late                 string // "3 days late"
	Accessories          []string
	State, Comment       string
	Acknowledged         string // when, by whom
	Returned, ReturnNote string
	CheckInHref          string
}

func assetHref(r *record.Record) string {
	return "/" + r.String("asset_type") + "/" + strconv.FormatInt(r.Int("asset_id"), 10)
}

// accessoryList splits the accessories as typed (commas or lines) into items.
func accessoryList(s string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (u *UI) handoverRow(c *req, r *record.Record) LoanRow {
	t := r.Type
	row := LoanRow{ID: r.ID, Href: "/handovers/" + strconv.FormatInt(r.ID, 10), Asset: r.Label(), AssetHref: assetHref(r),
		AssetType: enumLabel(c, t.Field("asset_type"), r.String("asset_type")),
		User:      r.Display["user_id"], Technician: r.Display["technician_id"], State: r.Display["state_id"],
		Accessories: accessoryList(r.String("accessories")), Comment: r.String("comment")}
	if at, ok := r.Values["handed_at"].(time.Time); ok {
		row.From = fmtDateTime(c.Lang, at, u.Loc)
	}
	if at, ok := r.Values["acknowledged_at"].(time.Time); ok {
		row.Acknowledged = fmtDateTime(c.Lang, at, u.Loc)
	}
	if at, ok := r.Values["returned_at"].(time.Time); ok {
		row.Returned = fmtDateTime(c.Lang, at, u.Loc)
		row.Status, row.StatusClass = c.T("ui.loans.returned"), "status-closed"
	} else if row.Acknowledged != "" {
		row.Status, row.StatusClass = c.T("ui.loans.acknowledged"), "status-solved"
	} else {
		row.Status, row.StatusClass = c.T("ui.loans.waiting_ack"), "status-pending"
	}
	return row
}

func (u *UI) reservationRow(c *req, r *record.Record, today string) LoanRow {
	t := r.Type
	row := LoanRow{ID: r.ID, Href: "/reservations/" + strconv.FormatInt(r.ID, 10), Asset: r.Label(), AssetHref: assetHref(r),
		AssetType: enumLabel(c, t.Field("asset_type"), r.String("asset_type")), User: r.Display["user_id"],
		From: fmtDate(c.Lang, r.String("start_date")), Until: fmtDate(c.Lang, r.String("end_date")), Comment: r.String("comment"),
		Status: enumLabel(c, t.Field("status"), r.String("status")), StatusClass: "loan-" + r.String("status")}
	if h := r.Int("handover_id"); h != 0 && r.String("status") == loan.CheckedOut {
		row.CheckInHref = "/handovers/" + strconv.FormatInt(h, 10)
	}
	if r.String("status") == loan.CheckedOut && r.String("end_date") < today {
		end, _ := time.Parse("2006-01-02", r.String("end_date"))
		now, _ := time.Parse("2006-01-02", today)
		days := int(now.Sub(end).Hours() / 24)
		key := "ui.loans.days_late"
		if days == 1 {
			key = "ui.loans.day_late"
		}
		row.Late, row.StatusClass = c.T(key, days), "loan-late"
	}
	return row
}

// LoansPage is the technicians' loans page.
type LoansPage struct {
	Base
	Overdue []LoanRow
	Waiting []LoanRow // hand-overs not yet acknowledged
	Pools   []Cell    // the pools, the shown one marked by Class "current"
	Pool    string
	CalView
	Month1     []LoanRow // the month's reservations, listed
	CanReserve bool
	NewItem    string // the form adding loan equipment
}

// CalView is a month of reservations: equipment by days.
type CalView struct {
	Month              string // "December 2026"
	PrevHref, NextHref string
	Days               []CalDay
	Rows               []CalRow
}

// CalDay is one column of the calendar.
type CalDay struct {
	Num, Week, Label string
	Weekend, Today   bool
}

// CalRow is one piece of equipment in the calendar.
type CalRow struct {
	Asset, AssetHref, ReserveHref string
	Cells                         []CalCell
}

// CalCell is one day of one piece of equipment: free, or held by a reservation
// (its first day in the month names it and links to it).
type CalCell struct {
	Busy, First  bool
	Class        string
	Short, Label string
	Href         string
	Span         int
}

func (u *UI) loansPage(c *req) error {
	if u.Loans == nil || !c.Actor.Can(u.App.Reg.MustType("reservations"), record.Read) {
		return record.ErrForbidden()
	}
	ctx := c.R.Context()
	p := &LoansPage{Base: u.base(c, c.T("ui.loans.title"), "/loans")}
	today := u.Loans.Today()
	overdue, err := u.Loans.Overdue(ctx, c.Actor)
	if err != nil {
		return err
	}
	for _, r := range overdue {
		p.Overdue = append(p.Overdue, u.reservationRow(c, r, today))
	}
	hts := u.App.Reg.MustType("handovers")
	if c.Actor.Can(hts, record.Read) {
		page, err := u.App.Records.List(ctx, c.Actor, hts, record.ListQuery{Limit: 50, Sort: "-handed_at", Filters: []record.Filter{
			{Field: "acknowledged_at", Op: record.OpEmpty}, {Field: "returned_at", Op: record.OpEmpty}}})
		if err != nil {
			return err
		}
		for _, r := range page.Records {
			p.Waiting = append(p.Waiting, u.handoverRow(c, r))
		}
	}
	pools, err := u.Loans.Pools(ctx, c.Actor)
	if err != nil {
		return err
	}
	q := c.R.URL.Query()
	p.Pool = q.Get("pool")
	if p.Pool == "" && len(pools) > 0 {
		p.Pool = pools[0]
	}
	month, err := time.Parse("2006-01", q.Get("month"))
	if err != nil {
		month, _ = time.Parse("2006-01", today[:7])
	}
	monthHref := func(pool string, m time.Time) string {
		return "/loans?" + url.Values{"pool": {pool}, "month": {m.Format("2006-01")}}.Encode() + "#calendar"
	}
	for _, name := range pools {
		cl := ""
		if name == p.Pool {
			cl = "current"
		}
		p.Pools = append(p.Pools, Cell{Text: name, Href: monthHref(name, month), Class: cl})
	}
	p.Month = monthName(c, month)
	p.PrevHref, p.NextHref = monthHref(p.Pool, month.AddDate(0, -1, 0)), monthHref(p.Pool, month.AddDate(0, 1, 0))
	p.CanReserve = canCreate(c.Actor, u.App.Reg.MustType("reservations"))
	if canCreate(c.Actor, u.App.Reg.MustType("loan-items")) {
		p.NewItem = "/loan-items/new"
	}
	if p.Pool != "" {
		cal, err := u.Loans.CalendarOf(ctx, c.Actor, p.Pool, "", 0, month, month.AddDate(0, 1, -1))
		if err != nil {
			return err
		}
		p.Month1 = u.fillCalendar(c, &p.CalView, cal, today, p.CanReserve)
	}
	return u.renderPage(c, http.StatusOK, "loans", p)
}

func monthName(c *req, m time.Time) string {
	return c.T("ui.loans.month."+strconv.Itoa(int(m.Month()))) + " " + strconv.Itoa(m.Year())
}

// fillCalendar draws cal into p and returns its reservations, listed.
func (u *UI) fillCalendar(c *req, p *CalView, cal *loan.Calendar, today string, canReserve bool) []LoanRow {
	var list []LoanRow
	for _, d := range cal.Days {
		t, _ := time.Parse("2006-01-02", d)
		p.Days = append(p.Days, CalDay{Num: strconv.Itoa(t.Day()), Week: c.T("ui.loans.wd." + strconv.Itoa(int(t.Weekday()))),
			Label: fmtDate(c.Lang, d), Weekend: t.Weekday() == time.Saturday || t.Weekday() == time.Sunday, Today: d == today})
	}
	seen := map[int64]bool{}
	for _, row := range cal.Rows {
		it := row.Item
		cr := CalRow{Asset: it.Label(), AssetHref: assetHref(it)}
		if canReserve {
			cr.ReserveHref = "/loans/reserve?" + url.Values{"asset_type": {it.String("asset_type")}, "asset_id": {strconv.FormatInt(it.Int("asset_id"), 10)}}.Encode()
		}
		for i := 0; i < len(cal.Days); i++ {
			d := cal.Days[i]
			r := row.At(d)
			if r == nil {
				cr.Cells = append(cr.Cells, CalCell{Span: 1})
				continue
			}
			lr := u.reservationRow(c, r, today)
			span := 1
			for i+span < len(cal.Days) && row.At(cal.Days[i+span]) == r {
				span++
			}
			short := lr.User
			if span < 4 {
				short = initials(lr.User)
			}
			cell := CalCell{Busy: true, First: true, Class: lr.StatusClass, Short: short, Href: lr.Href, Span: span,
				Label: c.T("ui.loans.cal_cell", lr.User, lr.From, lr.Until, lr.Status)}
			cr.Cells = append(cr.Cells, cell)
			i += span - 1
			if !seen[r.ID] {
				seen[r.ID] = true
				list = append(list, lr)
			}
		}
		p.Rows = append(p.Rows, cr)
	}
	return list
}

// LoanFormPage is the check-out or reservation form of one asset.
type LoanFormPage struct {
	Base
	Action, CancelHref string
	Asset, AssetHref   string
	AssetType, AssetID string
	OrgID              int64
	Intro, Submit      string
	ReloadHref         string // never set: a new record has no version to reload
	Fields             []FormField
	Error              string
	Details            []string
	Reservations       []LoanRow // the asset's coming reservations (reservation form)
	Current            *LoanRow  // who has it now (check-out refused)
}

// loanAsset reads the asset named by the form or the address.
func (u *UI) loanAsset(c *req) (*record.Record, error) {
	src := c.R.URL.Query()
	if c.R.Method == http.MethodPost {
		src = c.R.PostForm
	}
	t, ok := u.App.Reg.Type(src.Get("asset_type"))
	if !ok || !isItemType(t.Name) {
		return nil, record.ErrNotFound()
	}
	id, err := strconv.ParseInt(src.Get("asset_id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, record.ErrNotFound()
	}
	a, err := u.App.Records.Get(c.R.Context(), c.Actor, t, id)
	if err == nil && a.DeletedAt != nil {
		return nil, record.ErrNotFound()
	}
	return a, err
}

func (u *UI) loanForm(c *req, kind string, asset *record.Record, st formState) error {
	t := u.App.Reg.MustType(kind)
	p := &LoanFormPage{Asset: builtinName(c, asset.Type.Name, asset.Label()), AssetHref: "/" + asset.Type.Name + "/" + strconv.FormatInt(asset.ID, 10),
		AssetType: asset.Type.Name, AssetID: strconv.FormatInt(asset.ID, 10), OrgID: asset.OrgID, Error: st.message, Details: st.details}
	p.CancelHref = p.AssetHref + "?tab=handovers"
	names := []string{"user_id", "state_id", "accessories", "comment"}
	if kind == "handovers" {
		p.Base = u.base(c, c.T("ui.loans.checkout_title", p.Asset), "/loans")
		p.Action, p.Intro, p.Submit = "/loans/check-out", c.T("ui.loans.checkout_intro"), c.T("ui.loans.checkout_submit")
	} else {
		p.Base = u.base(c, c.T("ui.loans.reserve_title", p.Asset), "/loans")
		p.Action, p.Intro, p.Submit = "/loans/reserve", c.T("ui.loans.reserve_intro"), c.T("ui.loans.reserve_submit")
		names = []string{"user_id", "start_date", "end_date", "comment"}
		today := u.Loans.Today()
		now, _ := time.Parse("2006-01-02", today)
		cal, err := u.Loans.CalendarOf(c.R.Context(), c.Actor, "", asset.Type.Name, asset.ID, now, now.AddDate(0, 3, 0))
		if err != nil {
			return err
		}
		for _, row := range cal.Rows {
			for _, r := range row.Reservations {
				p.Reservations = append(p.Reservations, u.reservationRow(c, r, today))
			}
		}
	}
	for _, name := range names {
		f := t.Field(name)
		v := st.typed[name]
		if _, typed := st.typed[name]; !typed {
			v = c.R.URL.Query().Get(name)
		}
		ff, err := u.formField(c, t, f, nil, v, st.errs[name], "")
		if err != nil {
			return err
		}
		if name == "accessories" {
			ff.Hint = c.T("ui.loans.accessories_hint")
		}
		p.Fields = append(p.Fields, ff)
	}
	status := st.status
	if status == 0 {
		status = http.StatusOK
	}
	return u.renderPage(c, status, "loan_form", p)
}

func (u *UI) checkOutForm(c *req) error {
	if u.Loans == nil || !canCreate(c.Actor, u.App.Reg.MustType("handovers")) {
		return record.ErrForbidden()
	}
	asset, err := u.loanAsset(c)
	if err != nil {
		return err
	}
	return u.loanForm(c, "handovers", asset, formState{})
}

func (u *UI) reserveForm(c *req) error {
	if u.Loans == nil || !canCreate(c.Actor, u.App.Reg.MustType("reservations")) {
		return record.ErrForbidden()
	}
	asset, err := u.loanAsset(c)
	if err != nil {
		return err
	}
	return u.loanForm(c, "reservations", asset, formState{})
}

// postLoan reads a check-out or reservation form and hands it to do; a refusal
// shows the form again with its messages.
func (u *UI) postLoan(c *req, kind string, do func(in record.Input) (*record.Record, error), done func(*record.Record) string) error {
	t := u.App.Reg.MustType(kind)
	if u.Loans == nil || !canCreate(c.Actor, t) {
		return record.ErrForbidden()
	}
	if err := parseForm(c); err != nil {
		return err
	}
	asset, err := u.loanAsset(c)
	if err != nil {
		return err
	}
	in, typed, picks, err := u.readForm(c, t)
	if err != nil {
		return err
	}
	if len(picks) > 0 {
		return u.loanForm(c, kind, asset, pickRefused(c, typed, picks))
	}
	in["asset_type"], in["asset_id"] = asset.Type.Name, asset.ID
	delete(in, "organization_id")
	r, err := do(in)
	if err != nil {
		e, ok := record.AsError(err)
		if !ok {
			return err
		}
		known := map[string]bool{}
		for _, f := range []string{"user_id", "state_id", "accessories", "comment", "start_date", "end_date"} {
			known[f] = t.HasField(f)
		}
		st := u.refusedState(c, t, e, typed, known)
		st.status = e.Code.HTTPStatus()
		return u.loanForm(c, kind, asset, st)
	}
	return redirect(c, done(r))
}

func (u *UI) checkOut(c *req) error {
	return u.postLoan(c, "handovers", func(in record.Input) (*record.Record, error) {
		return u.Loans.CheckOut(c.R.Context(), c.Actor, in)
	}, func(r *record.Record) string {
		return "/handovers/" + strconv.FormatInt(r.ID, 10) + "?done=checked_out"
	})
}

func (u *UI) reserve(c *req) error {
	return u.postLoan(c, "reservations", func(in record.Input) (*record.Record, error) {
		return u.App.Records.Create(c.R.Context(), c.Actor, u.App.Reg.MustType("reservations"), in)
	}, func(r *record.Record) string {
		return "/" + r.String("asset_type") + "/" + strconv.FormatInt(r.Int("asset_id"), 10) + "?tab=handovers&done=reserved"
	})
}

func (u *UI) checkIn(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	state, _ := strconv.ParseInt(c.R.PostFormValue("return_state_id"), 10, 64)
	_, err = u.Loans.CheckIn(c.R.Context(), c.Actor, id, loan.CheckInInput{StateID: state,
		Accessories: strings.TrimSpace(c.R.PostFormValue("return_accessories")), Comment: strings.TrimSpace(c.R.PostFormValue("return_comment"))})
	if err != nil {
		return err
	}
	return redirect(c, "/handovers/"+strconv.FormatInt(id, 10)+"?done=checked_in")
}

// LoanTab is an asset's hand-overs tab, or a hand-over's own panel.
type LoanTab struct {
	CheckOutHref, ReserveHref string
	Pool                      string
	// Cal: the month's reservations of the asset (loan equipment).
	Cal *CalView
	// LendHref makes the asset loan equipment, in one of Pools or a new pool.
	LendHref     string
	Pools        []string
	Current      *LoanRow
	Handovers    []LoanRow
	Reservations []LoanRow
	// A hand-over's page: the form, its acknowledgement and the check-in.
	Handover    *LoanRow
	CheckIn     bool
	CheckInHref string
	States      []Option
	CSRF        string
	AckFrom     string
}

// loanTabs adds the hand-overs tab of an asset.
func (u *UI) loanTabs(c *req, t *record.Type, p *ItemPage) {
	if u.Loans != nil && isItemType(t.Name) && c.Actor.Can(u.App.Reg.MustType("handovers"), record.Read) {
		p.Tabs = append(p.Tabs, Tab{Key: "handovers", Label: c.T("ui.loans.tab"), Href: p.Href + "?tab=handovers"})
	}
}

// assetLoans fills an asset's hand-overs tab: who has it, its hand-overs, its
// coming reservations when it is loan equipment, and the actions.
func (u *UI) assetLoans(c *req, rec *record.Record, p *ItemPage) error {
	ctx := c.R.Context()
	tab := &LoanTab{CSRF: p.CSRF}
	hs, err := u.Loans.AssetHandovers(ctx, c.Actor, rec.Type.Name, rec.ID, 50)
	if err != nil {
		return err
	}
	for _, h := range hs {
		row := u.handoverRow(c, h)
		if h.Values["returned_at"] == nil && tab.Current == nil {
			tab.Current = &row
		}
		tab.Handovers = append(tab.Handovers, row)
	}
	q := url.Values{"asset_type": {rec.Type.Name}, "asset_id": {strconv.FormatInt(rec.ID, 10)}}.Encode()
	if tab.Current == nil && rec.DeletedAt == nil && c.Actor.CanIn(u.App.Reg.MustType("handovers"), record.Create, rec.OrgID) {
		tab.CheckOutHref = "/loans/check-out?" + q
	}
	items := u.App.Reg.MustType("loan-items")
	if c.Actor.Can(items, record.Read) {
		page, err := u.App.Records.List(ctx, c.Actor, items, record.ListQuery{Limit: 1, Filters: []record.Filter{
			{Field: "asset_type", Op: record.OpEq, Value: rec.Type.Name}, {Field: "asset_id", Op: record.OpEq, Value: strconv.FormatInt(rec.ID, 10)}}})
		if err != nil {
			return err
		}
		if len(page.Records) > 0 {
			tab.Pool = page.Records[0].String("pool")
			today := u.Loans.Today()
			now, _ := time.Parse("2006-01-02", today)
			month, err := time.Parse("2006-01", c.R.URL.Query().Get("month"))
			if err != nil {
				month, _ = time.Parse("2006-01", today[:7])
			}
			mcal, err := u.Loans.CalendarOf(ctx, c.Actor, "", rec.Type.Name, rec.ID, month, month.AddDate(0, 1, -1))
			if err != nil {
				return err
			}
			mhref := func(m time.Time) string {
				return p.Href + "?" + url.Values{"tab": {"handovers"}, "month": {m.Format("2006-01")}}.Encode() + "#calendar-title"
			}
			tab.Cal = &CalView{Month: monthName(c, month), PrevHref: mhref(month.AddDate(0, -1, 0)), NextHref: mhref(month.AddDate(0, 1, 0))}
			u.fillCalendar(c, tab.Cal, mcal, today, false)
			cal, err := u.Loans.CalendarOf(ctx, c.Actor, "", rec.Type.Name, rec.ID, now.AddDate(0, -1, 0), now.AddDate(0, 6, 0))
			if err != nil {
				return err
			}
			for _, row := range cal.Rows {
				for _, r := range row.Reservations {
					tab.Reservations = append(tab.Reservations, u.reservationRow(c, r, today))
				}
			}
			if c.Actor.CanIn(u.App.Reg.MustType("reservations"), record.Create, rec.OrgID) && rec.DeletedAt == nil {
				tab.ReserveHref = "/loans/reserve?" + q
			}
		} else if c.Actor.CanIn(items, record.Create, rec.OrgID) && rec.DeletedAt == nil {
			tab.LendHref = "/loans/items?" + q
			if tab.Pools, err = u.Loans.Pools(ctx, c.Actor); err != nil {
				return err
			}
		}
	}
	p.Loans = tab
	return nil
}

// handoverPanel is a hand-over's page's panel: what was handed over, its
// acknowledgement and the check-in form.
func (u *UI) handoverPanel(c *req, rec *record.Record, p *ItemPage) error {
	if u.Loans == nil {
		return nil
	}
	row := u.handoverRow(c, rec)
	if rec.Values["returned_at"] != nil {
		row.ReturnNote = rec.Display["return_state_id"]
	}
	tab := &LoanTab{Handover: &row, CSRF: p.CSRF, AckFrom: rec.String("acknowledged_from")}
	if by := rec.Display["acknowledged_by_id"]; by != "" && row.Acknowledged != "" {
		row.Acknowledged = c.T("ui.loans.ack_by", by, row.Acknowledged)
	}
	if rec.Values["returned_at"] == nil && rec.DeletedAt == nil && canUpdate(c.Actor, rec) {
		tab.CheckIn, tab.CheckInHref = true, "/loans/handovers/"+strconv.FormatInt(rec.ID, 10)+"/check-in"
		states := u.App.Reg.MustType("states")
		if c.Actor.Can(states, record.Read) {
			page, err := u.App.Records.List(c.R.Context(), c.Actor, states, record.ListQuery{Limit: 100, Sort: "name", VisibleFrom: rec.OrgID})
			if err != nil {
				return err
			}
			tab.States = append(tab.States, Option{Value: "", Label: c.T("ui.form.none")})
			for _, s := range page.Records {
				tab.States = append(tab.States, Option{Value: strconv.FormatInt(s.ID, 10), Label: builtinName(c, "states", s.Label()), Selected: s.ID == rec.Int("state_id")})
			}
		}
	}
	p.Loans = tab
	return nil
}

// PortalLoans are the requester's hand-overs to acknowledge and their loans.
type PortalLoans struct {
	ToAcknowledge []LoanRow
	Loans         []LoanRow
}

func (u *UI) portalLoans(c *req) (*PortalLoans, error) {
	if u.Loans == nil {
		return nil, nil
	}
	ctx := c.R.Context()
	out := &PortalLoans{}
	hs, err := u.Loans.ToAcknowledge(ctx, c.Actor)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		row := u.handoverRow(c, h)
		row.Href = "/portal/handovers/" + strconv.FormatInt(h.ID, 10)
		out.ToAcknowledge = append(out.ToAcknowledge, row)
	}
	rs, err := u.Loans.MyLoans(ctx, c.Actor)
	if err != nil {
		return nil, err
	}
	today := u.Loans.Today()
	for _, r := range rs {
		row := u.reservationRow(c, r, today)
		row.Href, row.AssetHref, row.CheckInHref = "", "", ""
		if h := r.Int("handover_id"); h != 0 {
			row.Href = "/portal/handovers/" + strconv.FormatInt(h, 10)
		}
		out.Loans = append(out.Loans, row)
	}
	if len(out.ToAcknowledge) == 0 && len(out.Loans) == 0 {
		return nil, nil
	}
	return out, nil
}

// PortalHandoverPage is a hand-over as its recipient reads and acknowledges it.
type PortalHandoverPage struct {
	Base
	H          LoanRow
	CanAck     bool
	Action     string
	AckFrom    string
	ReturnedOn string
}

func (u *UI) portalHandover(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	h, err := u.Loans.Handover(c.R.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	if h.Int("user_id") != c.Actor.UserID {
		return record.ErrNotFound()
	}
	row := u.handoverRow(c, h)
	p := &PortalHandoverPage{Base: u.base(c, c.T("ui.loans.portal_title", row.Asset), "/portal"), H: row,
		CanAck: row.Acknowledged == "" && row.Returned == "", Action: "/portal/handovers/" + strconv.FormatInt(id, 10) + "/acknowledge",
		AckFrom: h.String("acknowledged_from"), ReturnedOn: row.Returned}
	return u.renderPage(c, http.StatusOK, "portal_handover", p)
}

func (u *UI) portalAcknowledge(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	if _, err := u.Loans.Acknowledge(c.R.Context(), c.Actor, id, httpctx.ClientIP(c.R)); err != nil {
		return err
	}
	return redirect(c, "/portal/handovers/"+strconv.FormatInt(id, 10)+"?done=acknowledged")
}

// initials shortens a name for a short reservation in the calendar.
func initials(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			b.WriteRune(r)
			break
		}
	}
	return strings.ToUpper(b.String())
}

// loanNew is the "new" form of hand-overs, reservations and loan equipment: they
// start from their asset (its hand-overs tab), whose check-out or reservation
// form opens when the address names it.
func (u *UI) loanNew(c *req, t *record.Type) error {
	q := c.R.URL.Query()
	if q.Get("asset_type") != "" && q.Get("asset_id") != "" {
		v := url.Values{"asset_type": {q.Get("asset_type")}, "asset_id": {q.Get("asset_id")}}.Encode()
		switch t.Name {
		case "handovers":
			return redirect(c, "/loans/check-out?"+v)
		case "reservations":
			return redirect(c, "/loans/reserve?"+v)
		}
		return redirect(c, "/"+q.Get("asset_type")+"/"+q.Get("asset_id")+"?tab=handovers")
	}
	return redirect(c, "/loans?done=choose_asset")
}

// lend makes an asset loan equipment, in the pool typed.
func (u *UI) lend(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	src := c.R.URL.Query()
	t, ok := u.App.Reg.Type(src.Get("asset_type"))
	id, _ := strconv.ParseInt(src.Get("asset_id"), 10, 64)
	if !ok || !isItemType(t.Name) || id <= 0 {
		return record.ErrNotFound()
	}
	if _, err := u.App.Records.Create(c.R.Context(), c.Actor, u.App.Reg.MustType("loan-items"),
		record.Input{"pool": strings.TrimSpace(c.R.PostFormValue("pool")), "asset_type": t.Name, "asset_id": id}); err != nil {
		return err
	}
	return redirect(c, "/"+t.Name+"/"+strconv.FormatInt(id, 10)+"?tab=handovers&done=lendable")
}
