package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"parc/internal/purchase"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestBrowserPurchasing: a ticket waits for two motherboards ordered from a
// supplier promising 10 days; its page says when they are expected. On the
// order's page the technician receives one (the order is partly received, the
// stock has one), then tries five more (refused with what is left, nothing
// changes), and the ticket still shows the expected date; the last one ends the
// wait: the ticket's thread says the part has arrived.
func TestBrowserPurchasing(t *testing.T) {
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a, sys, org := clientA(t, kind)
		create := func(typeName string, in record.Input) int64 {
			r, err := a.Records.Create(ctx, sys, a.Reg.MustType(typeName), in)
			if err != nil {
				t.Fatalf("create %s: %v", typeName, err)
			}
			return r.ID
		}
		var tech int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = ?", techLogin).Scan(&tech); err != nil {
			t.Fatal(err)
		}
		sup := create("suppliers", record.Input{"name": "Dell"})
		create("supplier-items", record.Input{"supplier_id": sup, "reference": "MB-5520", "label": "Carte mère Latitude 5520", "unit_price": "120", "lead_time_days": 10})
		loc := create("locations", record.Input{"name": "Atelier", "code": "NTE-02", "organization_id": org.ID})
		item := create("stock-items", record.Input{"name": "Carte mère Latitude 5520", "reference": "MB-5520", "category": "other", "supplier_id": sup, "organization_id": org.ID})
		tk := create("tickets", record.Input{"title": "Le portable ne démarre plus", "description": "Écran noir, aucun voyant.", "organization_id": org.ID, "assigned_user_id": tech})
		req, err := a.Purchase.Request(ctx, sys, record.Input{"stock_item_id": item, "quantity": 2, "ticket_id": tk, "ticket_waits": true, "reason": "Carte mère HS"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Purchase.Decide(ctx, sys, req.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		order, err := a.Purchase.OrderRequests(ctx, sys, org.ID, sup, loc, []int64{req.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Records.Update(ctx, sys, a.Reg.MustType(purchase.OrdersType), order.ID, record.Input{"status": purchase.OrderOrdered}); err != nil {
			t.Fatal(err)
		}
		var line int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM purchase_order_lines WHERE order_id = ?", order.ID).Scan(&line); err != nil {
			t.Fatal(err)
		}
		expected := time.Now().AddDate(0, 0, 10).Format("02/01/2006")

		srv, c := serve(t, a)
		fr := func(key string, args ...any) string { return c.T("fr", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind+"-purchasing")
		b.open("/login")
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)

		ticketPath := "/tickets/" + strconv.FormatInt(tk, 10)
		b.open(ticketPath)
		b.wantContains("#awaited-parts", "2 × Carte mère Latitude 5520", fr("purchase.expected_on", expected))
		b.wantContains(".ticket-head", fr("enum.status.pending"))
		b.shots("ticket-waits")

		// One of two received on the order's page.
		orderPath := "/purchase-orders/" + strconv.FormatInt(order.ID, 10)
		ls := strconv.FormatInt(line, 10)
		form := `form[action="/purchasing/lines/` + ls + `/receive"]`
		b.open(orderPath)
		b.wantContains("#order-lines", "Carte mère Latitude 5520", "120,00")
		b.choose("#receive-loc-"+ls, strconv.FormatInt(loc, 10))
		b.clear("#receive-" + ls)
		b.typeIn("#receive-"+ls, "1")
		b.clickTo(form+` button[type="submit"]`, http.StatusOK)
		b.wantPath(orderPath + "?done=purchase_received#purchase")
		b.wantContains("main", fr("purchase.done_received"), fr("enum.status.partially_received"))
		b.wantContains("#order-lines tbody tr:first-child", "1")
		b.shots("order-partial")

		// Five more: refused with what is left; nothing changes.
		b.clear("#receive-" + ls)
		b.typeIn("#receive-"+ls, "5")
		b.clickTo(form+` button[type="submit"]`, http.StatusConflict)
		b.wantContains("#purchase-error", "Carte mère Latitude 5520", "1 restent à recevoir, 5 indiqués")
		b.open("/stock-items/" + strconv.FormatInt(item, 10))
		b.wantContains("#stock-levels", "Atelier (NTE-02)", "1")

		// The ticket still waits, for the date the supplier promised.
		b.open(ticketPath)
		b.wantContains("#awaited-parts", fr("purchase.expected_on", expected))

		// The last one: the ticket is told and resumes.
		b.open(orderPath)
		b.clickTo(form+` button[type="submit"]`, http.StatusOK)
		b.wantContains("main", fr("enum.status.received"))
		b.open(ticketPath)
		b.wantContains("#thread", fr("purchase.followup_received", 2, "Carte mère Latitude 5520", order.Label()))
		b.wantContains("#awaited-parts", fr("purchase.arrived"))
		b.wantContains(".ticket-head", fr("enum.status.assigned"))
		b.noPageErrors()
	})
}
