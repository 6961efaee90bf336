package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"parc/internal/loadgen"
)

// benchInventory simulates agents posting inventories to a running parc server.
func benchInventory(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench inventory", flag.ContinueOnError)
	server := fs.String("server", "", "URL of the parc server (loopback or your own test server)")
	agents := fs.Int("agents", 100, "simulated agents (machines)")
	duration := fs.Duration("duration", 30*time.Second, "how long to keep re-inventorying once every machine has sent its first inventory")
	packages := fs.Int("packages", 800, "installed packages per machine")
	changed := fs.Float64("changed", 0, "share of packages whose version changes between two inventories of a machine (0.05 = 5%)")
	offset := fs.Int("offset", 0, "first machine number (to add machines to a store an earlier run filled)")
	token := fs.String("token", os.Getenv("PARC_AGENT_TOKEN"), "agent token, when the server requires one")
	fusion := fs.String("fusion", "", "FusionInventory XML inventory to send (varied per machine) instead of generated parc-agent JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var tmpl *loadgen.Fusion
	if *fusion != "" {
		doc, err := os.ReadFile(*fusion)
		if err != nil {
			return err
		}
		if tmpl, err = loadgen.NewFusion(doc); err != nil {
			return fmt.Errorf("--fusion %s: %w", *fusion, err)
		}
		*packages = tmpl.Packages()
	}
	if *server == "" {
		return errors.New("bench inventory needs --server URL")
	}
	if u, err := url.Parse(*server); err != nil || u.Host == "" {
		return fmt.Errorf("--server %q is not a URL", *server)
	}
	if *changed < 0 || *changed > 1 {
		return errors.New("--changed is a share between 0 and 1")
	}
	fmt.Fprintf(stdout, "%d agents, %d packages each, %.0f%% changed per re-inventory, %s after the first round, against %s\n",
		*agents, *packages, *changed*100, *duration, *server)
	rep, err := loadgen.Run(ctx, loadgen.Options{Server: *server, Token: *token, Agents: *agents, Duration: *duration,
		Packages: *packages, Changed: *changed, Offset: *offset, Fusion: tmpl})
	if err != nil && rep == nil {
		return err
	}
	line := func(what string, l loadgen.Latencies) {
		fmt.Fprintf(stdout, "%-26s %7d  %8.1f/s  p50 %8s  p95 %8s  p99 %8s\n", what, l.Count, l.PerSecond,
			l.P50.Round(time.Millisecond), l.P95.Round(time.Millisecond), l.P99.Round(time.Millisecond))
	}
	line("first inventories (new)", rep.New)
	line("re-inventories", rep.Again)
	fmt.Fprintf(stdout, "failed: %d, run: %s\n", rep.Failed, rep.Duration.Round(time.Millisecond))
	for _, e := range rep.Errors {
		fmt.Fprintln(stdout, "  ", e)
	}
	if rep.Failed > 0 {
		return fmt.Errorf("%d inventories failed", rep.Failed)
	}
	return nil
}
