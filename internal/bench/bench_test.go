package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"parc/internal/app"
	"parc/internal/auth"
	"parc/internal/bench"
	"parc/internal/record"
	"parc/internal/storetest"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestPrepareAndRun(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		cfg := storetest.TestConfig(t, kind)
		a, err := app.Open(ctx, cfg, quiet())
		if err != nil {
			t.Fatal(err)
		}
		fx, err := bench.Prepare(ctx, a, 300, nil)
		if err != nil {
			t.Fatal(err)
		}
		if fx.Computers != 300 || fx.TechOrg == nil || fx.AdminToken == "" || fx.TechToken == "" || fx.MACTerms[fx.TechOrg.ID] == "" {
			t.Fatalf("fixture %+v", fx)
		}
		// A second call tops up without making the organisations again.
		if fx, err = bench.Prepare(ctx, a, 400, nil); err != nil || fx.Computers != 400 {
			t.Fatalf("top up: %v %+v", err, fx)
		}
		var orgs, hist, badVersion, spread int
		a.DB.R.QueryRow("SELECT COUNT(*) FROM organizations").Scan(&orgs)
		a.DB.R.QueryRow("SELECT COUNT(*) FROM history WHERE record_type = 'computers'").Scan(&hist)
		a.DB.R.QueryRow("SELECT COUNT(*) FROM computers WHERE version <> 1 OR created_at IS NULL OR updated_at IS NULL").Scan(&badVersion)
		a.DB.R.QueryRow("SELECT COUNT(DISTINCT organization_id) FROM computers").Scan(&spread)
		if orgs != 12 || hist != 400 || badVersion != 0 || spread < 8 {
			t.Errorf("orgs %d, history %d, bad rows %d, organisations used %d", orgs, hist, badVersion, spread)
		}
		// The generated rows are valid records: the service lists and reads them.
		sys, _ := a.System(ctx, record.OriginCLI)
		comps := a.Reg.MustType("computers")
		p, err := a.Records.List(ctx, sys, comps, record.ListQuery{Count: true, Sort: "-purchase_date", Limit: 10})
		if err != nil || p.Total < 380 || len(p.Records) != 10 {
			t.Fatalf("list: %v %+v", err, p)
		}
		r, err := a.Records.Get(ctx, sys, comps, p.Records[0].ID)
		if err != nil || r.Version != 1 || r.String("serial") == "" || r.Display["state_id"] == "" || r.Display["location_id"] == "" {
			t.Fatalf("get: %v %+v", err, r)
		}
		a.Close()

		var out bytes.Buffer
		res, err := bench.Run(ctx, cfg, bench.Options{Assets: 400, Installations: 40, Requests: 3, Warmup: 1, Duration: 200 * time.Millisecond, Clients: 2, Starts: 1})
		if err != nil {
			t.Fatal(err)
		}
		res.Print(&out)
		if len(res.Lists) != 24 || len(res.Creates) != 2 || res.Seeded != 0 || res.Assets != 400 {
			t.Fatalf("result %+v", res)
		}
		for _, l := range res.Lists {
			// Every inventory case finds something: the generator's facts match the filters.
			wantRows := strings.HasPrefix(l.Case, "default") || strings.HasPrefix(l.Case, "memory") || strings.HasPrefix(l.Case, "IP") ||
				strings.HasPrefix(l.Case, "disk") || strings.HasPrefix(l.Case, "free text on a MAC") || strings.HasPrefix(l.Case, "OpenSSL")
			if l.Median <= 0 || (wantRows && l.Total == 0) {
				t.Errorf("list %+v", l)
			}
		}
		// About 40 installations per computer, counted on each, OpenSSL in two versions.
		a, err = app.Open(ctx, cfg, quiet())
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		var inst, counted, old, openssl int
		a.DB.R.QueryRow("SELECT COUNT(*) FROM software_installations").Scan(&inst)
		a.DB.R.QueryRow("SELECT COALESCE(SUM(software_count), 0) FROM computers").Scan(&counted)
		a.DB.R.QueryRow("SELECT COUNT(*) FROM software_installations i JOIN software s ON s.id = i.software_id WHERE s.name = 'openssl' AND i.version = '3.0.11'").Scan(&old)
		a.DB.R.QueryRow("SELECT COUNT(*) FROM software_installations i JOIN software s ON s.id = i.software_id WHERE s.name = 'openssl'").Scan(&openssl)
		// The software index, dropped while seeding, is back.
		idx := "SELECT COUNT(*) FROM sqlite_master WHERE name = 'software_installations_software'"
		if kind == "postgres" {
			idx = "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'software_installations_software'"
		}
		var hasIndex int
		a.DB.R.QueryRow(idx).Scan(&hasIndex)
		if hasIndex != 1 {
			t.Error("the software index was not rebuilt")
		}
		if inst < 400*30 || inst > 400*50 || counted != inst || openssl != 400 || old < 60 || old > 200 {
			t.Errorf("installations %d, counted %d, openssl %d of which 3.0.11 %d", inst, counted, openssl, old)
		}
		for _, c := range res.Creates {
			if c.Created == 0 || c.Errors != 0 {
				t.Errorf("creates %+v", c)
			}
		}
		if res.MemEnd.RSS == 0 || len(res.Startups) != 1 || !strings.Contains(out.String(), "First page") {
			t.Errorf("memory %+v, startups %v\n%s", res.MemEnd, res.Startups, out.String())
		}

		// A second run on the kept store first removes the computers the first one
		// created, with their history, and measures the seeded store again.
		created := func(res *bench.Result) (n int64) {
			for _, c := range res.Creates {
				n += int64(c.Created)
			}
			return n
		}
		apiRows := func() (comps, hist int64) {
			a.DB.R.QueryRow("SELECT COUNT(*) FROM computers WHERE inventory_number LIKE 'API-%'").Scan(&comps)
			a.DB.R.QueryRow("SELECT COUNT(*) FROM history h WHERE h.record_type = 'computers' AND NOT EXISTS (SELECT 1 FROM computers c WHERE c.id = h.record_id)").Scan(&hist)
			return comps, hist
		}
		if comps, _ := apiRows(); comps != created(res) || comps == 0 {
			t.Fatalf("first run created %d computers, the store has %d", created(res), comps)
		}
		res2, err := bench.Run(ctx, cfg, bench.Options{Assets: 400, Installations: 40, Requests: 1, Warmup: 1, Duration: 100 * time.Millisecond, Clients: 2, Starts: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res2.Assets != 400 || res2.Seeded != 0 {
			t.Errorf("second run measured %d computers (%d seeded), want the 400 seeded", res2.Assets, res2.Seeded)
		}
		if comps, orphans := apiRows(); comps != created(res2) || orphans != 0 {
			t.Errorf("after the second run: %d created computers (it created %d), %d history rows of removed ones", comps, created(res2), orphans)
		}
	})
}

func TestRefusesOtherData(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		cfg := storetest.TestConfig(t, kind)
		a, err := app.Open(ctx, cfg, quiet())
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if _, err := a.Bootstrap(ctx, "fr"); err != nil {
			t.Fatal(err)
		}
		sys, _ := a.System(ctx, record.OriginCLI)
		if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("organizations"), record.Input{"name": "Real customer", "parent_id": sys.Tree.Root}); err != nil {
			t.Fatal(err)
		}
		// A computer numbered like the bench's own creations.
		if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("computers"), record.Input{"name": "Real PC", "inventory_number": "API-7", "organization_id": sys.Tree.Root}); err != nil {
			t.Fatal(err)
		}
		if _, err := bench.Prepare(ctx, a, 10, nil); !errors.Is(err, bench.ErrNotBenchStore) {
			t.Fatalf("want refusal, got %v", err)
		}
		if _, err := bench.Run(ctx, cfg, bench.Options{Assets: 10, Requests: 1, Warmup: 1, Duration: 50 * time.Millisecond, Clients: 1, Starts: 1}); !errors.Is(err, bench.ErrNotBenchStore) {
			t.Fatalf("run: want refusal, got %v", err)
		}
		var n int
		a.DB.R.QueryRow("SELECT COUNT(*) FROM computers WHERE inventory_number = 'API-7'").Scan(&n)
		if n != 1 {
			t.Error("the bench deleted a computer of a store it refused")
		}
	})
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 200; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	if bench.Percentile(ds, 0.5) != 100*time.Millisecond || bench.Percentile(ds, 0.95) != 190*time.Millisecond ||
		bench.Percentile(ds, 0.99) != 198*time.Millisecond || bench.Percentile(ds[:1], 0.99) != time.Millisecond {
		t.Fatal("percentiles")
	}
}

// cpuTime is the CPU time this process has used, server and client together: on a
// busy machine it compares variants better than wall-clock time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// benchAssets is the store size of the Go benchmarks: PARC_BENCH_ASSETS, default 10,000.
func benchAssets() int {
	if n, err := strconv.Atoi(os.Getenv("PARC_BENCH_ASSETS")); err == nil && n > 0 {
		return n
	}
	return 10000
}

type env struct {
	fx    *bench.Fixture
	admin *bench.Client
	tech  *bench.Client
}

// serve fills a fresh store of the given kind and serves it in this process.
func serve(b *testing.B, kind string) *env {
	ctx := context.Background()
	cfg := storetest.TestConfig(b, kind)
	a, err := app.Open(ctx, cfg, quiet())
	if err != nil {
		b.Fatal(err)
	}
	fx, err := bench.Prepare(ctx, a, benchAssets(), nil)
	a.Close()
	if err != nil {
		b.Fatal(err)
	}
	srv, err := bench.StartInProcess(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Stop() })
	return &env{fx: fx, admin: bench.NewClient(srv.URL, fx.AdminToken, 16), tech: bench.NewClient(srv.URL, fx.TechToken, 4)}
}

func slug(s string) string {
	s = strings.NewReplacer(" ", "_", ",", "", "=", "", ">", "gt", "<", "lt", ":", "").Replace(s)
	return strings.Trim(s, "_")
}

// BenchmarkListFirstPage times the first page of each realistic list query through
// the HTTP API, as the super-admin and as a technician of one organisation. Besides
// ns/op it reports the median and p95 in milliseconds.
func BenchmarkListFirstPage(b *testing.B) {
	for _, kind := range storetest.TestStores() {
		b.Run(kind, func(b *testing.B) {
			e := serve(b, kind)
			for _, who := range []struct {
				as  string
				c   *bench.Client
				org *bench.Org
			}{{"admin", e.admin, nil}, {"tech", e.tech, e.fx.TechOrg}} {
				scope := who.org
				if scope == nil {
					scope = e.fx.Orgs[1]
				}
				for _, lc := range bench.ListCases(e.fx, who.org, e.fx.SearchTerms[scope.ID]) {
					b.Run(who.as+"/"+slug(lc.Name), func(b *testing.B) {
						ctx := context.Background()
						path := "/api/v1/computers?" + lc.Query
						var ds []time.Duration
						cpu := cpuTime()
						for b.Loop() {
							t0 := time.Now()
							body, err := who.c.Get(ctx, path)
							if err != nil {
								b.Fatal(err)
							}
							ds = append(ds, time.Since(t0))
							if len(ds) == 1 {
								var page struct{ Data []json.RawMessage }
								json.Unmarshal(body, &page)
								if len(page.Data) == 0 && !strings.Contains(lc.Name, "stock") {
									b.Fatalf("%s: empty page", lc.Name)
								}
							}
						}
						reportCPU(b, cpu)
						sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
						b.ReportMetric(float64(bench.Percentile(ds, 0.5).Microseconds())/1000, "p50-ms")
						b.ReportMetric(float64(bench.Percentile(ds, 0.95).Microseconds())/1000, "p95-ms")
					})
				}
			}
		})
	}
}

// BenchmarkCreateAPI posts new computers through the HTTP API, one client at a
// time and from 8 concurrent clients (RunParallel with parallelism 4 on 2 CPUs).
func BenchmarkCreateAPI(b *testing.B) {
	for _, kind := range storetest.TestStores() {
		b.Run(kind, func(b *testing.B) {
			e := serve(b, kind)
			ctx := context.Background()
			var seq int64
			next := func() string {
				seq++
				return "b" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.FormatInt(seq, 10)
			}
			b.Run("sequential", func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 2))
				cpu := cpuTime()
				for b.Loop() {
					if err := e.admin.Create(ctx, bench.CreateBody(e.fx, rng, next())); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu)
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
			})
			b.Run("parallel", func(b *testing.B) {
				b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
				var n atomic.Int64
				cpu := cpuTime()
				b.RunParallel(func(pb *testing.PB) {
					rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
					for pb.Next() {
						if err := e.admin.Create(ctx, bench.CreateBody(e.fx, rng, "p"+strconv.FormatInt(time.Now().UnixNano(), 36)+"-"+strconv.FormatInt(n.Add(1), 10))); err != nil {
							b.Error(err)
							return
						}
					}
				})
				reportCPU(b, cpu)
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
			})
		})
	}
}

func TestLoginBench(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		res, err := bench.RunLogins(context.Background(), storetest.TestConfig(t, kind), bench.LoginOptions{Parallel: 40, Bursts: 2, Accounts: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Attacks) != 3 {
			t.Fatalf("attacks: %+v", res.Attacks)
		}
		for _, a := range res.Attacks {
			if a.Sent != 80 || a.Status[401]+a.Status[429] != 80 || !a.LegitOK || a.HWM == 0 {
				t.Fatalf("%s: %+v", a.Name, a)
			}
		}
		// From one address, no more than its limit of guesses was checked.
		if one := res.Attacks[2]; one.Status[401] > auth.MaxAddressFails {
			t.Fatalf("one address: %v", one.Status)
		}
		var out bytes.Buffer
		res.Print(&out)
		if !strings.Contains(out.String(), "legitimate sign-in") {
			t.Fatal(out.String())
		}
	})
}

func TestMemoryBench(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		// At a small size: one file, one bulk request.
		res, err := bench.RunMemory(context.Background(), storetest.TestConfig(t, kind), bench.MemoryOptions{ImportLines: 300, BulkRecords: 120, Settle: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"start with --demo", "file 1 of 1 (300 lines", "file 1 of 1 (300 lines", "bulk update of 120 computers (1 requests",
			"XLSX export of every computer", "CSV export of every computer"}
		if len(res.Steps) != len(want) {
			t.Fatalf("steps: %+v", res.Steps)
		}
		for i, s := range res.Steps {
			if !strings.Contains(s.Name, want[i]) || s.Peak == 0 || s.After.RSS == 0 {
				t.Fatalf("step %d: %+v", i, s)
			}
		}
		if res.Steps[1].Outcome != "300 rows checked, nothing written" || res.Steps[2].Outcome != "300 rows read, 300 created" || res.Steps[3].Outcome != "120 updated" ||
			!strings.HasSuffix(res.Steps[4].Outcome, "MB written") || !strings.HasSuffix(res.Steps[5].Outcome, "MB written") {
			t.Fatalf("answers: %+v", res.Steps)
		}
		var out bytes.Buffer
		res.Print(&out)
		if !strings.Contains(out.String(), "bulk update") {
			t.Fatal(out.String())
		}
	})
}
