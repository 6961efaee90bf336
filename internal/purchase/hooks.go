package purchase

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"parc/internal/helpdesk/lifecycle"
	"parc/internal/record"
	"parc/internal/store"
)

// DateLayout is how dates are kept.
const DateLayout = "2006-01-02"

// today is the current day in the server's time zone, as a date.
func today(w *record.Write) string { return w.Service.Now().In(time.Local).Format(DateLayout) }

// related reports whether two organisations are in one line of the tree (one is
// the other, an ancestor or a descendant).
func related(tree *record.OrgTree, a, b int64) bool {
	return tree.IsAncestorOrSelf(a, b) || tree.IsAncestorOrSelf(b, a)
}

// readRef reads a referenced record under the writer's rights; nil (and the
// field reported) when it is not readable or in the trash.
func readRef(w *record.Write, field, typ string) (*record.Record, error) {
	id, _ := w.New.Values[field].(int64)
	if id == 0 {
		return nil, nil
	}
	if m, bad := w.Errors[field]; bad && m.Key != "err.reference_other_org" {
		return nil, nil
	}
	delete(w.Errors, field)
	r, err := w.Service.GetTx(w.Ctx, w.Tx, w.Actor, w.Service.Reg.MustType(typ), id)
	if err != nil {
		if e, ok := record.AsError(err); ok && e.Code == record.CodeNotFound {
			w.Errors.Add(field, "err.bad_reference")
			return nil, nil
		}
		return nil, err
	}
	if r.DeletedAt != nil {
		w.Errors.Add(field, "err.bad_reference")
		return nil, nil
	}
	return r, nil
}

// parcStatus: statuses only parc sets (through the service's use cases, with
// the user's actor raised on their behalf).
var parcStatus = map[string]string{Approved: "err.purchase_decide_action", Refused: "err.purchase_decide_action",
	Ordered: "err.purchase_status_by_parc", Received: "err.purchase_status_by_parc"}

// requestBeforeWrite fills a request from its stock item (label, supplier),
// keeps its statuses in order and records who asked and who decided.
func requestBeforeWrite(w *record.Write) error {
	r := w.New
	item, err := readRef(w, "stock_item_id", "stock-items")
	if err != nil {
		return err
	}
	if item != nil {
		if !related(w.Actor.Tree, item.OrgID, r.OrgID) {
			w.Errors.Add("stock_item_id", "err.purchase_other_org")
		}
		if strings.TrimSpace(r.String("item_label")) == "" {
			r.Values["item_label"] = item.Label()
		}
		if r.Values["supplier_id"] == nil && item.Values["supplier_id"] != nil && w.Create {
			r.Values["supplier_id"] = item.Values["supplier_id"]
		}
	}
	if strings.TrimSpace(r.String("item_label")) == "" {
		w.Errors.Add("item_label", "err.purchase_item_required")
	}
	if tk, err := readRef(w, "ticket_id", "tickets"); err != nil {
		return err
	} else if tk != nil && !related(w.Actor.Tree, tk.OrgID, r.OrgID) {
		w.Errors.Add("ticket_id", "err.purchase_other_org")
	}
	if r.Bool("ticket_waits") && r.Values["ticket_id"] == nil {
		w.Errors.Add("ticket_waits", "err.purchase_waits_ticket")
	}
	from := Draft
	if w.Old != nil {
		from = w.Old.String("status")
	}
	to := r.String("status")
	if w.Create {
		from = ""
		if w.Actor.UserID != 0 {
			r.Values["requested_by"] = w.Actor.UserID
		}
	}
	if to != from && !w.Actor.System {
		if key, ok := parcStatus[to]; ok {
			w.Errors.Add("status", key)
		} else if _, decided := parcStatus[from]; decided {
			w.Errors.Add("status", "err.purchase_request_decided")
		}
	}
	// What was decided stays what it was: the item and the quantity.
	if _, decided := parcStatus[from]; decided && w.Old != nil && !w.Actor.System {
		for _, f := range []string{"stock_item_id", "item_label", "quantity"} {
			if !record.Equal(w.Old.Values[f], r.Values[f]) {
				w.Errors.Add(f, "err.purchase_request_decided")
			}
		}
	}
	if to != from {
		switch to {
		case Approved, Refused:
			r.Values["decided_by"] = nil
			if w.Actor.UserID != 0 {
				r.Values["decided_by"] = w.Actor.UserID
			}
			r.Values["decided_at"] = w.Service.Now()
		case Received:
			r.Values["received_at"] = w.Service.Now()
		}
	}
	return nil
}

// requestAfterWrite puts the ticket on hold when the request says it waits for
// the part: pending, with a reason, through the helpdesk's own rules (its SLA
// clock pauses as for any pending ticket).
func requestAfterWrite(w *record.Write) error {
	r := w.New
	waits := r.Bool("ticket_waits") && r.Values["ticket_id"] != nil
	if !waits || (w.Old != nil && w.Old.Bool("ticket_waits") && w.Old.Int("ticket_id") == r.Int("ticket_id")) {
		return nil
	}
	if s := r.String("status"); s == Refused || s == Received {
		return nil
	}
	tickets := w.Service.Reg.MustType("tickets")
	tk, err := w.Service.GetTx(w.Ctx, w.Tx, record.SystemActor(w.Actor.Tree, w.Actor.Origin), tickets, r.Int("ticket_id"))
	if err != nil {
		return err
	}
	st := lifecycle.Status(tk.String("status"))
	switch {
	case st == lifecycle.Pending:
		return nil // already waiting (for this part among others)
	case !lifecycle.IsOpen(st):
		return record.E(record.CodeConflict, "err.purchase_ticket_closed")
	case !w.Actor.System && !w.Actor.CanIn(tickets, record.Update, tk.OrgID):
		return record.E(record.CodeForbidden, "err.purchase_ticket_not_allowed")
	}
	reason, _ := w.Extra["pending_reason"].(string)
	if strings.TrimSpace(reason) == "" {
		reason = fmt.Sprintf("%d × %s", r.Int("quantity"), r.String("item_label"))
	}
	_, err = w.Service.UpdateTx(w.Ctx, w.Tx, w.Actor.Elevated("the ticket waits for a part"), tickets, tk.ID,
		record.Input{"status": string(lifecycle.Pending), "pending_reason": reason})
	return err
}

// orderBeforeWrite numbers a new order, dates it when it is ordered, keeps the
// reception statuses to parc, and derives the lead time, expected date and total
// from the lines.
func orderBeforeWrite(w *record.Write) error {
	r := w.New
	if strings.TrimSpace(r.String("number")) == "" {
		var n int64
		year := w.Service.Now().In(time.Local).Year()
		if err := w.Tx.QueryRowContext(w.Ctx, "SELECT COUNT(*) FROM purchase_orders WHERE organization_id = ?", r.OrgID).Scan(&n); err != nil {
			return err
		}
		r.Values["number"] = fmt.Sprintf("PO-%d-%04d", year, n+1)
	}
	from := OrderDraft
	if w.Old != nil {
		from = w.Old.String("status")
	}
	to := r.String("status")
	if to != from && !w.Actor.System {
		switch {
		case to == OrderPartial || to == OrderReceived:
			w.Errors.Add("status", "err.purchase_received_by_parc")
		case from == OrderPartial || from == OrderReceived:
			w.Errors.Add("status", "err.purchase_order_received")
		}
	}
	if to == OrderOrdered && r.Values["order_date"] == nil {
		r.Values["order_date"] = today(w)
	}
	if to == OrderReceived && from != to {
		r.Values["received_date"] = today(w)
	}
	if w.Old != nil && w.Old.Int("supplier_id") != r.Int("supplier_id") {
		var n int64
		if err := w.Tx.QueryRowContext(w.Ctx, "SELECT COUNT(*) FROM purchase_order_lines WHERE order_id = ? AND deleted_at IS NULL", r.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			w.Errors.Add("supplier_id", "err.purchase_supplier_has_lines")
		}
	}
	if w.Create {
		return nil
	}
	d, err := derive(w.Ctx, w.Tx, r.ID, 0)
	if err != nil {
		return err
	}
	d.apply(r.Values)
	return nil
}

// derived are an order's figures worked out from its lines.
type derived struct {
	lead  int64
	lines int64
	total float64
}

// derive reads an order's lines (but skip): the longest lead time and the total.
func derive(ctx context.Context, q store.Querier, order, skip int64) (derived, error) {
	var d derived
	var total any
	err := q.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(MAX(lead_time_days), 0), COALESCE(SUM(quantity * unit_price), 0) FROM purchase_order_lines WHERE order_id = ? AND id <> ? AND deleted_at IS NULL",
		order, skip).Scan(&d.lines, &d.lead, &total)
	d.total = record.Float(total)
	return d, err
}

// apply writes the figures to an order's values: the expected date is the
// order's date plus the longest lead time.
func (d derived) apply(v map[string]any) {
	v["lead_time_days"], v["expected_date"] = nil, nil
	v["total"] = cents(d.total)
	if d.lines == 0 {
		return
	}
	v["lead_time_days"] = d.lead
	if day, err := time.Parse(DateLayout, record.Format(v["order_date"])); err == nil {
		v["expected_date"] = day.AddDate(0, 0, int(d.lead)).Format(DateLayout)
	}
}

// refreshOrder rewrites an order's derived figures after a change of its lines
// (skip: a line about to be deleted).
func refreshOrder(ctx context.Context, tx *store.Tx, order, skip int64) error {
	d, err := derive(ctx, tx, order, skip)
	if err != nil {
		return err
	}
	var day sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT order_date FROM purchase_orders WHERE id = ?", order).Scan(&day); err != nil {
		return err
	}
	v := map[string]any{"order_date": dateOf(day.String)}
	d.apply(v)
	_, err = tx.ExecContext(ctx, "UPDATE purchase_orders SET lead_time_days = ?, expected_date = ?, total = ? WHERE id = ?",
		v["lead_time_days"], v["expected_date"], v["total"], order)
	return err
}

// dateOf reads a date column as either driver gives it ("2026-03-01" or a
// timestamp text).
func dateOf(s string) any {
	if len(s) >= 10 {
		return s[:10]
	}
	return nil
}

// orderBeforeDelete keeps an order that received goods: it is the record of
// what came into stock.
func orderBeforeDelete(ctx context.Context, tx *store.Tx, db *store.DB, r *record.Record, purge bool) error {
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM purchase_order_lines WHERE order_id = ? AND quantity_received > 0", r.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return record.E(record.CodeConflict, "err.purchase_order_has_receptions")
	}
	return nil
}

// lineBeforeWrite files a line in its order's organisation and fills it from
// its request, stock item and the supplier's catalogue: label, price, lead time.
func lineBeforeWrite(w *record.Write) error {
	r, errs := w.New, w.Errors
	orderID, _ := r.Values["order_id"].(int64)
	if orderID == 0 {
		return nil // reported as required
	}
	if w.Old != nil && w.Old.Int("order_id") != orderID {
		errs.Add("order_id", "err.purchase_line_moved")
		return nil
	}
	if m, bad := errs["organization_id"]; bad && m.Key == "err.required" {
		delete(errs, "organization_id")
	}
	order, err := readRef(w, "order_id", OrdersType)
	if err != nil || order == nil {
		return err
	}
	r.OrgID = order.OrgID
	action := record.Update
	if w.Create {
		action = record.Create
	}
	if !w.Actor.CanIn(w.Type, action, order.OrgID) {
		errs.Add("organization_id", "err.org_not_allowed")
	}
	if st := order.String("status"); st == OrderReceived || st == OrderCancelled {
		return record.E(record.CodeConflict, "err.purchase_order_closed")
	}
	if w.Create {
		r.Values["quantity_received"] = int64(0)
	} else if r.Int("quantity") < w.Old.Int("quantity_received") {
		errs.Add("quantity", "err.purchase_below_received", w.Old.Int("quantity_received"))
	}
	// The request it orders: approved (or already this line's), of the order's tree.
	if req, err := readRef(w, "request_id", RequestsType); err != nil {
		return err
	} else if req != nil {
		mine := w.Old != nil && w.Old.Int("request_id") == req.ID
		switch {
		case !related(w.Actor.Tree, req.OrgID, order.OrgID):
			errs.Add("request_id", "err.purchase_other_org")
		case !mine && req.String("status") != Approved:
			errs.Add("request_id", "err.purchase_request_not_approved")
		}
		if r.Values["stock_item_id"] == nil && req.Values["stock_item_id"] != nil {
			r.Values["stock_item_id"] = req.Values["stock_item_id"]
		}
		if strings.TrimSpace(r.String("label")) == "" {
			r.Values["label"] = req.String("item_label")
		}
		if r.Values["quantity"] == nil {
			r.Values["quantity"] = req.Int("quantity")
		}
	}
	item, err := readRef(w, "stock_item_id", "stock-items")
	if err != nil {
		return err
	}
	if item != nil {
		if !related(w.Actor.Tree, item.OrgID, order.OrgID) {
			errs.Add("stock_item_id", "err.purchase_other_org")
		}
		if strings.TrimSpace(r.String("label")) == "" {
			r.Values["label"] = item.Label()
		}
	}
	// The supplier's catalogue entry: named, else the stock item's reference at
	// the order's supplier.
	sup := order.Int("supplier_id")
	var si *record.Record
	if si, err = readRef(w, "supplier_item_id", "supplier-items"); err != nil {
		return err
	} else if si != nil && si.Int("supplier_id") != sup {
		errs.Add("supplier_item_id", "err.purchase_other_supplier")
		si = nil
	}
	if si == nil && item != nil && item.String("reference") != "" && r.Values["supplier_item_id"] == nil {
		var id int64
		err := w.Tx.QueryRowContext(w.Ctx, "SELECT id FROM supplier_items WHERE supplier_id = ? AND reference = ? AND deleted_at IS NULL ORDER BY id LIMIT 1",
			sup, item.String("reference")).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if id != 0 {
			if si, err = w.Service.GetTx(w.Ctx, w.Tx, record.SystemActor(w.Actor.Tree, w.Actor.Origin), w.Service.Reg.MustType("supplier-items"), id); err != nil {
				return err
			}
			r.Values["supplier_item_id"] = id
		}
	}
	lead := int64(DefaultLeadDays)
	if si != nil {
		if si.Values["lead_time_days"] != nil {
			lead = si.Int("lead_time_days")
		}
		if r.Values["unit_price"] == nil {
			r.Values["unit_price"] = si.Values["unit_price"]
		}
		if strings.TrimSpace(r.String("label")) == "" {
			r.Values["label"] = si.Label()
		}
	}
	if r.Values["unit_price"] == nil && item != nil {
		r.Values["unit_price"] = item.Values["unit_cost"]
	}
	r.Values["lead_time_days"] = lead
	if r.Values["quantity"] == nil {
		errs.Add("quantity", "err.required")
	}
	if strings.TrimSpace(r.String("label")) == "" {
		errs.Add("label", "err.purchase_item_required")
	}
	return nil
}

// lineAfterWrite keeps the order's figures and marks the request ordered.
func lineAfterWrite(w *record.Write) error {
	if err := refreshOrder(w.Ctx, w.Tx, w.New.Int("order_id"), 0); err != nil {
		return err
	}
	id := w.New.Int("request_id")
	if id == 0 || (w.Old != nil && w.Old.Int("request_id") == id) {
		return nil
	}
	_, err := w.Service.UpdateTx(w.Ctx, w.Tx, w.Actor.Elevated("the request is ordered"), w.Service.Reg.MustType(RequestsType), id, record.Input{"status": Ordered})
	return err
}

// lineBeforeDelete keeps a line that received goods; a deleted line's request
// is approved again (to be ordered elsewhere).
func lineBeforeDelete(ctx context.Context, tx *store.Tx, db *store.DB, r *record.Record, purge bool) error {
	if r.Int("quantity_received") > 0 {
		return record.E(record.CodeConflict, "err.purchase_line_received")
	}
	if id := r.Int("request_id"); id != 0 {
		if _, err := tx.ExecContext(ctx, "UPDATE purchase_requests SET status = ? WHERE id = ? AND status = ?", Approved, id, Ordered); err != nil {
			return err
		}
	}
	return refreshOrder(ctx, tx, r.Int("order_id"), r.ID)
}

func cents(x float64) float64 {
	if x < 0 {
		return -float64(int64(-x*100+0.5)) / 100
	}
	return float64(int64(x*100+0.5)) / 100
}
