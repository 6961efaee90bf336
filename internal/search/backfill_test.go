package search_test

import (
	"context"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/search"
	"parc/internal/storetest"
)

// TestBackfillIndexesEarlierRecords stands for a store upgraded to the search
// migration: records without index rows are indexed once, trashed ones included.
func TestBackfillIndexesEarlierRecords(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		ctx := context.Background()
		tk := e.Create("tickets", record.Input{"title": "Imprimante bloquée", "organization_id": e.Root})
		e.Create("ticket-followups", record.Input{"ticket_id": tk, "content": "Serveurs redémarrés"})
		e.Create("kb-articles", record.Input{"title": "Printers", "body": "Jams", "organization_id": e.Root})
		gone := e.Create("tickets", record.Input{"title": "Imprimantes du hall", "organization_id": e.Root})
		if err := e.App.Records.Trash(ctx, e.Sys, e.App.Reg.MustType("tickets"), gone); err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.DB.W.ExecContext(ctx, "DELETE FROM search_docs"); err != nil {
			t.Fatal(err)
		}
		svc := search.NewService(e.App.Records)
		count := func(q string) int {
			hits, err := svc.Search(ctx, e.Sys, search.Params{Q: q, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			return len(hits)
		}
		if n := count("imprimante"); n != 0 {
			t.Fatalf("index not empty: %d", n)
		}
		for range 2 { // the second run does nothing
			if err := search.Backfill(ctx, e.App.Records); err != nil {
				t.Fatal(err)
			}
		}
		if count("imprimante") != 1 || count("serveur") != 1 || count("printer") != 1 {
			t.Errorf("after backfill: %d %d %d", count("imprimante"), count("serveur"), count("printer"))
		}
		var n int
		e.App.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM search_docs").Scan(&n)
		if n != 4 {
			t.Errorf("%d index rows, want 4 (the trashed ticket too)", n)
		}
		if err := e.App.Records.Restore(ctx, e.Sys, e.App.Reg.MustType("tickets"), gone); err != nil {
			t.Fatal(err)
		}
		if count("imprimante") != 2 {
			t.Errorf("restored ticket not found")
		}
	})
}
