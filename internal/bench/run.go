package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"parc/internal/app"
	"parc/internal/store"
)

// Options tune a bench run; zero values take the defaults.
type Options struct {
	Assets int // computers in the store (100,000)
	// Installations per computer (0: none), see SeedInstallations.
	Installations int
	Requests      int           // timed requests per list case (200)
	Warmup        int           // untimed requests before them (5)
	Duration      time.Duration // length of each creation run (5s)
	Clients       int           // concurrent clients of the second creation run (8)
	Starts        int           // start-up measurements (3)
	// Start serves the store; nil serves it in this process.
	Start StartFunc
	// Mode names how the server runs, for the report.
	Mode string
	Log  io.Writer // progress; nil for none
}

func (o *Options) defaults() {
	if o.Assets <= 0 {
		o.Assets = 100000
	}
	if o.Requests <= 0 {
		o.Requests = 200
	}
	if o.Warmup <= 0 {
		o.Warmup = 5
	}
	if o.Duration <= 0 {
		o.Duration = 5 * time.Second
	}
	if o.Clients <= 0 {
		o.Clients = 8
	}
	if o.Starts <= 0 {
		o.Starts = 3
	}
	if o.Start == nil {
		o.Start, o.Mode = StartInProcess, "in-process"
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// Result is everything one bench run measured.
type Result struct {
	Store    string
	Mode     string
	Date     time.Time
	Assets   int // computers in the store when measuring began
	Seeded   int // computers inserted by this run
	SeedTime time.Duration
	Startups []time.Duration
	Lists    []Latency
	MemLists Memory // after the list runs
	Creates  []Rate
	MemEnd   Memory // after the creation runs
	Requests int
	Duration time.Duration
	// LoadBefore and LoadAfter are the 1-minute load averages around the
	// measurements: other work on the machine skews every figure.
	LoadBefore, LoadAfter float64
}

// LoadAverage is the 1-minute load average (Linux), 0 when unknown.
func LoadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	var l float64
	fmt.Sscanf(string(b), "%f", &l)
	return l
}

// Run fills the store (see Prepare), closes it, starts a server on it opt.Starts
// times to time the start-up, then measures list pages as the super-admin and as a
// technician of one organisation, creations by one and by opt.Clients clients, and
// the server's memory.
func Run(ctx context.Context, cfg store.Config, opt Options) (*Result, error) {
	opt.defaults()
	res := &Result{Mode: opt.Mode, Date: time.Now(), Requests: opt.Requests, Duration: opt.Duration}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	res.Store = string(a.DB.Dialect)
	if err := removeCreated(ctx, a); err != nil {
		a.Close()
		return nil, err
	}
	var before int
	if err := a.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM computers").Scan(&before); err != nil {
		a.Close()
		return nil, err
	}
	t0 := time.Now()
	fx, err := Prepare(ctx, a, opt.Assets, opt.Log)
	if err == nil && opt.Installations > 0 && !fx.Installations {
		if err = SeedInstallations(ctx, a.DB, opt.Installations, opt.Log); err == nil {
			fx.Installations = true
			err = analyze(ctx, a.DB)
		}
	}
	res.SeedTime = time.Since(t0)
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	res.Assets = fx.Computers
	if fx.Computers > before {
		res.Seeded = fx.Computers - before
	}

	res.LoadBefore = LoadAverage()
	var srv *Server
	for i := 0; i < opt.Starts; i++ {
		if srv != nil {
			if err := srv.Stop(); err != nil {
				return nil, fmt.Errorf("stop server: %w", err)
			}
		}
		if srv, err = opt.Start(ctx, cfg); err != nil {
			return nil, err
		}
		res.Startups = append(res.Startups, srv.Startup)
		fmt.Fprintf(opt.Log, "start-up to ready: %v\n", srv.Startup.Round(time.Millisecond))
	}
	defer srv.Stop()
	// explain adds why the server stopped answering, when it did.
	explain := func(err error) error {
		time.Sleep(50 * time.Millisecond)
		if why := srv.Gone(); why != "" {
			return fmt.Errorf("%w (%s)", err, why)
		}
		return err
	}

	admin := NewClient(srv.URL, fx.AdminToken, opt.Clients)
	tech := NewClient(srv.URL, fx.TechToken, 2)
	for _, who := range []struct {
		as  string
		c   *Client
		org *Org
	}{{"admin", admin, nil}, {"tech", tech, fx.TechOrg}} {
		scope := who.org
		if scope == nil {
			scope = fx.Orgs[1]
		}
		for _, lc := range ListCases(fx, who.org, fx.SearchTerms[scope.ID]) {
			l, err := MeasureList(ctx, who.c, lc, who.as, opt.Warmup, opt.Requests)
			if err != nil {
				return nil, explain(err)
			}
			res.Lists = append(res.Lists, l)
			fmt.Fprintf(opt.Log, "list %-5s %-42s median %v p95 %v\n", who.as, lc.Name, ms(l.Median), ms(l.P95))
		}
	}
	if res.MemLists, err = ReadMemory(srv.PID); err != nil {
		fmt.Fprintf(opt.Log, "memory: %v\n", err)
	}
	for _, n := range []int{1, opt.Clients} {
		r, err := MeasureCreates(ctx, admin, fx, n, opt.Duration)
		if err != nil {
			return nil, explain(err)
		}
		if why := srv.Gone(); why != "" {
			return nil, errors.New(why)
		}
		res.Creates = append(res.Creates, r)
		fmt.Fprintf(opt.Log, "create with %d client(s): %.0f/s\n", n, r.PerSecond)
	}
	res.MemEnd, _ = ReadMemory(srv.PID)
	res.LoadAfter = LoadAverage()
	return res, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}

// Machine describes the computer the bench ran on.
func Machine() string {
	cpu := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "MemTotal:") {
				fmt.Sscanf(strings.TrimPrefix(line, "MemTotal:"), "%d", &kb)
			}
		}
		mem = fmt.Sprintf(", %.1f GiB RAM", float64(kb)/(1<<20))
	}
	if cpu != "" {
		cpu = " (" + cpu + ")"
	}
	return fmt.Sprintf("%d CPUs%s%s, %s/%s, %s", runtime.NumCPU(), cpu, mem, runtime.GOOS, runtime.GOARCH, runtime.Version())
}

// Print writes the result as readable tables, each figure next to its target.
func (r *Result) Print(w io.Writer) {
	fmt.Fprintf(w, "parc bench: %s store, %d computers, server %s, %s\n", r.Store, r.Assets, r.Mode, r.Date.Format("2006-01-02 15:04"))
	fmt.Fprintf(w, "machine: %s; load average %.2f before, %.2f after\n", Machine(), r.LoadBefore, r.LoadAfter)
	if r.Seeded > 0 {
		fmt.Fprintf(w, "seeding: %d computers in %v (batched INSERTs, not the measured path)\n", r.Seeded, r.SeedTime.Round(time.Millisecond))
	}
	var worst time.Duration
	var starts []string
	for _, d := range r.Startups {
		starts = append(starts, ms(d))
		worst = max(worst, d)
	}
	fmt.Fprintf(w, "\nStart-up to ready (first 200 from /readyz): %s    target < 1 s: %s\n", strings.Join(starts, ", "), verdict(worst < TargetStartup))

	fmt.Fprintf(w, "\nFirst page of GET /api/v1/computers (limit=50, count=1), %d sequential requests per line; targets: median <= 20 ms, p95 <= 50 ms\n", r.Requests)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "as\tquery\tmatching\tfirst\tmedian\tp95\tp99\tmax\ttarget\t")
	for _, l := range r.Lists {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", l.As, l.Case, l.Total, ms(l.First), ms(l.Median), ms(l.P95), ms(l.P99), ms(l.Max), verdict(l.MedianOK && l.P95OK))
	}
	tw.Flush()

	fmt.Fprintf(w, "\nPOST /api/v1/computers for %v per line; target >= 1000/s on SQLite\n", r.Duration)
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "clients\tcreated\tper second\tmedian\tp95\terrors\ttarget\t")
	for _, c := range r.Creates {
		t := "-"
		if r.Store == string(store.SQLite) {
			t = verdict(c.PerSecond >= TargetCreates)
		}
		fmt.Fprintf(tw, "%d\t%d\t%.0f\t%s\t%s\t%d\t%s\t\n", c.Clients, c.Created, c.PerSecond, ms(c.Median), ms(c.P95), c.Errors, t)
	}
	tw.Flush()
	for _, c := range r.Creates {
		if c.FirstErr != "" {
			fmt.Fprintf(w, "first error with %d client(s): %s\n", c.Clients, c.FirstErr)
		}
	}

	what := "the `parc serve` process"
	if r.Mode == "in-process" {
		what = "this process (server, load generator and seeding together)"
	}
	fmt.Fprintf(w, "\nResident memory of %s (VmRSS, peak VmHWM); target < 150 MiB\n", what)
	fmt.Fprintf(w, "  after list runs:     %s (peak %s)\n", mib(r.MemLists.RSS), mib(r.MemLists.HWM))
	fmt.Fprintf(w, "  after creation runs: %s (peak %s)    %s\n", mib(r.MemEnd.RSS), mib(r.MemEnd.HWM), verdict(r.MemEnd.HWM < TargetRSS))
}

// analyze refreshes the planner's statistics after seeding, as a live server would
// have by then (autovacuum on PostgreSQL, parc serve's background optimize on SQLite).
func analyze(ctx context.Context, db *store.DB) error {
	if db.Dialect == store.Postgres {
		return db.Maintain(ctx, "VACUUM ANALYZE")
	}
	return db.Optimize(ctx)
}

// removeCreated deletes the computers an earlier run's creation runs added to a kept
// store (CreateBody numbers them API-...), with their history, so that every run
// measures the store as it was seeded: without inventory facts and named before
// the seeded PC-..., they had made each run's list pages slower than the last. Only
// a store a bench filled (marked so) is touched: any other is refused by Prepare.
func removeCreated(ctx context.Context, a *app.App) error {
	db := a.DB
	if marked, err := a.Records.Setting(ctx, db, MarkerKey); err != nil || marked == "" {
		return err
	}
	return db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM history WHERE record_type = 'computers' AND record_id IN
			(SELECT id FROM computers WHERE inventory_number LIKE 'API-%')`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM computers WHERE inventory_number LIKE 'API-%'")
		return err
	})
}
