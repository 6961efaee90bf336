package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestBrowserStock: a technician receives toner on the item's page, issues two
// to a ticket from the ticket's page, and sees the part in the ticket's thread
// and costs, the quantity fall and the movement in the item's history; issuing
// more than is left is refused with the quantity left, and nothing changes.
func TestBrowserStock(t *testing.T) {
	t.Parallel()
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
		loc := create("locations", record.Input{"name": "Local technique", "code": "NTE-01", "organization_id": org.ID})
		item := create("stock-items", record.Input{"name": "Toner HP 220A noir", "reference": "W2200A", "category": "toner",
			"unit_cost": 96, "threshold": 2, "organization_id": org.ID})
		tk := create("tickets", record.Input{"title": "Imprimante de l'accueil : toner vide", "description": "Plus rien ne sort.", "organization_id": org.ID})
		srv, c := serve(t, a)
		fr := func(key string, args ...any) string { return c.T("fr", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind+"-stock")
		b.open("/login")
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)

		itemPath := "/stock-items/" + strconv.FormatInt(item, 10)
		b.open(itemPath)
		b.wantContains("#stock-state", fr("ui.stock.state_low", "0", "2"))
		b.wantContains("#stock-moves", fr("ui.stock.no_movements"))

		// Received: three units in the technical room.
		b.choose("#stock-kind", "received")
		b.choose("#stock-location", strconv.FormatInt(loc, 10))
		b.clear("#stock-quantity")
		b.typeIn("#stock-quantity", "3")
		b.typeIn("#stock-comment", "Commande 2026-114")
		b.clickTo(`#stock-form button[type="submit"]`, http.StatusOK)
		b.wantPath(itemPath + "?done=stock_moved#stock")
		b.wantContains("#stock-levels", "Local technique (NTE-01)", "3")
		b.wantContains("#stock-state", fr("ui.stock.state_ok", "3", "2"))
		b.wantContains("#stock-movements", fr("enum.kind.received"), "+3", "Commande 2026-114")
		b.shots("item-received")

		// Issued to the ticket from its page.
		ticketPath := "/tickets/" + strconv.FormatInt(tk, 10)
		b.open(ticketPath)
		b.click("#add-part summary")
		b.choose("#part-stock", strconv.FormatInt(item, 10)+":"+strconv.FormatInt(loc, 10))
		b.clear("#part-quantity")
		b.typeIn("#part-quantity", "2")
		b.clickTo(`#part-form button[type="submit"]`, http.StatusOK)
		b.wantPath(ticketPath + "?done=part_issued#parts")
		b.wantContains("#thread .kind-part", fr("ui.stock.entry_issued"), "2 × Toner HP 220A noir (W2200A) — Local technique (NTE-01)")
		b.wantContains("#parts", "2 × Toner HP 220A noir", "192,00")
		b.wantContains(".ticket-head .facts", fr("ui.stock.parts_cost"), "192,00")
		b.shots("ticket-part")
		// The solution's "parts used" starts with them (the intervention report prints it).
		b.click("#add-solution summary")
		b.wantValue("#sol-parts", "2 × Toner HP 220A noir")

		// More than is left: refused, with what is left; nothing changes.
		b.click("#add-part summary")
		b.choose("#part-stock", strconv.FormatInt(item, 10)+":"+strconv.FormatInt(loc, 10))
		b.clear("#part-quantity")
		b.typeIn("#part-quantity", "5")
		b.clickTo(`#part-form button[type="submit"]`, http.StatusUnprocessableEntity)
		b.wantContains("#add-part .flash.error", "Stock insuffisant : il reste 1 Toner HP 220A noir à Local technique (NTE-01), 5 demandé(s).")
		b.wantContains("#parts-cost", "192,00")

		// The item: one left, below the minimum, the issue in its movements.
		b.open(itemPath)
		b.wantContains("#stock-state", fr("ui.stock.state_low", "1", "2"))
		b.wantContains("#stock-levels", fr("ui.stock.below"))
		b.wantContains("#stock-movements tbody tr:first-child", fr("enum.kind.issued"), "−2", "#"+strconv.FormatInt(tk, 10), "192,00")
		b.shots("item-issued")

		// The list marks it; the reorder page suggests what to order.
		b.open("/stock-items")
		b.wantContains("main table", "Toner HP 220A noir", fr("ui.stock.below"))
		b.open("/stock-items/reorder")
		b.wantContains("#reorder", "Toner HP 220A noir", "Local technique (NTE-01)", fr("ui.stock.days_default", 14))
		b.noPageErrors()
	})
}
