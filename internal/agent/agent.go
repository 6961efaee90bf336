// Package agent is parc's own inventory agent: it collects the inventory of the machine
// it runs on into the normalised model of package inventory and sends it to a parc
// server (see docs/agent.md and docs/agent-protocol.md).
//
// Collect fills one inventory.Inventory. Each section is collected on its own; a section
// whose collector failed, or that this platform cannot read, is left out of
// Inventory.Sections (the server then keeps what it knew) and the reason goes to
// Warnings. A section is marked present only when it was really read, even if it came
// out empty (no battery, no monitor).
//
// On Linux everything is read from /proc, /sys and /etc by hand (no cgo, no external
// library): the files are simple, the readers take a root directory so that tests run
// on fake trees, and the binary stays lean. A few facts come from commands when they
// are installed (systemd-detect-virt, rpm, flatpak, snap, ClamAV), each with a timeout.
// Windows and macOS have partial collectors (see collect_windows.go, collect_darwin.go).
package agent

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"parc/internal/inventory"
	"parc/internal/version"
)

// AgentName is the name the agent reports itself by.
const AgentName = "parc-agent"

// FormatParc is the Format of inventories collected by this agent.
const FormatParc inventory.Format = "parc"

// Options tune a collection.
type Options struct {
	// Root is the file system root the Linux collectors read /proc, /sys and /etc
	// under ("/" when empty). Tests point it at a fake tree; with any other root than
	// "/", no command is run and no live system call (statfs, uname, network
	// addresses) is made.
	Root string
	// CommandTimeout bounds each external command (default 30s).
	CommandTimeout time.Duration
	// NoSoftware skips the software section (it is then not reported).
	NoSoftware bool
}

// Collect returns the inventory of this machine. Sections that could not be read are
// absent (see the package documentation); the error is only for a cancelled context
// or an inventory without even a hardware section.
func Collect(ctx context.Context, opts Options) (*inventory.Inventory, error) {
	c := newCollector(ctx, opts)
	c.inv.Format = FormatParc
	c.inv.Action = inventory.ActionInventory
	c.inv.ItemType = inventory.ItemComputer
	c.inv.Agent = inventory.Agent{Name: AgentName, Version: version.Version}
	collectPlatform(c)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !c.inv.Has(inventory.SectionHardware) {
		return c.inv, errors.New("agent: could not read even the hardware section: " + strings.Join(c.inv.Warnings, "; "))
	}
	return c.inv, nil
}

// collector carries one collection's state. The function fields are the live sources
// that tests replace.
type collector struct {
	ctx  context.Context
	root string
	live bool // root is "/": commands and live system calls are allowed
	opts Options
	inv  *inventory.Inventory

	// commandPath finds a command (exec.LookPath, or nothing when not live).
	commandPath func(name string) (string, bool)
	// run runs a command with the command timeout and returns its standard output.
	run func(name string, args ...string) ([]byte, error)
	// addrs lists the addresses of a network interface.
	addrs func(name string) ([]ifaceAddr, error)
	now   func() time.Time
}

func newCollector(ctx context.Context, opts Options) *collector {
	if opts.Root == "" {
		opts.Root = "/"
	}
	if opts.CommandTimeout <= 0 {
		opts.CommandTimeout = 30 * time.Second
	}
	c := &collector{
		ctx:  ctx,
		root: opts.Root,
		live: filepath.Clean(opts.Root) == "/" || (runtime.GOOS == "windows" && opts.Root == "/"),
		opts: opts,
		inv:  &inventory.Inventory{},
		now:  time.Now,
	}
	c.commandPath = func(name string) (string, bool) {
		if !c.live {
			return "", false
		}
		p, err := exec.LookPath(name)
		if err != nil {
			// Daemons' tools are often in sbin, which a plain user's PATH lacks.
			for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/local/bin"} {
				if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
					return filepath.Join(dir, name), true
				}
			}
			return "", false
		}
		return p, true
	}
	c.run = c.runCommand
	c.addrs = func(string) ([]ifaceAddr, error) { return nil, nil }
	if c.live {
		c.addrs = liveAddrs
	}
	return c
}

// runCommand runs a command found by commandPath, without a shell, with the command
// timeout and a C locale, and returns its standard output (also when it fails).
func (c *collector) runCommand(name string, args ...string) ([]byte, error) {
	return c.runCommandTimeout(c.opts.CommandTimeout, name, args...)
}

func (c *collector) runCommandTimeout(timeout time.Duration, name string, args ...string) ([]byte, error) {
	path, ok := c.commandPath(name)
	if !ok {
		return nil, fmt.Errorf("%s: not installed", name)
	}
	ctx, cancel := context.WithTimeout(c.ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C")
	cmd.WaitDelay = 2 * time.Second
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("%s: no answer after %s", name, timeout)
	}
	if err != nil {
		// The output is returned too: some commands answer on standard output and
		// exit non-zero (systemd-detect-virt prints "none" and exits 1).
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 200 {
			msg = msg[:200] + "..."
		}
		if msg != "" {
			return out, fmt.Errorf("%s: %v: %s", name, err, msg)
		}
		return out, fmt.Errorf("%s: %v", name, err)
	}
	return out, nil
}

// warn adds a line to the inventory's warnings.
func (c *collector) warn(format string, args ...any) {
	c.inv.Warnings = append(c.inv.Warnings, fmt.Sprintf(format, args...))
}

// section runs one section's collector: on success the section is marked present; on
// failure it is left out and the error becomes a warning. A collector returns
// errSkip when the platform has nothing to read for the section (no warning then).
func (c *collector) section(s inventory.Section, collect func() error) {
	if c.ctx.Err() != nil {
		return
	}
	err := collect()
	switch {
	case err == nil:
		c.inv.MarkPresent(s)
	case errors.Is(err, errSkip):
	default:
		c.warn("%s: not reported: %v", s, err)
	}
}

// errSkip tells section that there is nothing to read here: the section is left out
// without a warning.
var errSkip = errors.New("not available on this system")

// path returns a path under the collector's root.
func (c *collector) path(p ...string) string {
	return filepath.Join(append([]string{c.root}, p...)...)
}

// sortWarnings keeps warnings stable from one run to the next.
func (c *collector) sortWarnings() {
	slices.Sort(c.inv.Warnings)
	c.inv.Warnings = slices.Compact(c.inv.Warnings)
}
