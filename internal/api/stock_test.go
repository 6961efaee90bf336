package api_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/stock"
	"parc/internal/storetest"
)

// stockEnv is two organisations, each with a technician and two locations, and
// an item of the first.
type stockEnv struct {
	e               *apitest.Env
	orgA, orgB      int64
	tech, techB     *apitest.Client
	locA1, locA2    int64
	locB            int64
	item            int64
	ticket, ticketB int64
}

func newStockEnv(t *testing.T, kind string) *stockEnv {
	e := apitest.New(t, kind)
	s := &stockEnv{e: e}
	s.orgA = e.Org("Alpha", e.Root)
	s.orgB = e.Org("Beta", e.Root)
	s.tech = e.User("tech.alpha", "technician", s.orgA)
	s.techB = e.User("tech.beta", "technician", s.orgB)
	s.locA1 = e.Create("locations", record.Input{"name": "Alpha store", "organization_id": s.orgA})
	s.locA2 = e.Create("locations", record.Input{"name": "Alpha annex", "organization_id": s.orgA})
	s.locB = e.Create("locations", record.Input{"name": "Beta store", "organization_id": s.orgB})
	s.item = s.tech.Must(201, "POST", "/api/v1/stock-items", map[string]any{"name": "Toner HP 410A", "reference": "CF410A",
		"category": "toner", "unit_cost": "12.50", "threshold": 2, "organization_id": s.orgA}).ID()
	s.ticket = e.Create("tickets", record.Input{"title": "Printer out of toner", "organization_id": s.orgA})
	s.ticketB = e.Create("tickets", record.Input{"title": "Beta printer", "organization_id": s.orgB})
	return s
}

func (s *stockEnv) move(c *apitest.Client, in map[string]any) *apitest.Response {
	return c.Do("POST", "/api/v1/stock-movements", in)
}

// levels reads GET /api/v1/stock-items/{id}: total and quantity per location id.
func (s *stockEnv) levels(c *apitest.Client, item int64) (int64, map[int64]int64) {
	r := c.Must(200, "GET", apitest.Path("/api/v1/stock-items/%d", item), nil)
	out := map[int64]int64{}
	ls, _ := r.JSON["levels"].([]any)
	for _, x := range ls {
		m := x.(map[string]any)
		out[int64(m["location_id"].(float64))] = int64(m["quantity"].(float64))
	}
	return int64(r.JSON["quantity"].(float64)), out
}

func TestStockMovementsAPI(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		s := newStockEnv(t, kind)
		e, tech := s.e, s.tech
		s.move(tech, map[string]any{"stock_item_id": s.item, "location_id": s.locA1, "kind": "received", "quantity": 3})
		total, lv := s.levels(tech, s.item)
		if total != 3 || lv[s.locA1] != 3 {
			t.Fatalf("after receiving 3: total %d, levels %v", total, lv)
		}
		// Issued to a ticket: the unit cost is kept on the movement.
		r := tech.Must(201, "POST", "/api/v1/stock-movements", map[string]any{"stock_item_id": s.item, "location_id": s.locA1, "kind": "issued", "quantity": 2, "ticket_id": s.ticket})
		if r.JSON["unit_cost"] != 12.5 || r.JSON["organization_id"] != float64(s.orgA) || r.JSON["user_id"] != float64(tech.UserID) {
			t.Fatalf("issued movement: %s", r.Body)
		}
		// The item's price changes: the movement keeps what it cost then.
		tech.Must(200, "PATCH", apitest.Path("/api/v1/stock-items/%d", s.item), map[string]any{"unit_cost": 20})
		parts, cents, err := e.App.Stock.TicketParts(context.Background(), e.Sys, s.ticket)
		if err != nil || len(parts) != 1 || cents != 2500 {
			t.Fatalf("ticket parts: %v %d %v", parts, cents, err)
		}
		// The ticket's history (its thread) tells the part was issued.
		h := tech.Must(200, "GET", apitest.Path("/api/v1/tickets/%d/history", s.ticket), nil)
		if !strings.Contains(string(h.Body), `issued: 2 × Toner HP 410A (CF410A) — Alpha store`) {
			t.Errorf("ticket history lacks the part: %s", h.Body)
		}

		// More than there is: 409 with a clear message, nothing written.
		r = s.move(tech, map[string]any{"stock_item_id": s.item, "location_id": s.locA1, "kind": "issued", "quantity": 2})
		msg, _ := r.JSON["error"].(map[string]any)["message"].(string)
		if r.Status != 409 || msg != "Not enough stock: Toner HP 410A at Alpha store has 1 left, 2 asked. Nothing was recorded." {
			t.Fatalf("issuing more than the stock: %d %s", r.Status, r.Body)
		}
		fr := *tech
		fr.Lang = "fr"
		r = s.move(&fr, map[string]any{"stock_item_id": s.item, "location_id": s.locA2, "kind": "scrapped", "quantity": 1})
		msg, _ = r.JSON["error"].(map[string]any)["message"].(string)
		if r.Status != 409 || msg != "Stock insuffisant : il reste 0 Toner HP 410A à Alpha annex, 1 demandé(s). Rien n'a été enregistré." {
			t.Fatalf("scrapping from an empty location: %d %s", r.Status, r.Body)
		}
		list := tech.Must(200, "GET", "/api/v1/stock-movements?count=1", nil)
		if n := len(list.Data()); n != 2 {
			t.Fatalf("%d movements, want 2 (refused ones write nothing)", n)
		}
		// Transfer.
		tech.Must(201, "POST", "/api/v1/stock-movements", map[string]any{"stock_item_id": s.item, "location_id": s.locA1, "to_location_id": s.locA2, "kind": "transferred", "quantity": 1})
		total, lv = s.levels(tech, s.item)
		if total != 1 || lv[s.locA1] != 0 || lv[s.locA2] != 1 {
			t.Fatalf("after the transfer: total %d, levels %v", total, lv)
		}

		// Malformed input: 422 with the field's message.
		for _, c := range []struct {
			name  string
			in    map[string]any
			field string
			msg   string
		}{
			{"wrong kind", map[string]any{"kind": "stolen"}, "kind", "Must be one of"},
			{"zero quantity", map[string]any{"quantity": 0}, "quantity", "at least 1"},
			{"negative quantity", map[string]any{"quantity": -3}, "quantity", "at least 1"},
			{"unknown item", map[string]any{"stock_item_id": 999999}, "stock_item_id", ""},
			{"another organisation's location", map[string]any{"location_id": s.locB}, "location_id", ""},
			{"transfer without destination", map[string]any{"kind": "transferred"}, "to_location_id", "destination"},
			{"transfer to itself", map[string]any{"kind": "transferred", "to_location_id": s.locA2}, "to_location_id", "location itself"},
			{"destination on a receipt", map[string]any{"to_location_id": s.locA1}, "to_location_id", "Only a transfer"},
			{"another organisation's ticket", map[string]any{"kind": "issued", "ticket_id": s.ticketB}, "ticket_id", ""},
			{"missing location", map[string]any{"location_id": nil}, "location_id", "Required"},
		} {
			in := map[string]any{"stock_item_id": s.item, "location_id": s.locA2, "kind": "received", "quantity": 1}
			for k, v := range c.in {
				if v == nil {
					delete(in, k)
				} else {
					in[k] = v
				}
			}
			r := s.move(tech, in)
			if r.Status != 422 || r.FieldError(c.field) == "" || !strings.Contains(r.FieldError(c.field), c.msg) {
				t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
			}
		}
		if total, _ := s.levels(tech, s.item); total != 1 {
			t.Fatalf("refused movements changed the stock: total %d", total)
		}

		// Movements are a ledger: neither changed nor deleted, even by an administrator.
		admin := e.User("admin.alpha", "admin", s.orgA)
		mv := list.Data()[0]["id"].(float64)
		for _, c := range []*apitest.Client{tech, admin} {
			if r := c.Do("PATCH", apitest.Path("/api/v1/stock-movements/%d", int64(mv)), map[string]any{"comment": "fixed"}); r.Status != 403 {
				t.Errorf("update of a movement: %d %s", r.Status, r.Body)
			}
			if r := c.Do("DELETE", apitest.Path("/api/v1/stock-movements/%d", int64(mv)), nil); r.Status != 403 {
				t.Errorf("delete of a movement: %d %s", r.Status, r.Body)
			}
		}

		// Another organisation's technician sees neither the item nor its movements,
		// and cannot move its stock.
		if r := s.techB.Do("GET", apitest.Path("/api/v1/stock-items/%d", s.item), nil); r.Status != 404 {
			t.Errorf("other organisation reads the item: %d", r.Status)
		}
		if r := s.move(s.techB, map[string]any{"stock_item_id": s.item, "location_id": s.locA1, "kind": "received", "quantity": 5}); r.Status != 422 || r.FieldError("stock_item_id") == "" {
			t.Errorf("other organisation moves the item: %d %s", r.Status, r.Body)
		}
		if n := len(s.techB.Must(200, "GET", "/api/v1/stock-movements", nil).Data()); n != 0 {
			t.Errorf("other organisation lists %d movements", n)
		}

		// Below the threshold (2) at both locations: reorder suggestions.
		ro := tech.Must(200, "GET", "/api/v1/stock-items/reorder", nil)
		got := map[float64]map[string]any{}
		for _, x := range ro.Data() {
			got[x["location_id"].(float64)] = x
		}
		a1, a2 := got[float64(s.locA1)], got[float64(s.locA2)]
		// Alpha store: 0 left of 2, 2 issued over 90 days: 2 + ceil(2 × 21 / 90) = 3.
		if a1 == nil || a1["suggested_quantity"] != 3.0 || a1["issued_90_days"] != 2.0 || a1["lead_time_default"] != true {
			t.Errorf("reorder at Alpha store: %v", a1)
		}
		if a2 == nil || a2["suggested_quantity"] != 1.0 {
			t.Errorf("reorder at Alpha annex: %v", a2)
		}
		if n := len(s.techB.Must(200, "GET", "/api/v1/stock-items/reorder", nil).Data()); n != 0 {
			t.Errorf("other organisation sees %d suggestions", n)
		}
	})
}

// TestStockLastUnit: two sessions issue the last unit at once; one gets it, the
// other a 409 saying there is none left. Repeated, so that the two requests do
// overlap on some rounds.
func TestStockLastUnit(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		s := newStockEnv(t, kind)
		other := s.e.User("tech.alpha2", "technician", s.orgA)
		for round := 0; round < 15; round++ {
			s.tech.Must(201, "POST", "/api/v1/stock-movements", map[string]any{"stock_item_id": s.item, "location_id": s.locA1, "kind": "received", "quantity": 1})
			var wg sync.WaitGroup
			start := make(chan struct{})
			res := make([]*apitest.Response, 2)
			for i, c := range []*apitest.Client{s.tech, other} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					res[i] = s.move(c, map[string]any{"stock_item_id": s.item, "location_id": s.locA1, "kind": "issued", "quantity": 1, "ticket_id": s.ticket})
				}()
			}
			close(start)
			wg.Wait()
			ok, refused := 0, 0
			for _, r := range res {
				switch r.Status {
				case 201:
					ok++
				case 409:
					refused++
					if !strings.Contains(string(r.Body), "Not enough stock: Toner HP 410A at Alpha store has 0 left, 1 asked.") {
						t.Errorf("round %d: refusal %s", round, r.Body)
					}
				default:
					t.Fatalf("round %d: %d %s", round, r.Status, r.Body)
				}
			}
			if ok != 1 || refused != 1 {
				t.Fatalf("round %d: %d issued, %d refused", round, ok, refused)
			}
			if total, lv := s.levels(s.tech, s.item); total != 0 || lv[s.locA1] != 0 {
				t.Fatalf("round %d: total %d, levels %v", round, total, lv)
			}
		}
		parts, cents, err := s.e.App.Stock.TicketParts(context.Background(), s.e.Sys, s.ticket)
		if err != nil || len(parts) != 15 || cents != 15*1250 {
			t.Fatalf("ticket parts: %d, %d cents, %v", len(parts), cents, err)
		}
	})
}

// TestStockRandomisedConcurrency: thousands of movements of every kind from many
// goroutines over few items and locations (most refusals come from stock
// running out); afterwards every quantity is the sum of its movements, none is
// negative, and every accepted movement is stored.
func TestStockRandomisedConcurrency(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		s := newStockEnv(t, kind)
		e := s.e
		ctx := context.Background()
		items := []int64{s.item}
		for i := 0; i < 2; i++ {
			items = append(items, e.Create("stock-items", record.Input{"name": fmt.Sprintf("Disk %d", i), "category": "disk", "organization_id": s.orgA, "unit_cost": 40}))
		}
		locs := []int64{s.locA1, s.locA2, e.Create("locations", record.Input{"name": "Alpha van", "organization_id": s.orgA})}
		const workers, each = 12, 250
		var mu sync.Mutex
		accepted, refused := 0, 0
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(seed uint64) {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(seed, seed*7+1))
				for i := 0; i < each; i++ {
					in := record.Input{"stock_item_id": items[rng.IntN(len(items))], "location_id": locs[rng.IntN(len(locs))],
						"kind": stock.Kinds[rng.IntN(len(stock.Kinds))], "quantity": 1 + rng.IntN(4)}
					if in["kind"] == stock.Transferred {
						to := locs[rng.IntN(len(locs))]
						for to == in["location_id"] {
							to = locs[rng.IntN(len(locs))]
						}
						in["to_location_id"] = to
					}
					_, err := e.App.Stock.Move(ctx, e.Sys, in)
					mu.Lock()
					if err == nil {
						accepted++
					} else if re, ok := record.AsError(err); ok && re.Code == record.CodeConflict && re.Msg.Key == "err.stock_insufficient" {
						refused++
					} else {
						mu.Unlock()
						t.Errorf("movement %v: %v", in, err)
						return
					}
					mu.Unlock()
				}
			}(uint64(w + 1))
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		if accepted+refused != workers*each || accepted < workers*each/3 || refused == 0 {
			t.Fatalf("%d accepted, %d refused of %d", accepted, refused, workers*each)
		}
		// Sum the ledger.
		want := map[[2]int64]int64{}
		rows, err := e.App.DB.QueryContext(ctx, "SELECT stock_item_id, location_id, COALESCE(to_location_id, 0), kind, quantity FROM stock_movements")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var item, from, to, q int64
			var k string
			if err := rows.Scan(&item, &from, &to, &k, &q); err != nil {
				t.Fatal(err)
			}
			n++
			switch k {
			case stock.Received, stock.Returned:
				want[[2]int64{item, from}] += q
			case stock.Issued, stock.Scrapped:
				want[[2]int64{item, from}] -= q
			case stock.Transferred:
				want[[2]int64{item, from}] -= q
				want[[2]int64{item, to}] += q
			}
		}
		rows.Close()
		if n != accepted {
			t.Fatalf("%d movements stored, %d accepted", n, accepted)
		}
		for _, item := range items {
			total, lv := s.levels(s.tech, item)
			var sum int64
			for _, loc := range locs {
				w := want[[2]int64{item, loc}]
				if lv[loc] != w || lv[loc] < 0 {
					t.Errorf("item %d at %d: %d in stock, movements sum to %d", item, loc, lv[loc], w)
				}
				sum += w
			}
			if total != sum {
				t.Errorf("item %d: total %d, movements sum to %d", item, total, sum)
			}
		}
		t.Logf("%s: %d movements accepted, %d refused for want of stock", kind, accepted, refused)
	})
}
