package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	benchpkg "parc/internal/bench"
)

// benchHelpdesk fills a store with tickets and follow-ups and measures the
// helpdesk: a technician's views, full-text search, ticket creation through the
// API and an SLA recalculation (docs/benchmarks.md, "Helpdesk").
func benchHelpdesk(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench helpdesk", flag.ContinueOnError)
	tickets := fs.Int("tickets", 1000000, "tickets in the store (about three follow-ups each)")
	data := fs.String("data", "", "SQLite data directory to fill and measure (default: a new temporary directory)")
	keep := fs.Bool("keep", false, "keep the temporary store afterwards")
	inPlace := fs.Bool("in-place", false, "PostgreSQL: use the database of PARC_DATABASE_URL itself, not a new one beside it")
	duration := fs.Duration("duration", 5*time.Second, "length of each creation run")
	requests := fs.Int("requests", 200, "timed requests per read case")
	clients := fs.Int("clients", 8, "concurrent clients of the second creation run")
	inProcess := fs.Bool("in-process", false, "serve from this process instead of a `parc serve` child process")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, done, err := benchStore(ctx, "bench helpdesk", *data, *inPlace, *keep, stdout)
	if err != nil {
		return err
	}
	defer done()
	opt := benchpkg.HelpdeskOptions{Tickets: *tickets, Requests: *requests, Duration: *duration, Clients: *clients, Log: stdout}
	if !*inProcess {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench helpdesk: find the parc binary to serve from (or use --in-process): %w", err)
		}
		opt.Start, opt.Mode = benchpkg.ProcessStarter(exe), "`parc serve` (child process)"
	}
	res, err := benchpkg.RunHelpdesk(ctx, cfg, opt)
	if err != nil {
		return fmt.Errorf("bench helpdesk: %w", err)
	}
	fmt.Fprintln(stdout)
	res.Print(stdout)
	return nil
}
