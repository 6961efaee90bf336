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

// benchLogins sends bursts of parallel bad sign-ins to a `parc serve` process and
// reads its resident memory meanwhile, while a legitimate user signs in
// (docs/benchmarks.md, "Sign-ins under attack").
func benchLogins(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench logins", flag.ContinueOnError)
	parallel := fs.Int("parallel", 1000, "bad sign-ins sent at once, each from its own client")
	bursts := fs.Int("bursts", 3, "bursts of --parallel sign-ins per attack")
	accounts := fs.Int("accounts", 50, "existing accounts whose passwords the attackers guess")
	data := fs.String("data", "", "SQLite data directory (default: a new temporary directory)")
	keep := fs.Bool("keep", false, "keep the temporary store afterwards")
	server := fs.String("server", "", "the parc binary to serve from (default: this one), e.g. an earlier build to compare with")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, done, err := benchStore(ctx, "bench logins", *data, false, *keep, stdout)
	if err != nil {
		return err
	}
	defer done()
	exe := *server
	if exe == "" {
		if exe, err = os.Executable(); err != nil {
			return fmt.Errorf("bench logins: find the parc binary to serve from: %w", err)
		}
	}
	opt := benchpkg.LoginOptions{Parallel: *parallel, Bursts: *bursts, Accounts: *accounts,
		Start: benchpkg.ProcessStarter(exe), Mode: "`parc serve` (child process)", Log: stdout}
	res, err := benchpkg.RunLogins(ctx, cfg, opt)
	if err != nil {
		return fmt.Errorf("bench logins: %w", err)
	}
	fmt.Fprintln(stdout)
	res.Print(stdout)
	return nil
}
