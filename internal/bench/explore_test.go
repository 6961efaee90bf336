package bench_test

import (
	"context"
	"net/url"
	"os"
	"sort"
	"testing"
	"time"

	"parc/internal/app"
	"parc/internal/bench"
	"parc/internal/record"
	"parc/internal/store"
)

func TestExplore(t *testing.T) {
	dir := os.Getenv("PARC_EXPLORE_DATA")
	if dir == "" && os.Getenv("PARC_EXPLORE_URL") == "" {
		t.Skip()
	}
	ctx := context.Background()
	a, err := app.Open(ctx, store.Config{DataDir: dir, DatabaseURL: os.Getenv("PARC_EXPLORE_URL")}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var admin, tech int64
	a.DB.R.QueryRow("SELECT id FROM users WHERE login='bench-admin'").Scan(&admin)
	a.DB.R.QueryRow("SELECT id FROM users WHERE login='bench-tech'").Scan(&tech)
	comps := a.Reg.MustType("computers")
	timeit := func(name string, n int, fn func() error) {
		var ds []time.Duration
		for i := 0; i < n; i++ {
			t0 := time.Now()
			if err := fn(); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		t.Logf("%-60s median %7.2f ms  p95 %7.2f ms", name, float64(ds[len(ds)/2].Microseconds())/1000, float64(ds[len(ds)*95/100].Microseconds())/1000)
	}
	timeit("Actor(admin)", 30, func() error { _, err := a.Auth.Actor(ctx, admin, "api"); return err })
	timeit("UPDATE api_tokens last_used_at", 30, func() error {
		_, err := a.DB.W.Exec(a.DB.Rebind("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?"), time.Now(), "x")
		return err
	})
	timeit("LoadOrgTree", 30, func() error { _, err := record.LoadOrgTree(ctx, a.DB); return err })
	for _, who := range []int64{admin, tech} {
		actor, _ := a.Auth.Actor(ctx, who, "api")
		for _, qs := range []string{"sort=name", "filter=state_id:eq:6&sort=name", "filter=name:starts:PC-MRS&sort=name", "filter=purchase_date:gte:2024-01-01&sort=-purchase_date",
			"filter=manufacturer_id:eq:1&filter=warranty_end:lt:2026-01-01&sort=warranty_end", "filter=state_id:eq:1&filter=location_id:eq:10&sort=-updated_at", "q=38N35N"} {
			v, _ := url.ParseQuery(qs + "&limit=50")
			q, err := record.ParseListQuery(comps, v)
			if err != nil {
				t.Fatal(err)
			}
			timeit(actor.Login+" page "+qs, 15, func() error { _, err := a.Records.List(ctx, actor, comps, q); return err })
			q.Count = true
			timeit(actor.Login+" page+count "+qs, 15, func() error { _, err := a.Records.List(ctx, actor, comps, q); return err })
		}
	}
}

func TestExploreHTTP(t *testing.T) {
	dir := os.Getenv("PARC_EXPLORE_DATA")
	if dir == "" && os.Getenv("PARC_EXPLORE_URL") == "" {
		t.Skip()
	}
	ctx := context.Background()
	cfg := store.Config{DataDir: dir, DatabaseURL: os.Getenv("PARC_EXPLORE_URL")}
	a, err := app.Open(ctx, cfg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	var admin int64
	a.DB.R.QueryRow("SELECT id FROM users WHERE login='bench-admin'").Scan(&admin)
	tok, _, err := a.Auth.CreateToken(ctx, admin, "x", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	srv, err := bench.StartInProcess(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	c := bench.NewClient(srv.URL, tok, 2)
	for _, p := range []string{"/healthz", "/api/v1/me", "/api/v1/computers?filter=state_id:eq:1&filter=location_id:eq:10&sort=-updated_at&limit=50&count=1", "/api/v1/computers?sort=name&limit=50"} {
		var ds []time.Duration
		for i := 0; i < 100; i++ {
			t0 := time.Now()
			if _, err := c.Get(ctx, p); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		t.Logf("%-100s median %7.2f ms  p95 %7.2f ms", p, float64(ds[50].Microseconds())/1000, float64(ds[95].Microseconds())/1000)
	}
}
