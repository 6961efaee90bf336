package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	benchpkg "parc/internal/bench"
	"parc/internal/store"
)

const benchUsage = `parc bench fills a store with computers and measures parc on it: start-up, list
pages and creations through the HTTP API, and the server's resident memory.

By default it works on a new temporary store, removed afterwards (--keep keeps it):
a directory for SQLite, or a new database on the server of PARC_DATABASE_URL for
PostgreSQL. --data DIR (SQLite) or --in-place (PostgreSQL) measure a given store
instead, which must be empty or a store an earlier bench filled.

`

func bench(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "inventory" {
		return benchInventory(ctx, args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "helpdesk" {
		return benchHelpdesk(ctx, args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "logins" {
		return benchLogins(ctx, args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "memory" {
		return benchMemory(ctx, args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "pages" {
		return benchPages(ctx, args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "renewal" {
		return benchRenewal(ctx, args[1:], stdout)
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), benchUsage)
		fs.PrintDefaults()
	}
	assets := fs.Int("assets", 100000, "computers in the store")
	common := benchFlags(fs, "list query")
	installations := fs.Int("installations", 0, "installed packages per computer (from a 3,000-entry catalogue), e.g. 800 for an inventoried fleet")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg, done, err := benchStore(ctx, "bench", common.data, common.inPlace, common.keep, stdout)
	if err != nil {
		return err
	}
	defer done()

	opt := benchpkg.Options{Assets: *assets, Installations: *installations, Requests: common.requests, Duration: common.duration, Clients: common.clients, Log: stdout}
	if opt.Start, opt.Mode, err = common.starter("bench"); err != nil {
		return err
	}
	res, err := benchpkg.Run(ctx, cfg, opt)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	fmt.Fprintln(stdout)
	res.Print(stdout)
	return nil
}

// benchCommon are the options both store benches take.
type benchCommon struct {
	data                     string
	keep, inPlace, inProcess bool
	duration                 time.Duration
	requests, clients        int
}

// benchFlags declares the common options on fs; what names the timed read cases.
func benchFlags(fs *flag.FlagSet, what string) *benchCommon {
	c := &benchCommon{}
	fs.StringVar(&c.data, "data", "", "SQLite data directory to fill and measure (default: a new temporary directory)")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary store afterwards")
	fs.BoolVar(&c.inPlace, "in-place", false, "PostgreSQL: use the database of PARC_DATABASE_URL itself, not a new one beside it")
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "length of each creation run")
	fs.IntVar(&c.requests, "requests", 200, "timed requests per "+what)
	fs.IntVar(&c.clients, "clients", 8, "concurrent clients of the second creation run")
	fs.BoolVar(&c.inProcess, "in-process", false, "serve from this process instead of a `parc serve` child process")
	return c
}

// starter is how the measured server starts: a `parc serve` child process from
// this binary, or nil (in this process) with --in-process.
func (c *benchCommon) starter(cmd string) (benchpkg.StartFunc, string, error) {
	if c.inProcess {
		return nil, "", nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, "", fmt.Errorf("%s: find the parc binary to serve from (or use --in-process): %w", cmd, err)
	}
	return benchpkg.ProcessStarter(exe), "`parc serve` (child process)", nil
}

// benchStore is the store a bench command fills and measures: a new temporary
// SQLite directory or PostgreSQL database by default, removed when done unless keep;
// the directory of --data, or with --in-place the database of PARC_DATABASE_URL.
func benchStore(ctx context.Context, cmd, data string, inPlace, keep bool, stdout io.Writer) (store.Config, func(), error) {
	var cfg store.Config
	var cleanup func() error
	kept := ""
	if pg := os.Getenv("PARC_DATABASE_URL"); pg != "" {
		if data != "" {
			return cfg, nil, fmt.Errorf("%s: --data is for SQLite; unset PARC_DATABASE_URL to use it", cmd)
		}
		cfg.DatabaseURL = pg
		if !inPlace {
			u, drop, err := benchpkg.TempPostgres(ctx, pg)
			if err != nil {
				return cfg, nil, err
			}
			cfg.DatabaseURL, cleanup, kept = u, drop, "database "+u
		}
	} else if data != "" {
		cfg.DataDir = data
	} else {
		dir, err := os.MkdirTemp("", "parc-"+strings.ReplaceAll(cmd, " ", "-")+"-")
		if err != nil {
			return cfg, nil, err
		}
		cfg.DataDir, kept = dir, "directory "+dir
		cleanup = func() error { return os.RemoveAll(dir) }
	}
	done := func() {
		if cleanup == nil {
			return
		}
		if keep {
			fmt.Fprintf(stdout, "bench store kept: %s\n", kept)
			return
		}
		if err := cleanup(); err != nil {
			fmt.Fprintf(stdout, "could not remove the bench store (%s): %v\n", kept, err)
		}
	}
	return cfg, done, nil
}
