package demo_test

import (
	"context"
	"testing"
	"time"

	"parc/internal/app"
)

// checkPurchasing: three requests (one awaiting approval, one approved, one
// ordered for a ticket that waits for it and says when the part is expected),
// an order partly received, one received late.
func checkPurchasing(t *testing.T, a *app.App) {
	t.Helper()
	ctx := context.Background()
	tech := actorOf(t, a, "tech.paris")
	statuses := map[string]int{}
	for _, r := range listAll(t, a, tech, "purchase-requests") {
		statuses[r.String("status")]++
	}
	if statuses["submitted"] != 1 || statuses["approved"] != 1 || statuses["ordered"] != 1 {
		t.Errorf("request statuses: %v", statuses)
	}
	var ticket int64
	var status string
	if err := a.DB.QueryRowContext(ctx, "SELECT id, status FROM tickets WHERE title = 'Le portable ne charge plus'").Scan(&ticket, &status); err != nil {
		t.Fatal(err)
	}
	parts, err := a.Purchase.TicketParts(ctx, tech, ticket)
	var ordered string
	if err := a.DB.QueryRowContext(ctx, "SELECT o.order_date FROM purchase_orders o JOIN purchase_order_lines l ON l.order_id = o.id "+
		"JOIN purchase_requests r ON r.id = l.request_id WHERE r.ticket_id = ?", ticket).Scan(&ordered); err != nil {
		t.Fatal(err)
	}
	day, _ := time.Parse("2006-01-02", ordered[:10])
	want := day.AddDate(0, 0, 6).Format("2006-01-02")
	if err != nil || status != "pending" || len(parts) != 1 || !parts[0].Ordered || parts[0].Expected != want {
		t.Errorf("the waiting ticket (%s): %+v %v, want expected on %s", status, parts, err, want)
	}
	orders := map[string]int{}
	for _, r := range listAll(t, a, tech, "purchase-orders") {
		orders[r.String("status")]++
	}
	if orders["ordered"] != 1 || orders["partially_received"] != 1 || orders["received"] != 1 {
		t.Errorf("order statuses: %v", orders)
	}
	var bechtle int64
	if err := a.DB.QueryRowContext(ctx, "SELECT id FROM suppliers WHERE name = 'Bechtle France'").Scan(&bechtle); err != nil {
		t.Fatal(err)
	}
	d, err := a.Purchase.SupplierDeliveries(ctx, tech, bechtle)
	if err != nil || d.Count != 1 || d.Late != 1 || d.AvgActual != 8 || d.AvgPromised != 4 {
		t.Errorf("Bechtle's deliveries: %+v %v", d, err)
	}
}
