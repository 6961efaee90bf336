package bench_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"parc/internal/app"
	"parc/internal/bench"
	"parc/internal/record"
	"parc/internal/search"
	"parc/internal/storetest"
)

// TestHelpdeskPrepareAndRun seeds a few hundred tickets and checks that they are
// valid records, found by the search through their index rows, then runs the
// helpdesk measurements over HTTP at that scale.
func TestHelpdeskPrepareAndRun(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		cfg := storetest.TestConfig(t, kind)
		a, err := app.Open(ctx, cfg, quiet())
		if err != nil {
			t.Fatal(err)
		}
		hf, err := bench.PrepareHelpdesk(ctx, a, 300, nil)
		if err != nil {
			t.Fatal(err)
		}
		if hf.Tickets != 300 || hf.Followups < 600 || hf.Followups > 1200 || hf.TechUserID == 0 {
			t.Fatalf("fixture: %d tickets, %d follow-ups", hf.Tickets, hf.Followups)
		}
		var docs, statuses, open int
		a.DB.R.QueryRow("SELECT COUNT(*) FROM search_docs").Scan(&docs)
		a.DB.R.QueryRow("SELECT COUNT(DISTINCT status) FROM tickets").Scan(&statuses)
		a.DB.R.QueryRow("SELECT COUNT(*) FROM tickets WHERE status IN ('new', 'assigned', 'planned', 'pending') AND ttr_due_at IS NOT NULL").Scan(&open)
		if docs != hf.Tickets+hf.Followups || statuses < 4 || open == 0 {
			t.Fatalf("%d index rows, %d statuses, %d open tickets with a due time", docs, statuses, open)
		}
		// The rows are records the service reads, and the search finds them.
		sys, _ := a.System(ctx, record.OriginCLI)
		p, err := a.Records.List(ctx, sys, a.Reg.MustType("tickets"), record.ListQuery{Limit: 5})
		if err != nil || len(p.Records) != 5 || p.Records[0].Display["organization_id"] == "" {
			t.Fatalf("list: %v %+v", err, p)
		}
		hits, err := search.NewService(a.Records).Search(ctx, sys, search.Params{Q: p.Records[0].String("title")})
		if err != nil || len(hits) == 0 {
			t.Fatalf("search %q: %v %v", p.Records[0].String("title"), hits, err)
		}
		// Tickets created through the API after seeding get fresh ids.
		a.Close()

		var out bytes.Buffer
		res, err := bench.RunHelpdesk(ctx, cfg, bench.HelpdeskOptions{Tickets: 300, Requests: 3, Duration: 200 * time.Millisecond, Clients: 2})
		if err != nil {
			t.Fatal(err)
		}
		res.Print(&out)
		if len(res.Reads) != 8 || len(res.Creates) != 2 || res.Seeded != 0 || res.Recalc == 0 {
			t.Fatalf("result %+v", res)
		}
		for _, c := range res.Creates {
			if c.Created == 0 || c.Errors > 0 {
				t.Fatalf("creation: %+v", c)
			}
		}
		if !strings.Contains(out.String(), "SLA recalculation") {
			t.Fatalf("report:\n%s", out.String())
		}
	})
}
