package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"parc/internal/contract"
	"parc/internal/dashboard"
	"parc/internal/helpdesk"
	"parc/internal/record"
)

// ContractView is a contract's page beyond its fields: what it covers, what it
// costs in a year, its dates with the notice deadline, the hours of a client
// contract and the response times seen on its assets.
type ContractView struct {
	Href, CSRF string
	// Status: active, upcoming or ended, with its words.
	Status, StatusText string
	Facts              []Detail
	// Notice is the notice deadline; NoticeState is "passed", "soon" (within
	// contract.AlertDays) or "".
	Notice, NoticeState, NoticeText string
	// Hours of a client service contract (nil for others).
	Hours *ContractHours
	// Response compares the commitment with the covered assets' tickets.
	Response *ContractResponse
	Covered  []CoveredRow
	More     bool
	CanEdit  bool
	// ItemTypes and Picker make the form adding a covered asset.
	ItemTypes []Option
	Picker    FormField
	Empty     string
}

// ContractHours are a client contract's hours sold, used and left.
type ContractHours struct {
	Sold, Used, Left, Period string
	Over                     bool
	Percent                  int
}

// ContractResponse is the response commitment against what was seen.
type ContractResponse struct {
	Commitment, Average, Detail string
	Late                        bool
}

// CoveredRow is one covered asset of a contract's page.
type CoveredRow struct {
	Type, Label, Href, RemoveHref string
}

// CoverageView is the contracts covering an asset, on its page or a ticket's.
type CoverageView struct {
	Rows      []CoverageRow
	Covered   bool
	Title     string
	Summary   string
	AddHref   string
	Choices   []Option
	CSRF      string
	AssetHref string
	Empty     string
	CanRemove bool
}

// CoverageRow is one contract covering an asset.
type CoverageRow struct {
	Label, Href, Kind, Dates, Commitments, RemoveHref, Asset string
	Active                                                   bool
}

// registerContracts adds the covered-asset actions of contract and asset pages.
func (u *UI) registerContracts(mux *http.ServeMux) {
	if u.Contracts == nil {
		return
	}
	mux.HandleFunc("POST /contracts/{id}/assets", u.page(u.coverAsset))
	mux.HandleFunc("POST /contracts/{id}/assets/{link}/remove", u.page(u.uncoverAsset))
	for _, typ := range helpdesk.ItemTypes {
		t := typ
		mux.HandleFunc("POST /"+t+"/{id}/contracts", u.page(func(c *req) error { return u.coverFromAsset(c, t) }))
	}
}

// coverAsset adds the asset picked on a contract's page.
func (u *UI) coverAsset(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	f := c.R.PostFormValue
	at := f("item_type")
	if !isItemType(at) {
		return record.E(record.CodeInvalid, "ui.bad_form")
	}
	ct, err := u.App.Records.Get(c.R.Context(), c.Actor, u.App.Reg.MustType("contracts"), id)
	if err != nil {
		return err
	}
	rt := u.App.Reg.MustType(at)
	item := f("item_id")
	if texts, ok := c.R.PostForm["item_id"+pickerText]; ok && len(texts) > 0 {
		v, found, err := pickedID(item, texts[0], f("item_id"+pickerWas), ct.OrgID, func(q record.SuggestQuery) ([]record.Suggestion, error) {
			return u.App.Records.SuggestRecords(c.R.Context(), c.Actor, rt, q)
		})
		if err != nil {
			return err
		}
		if !found {
			e := record.E(record.CodeInvalid, "err.invalid")
			e.Fields = map[string]record.Msg{"item_id": {Key: "ui.picker.no_match", Args: []any{texts[0]}}}
			return e
		}
		item = v
	}
	n, _ := strconv.ParseInt(item, 10, 64)
	if _, err := u.Contracts.Cover(c.R.Context(), c.Actor, id, at, n); err != nil {
		return err
	}
	return redirect(c, "/contracts/"+strconv.FormatInt(id, 10)+"?done=linked#covered")
}

// uncoverAsset removes a covered asset, back to the page the form was on.
func (u *UI) uncoverAsset(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	link, err := strconv.ParseInt(c.R.PathValue("link"), 10, 64)
	if err != nil {
		return record.ErrNotFound()
	}
	if err := parseForm(c); err != nil {
		return err
	}
	if err := u.Contracts.Uncover(c.R.Context(), c.Actor, id, link); err != nil {
		return err
	}
	back := localPath(c.R.PostFormValue("back"))
	if back == "" {
		back = "/contracts/" + strconv.FormatInt(id, 10)
	}
	return redirect(c, back+"?done=deleted")
}

// coverFromAsset adds an asset to the contract chosen on its page.
func (u *UI) coverFromAsset(c *req, typ string) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	ct, err := strconv.ParseInt(c.R.PostFormValue("contract_id"), 10, 64)
	if err != nil || ct <= 0 {
		e := record.E(record.CodeInvalid, "err.invalid")
		e.Fields = map[string]record.Msg{"contract_id": {Key: "err.required"}}
		return e
	}
	if _, err := u.Contracts.Cover(c.R.Context(), c.Actor, ct, typ, id); err != nil {
		return err
	}
	return redirect(c, "/"+typ+"/"+strconv.FormatInt(id, 10)+"?done=linked#coverage")
}

// contractView fills a contract's page.
func (u *UI) contractView(c *req, rec *record.Record, href string) (*ContractView, error) {
	ctx := c.R.Context()
	t := rec.Type
	v := &ContractView{Href: href, CanEdit: canUpdate(c.Actor, rec) && rec.DeletedAt == nil}
	if c.Sess != nil {
		v.CSRF = c.Sess.CSRF
	}
	today := u.Contracts.Today()
	start, end := rec.String("start_date"), rec.String("end_date")
	switch {
	case rec.DeletedAt != nil:
		v.Status = "ended"
	case start > today.Format(contract.DateLayout):
		v.Status = "upcoming"
	case end < today.Format(contract.DateLayout):
		v.Status = "ended"
	default:
		v.Status = "active"
	}
	v.StatusText = c.T("contract.status." + v.Status)
	fact := func(label, text string) { v.Facts = append(v.Facts, Detail{Label: label, Text: text}) }
	fact(c.T("contract.period"), c.T("contract.from_to", fmtDate(c.Lang, start), fmtDate(c.Lang, end)))
	dur := c.T("contract.months", rec.Int("duration_months"))
	if rec.String("renewal") == contract.Tacit {
		dur = c.T("contract.tacit_every", dur)
		if n := rec.Int("renewals"); n > 0 {
			dur += " · " + c.T("contract.renewed", n)
		}
	} else {
		dur = c.T("contract.explicit_for", dur)
	}
	fact(c.T("field.renewal"), dur)
	if y, ok := contract.CostPerYear(rec); ok {
		text := c.T("contract.money", fmtNumber(c.Lang, y, 2))
		if per := rec.String("cost_period"); per != "yearly" && per != "" {
			text += " · " + c.T("contract.per."+per, c.T("contract.money", fmtNumber(c.Lang, rec.Values["cost"].(float64), 2)))
		}
		fact(c.T("contract.cost_year"), text)
	}
	cov := enumLabel(c, t.Field("coverage"), rec.String("coverage"))
	if cal := rec.Display["calendar_id"]; cal != "" {
		if cov != "" {
			cov += " · "
		}
		cov += cal
	}
	if cov != "" {
		fact(c.T("contract.coverage_hours"), cov)
	}
	if s := commitments(c, rec.Int("response_hours"), rec.Int("repair_hours")); s != "" {
		fact(c.T("contract.commitments"), s)
	}
	if n := rec.String("notice_date"); n != "" {
		v.Notice = fmtDate(c.Lang, n)
		if d, err := time.Parse(contract.DateLayout, n); err == nil && v.Status != "ended" {
			days := int(d.Sub(today).Hours() / 24)
			switch {
			case days < 0:
				v.NoticeState, v.NoticeText = "passed", c.T("contract.notice_passed", v.Notice)
			case days <= contract.AlertDays:
				v.NoticeState, v.NoticeText = "soon", c.T("contract.notice_soon", v.Notice, days)
			default:
				v.NoticeText = c.T("contract.notice_by", v.Notice, days)
			}
		}
		if v.NoticeText == "" {
			v.NoticeText = c.T("contract.notice_on", v.Notice)
		}
	}
	if rec.String("kind") == contract.ClientService {
		used, err := u.Contracts.HoursUsed(ctx, rec)
		if err != nil {
			return nil, err
		}
		from, to, _ := contract.Period(rec)
		h := &ContractHours{Used: contractHours(c, used), Period: c.T("contract.from_to", fmtDate(c.Lang, from.Format(contract.DateLayout)), fmtDate(c.Lang, to.Format(contract.DateLayout)))}
		if sold := rec.Int("hours_sold"); sold > 0 {
			h.Sold = contractHours(c, sold*60)
			left := sold*60 - used
			h.Over = left < 0
			if h.Over {
				h.Left = c.T("contract.hours_over", contractHours(c, -left))
			} else {
				h.Left = contractHours(c, left)
			}
			h.Percent = int(min(100, used*100/(sold*60)))
		}
		v.Hours = h
	}
	resp, err := u.Contracts.Responses(ctx, rec)
	if err != nil {
		return nil, err
	}
	if resp.Tickets > 0 || rec.Int("response_hours") > 0 {
		r := &ContractResponse{Commitment: c.T("contract.none_said")}
		if h := rec.Int("response_hours"); h > 0 {
			r.Commitment = c.T("contract.hours_n", h)
		}
		if resp.Taken > 0 {
			r.Average = contractDuration(c, resp.Average)
			r.Late = rec.Int("response_hours") > 0 && resp.Average > time.Duration(rec.Int("response_hours"))*time.Hour
			r.Detail = c.T("contract.response_detail", resp.Tickets, resp.Taken, resp.Late)
		} else {
			r.Average = "—"
			r.Detail = c.T("contract.response_none", resp.Tickets)
		}
		v.Response = r
	}
	covered, more, err := u.Contracts.CoveredAssets(ctx, c.Actor, rec, 200)
	if err != nil {
		return nil, err
	}
	v.More = more
	mayUncover := rec.DeletedAt == nil && c.Actor.CanIn(u.App.Reg.MustType("contract-assets"), record.Delete, rec.OrgID)
	for _, cv := range covered {
		rt := u.App.Reg.MustType(cv.ItemType)
		row := CoveredRow{Type: c.T(typeKey(rt, false)), Label: cv.Label}
		if cv.Readable {
			row.Href = "/" + cv.ItemType + "/" + strconv.FormatInt(cv.ItemID, 10)
		} else {
			row.Label = c.T("contract.hidden_asset")
		}
		if mayUncover {
			row.RemoveHref = href + "/assets/" + strconv.FormatInt(cv.LinkID, 10) + "/remove"
		}
		v.Covered = append(v.Covered, row)
	}
	v.Empty = c.T("contract.covers_nothing")
	if rec.DeletedAt == nil && c.Actor.CanIn(u.App.Reg.MustType("contract-assets"), record.Create, rec.OrgID) {
		f := u.App.Reg.MustType("ticket-items").Field("item_type")
		for _, o := range helpdesk.ItemTypes {
			v.ItemTypes = append(v.ItemTypes, Option{Value: o, Label: enumLabel(c, f, o), Selected: o == "computers"})
		}
		v.Picker = FormField{Name: "item_id", ID: "cv-item", Label: c.T("contract.asset"), Control: "picker", Suggest: "/ui/suggest/computers",
			TypeFrom: "cv-type", Required: true, Hint: c.T("ui.picker.hint_assets")}
	}
	return v, nil
}

// commitments writes response and repair commitments in hours.
func commitments(c *req, resp, repair int64) string {
	var s string
	if resp > 0 {
		s = c.T("contract.response_in", resp)
	}
	if repair > 0 {
		if s != "" {
			s += " · "
		}
		s += c.T("contract.repair_in", repair)
	}
	return s
}

// fmtHours writes minutes as hours and minutes: "12 h 30".
func contractHours(c *req, minutes int64) string {
	h, m := minutes/60, minutes%60
	if m == 0 {
		return c.T("contract.h", fmtInt(c.Lang, h))
	}
	return c.T("contract.h_min", fmtInt(c.Lang, h), m)
}

// fmtDuration writes a duration to the minute, as hours.
func contractDuration(c *req, d time.Duration) string { return contractHours(c, int64(d/time.Minute)) }

// coverageView lists the contracts covering an asset, with the form adding it
// to another one.
func (u *UI) coverageView(c *req, rec *record.Record, href string) (*CoverageView, error) {
	if u.Contracts == nil || !c.Actor.Can(u.App.Reg.MustType("contracts"), record.Read) {
		return nil, nil
	}
	cs, err := u.Contracts.Coverage(c.R.Context(), c.Actor, rec.Type.Name, rec.ID)
	if err != nil {
		return nil, err
	}
	v := &CoverageView{Title: c.T("contract.coverage_title"), AssetHref: href, Empty: c.T("contract.not_covered_any")}
	if c.Sess != nil {
		v.CSRF = c.Sess.CSRF
	}
	mayUncover := c.Actor.Can(u.App.Reg.MustType("contract-assets"), record.Delete)
	for _, cv := range cs {
		row := u.coverRow(c, cv)
		if mayUncover && rec.DeletedAt == nil {
			row.RemoveHref = "/contracts/" + strconv.FormatInt(cv.ContractID, 10) + "/assets/" + strconv.FormatInt(cv.LinkID, 10) + "/remove"
			v.CanRemove = true
		}
		v.Covered = v.Covered || cv.Active
		v.Rows = append(v.Rows, row)
	}
	if v.Covered {
		v.Summary = c.T("contract.covered_now")
	} else {
		v.Summary = c.T("contract.not_covered_now")
	}
	if rec.DeletedAt == nil && c.Actor.Can(u.App.Reg.MustType("contract-assets"), record.Create) {
		choices, err := u.Contracts.ContractsFor(c.R.Context(), c.Actor, rec.OrgID)
		if err != nil {
			return nil, err
		}
		have := map[int64]bool{}
		for _, cv := range cs {
			have[cv.ContractID] = true
		}
		for _, ch := range choices {
			if !have[ch.ID] {
				v.Choices = append(v.Choices, Option{Value: strconv.FormatInt(ch.ID, 10), Label: ch.Label})
			}
		}
		if len(v.Choices) > 0 {
			v.AddHref = href + "/contracts"
		}
	}
	return v, nil
}

func (u *UI) coverRow(c *req, cv contract.Cover) CoverageRow {
	kind := u.App.Reg.MustType("contracts").Field("kind")
	row := CoverageRow{Label: cv.Label, Href: "/contracts/" + strconv.FormatInt(cv.ContractID, 10), Kind: enumLabel(c, kind, cv.Kind),
		Dates: c.T("contract.from_to", fmtDate(c.Lang, cv.Start), fmtDate(c.Lang, cv.End)), Active: cv.Active,
		Commitments: commitments(c, cv.ResponseHours, cv.RepairHours)}
	if cv.Supplier != "" {
		row.Kind += " · " + cv.Supplier
	}
	return row
}

// ticketCoverage lists the contracts covering a ticket's assets today, with
// their commitments, for the ticket's page (nil when none is covered).
func (u *UI) ticketCoverage(c *req, tk *record.Record) (*CoverageView, error) {
	if u.Contracts == nil || !c.Actor.Can(u.App.Reg.MustType("contracts"), record.Read) {
		return nil, nil
	}
	page, err := u.App.Records.List(c.R.Context(), record.SystemActor(c.Actor.Tree, c.Actor.Origin), u.App.Reg.MustType("ticket-items"),
		record.ListQuery{Filters: []record.Filter{{Field: "ticket_id", Op: record.OpEq, Value: strconv.FormatInt(tk.ID, 10)}}, Limit: 20})
	if err != nil {
		return nil, err
	}
	v := &CoverageView{Title: c.T("contract.ticket_coverage")}
	for _, it := range page.Records {
		cs, err := u.Contracts.Coverage(c.R.Context(), c.Actor, it.String("item_type"), it.Int("item_id"))
		if err != nil {
			return nil, err
		}
		for _, cv := range cs {
			if !cv.Active {
				continue
			}
			row := u.coverRow(c, cv)
			row.Asset = c.T(typeKey(u.App.Reg.MustType(it.String("item_type")), false)) + " #" + it.String("item_id")
			if t, ok := u.App.Reg.Type(it.String("item_type")); ok {
				if a, err := u.App.Records.Get(c.R.Context(), c.Actor, t, it.Int("item_id")); err == nil {
					row.Asset = a.Label()
				}
			}
			v.Rows = append(v.Rows, row)
			v.Covered = true
		}
	}
	if !v.Covered {
		return nil, nil
	}
	return v, nil
}

// supplierLinks are a supplier's items and contracts, on its page.
func (u *UI) supplierLinks(c *req, rec *record.Record) ([]LinkGroup, error) {
	var out []LinkGroup
	for _, name := range []string{"supplier-items", "contracts"} {
		t, ok := u.App.Reg.Type(name)
		if !ok {
			continue
		}
		g, err := u.linkGroup(c, linkRef{t, t.Field("supplier_id")}, rec)
		if err != nil {
			return nil, err
		}
		if g != nil {
			if rec.OrgID == 0 && g.NewHref != "" {
				// A shared supplier: the new item's owner is chosen on its form.
				g.NewHref = "/" + name + "/new?" + url.Values{"supplier_id": {strconv.FormatInt(rec.ID, 10)}}.Encode()
			}
			out = append(out, *g)
		}
	}
	return out, nil
}

// itemExtras adds the contract parts of an item's details tab.
func (u *UI) itemExtras(c *req, t *record.Type, rec *record.Record, p *ItemPage) error {
	if u.Contracts == nil {
		return nil
	}
	var err error
	switch {
	case t.Name == "contracts":
		p.Contract, err = u.contractView(c, rec, p.Href)
	case isItemType(t.Name):
		p.Coverage, err = u.coverageView(c, rec, p.Href)
	case t.Name == "suppliers":
		p.SupplierLinks, err = u.supplierLinks(c, rec)
	}
	return err
}

// contractHome is the home page's block of contracts whose notice deadline or
// end is near.
func (u *UI) contractHome(c *req) ([]HomeBlock, error) {
	bs, err := u.Dashboard.Contracts(c.R.Context(), c.Actor, u.App.Records.Now(), u.Loc)
	if err != nil {
		return nil, err
	}
	var out []HomeBlock
	for _, b := range bs {
		hb := u.homeBlock(c, b, c.T("home."+b.Key, dashboard.ContractDays))
		hb.Alert = b.N > 0 && b.Key == "contracts_notice"
		out = append(out, hb)
	}
	return out, nil
}
