package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"parc/internal/purchase"
	"parc/internal/record"
	"parc/internal/stock"
)

// Purchasing pages: the purchasing page (requests to approve, approved ones to
// order, orders expected), an order's lines with a reception form per line, a
// request's decision, the parts a ticket waits for (its page and the portal's)
// with the form that requests one, and a supplier's delivery times.

func init() {
	pageNames = append(pageNames, "purchasing")
	pageParts["item"] = append(pageParts["item"], "templates/purchase_parts.html")
	pageParts["portal_ticket"] = append(pageParts["portal_ticket"], "templates/purchase_parts.html")
	pageParts["purchasing"] = []string{"templates/purchase_parts.html"}
	for k, v := range map[string]string{"received": "purchase.done_received", "requested": "purchase.done_requested",
		"approved": "purchase.done_approved", "refused": "purchase.done_refused", "ordered": "purchase.done_ordered", "sent": "purchase.done_sent"} {
		doneKeys["purchase_"+k] = v
	}
}

// registerPurchase adds purchasing's pages.
func (u *UI) registerPurchase(mux *http.ServeMux) {
	if u.Purchase == nil {
		return
	}
	mux.HandleFunc("GET /purchasing", u.page(u.purchasingPage))
	mux.HandleFunc("POST /purchasing/requests", u.page(u.purchaseRequest))
	mux.HandleFunc("POST /purchasing/requests/{id}/decide", u.page(u.purchaseDecide))
	mux.HandleFunc("POST /purchasing/order", u.page(u.purchaseOrder))
	mux.HandleFunc("POST /purchasing/lines/{id}/receive", u.page(u.purchaseReceive))
	mux.HandleFunc("POST /purchasing/orders/{id}/send", u.page(u.purchaseSend))
}

// purchaseLists are purchasing's record lists, which the purchasing page
// leads to: the menu has the page instead.
var purchaseLists = map[string]bool{"/purchase-requests": true, "/purchase-orders": true, "/purchase-order-lines": true}

// purchaseMenu puts the purchasing page in the place of its lists.
func (u *UI) purchaseMenu(c *req, active string, items []MenuItem) []MenuItem {
	seen := false
	items = slices.DeleteFunc(items, func(it MenuItem) bool {
		if purchaseLists[it.Href] {
			seen = true
			return true
		}
		return false
	})
	if seen {
		items = append(items, MenuItem{Label: c.T("purchase.title"), Href: "/purchasing", Active: active == "/purchasing" || purchaseLists[active]})
	}
	return items
}

// PurchaseView is what a record's page shows of purchasing.
type PurchaseView struct {
	CSRF string
	// Awaited: the parts a ticket waits for (tickets, the portal).
	Awaited []AwaitedRow
	// RequestForm: request a part for the ticket (tickets).
	RequestForm *PartRequestForm
	// Lines: an order's lines with their reception forms.
	Lines     []OrderLineRow
	Locations []Option
	Order     string
	// AddLine opens a new line's form; Send marks a draft order as sent.
	AddLine, Send string
	// Decide: a submitted request the user may approve or refuse.
	Decide string
	Error  string
}

// AwaitedRow is a part a ticket waits for, in words.
type AwaitedRow struct {
	Item, When, Status, Href string
	Late                     bool
}

// PartRequestForm requests a part for a ticket.
type PartRequestForm struct {
	TicketID int64
	Items    []Option
	Reason   string
}

// OrderLineRow is an order line and its reception form.
type OrderLineRow struct {
	ID                             int64
	Item, Ordered, Received, Left  string
	Price, Lead, Request, RequestH string
	Action                         string // the reception form's action; "" when nothing is left or allowed
	Max                            int64
}

// awaitedRows words a ticket's awaited parts.
func (u *UI) awaitedRows(c *req, list []purchase.Awaited, links bool) []AwaitedRow {
	var out []AwaitedRow
	for _, x := range list {
		r := AwaitedRow{Item: c.T("purchase.awaited_item", x.Quantity, x.Item), Late: x.Late}
		switch {
		case x.Status == purchase.Received:
			r.When = c.T("purchase.arrived")
		case x.Ordered && x.Expected != "":
			r.When = c.T("purchase.expected_on", fmtDate(c.Lang, x.Expected))
			if x.Late {
				r.When += " — " + c.T("purchase.late")
			}
		default:
			r.When = c.T("purchase.not_ordered")
		}
		r.Status = c.T("enum.status." + x.Status)
		if links {
			r.Href = "/purchase-requests/" + strconv.FormatInt(x.RequestID, 10)
		}
		out = append(out, r)
	}
	return out
}

// purchasePanels fills the purchasing parts of a record's page.
func (u *UI) purchasePanels(c *req, t *record.Type, rec *record.Record, p *ItemPage) error {
	ctx := c.R.Context()
	v := &PurchaseView{Error: c.purchaseErr}
	if c.Sess != nil {
		v.CSRF = c.Sess.CSRF
	}
	switch t.Name {
	case "tickets":
		list, err := u.Purchase.TicketParts(ctx, c.Actor, rec.ID)
		if err != nil {
			return err
		}
		rt := u.App.Reg.MustType(purchase.RequestsType)
		v.Awaited = u.awaitedRows(c, list, c.Actor.Can(rt, record.Read))
		if c.Actor.CanIn(rt, record.Create, rec.OrgID) && rec.DeletedAt == nil && rec.String("status") != "solved" && rec.String("status") != "closed" {
			f := &PartRequestForm{TicketID: rec.ID}
			items, err := u.App.Records.List(ctx, c.Actor, u.App.Reg.MustType(stock.ItemsType), record.ListQuery{Sort: "name", Limit: 200})
			if err != nil {
				return err
			}
			f.Items = []Option{{Value: "", Label: c.T("purchase.free_text_item")}}
			for _, it := range items.Records {
				if related(c.Actor.Tree, it.OrgID, rec.OrgID) {
					f.Items = append(f.Items, Option{Value: strconv.FormatInt(it.ID, 10), Label: it.Label()})
				}
			}
			v.RequestForm = f
		}
		if len(v.Awaited) == 0 && v.RequestForm == nil {
			return nil
		}
	case purchase.OrdersType:
		lines, err := u.Purchase.Lines(ctx, c.Actor, rec.ID)
		if err != nil {
			return err
		}
		v.Order = rec.Label()
		st := rec.String("status")
		lt := u.App.Reg.MustType(purchase.LinesType)
		canReceive := (st == purchase.OrderOrdered || st == purchase.OrderPartial) && c.Actor.CanIn(lt, record.Update, rec.OrgID) && rec.DeletedAt == nil
		for _, l := range lines {
			left := l.Int("quantity") - l.Int("quantity_received")
			row := OrderLineRow{ID: l.ID, Item: l.Label(), Ordered: fmtInt(c.Lang, l.Int("quantity")), Received: fmtInt(c.Lang, l.Int("quantity_received")),
				Left: fmtInt(c.Lang, left), Lead: c.T("ui.stock.days", l.Int("lead_time_days")), Max: left}
			if price, ok := l.Values["unit_price"].(float64); ok {
				row.Price = money(c, price)
			}
			if id := l.Int("request_id"); id != 0 {
				row.Request, row.RequestH = l.Display["request_id"], "/purchase-requests/"+strconv.FormatInt(id, 10)
			}
			if canReceive && left > 0 {
				row.Action = "/purchasing/lines/" + strconv.FormatInt(l.ID, 10) + "/receive"
			}
			v.Lines = append(v.Lines, row)
		}
		open := st == purchase.OrderDraft || st == purchase.OrderOrdered || st == purchase.OrderPartial
		if open && c.Actor.CanIn(lt, record.Create, rec.OrgID) && rec.DeletedAt == nil {
			v.AddLine = "/purchase-order-lines/new?order_id=" + strconv.FormatInt(rec.ID, 10)
		}
		if st == purchase.OrderDraft && len(lines) > 0 && canUpdate(c.Actor, rec) && rec.DeletedAt == nil {
			v.Send = "/purchasing/orders/" + strconv.FormatInt(rec.ID, 10) + "/send"
		}
		if canReceive {
			places, err := u.Stock.Locations(ctx, c.Actor, rec)
			if err != nil {
				return err
			}
			want := strconv.FormatInt(rec.Int("location_id"), 10)
			for _, pl := range places {
				id := strconv.FormatInt(pl.ID, 10)
				v.Locations = append(v.Locations, Option{Value: id, Label: pl.Name, Selected: id == want})
			}
		}
	case purchase.RequestsType:
		st := rec.String("status")
		if (st == purchase.Submitted || st == purchase.Draft) && u.Purchase.CanApprove(c.Actor, rec.OrgID) && rec.DeletedAt == nil {
			v.Decide = "/purchasing/requests/" + strconv.FormatInt(rec.ID, 10) + "/decide"
		} else {
			return nil
		}
	case "suppliers":
		d, err := u.Purchase.SupplierDeliveries(ctx, c.Actor, rec.ID)
		if err != nil {
			return err
		}
		b := DetailBlock{ID: "deliveries", Title: c.T("purchase.deliveries_title")}
		if d.Count == 0 {
			b.Details = append(b.Details, Detail{Label: c.T("purchase.deliveries_received"), Text: c.T("purchase.deliveries_none")})
		} else {
			b.Details = append(b.Details,
				Detail{Label: c.T("purchase.deliveries_received"), Text: fmtInt(c.Lang, int64(d.Count))},
				Detail{Label: c.T("purchase.deliveries_promised"), Text: c.T("purchase.days", fmtNumber(c.Lang, d.AvgPromised, 1))},
				Detail{Label: c.T("purchase.deliveries_actual"), Text: c.T("purchase.days", fmtNumber(c.Lang, d.AvgActual, 1))},
				Detail{Label: c.T("purchase.deliveries_late"), Text: c.T("purchase.late_of", d.Late, d.Count)})
			for i, o := range d.Orders {
				if i == 10 {
					break
				}
				text := c.T("purchase.delivery_line", fmtDate(c.Lang, o.Ordered), fmtDate(c.Lang, o.Received), o.Promised, o.Actual)
				if o.Late {
					text += " — " + c.T("purchase.late")
				}
				b.Details = append(b.Details, Detail{Label: o.Number, Text: text, Href: "/purchase-orders/" + strconv.FormatInt(o.OrderID, 10)})
			}
		}
		if d.Open > 0 {
			b.Details = append(b.Details, Detail{Label: c.T("purchase.deliveries_open"), Text: c.T("purchase.open_late", d.Open, d.OpenLate)})
		}
		p.Blocks = append(p.Blocks, b)
		return nil
	default:
		return nil
	}
	p.Purchase = v
	return nil
}

func related(tree *record.OrgTree, a, b int64) bool {
	return tree.IsAncestorOrSelf(a, b) || tree.IsAncestorOrSelf(b, a)
}

// purchaseRequest records a request from a ticket's page or a reorder
// suggestion, then opens the ticket (or the request).
func (u *UI) purchaseRequest(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(c.R.PostFormValue(k)) }
	in := record.Input{"quantity": f("quantity"), "reason": f("reason")}
	for _, k := range []string{"stock_item_id", "item_label", "location_id", "organization_id", "ticket_id"} {
		if v := f(k); v != "" {
			in[k] = v
		}
	}
	ticket := f("ticket_id")
	if ticket != "" {
		tid, _ := strconv.ParseInt(ticket, 10, 64)
		tk, err := u.App.Records.Get(c.R.Context(), c.Actor, u.App.Reg.MustType("tickets"), tid)
		if err != nil {
			return err
		}
		in["organization_id"] = tk.OrgID
		if f("ticket_waits") != "" {
			in["ticket_waits"] = true
			in["pending_reason"] = c.T("purchase.pending_reason", f("quantity"), u.itemName(c, f("stock_item_id"), f("item_label")))
		}
	}
	r, err := u.Purchase.Request(c.R.Context(), c.Actor, in)
	if err != nil {
		e, ok := record.AsError(err)
		if !ok || ticket == "" || e.Code == record.CodeNotFound || e.Code == record.CodeForbidden {
			return err
		}
		c.purchaseErr = e.Render(u.Cat, c.Lang, u.App.Reg.MustType(purchase.RequestsType)).String()
		c.R.SetPathValue("id", ticket)
		return u.renderItem(c, u.App.Reg.MustType("tickets"), "details", nil, e.Code.HTTPStatus())
	}
	if ticket != "" {
		return redirect(c, "/tickets/"+ticket+"?done=purchase_requested#purchase")
	}
	return redirect(c, "/purchase-requests/"+strconv.FormatInt(r.ID, 10)+"?done=purchase_requested")
}

func (u *UI) itemName(c *req, id, label string) string {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
		if r, err := u.App.Records.Get(c.R.Context(), c.Actor, u.App.Reg.MustType(stock.ItemsType), n); err == nil {
			return r.Label()
		}
	}
	return label
}

// purchaseDecide approves or refuses a request.
func (u *UI) purchaseDecide(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	approve := c.R.PostFormValue("decision") == "approve"
	if _, err := u.Purchase.Decide(c.R.Context(), c.Actor, id, approve, strings.TrimSpace(c.R.PostFormValue("comment"))); err != nil {
		return err
	}
	done := "purchase_refused"
	if approve {
		done = "purchase_approved"
	}
	back := "/purchase-requests/" + strconv.FormatInt(id, 10)
	if c.R.PostFormValue("back") == "purchasing" {
		back = "/purchasing"
	}
	return redirect(c, back+"?done="+done)
}

// purchaseOrder makes a draft order of the approved requests ticked.
func (u *UI) purchaseOrder(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	sup, _ := strconv.ParseInt(c.R.PostFormValue("supplier_id"), 10, 64)
	var ids []int64
	for _, s := range c.R.PostForm["request_id"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	o, err := u.Purchase.OrderRequests(c.R.Context(), c.Actor, 0, sup, 0, ids)
	if err != nil {
		return err
	}
	return redirect(c, "/purchase-orders/"+strconv.FormatInt(o.ID, 10)+"?done=purchase_ordered")
}

// purchaseReceive receives a line's delivery; refused (more than ordered...),
// the order's page again with the message by the lines.
func (u *UI) purchaseReceive(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	q, _ := strconv.ParseInt(strings.TrimSpace(c.R.PostFormValue("quantity")), 10, 64)
	loc, _ := strconv.ParseInt(c.R.PostFormValue("location_id"), 10, 64)
	rc, err := u.Purchase.Receive(c.R.Context(), c.Actor, id, q, loc, strings.TrimSpace(c.R.PostFormValue("comment")))
	if err == nil {
		return redirect(c, "/purchase-orders/"+strconv.FormatInt(rc.Line.Int("order_id"), 10)+"?done=purchase_received#purchase")
	}
	e, ok := record.AsError(err)
	if !ok || e.Code == record.CodeNotFound || e.Code == record.CodeForbidden {
		return err
	}
	line, lerr := u.App.Records.Get(c.R.Context(), c.Actor, u.App.Reg.MustType(purchase.LinesType), id)
	if lerr != nil {
		return err
	}
	c.purchaseErr = e.Render(u.Cat, c.Lang, u.App.Reg.MustType(purchase.LinesType)).String()
	c.R.SetPathValue("id", strconv.FormatInt(line.Int("order_id"), 10))
	return u.renderItem(c, u.App.Reg.MustType(purchase.OrdersType), "details", nil, e.Code.HTTPStatus())
}

// purchaseSend marks a draft order as sent to its supplier: dated today, its
// expected date follows.
func (u *UI) purchaseSend(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	if _, err := u.Purchase.Send(c.R.Context(), c.Actor, id); err != nil {
		return err
	}
	return redirect(c, "/purchase-orders/"+strconv.FormatInt(id, 10)+"?done=purchase_sent#purchase")
}

// PurchasingPage is the purchasing page.
type PurchasingPage struct {
	Base
	CSRF      string
	ToApprove []RequestRow
	Approved  []RequestRow
	Suppliers []Option
	CanOrder  bool
	Expected  []ExpectedRow
}

// RequestRow is a request as the purchasing page lists it.
type RequestRow struct {
	ID                         int64
	Href, Item, Qty, By, Org   string
	Reason, Ticket, TicketHref string
	Supplier                   string
	Decide                     string
}

// ExpectedRow is an order expected.
type ExpectedRow struct {
	Href, Number, Supplier, Status, Ordered, Expected, Total string
	Late                                                     bool
}

func (u *UI) purchasingPage(c *req) error {
	ctx := c.R.Context()
	rt, ot := u.App.Reg.MustType(purchase.RequestsType), u.App.Reg.MustType(purchase.OrdersType)
	if !c.Actor.Can(rt, record.Read) && !c.Actor.Can(ot, record.Read) {
		return record.ErrForbidden()
	}
	p := &PurchasingPage{Base: u.base(c, c.T("purchase.title"), "/purchasing")}
	if c.Sess != nil {
		p.CSRF = c.Sess.CSRF
	}
	row := func(r *record.Record) RequestRow {
		x := RequestRow{ID: r.ID, Href: "/purchase-requests/" + strconv.FormatInt(r.ID, 10), Item: r.String("item_label"),
			Qty: fmtInt(c.Lang, r.Int("quantity")), By: r.Display["requested_by"], Reason: r.String("reason"), Supplier: r.Display["supplier_id"]}
		if o := c.Actor.Tree.Get(r.OrgID); o != nil {
			x.Org = o.Name
		}
		if tk := r.Int("ticket_id"); tk != 0 {
			x.Ticket, x.TicketHref = "#"+strconv.FormatInt(tk, 10)+" "+r.Display["ticket_id"], "/tickets/"+strconv.FormatInt(tk, 10)
		}
		return x
	}
	if c.Actor.Can(rt, record.Read) {
		list, err := u.Purchase.ToApprove(ctx, c.Actor, 200)
		if err != nil {
			return err
		}
		for _, r := range list {
			x := row(r)
			x.Decide = "/purchasing/requests/" + strconv.FormatInt(r.ID, 10) + "/decide"
			p.ToApprove = append(p.ToApprove, x)
		}
		appr, err := u.Purchase.RequestsIn(ctx, c.Actor, purchase.Approved, 200)
		if err != nil {
			return err
		}
		for _, r := range appr {
			p.Approved = append(p.Approved, row(r))
		}
		if len(appr) > 0 && c.Actor.Can(ot, record.Create) {
			p.CanOrder = true
			sups, err := u.App.Records.List(ctx, c.Actor, u.App.Reg.MustType("suppliers"), record.ListQuery{Sort: "name", Limit: 500})
			if err != nil {
				return err
			}
			for _, s := range sups.Records {
				p.Suppliers = append(p.Suppliers, Option{Value: strconv.FormatInt(s.ID, 10), Label: s.Label()})
			}
		}
	}
	if c.Actor.Can(ot, record.Read) {
		list, err := u.Purchase.Expected(ctx, c.Actor, 200)
		if err != nil {
			return err
		}
		today := u.Purchase.Today()
		for _, o := range list {
			x := ExpectedRow{Href: "/purchase-orders/" + strconv.FormatInt(o.ID, 10), Number: o.Label(), Supplier: o.Display["supplier_id"],
				Status: enumLabel(c, ot.Field("status"), o.String("status")), Ordered: fmtDate(c.Lang, o.String("order_date")),
				Expected: fmtDate(c.Lang, o.String("expected_date"))}
			if tot, ok := o.Values["total"].(float64); ok {
				x.Total = money(c, tot)
			}
			if e := o.String("expected_date"); e != "" && e < today {
				x.Late = true
			}
			p.Expected = append(p.Expected, x)
		}
	}
	return u.renderPage(c, http.StatusOK, "purchasing", p)
}
