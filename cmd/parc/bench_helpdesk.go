package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	benchpkg "parc/internal/bench"
)

// benchHelpdesk fills a store with tickets and follow-ups and measures the
// helpdesk: a technician's views, full-text search, ticket creation through the
// API and an SLA recalculation (docs/benchmarks.md, "Helpdesk").
func benchHelpdesk(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench helpdesk", flag.ContinueOnError)
	tickets := fs.Int("tickets", 1000000, "tickets in the store (about three follow-ups each)")
	common := benchFlags(fs, "read case")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, done, err := benchStore(ctx, "bench helpdesk", common.data, common.inPlace, common.keep, stdout)
	if err != nil {
		return err
	}
	defer done()
	opt := benchpkg.HelpdeskOptions{Tickets: *tickets, Requests: common.requests, Duration: common.duration, Clients: common.clients, Log: stdout}
	if opt.Start, opt.Mode, err = common.starter("bench helpdesk"); err != nil {
		return err
	}
	res, err := benchpkg.RunHelpdesk(ctx, cfg, opt)
	if err != nil {
		return fmt.Errorf("bench helpdesk: %w", err)
	}
	fmt.Fprintln(stdout)
	res.Print(stdout)
	return nil
}
