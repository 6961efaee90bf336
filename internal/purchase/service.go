package purchase

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"parc/internal/helpdesk"
	hlc "parc/internal/helpdesk/lifecycle"
	"parc/internal/i18n"
	"parc/internal/record"
	"parc/internal/stock"
	"parc/internal/store"
)

// Service is purchasing's use cases: deciding requests, ordering them,
// receiving into stock, what a ticket waits for, commitments and suppliers'
// delivery times.
type Service struct {
	Rec      *record.Service
	Stock    *stock.Service
	Helpdesk *helpdesk.Service
	// Cat words the follow-up a waiting ticket gets when its part arrives.
	Cat *i18n.Catalog
	// Lang is the follow-up's language when its requester has none.
	Lang string
}

// NewService makes the service over the record, stock and helpdesk services.
func NewService(rec *record.Service, st *stock.Service, hd *helpdesk.Service, cat *i18n.Catalog) *Service {
	return &Service{Rec: rec, Stock: st, Helpdesk: hd, Cat: cat, Lang: "fr"}
}

func (s *Service) requests() *record.Type { return s.Rec.Reg.MustType(RequestsType) }
func (s *Service) orders() *record.Type   { return s.Rec.Reg.MustType(OrdersType) }
func (s *Service) lines() *record.Type    { return s.Rec.Reg.MustType(LinesType) }

// CanApprove reports whether the actor may decide a request of organisation org.
func (s *Service) CanApprove(a *record.Actor, org int64) bool {
	return a != nil && (a.System || a.CanIn(s.requests(), Approve, org))
}

// Request records a purchase request (by hand, from a ticket, from a reorder
// suggestion): stock_item_id or item_label, quantity, organization_id, reason,
// ticket_id with ticket_waits to put the ticket on hold for the part.
// A request naming a stock item and no organisation goes to the item's.
func (s *Service) Request(ctx context.Context, a *record.Actor, in record.Input) (*record.Record, error) {
	if _, named := in["organization_id"]; !named && in["stock_item_id"] != nil {
		if id, err := strconv.ParseInt(fmt.Sprint(in["stock_item_id"]), 10, 64); err == nil {
			if item, err := s.Rec.Get(ctx, a, s.Rec.Reg.MustType(stock.ItemsType), id); err == nil {
				in["organization_id"] = item.OrgID
			}
		}
	}
	return s.Rec.Create(ctx, a, s.requests(), in)
}

// Decide approves or refuses a submitted request; the actor needs the approve
// right in its organisation. Who and when are recorded on the request.
func (s *Service) Decide(ctx context.Context, a *record.Actor, id int64, approve bool, comment string) (*record.Record, error) {
	var out *record.Record
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		r, err := s.Rec.GetTx(ctx, tx, a, s.requests(), id)
		if err != nil {
			return err
		}
		if !s.CanApprove(a, r.OrgID) {
			return record.ErrForbidden()
		}
		if st := r.String("status"); st != Submitted && st != Draft {
			return record.E(record.CodeConflict, "err.purchase_request_decided")
		}
		to := Refused
		if approve {
			to = Approved
		}
		in := record.Input{"status": to}
		if comment != "" {
			in["decision_comment"] = comment
		}
		out, err = s.Rec.UpdateTx(ctx, tx, a.Elevated("decides the purchase request"), s.requests(), id, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.Rec.Describe(ctx, out)
}

// OrderRequests makes one draft order to a supplier with a line per approved
// request (each request becomes ordered), in organisation org and delivered at
// location (optional both: else the first request's organisation, and where the
// first request that says so wants it).
func (s *Service) OrderRequests(ctx context.Context, a *record.Actor, org, supplier, location int64, ids []int64) (*record.Record, error) {
	if len(ids) == 0 {
		return nil, fieldErr("request_id", "err.purchase_choose_requests")
	}
	var out *record.Record
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		in := record.Input{"supplier_id": supplier, "status": OrderDraft}
		where, place := org, location
		for _, id := range ids {
			r, err := s.Rec.GetTx(ctx, tx, a, s.requests(), id)
			if err != nil {
				continue // reported by the line
			}
			if where == 0 {
				where = r.OrgID
			}
			if place == 0 {
				place = r.Int("location_id")
			}
		}
		if where != 0 {
			in["organization_id"] = where
		}
		if place != 0 {
			in["location_id"] = place
		}
		o, err := s.Rec.CreateTx(ctx, tx, a, s.orders(), in)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := s.Rec.CreateTx(ctx, tx, a, s.lines(), record.Input{"order_id": o.ID, "request_id": id}); err != nil {
				return err
			}
		}
		out, err = s.Rec.GetTx(ctx, tx, a, s.orders(), o.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.Rec.Describe(ctx, out)
}

// Send marks a draft order as sent to its supplier: dated today (unless dated),
// its expected date follows from its lines' lead times.
func (s *Service) Send(ctx context.Context, a *record.Actor, id int64) (*record.Record, error) {
	return s.Rec.Update(ctx, a, s.orders(), id, record.Input{"status": OrderOrdered})
}

// Lines are an order's lines, in order.
func (s *Service) Lines(ctx context.Context, a *record.Actor, orderID int64) ([]*record.Record, error) {
	p, err := s.Rec.List(ctx, a, s.lines(), record.ListQuery{Sort: "id", Limit: record.MaxLimit,
		Filters: []record.Filter{{Field: "order_id", Op: record.OpEq, Value: strconv.FormatInt(orderID, 10)}}})
	if err != nil {
		return nil, err
	}
	return p.Records, nil
}

// Reception is what a reception did.
type Reception struct {
	Line     *record.Record `json:"line"`
	Movement *record.Record `json:"movement,omitempty"`
	// OrderStatus: partially_received or received.
	OrderStatus string `json:"order_status"`
	// TicketID: the waiting ticket told of the part (0: none).
	TicketID int64 `json:"ticket_id,omitempty"`
}

// Receive records the reception of quantity units of an order line, at location
// (else the order's delivery location): the line's received quantity grows by a
// conditional update (more than ordered is refused, 409, and nothing is
// written; two receptions at once stay exact), the stock item's `received`
// movement is written through the stock service, the order becomes partially
// received or received, and a request whose part has all come is received: its
// waiting ticket gets a follow-up (thread, bell, mail) and resumes.
func (s *Service) Receive(ctx context.Context, a *record.Actor, lineID, quantity, location int64, comment string) (*Reception, error) {
	if quantity < 1 || quantity > MaxQuantity {
		return nil, fieldErr("quantity", "err.purchase_receive_quantity")
	}
	var out *Reception
	var followup *record.Record
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		out, followup = &Reception{}, nil
		line, err := s.Rec.GetTx(ctx, tx, a, s.lines(), lineID)
		if err != nil {
			return err
		}
		if !a.CanIn(s.lines(), record.Update, line.OrgID) {
			return record.ErrForbidden()
		}
		sys := record.SystemActor(a.Tree, a.Origin)
		if tx.Dialect() == store.Postgres {
			// Receptions of one order one after the other: each works out the
			// order's status from the lines as the previous one left them.
			if _, err := tx.ExecContext(ctx, "SELECT id FROM purchase_orders WHERE id = ? FOR UPDATE", line.Int("order_id")); err != nil {
				return err
			}
		}
		order, err := s.Rec.GetTx(ctx, tx, sys, s.orders(), line.Int("order_id"))
		if err != nil {
			return err
		}
		if st := order.String("status"); st != OrderOrdered && st != OrderPartial {
			return record.E(record.CodeConflict, "err.purchase_not_ordered")
		}
		item := line.Int("stock_item_id")
		if location == 0 {
			location = order.Int("location_id")
		}
		if item != 0 && location == 0 {
			return fieldErr("location_id", "err.purchase_receive_location")
		}
		res, err := tx.ExecContext(ctx, "UPDATE purchase_order_lines SET quantity_received = quantity_received + ?, version = version + 1, updated_at = ? "+
			"WHERE id = ? AND deleted_at IS NULL AND quantity_received + ? <= quantity", quantity, s.Rec.Now(), lineID, quantity)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var ordered, got int64
			if err := tx.QueryRowContext(ctx, "SELECT quantity, quantity_received FROM purchase_order_lines WHERE id = ?", lineID).Scan(&ordered, &got); err != nil {
				return err
			}
			return record.E(record.CodeConflict, "err.purchase_over_received", line.Label(), ordered, got, ordered-got, quantity)
		}
		if line, err = s.Rec.GetTx(ctx, tx, sys, s.lines(), lineID); err != nil {
			return err
		}
		got := line.Int("quantity_received")
		if err := s.Rec.AddHistoryTx(ctx, tx, a, line, "update", []record.Change{{Field: "quantity_received",
			Old: strconv.FormatInt(got-quantity, 10), New: strconv.FormatInt(got, 10)}}); err != nil {
			return err
		}
		out.Line = line
		if item != 0 {
			note := order.String("number")
			if comment != "" {
				note += " — " + comment
			}
			if out.Movement, err = s.Stock.MoveTx(ctx, tx, a, record.Input{"stock_item_id": item, "location_id": location,
				"kind": stock.Received, "quantity": quantity, "comment": note}); err != nil {
				return err
			}
		}
		// The order's status from all its lines.
		var want, have int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM(quantity), 0), COALESCE(SUM(quantity_received), 0) FROM purchase_order_lines WHERE order_id = ? AND deleted_at IS NULL",
			order.ID).Scan(&want, &have); err != nil {
			return err
		}
		out.OrderStatus = OrderPartial
		if have >= want {
			out.OrderStatus = OrderReceived
		}
		if out.OrderStatus != order.String("status") {
			if _, err := s.Rec.UpdateTx(ctx, tx, a.Elevated("receives the order"), s.orders(), order.ID, record.Input{"status": out.OrderStatus}); err != nil {
				return err
			}
		}
		// The request, once its quantity has come.
		reqID := line.Int("request_id")
		if reqID == 0 {
			return nil
		}
		req, err := s.Rec.GetTx(ctx, tx, sys, s.requests(), reqID)
		if err != nil || req.DeletedAt != nil || req.String("status") != Ordered || got < min(req.Int("quantity"), line.Int("quantity")) {
			return err
		}
		if req, err = s.Rec.UpdateTx(ctx, tx, a.Elevated("the part was received"), s.requests(), reqID, record.Input{"status": Received}); err != nil {
			return err
		}
		if !req.Bool("ticket_waits") || req.Int("ticket_id") == 0 {
			return nil
		}
		out.TicketID = req.Int("ticket_id")
		followup, err = s.partArrived(ctx, tx, a, req, order)
		return err
	})
	if err != nil {
		return nil, err
	}
	if out.Movement != nil {
		if err := s.Rec.Describe(ctx, out.Line, out.Movement); err != nil {
			return nil, err
		}
	} else if err := s.Rec.Describe(ctx, out.Line); err != nil {
		return nil, err
	}
	_ = followup
	return out, nil
}

// partArrived tells a waiting ticket its part came: a public follow-up (its
// thread; the bell and mail follow the helpdesk's follow-up event), then, when
// it waits for nothing else, it resumes as the helpdesk resumes a pending ticket
// (assigned when someone owns it, else new), which ends the pause of its clock.
func (s *Service) partArrived(ctx context.Context, tx *store.Tx, a *record.Actor, req, order *record.Record) (*record.Record, error) {
	tickets := s.Rec.Reg.MustType("tickets")
	sys := record.SystemActor(a.Tree, a.Origin)
	tk, err := s.Rec.GetTx(ctx, tx, sys, tickets, req.Int("ticket_id"))
	if err != nil || tk.DeletedAt != nil || !hlc.IsOpen(hlc.Status(tk.String("status"))) {
		return nil, err
	}
	lang := s.Lang
	var l sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT language FROM users WHERE id = ?", tk.Int("user_id")).Scan(&l); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if l.String != "" {
		lang = l.String
	}
	text := fmt.Sprintf("%d × %s (%s)", req.Int("quantity"), req.String("item_label"), order.String("number"))
	if s.Cat != nil {
		text = s.Cat.T(lang, "purchase.followup_received", req.Int("quantity"), req.String("item_label"), order.String("number"))
	}
	on := a.Elevated("the part the ticket waits for was received")
	f, err := s.Helpdesk.AddChildTx(ctx, tx, on, "ticket-followups", tk.ID, record.Input{"content": text, "private": false})
	if err != nil {
		return nil, err
	}
	if hlc.Status(tk.String("status")) != hlc.Pending {
		return f, nil
	}
	var other int64
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM purchase_requests WHERE ticket_id = ? AND ticket_waits = ? AND deleted_at IS NULL AND status NOT IN (?, ?) AND id <> ?",
		tk.ID, true, Refused, Received, req.ID).Scan(&other); err != nil {
		return nil, err
	}
	if other > 0 {
		return f, nil
	}
	tk, err = s.Rec.GetTx(ctx, tx, sys, tickets, tk.ID)
	if err != nil {
		return nil, err
	}
	owned := tk.Values["assigned_user_id"] != nil || tk.Values["assigned_group_id"] != nil
	_, err = s.Rec.UpdateTx(ctx, tx, on, tickets, tk.ID, record.Input{"status": string(hlc.Reopened(owned))})
	return f, err
}

// Awaited is a part a ticket waits for (or waited for), as its page and the
// requester's portal page show it.
type Awaited struct {
	RequestID int64  `json:"request_id"`
	Item      string `json:"item"`
	Quantity  int64  `json:"quantity"`
	Status    string `json:"status"`
	Waits     bool   `json:"ticket_waits"`
	OrderID   int64  `json:"order_id,omitempty"`
	Order     string `json:"order,omitempty"`
	// Ordered: the part is on an order sent to the supplier; Expected its
	// expected date (the order's date plus the supplier's lead time).
	Ordered  bool   `json:"ordered"`
	Expected string `json:"expected_date,omitempty"`
	Late     bool   `json:"late"`
	Received string `json:"received_at,omitempty"`
}

// TicketParts lists the parts requested for a ticket the actor reads (a
// requester reads their own on the portal): when each is expected, or that it is
// not ordered yet. Not found when the ticket is out of the actor's reach.
func (s *Service) TicketParts(ctx context.Context, a *record.Actor, ticketID int64) ([]Awaited, error) {
	if _, err := s.Rec.Get(ctx, a, s.Rec.Reg.MustType("tickets"), ticketID); err != nil {
		return nil, err
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT r.id, r.item_label, r.quantity, r.status, r.ticket_waits, r.received_at, COALESCE(o.id, 0), COALESCE(o.number, ''), COALESCE(o.status, ''), o.expected_date "+
		"FROM purchase_requests r LEFT JOIN purchase_order_lines l ON l.request_id = r.id AND l.deleted_at IS NULL "+
		"LEFT JOIN purchase_orders o ON o.id = l.order_id AND o.deleted_at IS NULL "+
		"WHERE r.ticket_id = ? AND r.deleted_at IS NULL AND r.status <> ? ORDER BY r.id", ticketID, Refused)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	day := s.Rec.Now().In(time.Local).Format(DateLayout)
	out := []Awaited{}
	for rows.Next() {
		var x Awaited
		var recv sql.NullTime
		var exp sql.NullString
		var ost string
		if err := rows.Scan(&x.RequestID, &x.Item, &x.Quantity, &x.Status, &x.Waits, &recv, &x.OrderID, &x.Order, &ost, &exp); err != nil {
			return nil, err
		}
		x.Ordered = ost == OrderOrdered || ost == OrderPartial || ost == OrderReceived
		if x.Ordered {
			if e, ok := dateOf(exp.String).(string); ok {
				x.Expected = e
				x.Late = x.Status != Received && e < day
			}
		}
		if recv.Valid {
			x.Received = recv.Time.Format(time.RFC3339)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Committed is what the open orders of an organisation dated in a year commit:
// what is still to be received of their lines, at their prices. Budgets show it
// against what was spent (lifecycle.Service.Commitments).
func (s *Service) Committed(ctx context.Context, q store.Querier, org int64, year int) (float64, error) {
	var raw any
	err := q.QueryRowContext(ctx, "SELECT COALESCE(SUM((l.quantity - l.quantity_received) * COALESCE(l.unit_price, 0)), 0) FROM purchase_order_lines l "+
		"JOIN purchase_orders o ON o.id = l.order_id WHERE o.organization_id = ? AND o.deleted_at IS NULL AND l.deleted_at IS NULL "+
		"AND o.status IN (?, ?) AND o.order_date >= ? AND o.order_date < ?",
		org, OrderOrdered, OrderPartial, fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-01-01", year+1)).Scan(&raw)
	return cents(record.Float(raw)), err
}

// Delivery is one received order of a supplier: promised against done.
type Delivery struct {
	OrderID  int64  `json:"order_id"`
	Number   string `json:"number"`
	Ordered  string `json:"order_date"`
	Expected string `json:"expected_date"`
	Received string `json:"received_date"`
	Promised int64  `json:"promised_days"`
	Actual   int64  `json:"actual_days"`
	Late     bool   `json:"late"`
}

// Deliveries is a supplier's record: its received orders (those the actor
// reads), the promised lead time against the actual one, on average, and how
// many came late.
type Deliveries struct {
	Orders      []Delivery `json:"orders"`
	Count       int        `json:"count"`
	AvgPromised float64    `json:"average_promised_days"`
	AvgActual   float64    `json:"average_actual_days"`
	Late        int        `json:"late"`
	// Open: orders sent and not fully received yet, of which OpenLate are past
	// their expected date.
	Open     int `json:"open"`
	OpenLate int `json:"open_late"`
}

// SupplierDeliveries works out a supplier's delivery record.
func (s *Service) SupplierDeliveries(ctx context.Context, a *record.Actor, supplierID int64) (*Deliveries, error) {
	where, args, ok := s.Rec.ScopeSQL(a, s.orders(), record.Read)
	out := &Deliveries{Orders: []Delivery{}}
	if !ok {
		return out, nil
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT id, number, status, order_date, expected_date, received_date, COALESCE(lead_time_days, 0) FROM purchase_orders "+
		"WHERE supplier_id = ? AND deleted_at IS NULL AND status IN (?, ?, ?) AND order_date IS NOT NULL AND "+where+" ORDER BY order_date DESC, id DESC",
		append([]any{supplierID, OrderOrdered, OrderPartial, OrderReceived}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	day := s.Rec.Now().In(time.Local).Format(DateLayout)
	var sumP, sumA int64
	for rows.Next() {
		var d Delivery
		var st string
		var od, ed, rd sql.NullString
		if err := rows.Scan(&d.OrderID, &d.Number, &st, &od, &ed, &rd, &d.Promised); err != nil {
			return nil, err
		}
		d.Ordered, _ = dateOf(od.String).(string)
		d.Expected, _ = dateOf(ed.String).(string)
		d.Received, _ = dateOf(rd.String).(string)
		if st != OrderReceived || d.Received == "" {
			out.Open++
			if d.Expected != "" && d.Expected < day {
				out.OpenLate++
			}
			continue
		}
		o, err1 := time.Parse(DateLayout, d.Ordered)
		r, err2 := time.Parse(DateLayout, d.Received)
		if err1 != nil || err2 != nil {
			continue
		}
		d.Actual = int64(r.Sub(o).Hours()/24 + 0.5)
		d.Late = d.Actual > d.Promised
		if d.Late {
			out.Late++
		}
		sumP += d.Promised
		sumA += d.Actual
		out.Orders = append(out.Orders, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if out.Count = len(out.Orders); out.Count > 0 {
		out.AvgPromised = float64(int64(float64(sumP)*10/float64(out.Count)+0.5)) / 10
		out.AvgActual = float64(int64(float64(sumA)*10/float64(out.Count)+0.5)) / 10
	}
	return out, nil
}

// ToApprove lists the submitted requests the actor may decide, oldest first.
func (s *Service) ToApprove(ctx context.Context, a *record.Actor, limit int) ([]*record.Record, error) {
	p, err := s.Rec.List(ctx, a, s.requests(), record.ListQuery{Sort: "id", Limit: limit,
		Filters: []record.Filter{{Field: "status", Op: record.OpEq, Value: Submitted}}})
	if err != nil {
		return nil, err
	}
	var out []*record.Record
	for _, r := range p.Records {
		if s.CanApprove(a, r.OrgID) {
			out = append(out, r)
		}
	}
	return out, nil
}

// RequestsIn lists the actor's readable requests in a status, oldest first.
func (s *Service) RequestsIn(ctx context.Context, a *record.Actor, status string, limit int) ([]*record.Record, error) {
	p, err := s.Rec.List(ctx, a, s.requests(), record.ListQuery{Sort: "id", Limit: limit,
		Filters: []record.Filter{{Field: "status", Op: record.OpEq, Value: status}}})
	if err != nil {
		return nil, err
	}
	return p.Records, nil
}

// Expected lists the orders sent and not fully received, by expected date.
func (s *Service) Expected(ctx context.Context, a *record.Actor, limit int) ([]*record.Record, error) {
	p, err := s.Rec.List(ctx, a, s.orders(), record.ListQuery{Sort: "expected_date", Limit: limit,
		Filters: []record.Filter{{Field: "status", Op: record.OpNe, Value: OrderDraft}, {Field: "status", Op: record.OpNe, Value: OrderReceived},
			{Field: "status", Op: record.OpNe, Value: OrderCancelled}}})
	if err != nil {
		return nil, err
	}
	return p.Records, nil
}

// fieldErr is one field's problem.
func fieldErr(field, key string) error {
	fe := record.FieldErrors{}
	fe.Add(field, key)
	return fe.Err()
}

// Today is the current day as orders date it.
func (s *Service) Today() string { return s.Rec.Now().In(time.Local).Format(DateLayout) }
