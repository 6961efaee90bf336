package api_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/stock"
	"parc/internal/storetest"
)

// BenchmarkStockMovements measures stock movements recorded concurrently, through
// the service (as the pages and the API call it) and over the HTTP API, on each
// store (PARC_TEST_POSTGRES adds PostgreSQL): 20 items at 5 locations, a mix of
// every kind (some refused for want of stock). After the run every quantity
// must equal the sum of its movements. Figures in docs/benchmarks.md:
//
//	go test -run '^$' -bench StockMovements -benchtime 5000x ./internal/api/
func BenchmarkStockMovements(b *testing.B) {
	for _, kind := range storetest.TestStores() {
		for _, via := range []string{"service", "http"} {
			b.Run(kind+"/"+via, func(b *testing.B) { benchStock(b, kind, via) })
		}
	}
}

func benchStock(b *testing.B, kind, via string) {
	e := apitest.New(b, kind)
	org := e.Org("Bench", e.Root)
	tech := e.User("tech.bench", "technician", org)
	var items, locs []int64
	for i := 0; i < 5; i++ {
		locs = append(locs, e.Create("locations", record.Input{"name": fmt.Sprintf("Store %d", i), "organization_id": org}))
	}
	for i := 0; i < 20; i++ {
		items = append(items, e.Create("stock-items", record.Input{"name": fmt.Sprintf("Part %d", i), "category": "disk", "unit_cost": 10 + i, "organization_id": org}))
	}
	actor, err := e.App.Auth.Actor(context.Background(), tech.UserID, record.OriginAPI)
	if err != nil {
		b.Fatal(err)
	}
	// Some stock first, so that most issues find some.
	for _, it := range items {
		for _, l := range locs {
			if _, err := e.App.Stock.Move(context.Background(), actor, record.Input{"stock_item_id": it, "location_id": l, "kind": stock.Received, "quantity": 20}); err != nil {
				b.Fatal(err)
			}
		}
	}
	var seed atomic.Uint64
	var refused atomic.Int64
	kinds := []string{stock.Received, stock.Received, stock.Received, stock.Received, stock.Issued, stock.Issued, stock.Issued,
		stock.Transferred, stock.Returned, stock.Scrapped}
	b.SetParallelism(8)
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		s := seed.Add(1)
		rng := rand.New(rand.NewPCG(s, s*31))
		for pb.Next() {
			in := map[string]any{"stock_item_id": items[rng.IntN(len(items))], "location_id": locs[rng.IntN(len(locs))],
				"kind": kinds[rng.IntN(len(kinds))], "quantity": 1 + rng.IntN(3)}
			if in["kind"] == stock.Transferred {
				to := locs[rng.IntN(len(locs))]
				for to == in["location_id"] {
					to = locs[rng.IntN(len(locs))]
				}
				in["to_location_id"] = to
			}
			if via == "http" {
				switch r := tech.Do("POST", "/api/v1/stock-movements", in); r.Status {
				case 201:
				case 409:
					refused.Add(1)
				default:
					b.Fatalf("%d %s", r.Status, r.Body)
				}
				continue
			}
			if _, err := e.App.Stock.Move(context.Background(), actor, record.Input(in)); err != nil {
				if re, ok := record.AsError(err); ok && re.Code == record.CodeConflict {
					refused.Add(1)
					continue
				}
				b.Fatal(err)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "movements/s")
	// Process CPU (client and server, not PostgreSQL's): steadier than wall time
	// on a shared machine.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(refused.Load())/float64(b.N)*100, "%refused")
	// Exact: every level is the sum of its movements, none negative.
	var bad int
	err = e.App.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM stock_levels l WHERE l.quantity < 0 OR l.quantity <> (
		SELECT COALESCE(SUM(CASE WHEN m.kind IN ('received', 'returned') AND m.location_id = l.location_id THEN m.quantity
			WHEN m.kind = 'transferred' AND m.to_location_id = l.location_id THEN m.quantity
			WHEN m.location_id = l.location_id THEN -m.quantity ELSE 0 END), 0)
		FROM stock_movements m WHERE m.stock_item_id = l.stock_item_id)`).Scan(&bad)
	if err != nil {
		b.Fatal(err)
	}
	if bad != 0 {
		b.Fatalf("%d levels differ from the sum of their movements", bad)
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
