package api_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// purchaseEnv: an organisation with a technician who works a requester's
// ticket, a storekeeper (another technician) who receives, a supervisor who
// approves, a supplier promising 10 days for a motherboard it sells at 120.
type purchaseEnv struct {
	e                      *apitest.Env
	org, other             int64
	tech, store, sup, user *apitest.Client
	outsider               *apitest.Client
	supplier, item, loc    int64
	ticket                 int64
	clock                  *atomic.Int64
}

func newPurchaseEnv(t *testing.T, kind string) *purchaseEnv {
	e := apitest.New(t, kind)
	p := &purchaseEnv{e: e, clock: &atomic.Int64{}}
	p.clock.Store(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local).UnixNano())
	e.App.Records.Now = func() time.Time { return time.Unix(0, p.clock.Load()) }
	p.org = e.Org("Alpha", e.Root)
	p.other = e.Org("Beta", e.Root)
	p.tech = e.User("tech", "technician", p.org)
	p.store = e.User("store", "technician", p.org)
	p.sup = e.User("boss", "supervisor", p.org)
	p.user = e.User("requester", "self-service", p.org)
	p.outsider = e.User("tech.beta", "technician", p.other)
	p.supplier = e.Create("suppliers", record.Input{"name": "Dell"})
	e.Create("supplier-items", record.Input{"supplier_id": p.supplier, "reference": "MB-5520", "label": "Latitude 5520 motherboard", "unit_price": "120", "lead_time_days": 10})
	p.loc = e.Create("locations", record.Input{"name": "Workshop", "organization_id": p.org})
	p.item = e.Create("stock-items", record.Input{"name": "Motherboard Latitude 5520", "reference": "MB-5520", "category": "other",
		"supplier_id": p.supplier, "organization_id": p.org})
	p.ticket = e.Create("tickets", record.Input{"title": "Laptop does not start", "organization_id": p.org, "user_id": p.user.UserID, "assigned_user_id": p.tech.UserID})
	return p
}

func (p *purchaseEnv) advance(d time.Duration) { p.clock.Add(int64(d)) }

func (p *purchaseEnv) ticketRec(t *testing.T) map[string]any {
	return p.tech.Must(200, "GET", apitest.Path("/api/v1/tickets/%d", p.ticket), nil).JSON
}

func (p *purchaseEnv) awaited(t *testing.T, c *apitest.Client) []map[string]any {
	return c.Must(200, "GET", apitest.Path("/api/v1/tickets/%d/awaited-parts", p.ticket), nil).Data()
}

func (p *purchaseEnv) stockAt(t *testing.T) int64 {
	r := p.tech.Must(200, "GET", apitest.Path("/api/v1/stock-items/%d", p.item), nil)
	return int64(r.JSON["quantity"].(float64))
}

// order makes an order of approved requests and sends it.
func (p *purchaseEnv) order(t *testing.T, reqs ...int64) (order int64, lines []map[string]any) {
	o := p.tech.Must(201, "POST", "/api/v1/purchase-orders/from-requests", map[string]any{"supplier_id": p.supplier, "location_id": p.loc, "request_ids": reqs})
	order = o.ID()
	p.tech.Must(200, "PATCH", apitest.Path("/api/v1/purchase-orders/%d", order), map[string]any{"status": "ordered"})
	lines = p.tech.Must(200, "GET", apitest.Path("/api/v1/purchase-order-lines?filter=order_id:eq:%d", order), nil).Data()
	return order, lines
}

func TestPurchaseTicketWaitsForAPart(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		p := newPurchaseEnv(t, kind)
		e, tech, sup := p.e, p.tech, p.sup
		// From the ticket: the request puts it on hold, waiting for the part.
		req := tech.Must(201, "POST", "/api/v1/purchase-requests", map[string]any{"stock_item_id": p.item, "quantity": 2, "ticket_id": p.ticket,
			"ticket_waits": true, "reason": "Board dead", "pending_reason": "Waiting for a motherboard"})
		if req.JSON["item_label"] != "Motherboard Latitude 5520" || req.JSON["status"] != "submitted" || req.JSON["requested_by"] != float64(tech.UserID) ||
			req.JSON["supplier_id"] != float64(p.supplier) || req.JSON["organization_id"] != float64(p.org) {
			t.Fatalf("request: %s", req.Body)
		}
		rid := req.ID()
		tk := p.ticketRec(t)
		if tk["status"] != "pending" || tk["pending_reason"] != "Waiting for a motherboard" || tk["pending_since"] == nil {
			t.Fatalf("the ticket does not wait: %v %v", tk["status"], tk["pending_reason"])
		}
		for _, c := range []*apitest.Client{tech, p.user} {
			a := p.awaited(t, c)
			if len(a) != 1 || a[0]["ordered"] != false || a[0]["expected_date"] != nil || a[0]["quantity"] != float64(2) {
				t.Fatalf("awaited before the order: %v", a)
			}
		}
		p.outsider.Must(404, "GET", apitest.Path("/api/v1/tickets/%d/awaited-parts", p.ticket), nil)

		// Approval: not by a field, not by a technician; by the supervisor.
		if r := tech.Do("PATCH", apitest.Path("/api/v1/purchase-requests/%d", rid), map[string]any{"status": "approved"}); r.Status != 422 || r.FieldError("status") == "" {
			t.Fatalf("approved by a field: %d %s", r.Status, r.Body)
		}
		tech.Must(403, "POST", apitest.Path("/api/v1/purchase-requests/%d/approve", rid), nil)
		a := sup.Must(200, "POST", apitest.Path("/api/v1/purchase-requests/%d/approve", rid), map[string]any{"comment": "ok"})
		if a.JSON["status"] != "approved" || a.JSON["decided_by"] != float64(sup.UserID) || a.JSON["decided_at"] == nil {
			t.Fatalf("approval: %s", a.Body)
		}
		sup.Must(409, "POST", apitest.Path("/api/v1/purchase-requests/%d/refuse", rid), nil)

		// Ordered: the line takes the supplier's price and lead time; the
		// expected date is the order date plus 10 days.
		order, lines := p.order(t, rid)
		if len(lines) != 1 || lines[0]["unit_price"] != 120.0 || lines[0]["lead_time_days"] != float64(10) || lines[0]["quantity"] != float64(2) {
			t.Fatalf("lines: %v", lines)
		}
		o := tech.Must(200, "GET", apitest.Path("/api/v1/purchase-orders/%d", order), nil)
		if o.JSON["order_date"] != "2026-03-02" || o.JSON["expected_date"] != "2026-03-12" || o.JSON["total"] != 240.0 {
			t.Fatalf("order: %s", o.Body)
		}
		if r := tech.Must(200, "GET", apitest.Path("/api/v1/purchase-requests/%d", rid), nil); r.JSON["status"] != "ordered" {
			t.Fatalf("request not ordered: %s", r.Body)
		}
		for _, c := range []*apitest.Client{tech, p.user} {
			aw := p.awaited(t, c)
			if len(aw) != 1 || aw[0]["ordered"] != true || aw[0]["expected_date"] != "2026-03-12" || aw[0]["late"] != false {
				t.Fatalf("awaited once ordered: %v", aw)
			}
		}
		line := int64(lines[0]["id"].(float64))

		// A partial reception: stock, line, order; the ticket still waits.
		p.advance(24 * time.Hour)
		rc := p.store.Must(200, "POST", apitest.Path("/api/v1/purchase-order-lines/%d/receive", line), map[string]any{"quantity": 1})
		if rc.JSON["order_status"] != "partially_received" || p.stockAt(t) != 1 {
			t.Fatalf("partial reception: %s", rc.Body)
		}
		if tk := p.ticketRec(t); tk["status"] != "pending" {
			t.Fatalf("the ticket stopped waiting after a partial reception: %v", tk["status"])
		}
		// More than ordered: refused with a message, nothing written.
		r := p.store.Do("POST", apitest.Path("/api/v1/purchase-order-lines/%d/receive", line), map[string]any{"quantity": 5})
		if r.Status != 409 || !strings.Contains(string(r.Body), "1 left to receive, 5 given") {
			t.Fatalf("over-reception: %d %s", r.Status, r.Body)
		}
		if p.stockAt(t) != 1 {
			t.Fatal("an over-reception changed the stock")
		}
		p.outsider.Must(404, "POST", apitest.Path("/api/v1/purchase-order-lines/%d/receive", line), map[string]any{"quantity": 1})

		// The rest, 12 days after the order: the ticket is told and resumes.
		p.advance(11 * 24 * time.Hour)
		rc = p.store.Must(200, "POST", apitest.Path("/api/v1/purchase-order-lines/%d/receive", line), map[string]any{"quantity": 1})
		if rc.JSON["order_status"] != "received" || rc.JSON["ticket_id"] != float64(p.ticket) || p.stockAt(t) != 2 {
			t.Fatalf("reception: %s", rc.Body)
		}
		tk = p.ticketRec(t)
		if tk["status"] != "assigned" || tk["pending_reason"] != nil || tk["waiting_seconds"] != float64(12*86400) {
			t.Fatalf("the ticket did not resume: %v %v %v", tk["status"], tk["pending_reason"], tk["waiting_seconds"])
		}
		fu := tech.Must(200, "GET", apitest.Path("/api/v1/ticket-followups?filter=ticket_id:eq:%d", p.ticket), nil).Data()
		if len(fu) != 1 || !strings.Contains(fu[0]["content"].(string), "2 × Motherboard Latitude 5520") || fu[0]["user_id"] != float64(p.store.UserID) {
			t.Fatalf("follow-up: %v", fu)
		}
		var n int
		if err := e.App.DB.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND event = 'followup'", tech.UserID).Scan(&n); err != nil || n != 1 {
			t.Fatalf("the assignee's bell: %d %v", n, err)
		}
		aw := p.awaited(t, p.user)
		if aw[0]["status"] != "received" || aw[0]["received_at"] == nil {
			t.Fatalf("awaited once received: %v", aw)
		}
		// The supplier's record: promised 10 days, took 12, late.
		d := tech.Must(200, "GET", apitest.Path("/api/v1/suppliers/%d/deliveries", p.supplier), nil)
		if d.JSON["count"] != float64(1) || d.JSON["average_promised_days"] != 10.0 || d.JSON["average_actual_days"] != 12.0 || d.JSON["late"] != float64(1) {
			t.Fatalf("deliveries: %s", d.Body)
		}
		// A received order is kept.
		tech.Must(409, "DELETE", apitest.Path("/api/v1/purchase-orders/%d", order), nil)
	})
}

func TestPurchaseByHandCommitmentsAndConcurrentReceptions(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		p := newPurchaseEnv(t, kind)
		tech, sup := p.tech, p.sup
		// By hand, free text, no supplier item: 14 days.
		free := tech.Must(201, "POST", "/api/v1/purchase-requests", map[string]any{"item_label": "USB-C dock", "quantity": 3, "organization_id": p.org}).ID()
		stocked := tech.Must(201, "POST", "/api/v1/purchase-requests", map[string]any{"stock_item_id": p.item, "quantity": 40, "organization_id": p.org}).ID()
		if r := tech.Do("POST", "/api/v1/purchase-requests", map[string]any{"quantity": 1, "organization_id": p.org}); r.Status != 422 || r.FieldError("item_label") == "" {
			t.Fatalf("nothing named: %d %s", r.Status, r.Body)
		}
		// Not approved yet: cannot be ordered.
		if r := tech.Do("POST", "/api/v1/purchase-orders/from-requests", map[string]any{"supplier_id": p.supplier, "request_ids": []int64{free}}); r.Status != 422 {
			t.Fatalf("ordering a submitted request: %d %s", r.Status, r.Body)
		}
		sup.Must(200, "POST", apitest.Path("/api/v1/purchase-requests/%d/approve", free), nil)
		sup.Must(200, "POST", apitest.Path("/api/v1/purchase-requests/%d/approve", stocked), nil)
		order, lines := p.order(t, free, stocked)
		if lines[0]["lead_time_days"] != float64(14) || lines[0]["unit_price"] != nil {
			t.Fatalf("free-text line: %v", lines[0])
		}
		tech.Must(200, "PATCH", apitest.Path("/api/v1/purchase-order-lines/%d", int64(lines[0]["id"].(float64))), map[string]any{"unit_price": "50"})
		o := tech.Must(200, "GET", apitest.Path("/api/v1/purchase-orders/%d", order), nil)
		if o.JSON["expected_date"] != "2026-03-16" || o.JSON["total"] != 150.0+40*120 {
			t.Fatalf("order: %s", o.Body)
		}
		// Commitments: what is left to receive of open orders, on the budget.
		budget := p.e.Create("budgets", record.Input{"name": "IT 2026", "year": 2026, "amount": "10000", "organization_id": p.org})
		spent := func() float64 {
			return tech.Must(200, "GET", apitest.Path("/api/v1/budgets/%d/spending", budget), nil).JSON["committed"].(float64)
		}
		if c := spent(); c != 4950 {
			t.Fatalf("committed %v, want 4950", c)
		}
		freeLine := int64(lines[0]["id"].(float64))
		p.store.Must(200, "POST", apitest.Path("/api/v1/purchase-order-lines/%d/receive", freeLine), map[string]any{"quantity": 2})
		if c := spent(); c != 4850 {
			t.Fatalf("committed after receiving 2 docks: %v, want 4850", c)
		}
		// Forty receptions of one at once on a line of 40, and twenty more:
		// exactly forty pass, the stock and the line say 40.
		line := int64(lines[1]["id"].(float64))
		var ok, refused atomic.Int64
		var wg sync.WaitGroup
		for i := 0; i < 60; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := p.store
				if i%2 == 0 {
					c = tech
				}
				switch r := c.Do("POST", apitest.Path("/api/v1/purchase-order-lines/%d/receive", line), map[string]any{"quantity": 1, "location_id": p.loc}); r.Status {
				case 200:
					ok.Add(1)
				case 409:
					refused.Add(1)
				default:
					t.Errorf("reception: %d %s", r.Status, r.Body)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 40 || refused.Load() != 20 || p.stockAt(t) != 40 {
			t.Fatalf("concurrent receptions: %d passed, %d refused, stock %d", ok.Load(), refused.Load(), p.stockAt(t))
		}
		var got, moved int64
		db := p.e.App.DB
		if err := db.QueryRowContext(context.Background(), "SELECT quantity_received FROM purchase_order_lines WHERE id = ?", line).Scan(&got); err != nil || got != 40 {
			t.Fatalf("line received %d %v", got, err)
		}
		if err := db.QueryRowContext(context.Background(), "SELECT SUM(quantity) FROM stock_movements WHERE stock_item_id = ? AND kind = 'received'", p.item).Scan(&moved); err != nil || moved != 40 {
			t.Fatalf("movements %d %v", moved, err)
		}
		if c := spent(); c != 50 {
			t.Fatalf("committed after the receptions: %v, want 50", c)
		}
		if o := tech.Must(200, "GET", apitest.Path("/api/v1/purchase-orders/%d", order), nil); o.JSON["status"] != "partially_received" {
			t.Fatalf("order status %v", o.JSON["status"])
		}
		// The last units of two lines received at once: the order ends received.
		for round := 0; round < 5; round++ {
			o := tech.Must(201, "POST", "/api/v1/purchase-orders", map[string]any{"supplier_id": p.supplier, "organization_id": p.org, "location_id": p.loc}).ID()
			l1 := tech.Must(201, "POST", "/api/v1/purchase-order-lines", map[string]any{"order_id": o, "label": "Cable A", "quantity": 1}).ID()
			l2 := tech.Must(201, "POST", "/api/v1/purchase-order-lines", map[string]any{"order_id": o, "stock_item_id": p.item, "quantity": 1}).ID()
			tech.Must(200, "PATCH", apitest.Path("/api/v1/purchase-orders/%d", o), map[string]any{"status": "ordered"})
			var wg sync.WaitGroup
			for i, l := range []int64{l1, l2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c := []*apitest.Client{tech, p.store}[i]
					if r := c.Do("POST", apitest.Path("/api/v1/purchase-order-lines/%d/receive", l), map[string]any{"quantity": 1}); r.Status != 200 {
						t.Errorf("reception: %d %s", r.Status, r.Body)
					}
				}()
			}
			wg.Wait()
			if st := tech.Must(200, "GET", apitest.Path("/api/v1/purchase-orders/%d", o), nil).JSON["status"]; st != "received" {
				t.Fatalf("round %d: order %v after its two lines came at once", round, st)
			}
		}
		// Below its minimum, the item's reorder suggestion counts the supplier's 10 days.
		tech.Must(200, "PATCH", apitest.Path("/api/v1/stock-items/%d", p.item), map[string]any{"threshold": 50})
		sg := tech.Must(200, "GET", "/api/v1/stock-items/reorder", nil).Data()
		if len(sg) != 1 || sg[0]["lead_time_days"] != float64(10) || sg[0]["lead_time_default"] != false {
			t.Fatalf("reorder suggestion: %v", sg)
		}
		// Another organisation sees none of it.
		p.outsider.Must(404, "GET", apitest.Path("/api/v1/purchase-orders/%d", order), nil)
		if d := p.outsider.Must(200, "GET", "/api/v1/purchase-requests", nil).Data(); len(d) != 0 {
			t.Fatalf("the other organisation lists %d requests", len(d))
		}
	})
}
