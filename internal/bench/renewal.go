package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"parc/internal/app"
	"parc/internal/auth"
	"parc/internal/record"
	"parc/internal/store"
)

// TargetRenewal is the target for the renewal forecast of 100,000 assets.
const TargetRenewal = time.Second

// RenewalOptions tune `parc bench renewal`.
type RenewalOptions struct {
	Assets   int       // computers in the store (100,000)
	Requests int       // timed requests per case (20)
	Start    StartFunc // nil: in this process
	Mode     string
	Log      io.Writer
}

// RenewalResult is what one run measured.
type RenewalResult struct {
	Store, Mode           string
	Assets                int
	SeedTime              time.Duration
	Cases                 []Latency
	LoadBefore, LoadAfter float64
	Date                  time.Time
}

// RunRenewal fills the store with computers (Prepare: bought over nine years,
// with inventory facts, some in the trash), serves it and times the renewal plan
// and its forecast: the page and the API (first 100 assets and the forecast) for
// the bench administrator (every organisation) and the bench technician (theirs).
// Each request weighs every asset the user reads.
func RunRenewal(ctx context.Context, cfg store.Config, opt RenewalOptions) (*RenewalResult, error) {
	if opt.Assets <= 0 {
		opt.Assets = 100000
	}
	if opt.Requests <= 0 {
		opt.Requests = 20
	}
	if opt.Start == nil {
		opt.Start, opt.Mode = StartInProcess, "in-process"
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	res := &RenewalResult{Store: string(a.DB.Dialect), Mode: opt.Mode, Date: time.Now()}
	t0 := time.Now()
	password := auth.RandomToken(18)
	err = func() error {
		fx, err := Prepare(ctx, a, opt.Assets, opt.Log)
		if err != nil {
			return err
		}
		res.Assets = fx.Computers
		sys, err := a.System(ctx, record.OriginCLI)
		if err != nil {
			return err
		}
		for _, login := range []string{TechLogin, AdminLogin} {
			var id int64
			if err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = ?", login).Scan(&id); err != nil {
				return err
			}
			if err := a.Auth.SetPassword(ctx, sys, id, password); err != nil {
				return err
			}
		}
		return nil
	}()
	res.SeedTime = time.Since(t0)
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(opt.Log, "store ready in %v: %d computers\n", res.SeedTime.Round(time.Millisecond), res.Assets)

	res.LoadBefore = LoadAverage()
	srv, err := opt.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	tech, err := signIn(ctx, srv.URL, TechLogin, password)
	if err != nil {
		return nil, err
	}
	admin, err := signIn(ctx, srv.URL, AdminLogin, password)
	if err != nil {
		return nil, err
	}
	cases := []struct {
		name, as, path string
		admin          bool
	}{
		{"renewal API (whole store)", "admin", "/api/v1/renewal?limit=100", true},
		{"renewal page (whole store)", "admin", "/renewal", true},
		{"renewal API (technician's organisation)", "tech", "/api/v1/renewal?limit=100", false},
		{"renewal page (technician's organisation)", "tech", "/renewal", false},
	}
	for _, c := range cases {
		cl := tech
		if c.admin {
			cl = admin
		}
		l, err := measurePage(ctx, cl, srv.URL, c.name, c.as, c.path, 2, opt.Requests)
		if err != nil {
			return nil, err
		}
		if why := srv.Gone(); why != "" {
			return nil, fmt.Errorf("%s", why)
		}
		l.MedianOK = l.Median <= TargetRenewal
		res.Cases = append(res.Cases, l)
		fmt.Fprintf(opt.Log, "%-5s %-45s median %v p95 %v\n", c.as, c.name, ms(l.Median), ms(l.P95))
	}
	res.LoadAfter = LoadAverage()
	return res, nil
}

// Print writes the result as a table, each median next to the target.
func (r *RenewalResult) Print(w io.Writer) {
	fmt.Fprintf(w, "parc bench renewal: %s store, %d computers, server %s, %s\n", r.Store, r.Assets, r.Mode, r.Date.Format("2006-01-02 15:04"))
	fmt.Fprintf(w, "machine: %s; load average %.2f before, %.2f after\n", Machine(), r.LoadBefore, r.LoadAfter)
	fmt.Fprintf(w, "\n%-5s %-45s %10s %10s %10s %10s  %s\n", "as", "case", "first", "median", "p95", "max", "median <= "+ms(TargetRenewal))
	for _, l := range r.Cases {
		fmt.Fprintf(w, "%-5s %-45s %10s %10s %10s %10s  %s\n", l.As, l.Case, ms(l.First), ms(l.Median), ms(l.P95), ms(l.Max), verdict(l.MedianOK))
	}
}
