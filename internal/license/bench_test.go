package license_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"io"
	"log/slog"

	"parc/internal/app"
	"parc/internal/bench"
	"parc/internal/license"
	"parc/internal/record"
	"parc/internal/store"
	"parc/internal/storetest"
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkLicenseCompliance: 1,000 licences over the inventory bench's store
// (PARC_BENCH_ASSETS computers, 5,000 by default; PARC_BENCH_INSTALLS packages
// each, 800 by default, from the bench's 3,000-entry catalogue). Reports the full
// recount the count job makes when every licence is stale (recount-all-s), the
// recount after one inventory changed the versions of 40 packages (recount-40-ms),
// then times the reads: one licence's compliance, the 1,000 licences' in one
// read (ComplianceAll) and one read each, and the licences' list with its compliance columns (two pages of 500).
func BenchmarkLicenseCompliance(b *testing.B) {
	for _, kind := range storetest.TestStores() {
		b.Run(kind, func(b *testing.B) { benchCompliance(b, kind) })
	}
}

func benchCompliance(b *testing.B, kind string) {
	{
		ctx := context.Background()
		n, per := envInt("PARC_BENCH_ASSETS", 5000), envInt("PARC_BENCH_INSTALLS", 800)
		b.Setenv("PARC_SECRET_KEY", "")
		a, err := app.Open(ctx, storetest.TestConfig(b, kind), quiet())
		if err != nil {
			b.Fatal(err)
		}
		defer a.Close()
		start := time.Now()
		if _, err := bench.Prepare(ctx, a, n, nil); err != nil {
			b.Fatal(err)
		}
		if err := bench.SeedInstallations(ctx, a.DB, per, io.Discard); err != nil {
			b.Fatal(err)
		}
		var inst int64
		a.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM software_installations").Scan(&inst)
		b.Logf("%s: %d computers, %d installations, seeded in %s", kind, n, inst, time.Since(start).Round(time.Second))
		sys, err := a.System(ctx, record.OriginCLI)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := a.DB.QueryContext(ctx, "SELECT id FROM software ORDER BY id")
		if err != nil {
			b.Fatal(err)
		}
		var sw []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			sw = append(sw, id)
		}
		rows.Close()
		lt := a.Reg.MustType("licenses")
		var ids []int64
		for i := range 1000 {
			in := record.Input{"name": fmt.Sprintf("Licence %04d", i), "software_id": sw[(i*3)%len(sw)],
				"license_type": license.Kinds[i%len(license.Kinds)], "seats": 50 + i*37%5000, "organization_id": sys.Tree.Root}
			if i%4 == 0 {
				in["version_min"], in["version_max"] = "1.2", "1.4"
			}
			r, err := a.Records.Create(ctx, sys, lt, in)
			if err != nil {
				b.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		t0 := time.Now()
		for {
			k, err := a.Licenses.RecountStale(ctx, 100)
			if err != nil {
				b.Fatal(err)
			}
			if k == 0 {
				break
			}
		}
		recountAll := time.Since(t0)
		// One inventory changed the versions of 40 packages: what the fold marks,
		// then the count job's run.
		t0 = time.Now()
		if err := a.DB.Tx(ctx, func(tx *store.Tx) error { return a.Licenses.MarkSoftware(ctx, tx, sw[600:640]) }); err != nil {
			b.Fatal(err)
		}
		marked := 0
		for {
			k, err := a.Licenses.RecountStale(ctx, 100)
			if err != nil {
				b.Fatal(err)
			}
			marked += k
			if k == 0 {
				break
			}
		}
		recount40 := time.Since(t0)
		b.Logf("%s: full recount of 1,000 licences %s; after 40 packages changed, %d licences recounted in %s", kind, recountAll.Round(time.Millisecond), marked, recount40.Round(time.Millisecond))

		b.Run("one", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := a.Licenses.Compliance(ctx, sys, ids[i%len(ids)]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(recountAll.Seconds(), "recount-all-s")
			b.ReportMetric(float64(recount40.Milliseconds()), "recount-40-ms")
		})
		b.Run("all-1000", func(b *testing.B) {
			for b.Loop() {
				all, err := a.Licenses.ComplianceAll(ctx, sys)
				if err != nil || len(all) != 1000 {
					b.Fatal(len(all), err)
				}
			}
		})
		b.Run("each-of-1000", func(b *testing.B) {
			for b.Loop() {
				for _, id := range ids {
					if _, err := a.Licenses.Compliance(ctx, sys, id); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run("list-1000", func(b *testing.B) {
			for b.Loop() {
				q := record.ListQuery{Limit: 500, Columns: []string{"name", "license_type", "seats", "installed_count", "balance", "expiry_date"}}
				got := 0
				for {
					p, err := a.Records.List(ctx, sys, lt, q)
					if err != nil {
						b.Fatal(err)
					}
					got += len(p.Records)
					if p.NextCursor == "" {
						break
					}
					q.Cursor = p.NextCursor
				}
				if got != 1000 {
					b.Fatalf("listed %d", got)
				}
			}
		})
	}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
