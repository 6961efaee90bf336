package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"parc/internal/helpdesk"
	"parc/internal/record"
	"parc/internal/stock"
)

func init() {
	pageNames = append(pageNames, "stock_reorder")
	pageParts["item"] = append(pageParts["item"], "templates/stock.html")
	doneKeys["stock_moved"] = "ui.done.stock_moved"
	doneKeys["part_issued"] = "ui.done.part_issued"
}

// movesPage is how many movements a stock item's page shows at once.
const movesPage = 20

// StockView is a stock item's stock on its page: the quantity per location with
// the threshold state, the movement form, and the movements, newest first.
type StockView struct {
	CSRF             string
	Total, Threshold string
	// Low: below the threshold at one location at least (or stocked nowhere).
	Low    bool
	Levels []StockLevelView
	Form   *StockFormView // nil when the user may not record movements
	Moves  []StockMoveView
	// OlderHref pages back through the movements; NewestHref returns to the first page.
	OlderHref, NewestHref string
	ReorderHref           string
}

// StockLevelView is the quantity at one location.
type StockLevelView struct {
	Location, Quantity string
	Below              bool
}

// StockMoveView is one movement as the item's page lists it.
type StockMoveView struct {
	At, Kind, KindKey, Quantity string
	Where, Ticket, TicketHref   string
	User, Cost, Comment         string
}

// StockFormView is the movement form (receive, issue, transfer, return, scrap).
type StockFormView struct {
	Action              string
	Kinds               []Option
	Locations, ToPlaces []Option
	Quantity, Comment   string
	Error, ReloadHref   string
	Details             []string
	Errs                map[string]string
}

// Err is the message by one input of the refused form, nil when none.
func (f *StockFormView) Err(field string) *FieldErr {
	if f == nil || f.Errs[field] == "" {
		return nil
	}
	return &FieldErr{ID: "stock-" + strings.ReplaceAll(field, "_", "-") + "-err", Text: f.Errs[field]}
}

// registerStock adds the stock's pages besides the record pages of its types.
func (u *UI) registerStock(mux *http.ServeMux) {
	if u.Stock == nil {
		return
	}
	mux.HandleFunc("GET /stock-items/reorder", u.page(u.stockReorder))
	mux.HandleFunc("POST /stock-items/{id}/movements", u.page(u.stockMove))
}

// stockView fills a stock item's stock block.
func (u *UI) stockView(c *req, rec *record.Record, href string) (*StockView, error) {
	ctx := c.R.Context()
	_, levels, err := u.Stock.Levels(ctx, c.Actor, rec.ID)
	if err != nil {
		return nil, err
	}
	v := &StockView{Total: fmtInt(c.Lang, rec.Int("quantity")), Threshold: fmtInt(c.Lang, rec.Int("threshold")), ReorderHref: "/stock-items/reorder"}
	if c.Sess != nil {
		v.CSRF = c.Sess.CSRF
	}
	for _, l := range levels {
		v.Levels = append(v.Levels, StockLevelView{Location: l.Location, Quantity: fmtInt(c.Lang, l.Quantity), Below: l.Below})
		v.Low = v.Low || l.Below
	}
	if len(levels) == 0 && rec.Int("threshold") > 0 {
		v.Low = true
	}
	mt := u.App.Reg.MustType(stock.MovementsType)
	if c.Actor.CanIn(mt, record.Create, rec.OrgID) && rec.DeletedAt == nil {
		places, err := u.Stock.Locations(ctx, c.Actor, rec)
		if err != nil {
			return nil, err
		}
		f := c.stockForm
		if f == nil {
			f = &StockFormView{Quantity: "1"}
		}
		f.Action = href + "/movements"
		kf := mt.Field("kind")
		typed := func(name string) string {
			if c.stockForm != nil {
				return c.R.PostFormValue(name)
			}
			return ""
		}
		kind := typed("kind")
		if kind == "" {
			kind = stock.Received
		}
		for _, k := range stock.Kinds {
			f.Kinds = append(f.Kinds, Option{Value: k, Label: enumLabel(c, kf, k), Selected: k == kind})
		}
		from, to := typed("location_id"), typed("to_location_id")
		f.ToPlaces = []Option{{Value: "", Label: c.T("ui.stock.no_destination")}}
		for _, p := range places {
			id := strconv.FormatInt(p.ID, 10)
			f.Locations = append(f.Locations, Option{Value: id, Label: p.Name, Selected: id == from})
			f.ToPlaces = append(f.ToPlaces, Option{Value: id, Label: p.Name, Selected: id == to})
		}
		v.Form = f
	}
	cursor := c.R.URL.Query().Get("moves")
	page, err := u.Stock.ItemMovements(ctx, c.Actor, rec.ID, movesPage, cursor)
	if err != nil {
		return nil, err
	}
	for _, m := range page.Records {
		v.Moves = append(v.Moves, u.moveView(c, m))
	}
	if page.NextCursor != "" {
		v.OlderHref = href + "?moves=" + url.QueryEscape(page.NextCursor) + "#stock-moves"
	}
	if cursor != "" {
		v.NewestHref = href + "#stock-moves"
	}
	return v, nil
}

// moveView writes one movement: signed quantity, where (from → to), for what.
func (u *UI) moveView(c *req, m *record.Record) StockMoveView {
	t := m.Type
	k := m.String("kind")
	q := fmtInt(c.Lang, m.Int("quantity"))
	switch k {
	case stock.Received, stock.Returned:
		q = "+" + q
	case stock.Issued, stock.Scrapped:
		q = "−" + q
	}
	v := StockMoveView{At: fmtDateTime(c.Lang, m.CreatedAt, u.Loc), Kind: enumLabel(c, t.Field("kind"), k), KindKey: k, Quantity: q,
		Where: m.Display["location_id"], User: m.Display["user_id"], Comment: m.String("comment")}
	if to := m.Display["to_location_id"]; to != "" {
		v.Where += " → " + to
	}
	if tk := m.Int("ticket_id"); tk != 0 {
		v.Ticket = "#" + strconv.FormatInt(tk, 10)
		if d := m.Display["ticket_id"]; d != "" {
			v.Ticket += " " + d
		}
		v.TicketHref = "/tickets/" + strconv.FormatInt(tk, 10)
	}
	if unit, ok := m.Values["unit_cost"].(float64); ok {
		v.Cost = fmtNumber(c.Lang, unit*float64(m.Int("quantity")), 2)
	}
	return v
}

// stockMove records a movement from an item's page; refused, the page again
// with the messages by the form and what was typed.
func (u *UI) stockMove(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	f := c.R.PostFormValue
	in := record.Input{"stock_item_id": id, "kind": f("kind"), "quantity": strings.TrimSpace(f("quantity")), "location_id": f("location_id"),
		"comment": strings.TrimSpace(f("comment"))}
	if to := f("to_location_id"); to != "" {
		in["to_location_id"] = to
	}
	if in["location_id"] == "" {
		delete(in, "location_id")
	}
	_, err = u.Stock.Move(c.R.Context(), c.Actor, in)
	if err == nil {
		return redirect(c, "/stock-items/"+strconv.FormatInt(id, 10)+"?done=stock_moved#stock")
	}
	e, ok := record.AsError(err)
	if !ok || e.Code == record.CodeNotFound || e.Code == record.CodeForbidden || e.Code == record.CodeUnauthorized {
		return err
	}
	known := map[string]bool{"kind": true, "quantity": true, "location_id": true, "to_location_id": true, "comment": true}
	st := u.refusedState(c, u.App.Reg.MustType(stock.MovementsType), e, nil, known)
	c.stockForm = &StockFormView{Quantity: f("quantity"), Comment: f("comment"), Error: st.message, Details: st.details, Errs: st.errs}
	status := http.StatusUnprocessableEntity
	if e.Code == record.CodeConflict {
		status = http.StatusConflict
	}
	return u.renderItem(c, u.App.Reg.MustType(stock.ItemsType), "details", nil, status)
}

// stockBelow tells which items of a stock list page are below their threshold
// (nil for other lists).
func (u *UI) stockBelow(c *req, t *record.Type, page *record.Page) map[int64]bool {
	if t.Name != stock.ItemsType || u.Stock == nil {
		return nil
	}
	below, err := u.Stock.BelowThreshold(c.R.Context(), page.Records)
	if err != nil || below == nil {
		return map[int64]bool{}
	}
	return below
}

// stockQuantityCell marks a quantity below the threshold in words and shape.
func stockQuantityCell(c *req, cell Cell, low bool) Cell {
	cell.Class = strings.TrimSpace(cell.Class + " num")
	if low {
		cell.Text += " · " + c.T("ui.stock.below")
		cell.Class += " stock-low"
	}
	return cell
}

// ReorderPage lists the items below their threshold with what to order.
type ReorderPage struct {
	Base
	Rows []ReorderRow
	// Note says how the suggestions are sized (default lead time...).
	Note string
	// CanRequest: each suggestion has a button making a purchase request of it.
	CanRequest bool
	CSRF       string
}

// ReorderRow is one item below its threshold at one location.
type ReorderRow struct {
	Item, ItemHref, Reference, Supplier, Location string
	Quantity, Threshold, Issued, Lead, Suggested  string
	Cost                                          string
	// The purchase request's values.
	ItemID, LocationID, Suggest int64
}

func (u *UI) stockReorder(c *req) error {
	if !c.Actor.Can(u.App.Reg.MustType(stock.ItemsType), record.Read) {
		return record.ErrForbidden()
	}
	list, err := u.Stock.Reorder(c.R.Context(), c.Actor)
	if err != nil {
		return err
	}
	p := &ReorderPage{Base: u.base(c, c.T("ui.stock.reorder_title"), "/stock-items"),
		Note: c.T("ui.stock.reorder_note", stock.ConsumptionDays, stock.DefaultLeadDays, stock.SafetyDays)}
	for _, x := range list {
		r := ReorderRow{Item: x.Item, ItemHref: "/stock-items/" + strconv.FormatInt(x.ItemID, 10), Reference: x.Reference, Supplier: x.Supplier,
			Location: x.Location, Quantity: fmtInt(c.Lang, x.Quantity), Threshold: fmtInt(c.Lang, x.Threshold), Issued: fmtInt(c.Lang, x.Issued),
			Lead: c.T("ui.stock.days", x.LeadDays), Suggested: fmtInt(c.Lang, x.Suggested), ItemID: x.ItemID, LocationID: x.LocationID, Suggest: x.Suggested}
		if x.DefaultLead {
			r.Lead = c.T("ui.stock.days_default", x.LeadDays)
		}
		if x.UnitCost > 0 {
			r.Cost = fmtNumber(c.Lang, x.UnitCost*float64(x.Suggested), 2)
		}
		p.Rows = append(p.Rows, r)
	}
	if u.Purchase != nil && c.Actor.Can(u.App.Reg.MustType("purchase-requests"), record.Create) {
		p.CanRequest = true
		if c.Sess != nil {
			p.CSRF = c.Sess.CSRF
		}
	}
	return u.renderPage(c, http.StatusOK, "stock_reorder", p)
}

// TicketPartsView is what a ticket's page shows of its parts: those issued (and
// returned) with their cost, the total, and the stock that may be issued to it.
type TicketPartsView struct {
	Rows      []PartRow
	Total     string
	Available []Option
	// CanIssue: the user may record movements for this ticket (the form shows).
	CanIssue bool
	// Used lists the parts kept (issued less returned), one a line.
	Used string
}

// PartsUsed is what the solution form's "parts used" starts with: the parts
// issued from the stock, less those returned, one a line ("2 × Toner (W2200A)"),
// so that the solution and the intervention report name them; the technician
// may change it (helpdesk.SolveWithParts keeps the text).
func (x *TicketTab) PartsUsed() string {
	if x.Parts == nil {
		return ""
	}
	return x.Parts.Used
}

// PartRow is one part issued to the ticket or returned from it.
type PartRow struct {
	Item, Kind, Quantity, Cost string
	Returned                   bool
}

// ticketParts fills the ticket page's parts: the side list with the cost, the
// header's cost fact, and the issue form's choices.
func (u *UI) ticketParts(c *req, rec *record.Record, x *TicketTab) error {
	if u.Stock == nil {
		return nil
	}
	ctx := c.R.Context()
	parts, cents, err := u.Stock.TicketParts(ctx, c.Actor, rec.ID)
	if err != nil {
		return err
	}
	v := &TicketPartsView{}
	kf := u.App.Reg.MustType(stock.MovementsType).Field("kind")
	for _, p := range parts {
		v.Rows = append(v.Rows, PartRow{Item: p.Item, Kind: enumLabel(c, kf, p.Kind), Quantity: fmtInt(c.Lang, p.Quantity),
			Cost: fmtNumber(c.Lang, float64(p.Cents)/100, 2), Returned: p.Kind == stock.Returned})
	}
	v.Used = partsUsed(parts)
	if len(parts) > 0 {
		v.Total = fmtNumber(c.Lang, float64(cents)/100, 2)
		x.Head.Facts = append(x.Head.Facts, Detail{Label: c.T("ui.stock.parts_cost"), Text: v.Total})
	}
	if x.CanAct && x.Open {
		avail, err := u.Stock.Available(ctx, c.Actor, rec.OrgID, 300)
		if err != nil {
			return err
		}
		typed := ""
		if x.Form != nil && x.Form.Name == "parts" {
			typed = x.Form.Typed["stock"]
		}
		for _, s := range avail {
			val := strconv.FormatInt(s.ItemID, 10) + ":" + strconv.FormatInt(s.LocationID, 10)
			label := s.Item
			if s.Reference != "" {
				label += " (" + s.Reference + ")"
			}
			label += " — " + c.T("ui.stock.at_left", s.Location, fmtInt(c.Lang, s.Quantity))
			v.Available = append(v.Available, Option{Value: val, Label: label, Selected: val == typed})
		}
		v.CanIssue = c.Actor.Can(u.App.Reg.MustType(stock.MovementsType), record.Create)
	}
	if len(v.Rows) > 0 || v.CanIssue {
		x.Parts = v
	}
	return nil
}

// issuePart issues a part to the ticket from its page: the stock chosen (an item
// at a location) and the quantity. The item and location's messages go by the
// one select.
func (u *UI) issuePart(c *req, hd *helpdesk.Service, id int64) (string, error) {
	f := c.R.PostFormValue
	in := record.Input{"ticket_id": id, "kind": stock.Issued, "quantity": strings.TrimSpace(f("quantity"))}
	item, loc, ok := strings.Cut(f("stock"), ":")
	if !ok || item == "" || loc == "" {
		return "", &record.Error{Code: record.CodeInvalid, Msg: record.Msg{Key: "err.invalid"}, Fields: map[string]record.Msg{"stock": {Key: "err.stock_choose"}}}
	}
	in["stock_item_id"], in["location_id"] = item, loc
	_, err := u.Stock.Move(c.R.Context(), c.Actor, in)
	if e, ok := record.AsError(err); ok && len(e.Fields) > 0 {
		for _, k := range []string{"stock_item_id", "location_id"} {
			if m, bad := e.Fields[k]; bad {
				e.Fields["stock"] = m
				delete(e.Fields, k)
			}
		}
	}
	return "?done=part_issued#parts", err
}

// partEntryTitle names a thread entry of a part issued or returned.
func partEntryTitle(c *req, kind string) string {
	if kind == stock.Returned {
		return c.T("ui.stock.entry_returned")
	}
	return c.T("ui.stock.entry_issued")
}

// partsUsed writes the parts kept by a ticket, issued less returned, by item in
// the order first issued.
func partsUsed(parts []stock.Part) string {
	var order []string
	n := map[string]int64{}
	for _, p := range parts {
		label := p.Item
		if _, seen := n[label]; !seen {
			order = append(order, label)
		}
		if p.Kind == stock.Returned {
			n[label] -= p.Quantity
		} else {
			n[label] += p.Quantity
		}
	}
	var lines []string
	for _, l := range order {
		if n[l] > 0 {
			lines = append(lines, strconv.FormatInt(n[l], 10)+" × "+l)
		}
	}
	return strings.Join(lines, "\n")
}
