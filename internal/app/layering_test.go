package app_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The layering of docs/architecture.md, bottom to top:
//
//	store -> record -> domains -> core -> domains working across types -> HTTP layers -> app -> cmd
//
// written as what each kind of package must never depend on, directly or through
// another package. TestLayering fails on any such dependency.
const module = "parc/"

var (
	// httpLayers translate HTTP to service calls; app builds them and mounts them.
	httpLayers = []string{"internal/web", "internal/api", "internal/ui", "internal/agentserver"}
	// tools drive a whole parc from outside, as a command does: they may use app.
	tools = []string{"cmd/parc", "internal/bench", "internal/apitest", "internal/e2e"}
	// testTools serve tests and benchmarks only.
	testTools = []string{"internal/storetest", "internal/mailtest", "internal/ldaptest", "internal/loadgen", "internal/inventory/inventorytest", "internal/uitest"}
)

type rule struct {
	who    func(pkg string) bool
	never  []string // packages, or prefixes ending in "/..."
	reason string
}

var rules = []rule{
	{who: is("internal/store"), never: []string{"internal/..."},
		reason: "the store is the bottom layer: it knows no record type and no domain rule"},
	{who: is("internal/record"), never: except("internal/...", "internal/store"),
		reason: "the record framework sits on the store only; types are declared by the domains"},
	{who: func(p string) bool { return p != "internal/app" && !slices.Contains(tools, p) }, never: []string{"internal/app"},
		reason: "only commands and tools start from the composition root"},
	{who: isDomain, never: httpLayers,
		reason: "a domain takes narrow dependencies and never the HTTP layers"},
	{who: is(httpLayers...), never: []string{"internal/bench", "internal/demo"},
		reason: "HTTP layers translate requests to domain services"},
	{who: is("internal/web"), never: []string{"internal/api", "internal/ui", "internal/agentserver"},
		reason: "the server and its middleware take route sets; app mounts them"},
	{who: is("internal/api"), never: []string{"internal/web", "internal/ui", "internal/agentserver"},
		reason: "one HTTP layer never calls another"},
	{who: is("internal/ui"), never: []string{"internal/web", "internal/api", "internal/agentserver"},
		reason: "one HTTP layer never calls another"},
	{who: is("internal/agentserver"), never: []string{"internal/web", "internal/api", "internal/ui"},
		reason: "one HTTP layer never calls another"},
}

func is(pkgs ...string) func(string) bool {
	return func(p string) bool { return slices.Contains(pkgs, p) }
}

// except is the packages of pattern but the ones named.
func except(pattern string, allowed ...string) []string {
	out := []string{pattern}
	for _, a := range allowed {
		out = append(out, "!"+a)
	}
	return out
}

// isDomain: every package that is not the root, an HTTP layer or a tool.
func isDomain(p string) bool {
	return p != "internal/app" && !slices.Contains(httpLayers, p) && !slices.Contains(tools, p) && !slices.Contains(testTools, p)
}

// matches tells whether dep falls under the never list.
func matches(never []string, dep string) bool {
	hit := false
	for _, n := range never {
		switch {
		case strings.HasPrefix(n, "!"):
			if dep == n[1:] {
				return false
			}
		case strings.HasSuffix(n, "/..."):
			if strings.HasPrefix(dep, strings.TrimSuffix(n, "...")) {
				hit = true
			}
		case dep == n:
			hit = true
		}
	}
	return hit
}

// deps lists each package of the module with every package of the module it
// depends on, directly or not (tests excluded: they may assemble what they test).
func deps(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(f[0], module)
		for _, d := range f[1:] {
			if strings.HasPrefix(d, module) {
				m[pkg] = append(m[pkg], strings.TrimPrefix(d, module))
			}
		}
		if _, ok := m[pkg]; !ok {
			m[pkg] = nil
		}
	}
	return m
}

func TestLayering(t *testing.T) {
	all := deps(t)
	if len(all) < 20 || all["internal/app"] == nil {
		t.Fatalf("go list found %d packages: not the module", len(all))
	}
	for pkg, ds := range all {
		for _, r := range rules {
			if !r.who(pkg) {
				continue
			}
			for _, d := range ds {
				if matches(r.never, d) {
					t.Errorf("%s depends on %s: %s", pkg, d, r.reason)
				}
			}
		}
	}
}

// TestLayeringRulesBite checks the rules against dependencies the layering forbids,
// so that a rule loosened by mistake is seen.
func TestLayeringRulesBite(t *testing.T) {
	forbidden := map[string]string{
		"internal/store":       "internal/softver",
		"internal/record":      "internal/auth",
		"internal/ingest":      "internal/app",
		"internal/helpdesk":    "internal/api",
		"internal/mailgate":    "internal/ui",
		"internal/demo":        "internal/agentserver",
		"internal/ui":          "internal/api",
		"internal/web":         "internal/api",
		"internal/agentserver": "internal/app",
	}
	for pkg, dep := range forbidden {
		caught := false
		for _, r := range rules {
			if r.who(pkg) && matches(r.never, dep) {
				caught = true
			}
		}
		if !caught {
			t.Errorf("no rule forbids %s -> %s", pkg, dep)
		}
	}
	for pkg, dep := range map[string]string{"internal/record": "internal/store", "cmd/parc": "internal/app", "internal/bench": "internal/app", "internal/app": "internal/ui"} {
		for _, r := range rules {
			if r.who(pkg) && matches(r.never, dep) {
				t.Errorf("%s -> %s is allowed, yet refused: %s", pkg, dep, r.reason)
			}
		}
	}
}

// TestStoreOwnsItsPools: outside the store, SQL goes through its rebinding querier
// (DB.Tx's *store.Tx, DB.QueryContext, DB.Exec) and its placeholder helpers, never
// through the raw pools, which would not rebind '?' for PostgreSQL, nor through a
// hand-written list of placeholders. Tests may use the pools.
func TestStoreOwnsItsPools(t *testing.T) {
	raw := regexp.MustCompile(`\.(W|R)\.(QueryContext|QueryRowContext|ExecContext|Exec|Query|QueryRow|Conn|BeginTx|Begin)\(`)
	marks := regexp.MustCompile(`Repeat\("(\?|, \?|\?, )`)
	var files int
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && filepath.ToSlash(path) == "../../internal/store" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			files++
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, line := range strings.Split(string(b), "\n") {
				if raw.MatchString(line) {
					t.Errorf("%s:%d uses a raw pool of the store: %s", path, i+1, strings.TrimSpace(line))
				}
				if marks.MatchString(line) {
					t.Errorf("%s:%d writes its own placeholders (store.Placeholders, store.Rows): %s", path, i+1, strings.TrimSpace(line))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 100 {
		t.Fatalf("read %d files: not the module", files)
	}
}
