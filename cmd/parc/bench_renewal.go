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

// benchRenewal fills a store with computers and times the renewal plan and its
// yearly forecast, page and API (docs/benchmarks.md, "Renewal forecast").
func benchRenewal(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench renewal", flag.ContinueOnError)
	assets := fs.Int("assets", 100000, "computers in the store")
	common := benchFlags(fs, "case")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, done, err := benchStore(ctx, "bench renewal", common.data, common.inPlace, common.keep, stdout)
	if err != nil {
		return err
	}
	defer done()
	opt := benchpkg.RenewalOptions{Assets: *assets, Requests: common.requests, Log: stdout}
	if opt.Start, opt.Mode, err = common.starter("bench renewal"); err != nil {
		return err
	}
	res, err := benchpkg.RunRenewal(ctx, cfg, opt)
	if err != nil {
		return fmt.Errorf("bench renewal: %w", err)
	}
	fmt.Fprintln(stdout)
	res.Print(stdout)
	return nil
}
