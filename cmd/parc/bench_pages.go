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

// benchPages fills a store with computers and tickets and times the HTML pages a
// technician opens first (home, helpdesk views, ticket list, a ticket,
// notifications) and the administrator's home (docs/benchmarks.md, "Pages").
func benchPages(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench pages", flag.ContinueOnError)
	assets := fs.Int("assets", 100000, "computers in the store")
	tickets := fs.Int("tickets", 1000000, "tickets in the store (about three follow-ups each)")
	common := benchFlags(fs, "page")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, done, err := benchStore(ctx, "bench pages", common.data, common.inPlace, common.keep, stdout)
	if err != nil {
		return err
	}
	defer done()
	opt := benchpkg.PagesOptions{Assets: *assets, Tickets: *tickets, Requests: common.requests, Log: stdout}
	if opt.Start, opt.Mode, err = common.starter("bench pages"); err != nil {
		return err
	}
	res, err := benchpkg.RunPages(ctx, cfg, opt)
	if err != nil {
		return fmt.Errorf("bench pages: %w", err)
	}
	fmt.Fprintln(stdout)
	res.Print(stdout)
	return nil
}
