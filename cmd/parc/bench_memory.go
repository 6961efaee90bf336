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

// benchMemory reads the resident memory of a `parc serve` process while it loads
// the demo, imports computers from CSV and applies bulk updates
// (docs/benchmarks.md, "Memory of parc serve").
func benchMemory(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench memory", flag.ContinueOnError)
	lines := fs.Int("import", 100000, "computers imported from CSV, in files of at most 50,000 lines")
	bulk := fs.Int("bulk", 10000, "imported computers then changed by bulk updates of up to 1,000")
	keep := fs.Bool("keep", false, "keep the temporary store afterwards")
	inProcess := fs.Bool("in-process", false, "serve from this process instead of a `parc serve` child process")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The demo loads only into a new store.
	cfg, done, err := benchStore(ctx, "bench memory", "", false, *keep, stdout)
	if err != nil {
		return err
	}
	defer done()
	opt := benchpkg.MemoryOptions{ImportLines: *lines, BulkRecords: *bulk, Log: stdout}
	if !*inProcess {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench memory: find the parc binary to serve from (or use --in-process): %w", err)
		}
		opt.Start, opt.Mode = benchpkg.ProcessStarter(exe, "--demo"), "`parc serve --demo` (child process)"
	}
	res, err := benchpkg.RunMemory(ctx, cfg, opt)
	if err != nil {
		return fmt.Errorf("bench memory: %w", err)
	}
	fmt.Fprintln(stdout)
	res.Print(stdout)
	return nil
}
