package demo_test

import (
	"context"
	"testing"

	"parc/internal/app"
	"parc/internal/record"
)

// checkStock: thirteen items in the ESN's two stock rooms, the HP toner below its
// minimum in Paris, parts issued to open tickets with their cost.
func checkStock(t *testing.T, a *app.App) {
	t.Helper()
	ctx := context.Background()
	tech := actorOf(t, a, "tech.paris")
	if n := len(listAll(t, a, tech, "stock-items")); n != 13 {
		t.Errorf("%d stock items, want %d", n, 13)
	}
	low, err := a.Stock.Reorder(ctx, tech)
	if err != nil {
		t.Fatal(err)
	}
	if len(low) != 1 || low[0].Item != "Toner HP 220A noir" || low[0].Quantity != 1 || low[0].Issued != 2 || low[0].Suggested != 3 {
		t.Errorf("reorder suggestions: %+v", low)
	}
	var issued int
	if err := a.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM stock_movements WHERE ticket_id IS NOT NULL").Scan(&issued); err != nil {
		t.Fatal(err)
	}
	if issued < 2 {
		t.Errorf("%d parts issued to tickets, want at least 2", issued)
	}
	if _, err := a.Records.List(ctx, actorOf(t, a, "marie.dupont"), a.Reg.MustType("stock-items"), record.ListQuery{}); err == nil {
		t.Error("a requester reads the stock")
	}
}
