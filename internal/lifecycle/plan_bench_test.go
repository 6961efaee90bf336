package lifecycle_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"parc/internal/core"
	"parc/internal/lifecycle"
	"parc/internal/store"
	"parc/internal/storetest"
)

// BenchmarkPlan weighs PARC_PLAN_ASSETS (default 100,000) computers bought over
// nine years, with inventory facts, for the system actor (every organisation):
// the forecast with the list's first page, as GET /api/v1/renewal computes them;
// the forecast alone; the whole plan, as the CSV export reads it.
// `parc bench renewal` measures the same through the server.
func BenchmarkPlan(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("PARC_PLAN_ASSETS")); err == nil && v > 0 {
		n = v
	}
	for _, kind := range storetest.TestStores() {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.OpenTest(b, kind)
			c := core.New(db, nil)
			if _, err := c.Bootstrap(ctx, "fr"); err != nil {
				b.Fatal(err)
			}
			sys, err := c.System(ctx, "cli")
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			now := time.Now().UTC()
			const batch = 500
			cols := "organization_id, name, purchase_date, purchase_price, warranty_end, memory_mb, disk_mb, version, created_at, updated_at"
			for done := 0; done < n; done += batch {
				rows := min(batch, n-done)
				args := make([]any, 0, rows*10)
				for i := 0; i < rows; i++ {
					bought := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(9*365))
					args = append(args, sys.Tree.Root, fmt.Sprintf("PC-%06d", done+i), bought.Format("2006-01-02"), 500+rng.IntN(1000),
						bought.AddDate(3, 0, -1).Format("2006-01-02"), 4096*(1+rng.IntN(4)), 128000*(1+rng.IntN(4)), 1, bought, bought)
				}
				if err := db.Tx(ctx, func(tx *store.Tx) error {
					_, err := tx.ExecContext(ctx, "INSERT INTO computers ("+cols+") VALUES "+store.Rows(rows, 10), args...)
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
			s := lifecycle.NewService(c.Records)
			// What a page of the plan reads: the forecast and the first 100 of the list, at once.
			b.Run("forecast+page", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					p, _, err := s.PlanPage(ctx, sys, lifecycle.PlanQuery{}, now, "", 100)
					if err != nil {
						b.Fatal(err)
					}
					if p.Fleet != n {
						b.Fatalf("weighed %d", p.Fleet)
					}
				}
			})
			// The forecast alone, and the whole plan (what the CSV export reads).
			b.Run("forecast", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := s.Forecast(ctx, sys, lifecycle.PlanQuery{}, now); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("whole", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := s.Plan(ctx, sys, lifecycle.PlanQuery{}, now); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
