// Package uitest holds what parc's browser tests share: finding Debian's Chromium,
// starting it, and checking a loaded page with axe-core against the WCAG 2.1 A and
// AA rules (RGAA for French public bodies), with a report a person can act on.
//
// axe-core comes from npm, pinned in tools/a11y (package.json and its lock); the
// tests read tools/a11y/node_modules/axe-core/axe.min.js at run time and inject
// it into each page checked. Install it with `npm ci --prefix tools/a11y`.
package uitest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// Must tells whether browser tests must run (PARC_BROWSER_TESTS=1, as in CI):
// then a missing browser or axe-core fails the test instead of skipping it.
func Must() bool { return os.Getenv("PARC_BROWSER_TESTS") == "1" }

// Chromium finds Debian's Chromium; without it the test is skipped, or fails when
// PARC_BROWSER_TESTS=1 says browser tests must run.
func Chromium(t testing.TB) string {
	t.Helper()
	if testing.Short() && !Must() {
		t.Skip("browser test skipped in -short mode")
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if Must() {
		t.Fatal("chromium not found (/usr/bin/chromium or on the PATH) and PARC_BROWSER_TESTS=1")
	}
	t.Skip("chromium not found; install Debian's chromium or set PARC_BROWSER_TESTS=1 to make this a failure")
	return ""
}

// Start starts a headless Chromium for the test, in ctx, and returns the context
// of its first tab; the browser exits when the test ends. width×height is the
// window size.
func Start(t testing.TB, ctx context.Context, exe string, width, height int) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate"),
		chromedp.Flag("password-store", "basic"),
		// The date input's order of fields follows the browser's locale.
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel) // waits for the browser to exit
	tctx, tcancel := chromedp.NewContext(actx)
	t.Cleanup(tcancel)
	// The first run starts the browser, for the whole test.
	if err := chromedp.Do(tctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return tctx
}

// AxeDir is where tools/a11y installs axe-core, from the module's root.
const AxeDir = "tools/a11y/node_modules/axe-core"

// InstallHint is the command that installs the pinned axe-core.
const InstallHint = "npm ci --prefix tools/a11y"

var axeOnce struct {
	sync.Once
	src string
	err error
}

// Axe reads axe.min.js once per test binary. Without it the test is skipped, or
// fails with the command to run when PARC_BROWSER_TESTS=1.
func Axe(t testing.TB) string {
	t.Helper()
	axeOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			axeOnce.err = err
			return
		}
		data, err := os.ReadFile(filepath.Join(root, AxeDir, "axe.min.js"))
		axeOnce.src, axeOnce.err = string(data), err
	})
	if axeOnce.err != nil {
		msg := fmt.Sprintf("axe-core is not installed (%v); run `%s` at the repository's root", axeOnce.err, InstallHint)
		if Must() {
			t.Fatal(msg + " (PARC_BROWSER_TESTS=1)")
		}
		t.Skip(msg)
	}
	return axeOnce.src
}

// moduleRoot is the nearest directory above the working directory that holds
// go.mod: tests run in their package's directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = up
	}
}

// WCAGTags are the axe rule tags checked: WCAG 2.0 and 2.1, levels A and AA.
var WCAGTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one axe rule that a page breaks, with the elements that break it.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []Node `json:"nodes"`
}

// Node is one element that breaks a rule: its CSS selector and axe's summary of
// what to fix.
type Node struct {
	Target  []string `json:"target"`
	Summary string   `json:"failureSummary"`
}

// runScript runs axe on the whole document with the WCAG tags and returns its
// violations, trimmed to what the report shows. Selectors of elements inside
// frames or shadow roots come as arrays; they are joined.
const runScript = `axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]}).then(r =>
	r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : s), failureSummary: n.failureSummary || ""}))})))`

// Check runs axe-core (its source, as Axe returns it) on the page loaded in ctx
// and returns the WCAG 2.1 A/AA violations it finds.
func Check(ctx context.Context, src string) ([]Violation, error) {
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, fmt.Errorf("look for axe: %w", err)
	}
	if !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+"\n;true")); err != nil {
			return nil, fmt.Errorf("inject axe: %w", err)
		}
	}
	tags := `["` + strings.Join(WCAGTags, `","`) + `"]`
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](fmt.Sprintf(runScript, tags), chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe: %w", err)
	}
	return v, nil
}

// Report formats violations found on page for a test failure: per rule its
// impact, what it asks, where to read about it, and each element's selector
// with axe's advice.
func Report(page string, violations []Violation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s breaks %d accessibility rule(s) (WCAG 2.1 A/AA, axe-core):", page, len(violations))
	for _, v := range violations {
		fmt.Fprintf(&b, "\n- %s [%s]: %s\n  %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for i, n := range v.Nodes {
			if i == 5 {
				fmt.Fprintf(&b, "\n    … and %d more element(s)", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(&b, "\n    %s", strings.Join(n.Target, " "))
			if s := strings.Join(strings.Fields(n.Summary), " "); s != "" {
				fmt.Fprintf(&b, "\n      %s", s)
			}
		}
	}
	return b.String()
}
