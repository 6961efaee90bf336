package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	benchpkg "parc/internal/bench"
	"parc/internal/store"
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
	var cfg store.Config
	var cleanup func() error
	kept := ""
	if pg := os.Getenv("PARC_DATABASE_URL"); pg != "" {
		if *data != "" {
			return errors.New("bench helpdesk: --data is for SQLite; unset PARC_DATABASE_URL to use it")
		}
		cfg.DatabaseURL = pg
		if !*inPlace {
			u, drop, err := benchpkg.TempPostgres(ctx, pg)
			if err != nil {
				return err
			}
			cfg.DatabaseURL, cleanup, kept = u, drop, "database "+u
		}
	} else if *data != "" {
		cfg.DataDir = *data
	} else {
		dir, err := os.MkdirTemp("", "parc-bench-helpdesk-")
		if err != nil {
			return err
		}
		cfg.DataDir, kept = dir, "directory "+dir
		cleanup = func() error { return os.RemoveAll(dir) }
	}
	if cleanup != nil {
		defer func() {
			if *keep {
				fmt.Fprintf(stdout, "bench store kept: %s\n", kept)
				return
			}
			if err := cleanup(); err != nil {
				fmt.Fprintf(stdout, "could not remove the bench store (%s): %v\n", kept, err)
			}
		}()
	}
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
