package bench_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"parc/internal/app"
	"parc/internal/bench"
	"parc/internal/record"
	"parc/internal/storetest"
)

// BenchmarkSuggest times the reference pickers' suggestions (record.Service's
// SuggestRef and SuggestRecords, what /ui/suggest answers) over a bench store of
// PARC_BENCH_ASSETS computers (10,000 by default; the target, 30 ms, is at
// 100,000), as the bench technician within his organisation and as the
// super-admin over every organisation. It reports the median and p95 in ms.
func BenchmarkSuggest(b *testing.B) {
	for _, kind := range storetest.TestStores() {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			cfg := storetest.TestConfig(b, kind)
			a, err := app.Open(ctx, cfg, quiet())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { a.Close() })
			fx, err := bench.Prepare(ctx, a, benchAssets(), nil)
			if err != nil {
				b.Fatal(err)
			}
			// Planner statistics, as parc serve refreshes them after start.
			if err := a.DB.Optimize(ctx); err != nil {
				b.Fatal(err)
			}
			org := fx.TechOrg.ID
			var name, last string
			if err := a.DB.QueryRowContext(ctx, "SELECT name FROM computers WHERE organization_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1", org).Scan(&name); err != nil {
				b.Fatal(err)
			}
			if err := a.DB.QueryRowContext(ctx, "SELECT lastname FROM users WHERE organization_id = ? AND login LIKE 'emp.%' ORDER BY id LIMIT 1", org).Scan(&last); err != nil {
				b.Fatal(err)
			}
			actors := map[string]*record.Actor{}
			for as, login := range map[string]string{"tech": bench.TechLogin, "admin": bench.AdminLogin} {
				var id int64
				if err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = ?", login).Scan(&id); err != nil {
					b.Fatal(err)
				}
				if actors[as], err = a.Auth.Actor(ctx, id, record.OriginWeb); err != nil {
					b.Fatal(err)
				}
			}
			comps, tickets := a.Reg.MustType("computers"), a.Reg.MustType("tickets")
			cases := []struct {
				name string
				run  func(ac *record.Actor, org int64) ([]record.Suggestion, error)
			}{
				{"asset_by_name", func(ac *record.Actor, org int64) ([]record.Suggestion, error) {
					return a.Records.SuggestRecords(ctx, ac, comps, record.SuggestQuery{Text: name, Org: org})
				}},
				{"asset_by_name_start", func(ac *record.Actor, org int64) ([]record.Suggestion, error) {
					return a.Records.SuggestRecords(ctx, ac, comps, record.SuggestQuery{Text: name[:3], Org: org})
				}},
				{"asset_by_serial", func(ac *record.Actor, org int64) ([]record.Suggestion, error) {
					return a.Records.SuggestRecords(ctx, ac, comps, record.SuggestQuery{Text: fx.SearchTerms[fx.TechOrg.ID], Org: org})
				}},
				{"asset_by_user", func(ac *record.Actor, org int64) ([]record.Suggestion, error) {
					return a.Records.SuggestRecords(ctx, ac, comps, record.SuggestQuery{Text: last, Org: org})
				}},
				{"requester", func(ac *record.Actor, org int64) ([]record.Suggestion, error) {
					return a.Records.SuggestRef(ctx, ac, tickets, "user_id", record.SuggestQuery{Text: last, Org: org})
				}},
				{"assignee", func(ac *record.Actor, org int64) ([]record.Suggestion, error) {
					return a.Records.SuggestRef(ctx, ac, tickets, "assigned_user_id", record.SuggestQuery{Org: org})
				}},
				{"location", func(ac *record.Actor, org int64) ([]record.Suggestion, error) {
					return a.Records.SuggestRef(ctx, ac, comps, "location_id", record.SuggestQuery{Org: org})
				}},
			}
			for _, who := range []struct {
				as  string
				org int64
			}{{"tech", org}, {"admin", 0}} {
				for _, c := range cases {
					b.Run(who.as+"/"+c.name, func(b *testing.B) {
						var ds []time.Duration
						for b.Loop() {
							t0 := time.Now()
							res, err := c.run(actors[who.as], who.org)
							if err != nil {
								b.Fatal(err)
							}
							ds = append(ds, time.Since(t0))
							if len(ds) == 1 && len(res) == 0 {
								b.Fatalf("%s: no suggestion", c.name)
							}
						}
						sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
						b.ReportMetric(float64(bench.Percentile(ds, 0.5).Microseconds())/1000, "p50-ms")
						b.ReportMetric(float64(bench.Percentile(ds, 0.95).Microseconds())/1000, "p95-ms")
					})
				}
			}
		})
	}
}
