package agentserver

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/inventory/fusion"
	"parc/internal/inventory/ocs"
	"parc/internal/record"
	"parc/internal/storetest"
)

// Real agents: Debian's fusioninventory-agent and ocsinventory-agent, run one-shot
// against a parc server on 127.0.0.1. Missing agents skip the test, unless
// PARC_REAL_AGENTS=1 (CI), where they fail it.

const agentTimeout = 4 * time.Minute

func requireAgent(t *testing.T, bin string) string {
	t.Helper()
	path, err := exec.LookPath(bin)
	if err == nil {
		return path
	}
	if os.Getenv("PARC_REAL_AGENTS") == "1" {
		t.Fatalf("%s is not installed (PARC_REAL_AGENTS=1): apt-get install %s", bin, bin)
	}
	t.Skipf("%s is not installed (set PARC_REAL_AGENTS=1 to require it)", bin)
	return ""
}

// realAgent runs one agent one-shot.
type realAgent struct {
	name  string
	parse func([]byte) (*inventory.Inventory, error)
	// command builds the command line: to the server URL, or to a local directory
	// when url is empty; credentials when user is set.
	command func(t *testing.T, dir, url, local, user, password string) []string
	local   *inventory.Inventory // what the agent writes locally
}

// fusionAgent runs fusioninventory-agent with its state in dir: the agent's state
// directory is fixed at install time (setup.pm), so a small Perl wrapper loads a
// setup.pm of ours first.
func fusionAgent(t *testing.T) *realAgent {
	bin := requireAgent(t, "fusioninventory-agent")
	return &realAgent{name: "fusioninventory-agent", parse: fusion.ParseInventory,
		command: func(t *testing.T, dir, url, local, user, password string) []string {
			conf := filepath.Join(dir, "agent.cfg")
			wrapper := filepath.Join(dir, "fusioninventory-agent.pl")
			if _, err := os.Stat(wrapper); err != nil {
				writeFusionWrapper(t, bin, dir)
				if err := os.WriteFile(conf, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"perl", wrapper, "--conf-file=" + conf, "--force", "--tasks=inventory", "--no-httpd",
				"--no-category=process,environment", "--logger=stderr"}
			if local != "" {
				return append(args, "--local", local)
			}
			args = append(args, "--server", url+PathGLPI)
			if user != "" {
				args = append(args, "--user", user, "--password", password)
			}
			return args
		}}
}

func writeFusionWrapper(t *testing.T, bin, dir string) {
	t.Helper()
	script, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^use lib "([^"]+)";`).FindSubmatch(script)
	if m == nil {
		t.Fatalf("%s: no `use lib` line to find the agent's setup.pm", bin)
	}
	libdir := string(m[1])
	setup, err := os.ReadFile(filepath.Join(libdir, "setup.pm"))
	if err != nil {
		t.Fatal(err)
	}
	vardir := filepath.Join(dir, "var")
	if err := os.MkdirAll(filepath.Join(dir, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	setup = regexp.MustCompile(`vardir\s*=>\s*"[^"]*"`).ReplaceAll(setup, []byte(`vardir => "`+vardir+`"`))
	if !strings.Contains(string(setup), vardir) {
		t.Fatalf("%s/setup.pm: no vardir to redirect", libdir)
	}
	if err := os.WriteFile(filepath.Join(dir, "lib", "setup.pm"), setup, 0o644); err != nil {
		t.Fatal(err)
	}
	wrapper := fmt.Sprintf("BEGIN { unshift @INC, %q; require setup; }\n$0 = %q;\ndo %q;\ndie $@ if $@;\n",
		filepath.Join(dir, "lib"), bin, bin)
	if err := os.WriteFile(filepath.Join(dir, "fusioninventory-agent.pl"), []byte(wrapper), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ocsAgent(t *testing.T) *realAgent {
	bin := requireAgent(t, "ocsinventory-agent")
	return &realAgent{name: "ocsinventory-agent", parse: ocs.ParseInventory,
		command: func(t *testing.T, dir, url, local, user, password string) []string {
			args := []string{bin, "--force", "--basevardir=" + filepath.Join(dir, "var")}
			if local != "" {
				return append(args, "--local="+local)
			}
			args = append(args, "--nolocal", "--server="+url+PathOCS)
			if user != "" {
				// The agent reads its credentials base64-encoded, and sends them
				// only when challenged for the realm it is given.
				args = append(args, "--realm=parc",
					"--user="+base64.StdEncoding.EncodeToString([]byte(user)),
					"--password="+base64.StdEncoding.EncodeToString([]byte(password)))
			}
			return args
		}}
}

// run runs the agent and returns its output.
func (a *realAgent) run(t *testing.T, args []string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), agentTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "LANG=C", "LC_ALL=C")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("%s: %v in %v", a.name, strings.Join(args, " "), time.Since(start).Round(100*time.Millisecond))
	if err != nil {
		t.Fatalf("%s: %v\n%s", a.name, err, out)
	}
	if os.Getenv("PARC_AGENT_OUTPUT") != "" {
		t.Logf("%s output:\n%s", a.name, out)
	}
	return string(out)
}

// localInventory runs the agent once with a local target and parses what it wrote.
func (a *realAgent) localInventory(t *testing.T) *inventory.Inventory {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	log := a.run(t, a.command(t, dir, "", out, "", ""))
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	if len(files) != 1 {
		t.Fatalf("%s --local wrote %v\n%s", a.name, files, log)
	}
	doc, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	inv, err := a.parse(doc)
	if err != nil {
		t.Fatalf("%s: %v", files[0], err)
	}
	return inv
}

// checkLocal compares the one computer stored with the agent's local inventory: the
// identity, memory and software are those the agent wrote locally.
func (e *env) checkLocal(t *testing.T, local *inventory.Inventory, when string) *record.Record {
	t.Helper()
	id := local.Identity()
	c := e.computer(id.Name)
	for _, f := range []struct{ field, got, want string }{
		{"serial", c.String("serial"), id.Serial},
		{"uuid", c.String("uuid"), id.UUID},
		{"mac_addresses", c.String("mac_addresses"), strings.Join(id.MACs, ", ")},
		{"memory_mb", fmt.Sprint(c.Int("memory_mb")), fmt.Sprint(local.TotalMemoryMB())},
		{"software_count", fmt.Sprint(c.Int("software_count")), fmt.Sprint(expectedInstalls(local))},
	} {
		if f.got != f.want {
			t.Errorf("%s: %s = %q, the agent's local inventory says %q", when, f.field, f.got, f.want)
		}
	}
	if got, want := e.installs(c.ID), expectedInstalls(local); got != want {
		t.Errorf("%s: %d installations stored, the local inventory has %d", when, got, want)
	}
	return c
}

// switchable serves the current handler: a re-run reaches the same URL (OCS keeps a
// DEVICEID per server URL) while the server changes options.
// It logs each request, for the test's verbose output.
type switchable struct {
	t *testing.T
	h atomic.Pointer[http.Handler]
}

func (s *switchable) set(h http.Handler) { s.h.Store(&h) }
func (s *switchable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusRecorder{ResponseWriter: w}
	(*s.h.Load()).ServeHTTP(sw, r)
	s.t.Logf("server: %s %s %s (%d bytes, %s, auth %t): %d in %v", r.Method, r.URL.Path, r.UserAgent(), r.ContentLength,
		r.Header.Get("Content-Type"), r.Header.Get("Authorization") != "", sw.code, time.Since(start).Round(time.Millisecond))
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (w *statusRecorder) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func TestRealAgents(t *testing.T) {
	agents := []func(*testing.T) *realAgent{fusionAgent, ocsAgent}
	var once [2]sync.Once
	var cached [2]*realAgent
	storetest.EachStore(t, func(t *testing.T, kind string) {
		for i, mk := range agents {
			t.Run([]string{"fusioninventory", "ocsinventory"}[i], func(t *testing.T) {
				a := mk(t)
				// The agent's own view of this machine, written locally once for all stores.
				once[i].Do(func() {
					a.local = a.localInventory(t)
					cached[i] = a
				})
				if cached[i] == nil || cached[i].local == nil {
					t.Fatal("the local run failed")
				}
				a.local = cached[i].local
				testRealAgent(t, kind, a)
			})
		}
	})
}

func testRealAgent(t *testing.T, kind string, a *realAgent) {
	e := newEnv(t, kind, Options{})
	withToken := New(e.app, ingest.New(e.app), Options{Token: testToken})
	sw := &switchable{t: t}
	sw.set(e.as.Handler())
	srv := httptest.NewServer(sw)
	defer srv.Close()
	dir := t.TempDir()

	// First run: open server, the machine is created.
	out := a.run(t, a.command(t, dir, srv.URL, "", "", ""))
	if strings.Contains(out, "[error]") {
		t.Errorf("the agent logged errors:\n%s", out)
	}
	if e.count("SELECT COUNT(*) FROM computers") != 1 || e.count("SELECT COUNT(*) FROM agents") != 1 {
		t.Fatalf("after the first run: %v\nagent:\n%s\nserver:\n%s", e.rows(), out, e.log)
	}
	local := a.local
	id := local.Identity()
	c := e.computer(id.Name)
	check := func(when string) { c = e.checkLocal(t, local, when) }
	check("first run")
	var seen1 time.Time
	if err := e.app.DB.QueryRowContext(context.Background(), "SELECT received_at FROM inventory_state WHERE computer_id = ?", c.ID).Scan(&seen1); err != nil {
		t.Fatal(err)
	}

	// Second run, now with the agent token required and given: the same machine is
	// updated, never duplicated.
	sw.set(withToken.Handler())
	out = a.run(t, a.command(t, dir, srv.URL, "", "agent", testToken))
	if strings.Contains(out, "[error]") {
		t.Errorf("the agent logged errors on the second run:\n%s", out)
	}
	if n := e.count("SELECT COUNT(*) FROM computers"); n != 1 {
		t.Fatalf("after the second run: %d computers\n%s", n, e.log)
	}
	if n := e.count("SELECT COUNT(*) FROM agents"); n != 1 {
		t.Errorf("after the second run: %d agents (the agent kept its DEVICEID)", n)
	}
	check("second run")
	var seen2 time.Time
	if err := e.app.DB.QueryRowContext(context.Background(), "SELECT received_at FROM inventory_state WHERE computer_id = ?", c.ID).Scan(&seen2); err != nil {
		t.Fatal(err)
	}
	if !seen2.After(seen1) {
		t.Errorf("the second inventory was not received: %v then %v", seen1, seen2)
	}
	// The agent sent its credentials once challenged by a 401.
	if !strings.Contains(e.log.String(), "requires the agent token") {
		t.Errorf("the second run was never challenged for the token:\n%s", e.log)
	}
}
