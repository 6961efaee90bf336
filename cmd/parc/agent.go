package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"parc/internal/agent"
	"parc/internal/version"
)

const agentUsage = `parc agent — inventory this machine for a parc server

Usage:
  parc agent --server URL [--token T] [--every DURATION] [--tag TAG] [--state DIR]
  parc agent --local FILE [--tag TAG] [--state DIR]     write the document (- for standard output)

Options:
`

// agentConfig is one agent run's settings.
type agentConfig struct {
	server, token, tag, stateDir, local, caCert string
	every                                       time.Duration
	noSoftware                                  bool
}

// agentCmd runs parc's inventory agent: once, or every --every until SIGINT or SIGTERM.
func agentCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("agent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, agentUsage)
		fs.PrintDefaults()
	}
	var cfg agentConfig
	fs.StringVar(&cfg.server, "server", env("PARC_AGENT_SERVER", ""), "parc server URL, e.g. https://parc.example.org (env PARC_AGENT_SERVER)")
	fs.StringVar(&cfg.token, "token", "", "agent token of the server (default: env PARC_AGENT_TOKEN)")
	fs.DurationVar(&cfg.every, "every", 0, "run again at this interval (e.g. 24h), with up to 10% random delay; 0: run once")
	fs.StringVar(&cfg.tag, "tag", env("PARC_AGENT_TAG", ""), "tag sent with the inventory, read by the assignment rules (env PARC_AGENT_TAG)")
	fs.StringVar(&cfg.stateDir, "state", "", "state directory, keeps the device id (default "+agent.DefaultStateDir()+")")
	fs.StringVar(&cfg.local, "local", "", "write the JSON document to FILE (- for standard output) instead of sending it")
	fs.StringVar(&cfg.caCert, "ca-cert", "", "PEM file of a CA certificate to trust besides the system's")
	fs.BoolVar(&cfg.noSoftware, "no-software", false, "leave the installed software out (the server keeps what it knew)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("agent: unexpected argument %q", fs.Arg(0))
	}
	if cfg.token == "" {
		cfg.token = os.Getenv("PARC_AGENT_TOKEN")
	}
	if cfg.stateDir == "" {
		cfg.stateDir = agent.DefaultStateDir()
	}
	switch {
	case cfg.server == "" && cfg.local == "":
		fs.Usage()
		return errors.New("agent needs --server URL or --local FILE")
	case cfg.server != "" && cfg.local != "":
		return errors.New("agent: give --server or --local, not both")
	case cfg.every < 0:
		return errors.New("agent: --every must be positive")
	}
	if cfg.server != "" {
		if _, err := agent.Endpoint(cfg.server); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.every == 0 {
		return agentRun(ctx, cfg, stdout, stderr)
	}
	fmt.Fprintf(stderr, "parc agent %s: inventory every %s\n", version.Version, cfg.every)
	for {
		// Up to 10% of the period at random before each run, so that machines started
		// together (after a power cut, a mass deployment) do not all call at once.
		jitter := time.Duration(rand.Int64N(int64(cfg.every/10) + 1))
		next := time.Now().Add(jitter + cfg.every)
		if !sleepCtx(ctx, jitter) {
			return nil
		}
		if err := agentRun(ctx, cfg, stdout, stderr); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			fmt.Fprintln(stderr, "parc agent:", err)
		}
		if !sleepCtx(ctx, time.Until(next)) {
			return nil
		}
	}
}

// sleepCtx waits d; false when the context ended first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// agentRun collects the inventory once and sends or writes it.
func agentRun(ctx context.Context, cfg agentConfig, stdout, stderr io.Writer) error {
	start := time.Now()
	inv, err := agent.Collect(ctx, agent.Options{NoSoftware: cfg.noSoftware})
	if err != nil {
		return err
	}
	st, err := agent.LoadState(cfg.stateDir, inv.Hardware.Name, time.Now())
	if err != nil {
		return err
	}
	inv.DeviceID, inv.Tag = st.DeviceID, cfg.tag
	if err := inv.Validate(); err != nil {
		return fmt.Errorf("the inventory cannot be sent: %w", err)
	}
	took := time.Since(start).Round(time.Millisecond)
	for _, w := range inv.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	sections := make([]string, len(inv.Sections))
	for i, s := range inv.Sections {
		sections[i] = string(s)
	}
	summary := fmt.Sprintf("%d sections (%s), %d packages, collected in %s", len(sections), strings.Join(sections, ", "), len(inv.Softwares), took)

	if cfg.local != "" {
		doc, err := agent.MarshalIndent(inv)
		if err != nil {
			return err
		}
		if cfg.local == "-" {
			_, err = stdout.Write(doc)
			return err
		}
		if err := writeFileAtomic(cfg.local, doc); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "inventory of %s (device id %s) written to %s: %s\n", inv.Hardware.Name, inv.DeviceID, cfg.local, summary)
		return nil
	}

	doc, err := agent.Marshal(inv)
	if err != nil {
		return err
	}
	hc, err := agent.NewHTTPClient(cfg.caCert)
	if err != nil {
		return err
	}
	client := &agent.Client{URL: cfg.server, Token: cfg.token, HTTP: hc}
	reply, err := client.Send(ctx, doc)
	if err != nil {
		return err
	}
	what := "updated"
	if reply.Created {
		what = "created"
	}
	changed := "nothing changed"
	if len(reply.Changed) > 0 {
		changed = "changed: " + strings.Join(reply.Changed, ", ")
	}
	fmt.Fprintf(stdout, "inventory of %s (device id %s) sent: computer %d %s, %s; %s\n",
		inv.Hardware.Name, inv.DeviceID, reply.ComputerID, what, changed, summary)
	return nil
}

// writeFileAtomic writes a file through a temporary file renamed over it.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
