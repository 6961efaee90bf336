package agentserver

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/inventory/glpi"
	"parc/internal/storetest"
)

// The real GLPI Agent, from the source snapshot in ../shared/peers/glpi-agent (Debian
// does not package it), run with Debian's Perl and the modules that Debian's
// fusioninventory-agent package pulls in, plus Cpanel::JSON::XS and Data::UUID.

// glpiAgentDir is where the snapshot sits, from this package's directory.
const glpiAgentDir = "../../../shared/peers/glpi-agent"

// requireGLPIAgent returns the agent's directory, or skips the test when the agent or
// its Perl modules are missing (fails it when CI=1 or PARC_REAL_AGENTS=1).
func requireGLPIAgent(t *testing.T) string {
	t.Helper()
	missing := func(why string) {
		if os.Getenv("PARC_REAL_AGENTS") == "1" || os.Getenv("CI") == "1" {
			t.Fatalf("GLPI Agent cannot run (PARC_REAL_AGENTS=1 or CI=1): %s", why)
		}
		t.Skipf("GLPI Agent cannot run (set PARC_REAL_AGENTS=1 to require it): %s", why)
	}
	dir, err := filepath.Abs(glpiAgentDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bin", "glpi-agent")); err != nil {
		missing(err.Error())
	}
	out, err := exec.Command("perl", "-I"+filepath.Join(dir, "lib"), "-e",
		"use GLPI::Agent; use GLPI::Agent::HTTP::Client::GLPI; use GLPI::Agent::Protocol::Inventory; use Cpanel::JSON::XS; use Compress::Zlib; 1").CombinedOutput()
	if err != nil {
		missing("its Perl modules: " + firstLine(string(out)) + " (apt-get install fusioninventory-agent libcpanel-json-xs-perl libdata-uuid-perl libdatetime-perl)")
	}
	return dir
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// glpiAgent runs bin/glpi-agent with its state in dir/var. It prints every message
// exchanged (--debug --debug), so that a test sees which protocol was spoken.
func glpiAgent(t *testing.T, path string) *realAgent {
	home := requireGLPIAgent(t)
	return &realAgent{name: "glpi-agent", parse: glpi.ParseInventory,
		command: func(t *testing.T, dir, url, local, user, password string) []string {
			conf := filepath.Join(dir, "empty.cfg")
			if err := os.MkdirAll(filepath.Join(dir, "var"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(conf, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"perl", "-I" + filepath.Join(home, "lib"), filepath.Join(home, "bin", "glpi-agent"),
				"--conf-file", conf, "--vardir", filepath.Join(dir, "var"), "--force", "--tasks", "inventory",
				"--no-httpd", "--logger", "stderr", "--no-category", "process,environment"}
			if local != "" {
				return append(args, "--local", local, "--json")
			}
			args = append(args, "--debug", "--debug", "--server", url+path)
			if user != "" {
				args = append(args, "--user", user, "--password", password)
			}
			return args
		}}
}

var (
	sentContact   = regexp.MustCompile(`"action"\s*:\s*"contact"`)
	sentInventory = regexp.MustCompile(`"action"\s*:\s*"inventory"`)
)

// TestRealGLPIAgent runs GLPI Agent twice against the root URL, then twice against
// /front/inventory.php, behind parc's whole web server: the first run's PROLOG is
// answered in JSON, which moves the agent to its JSON protocol; the second run (with
// the agent token required) opens with a JSON CONTACT. Each time one computer, with
// the facts of the agent's own local inventory, and one agent row marked JSON.
func TestRealGLPIAgent(t *testing.T) {
	var once sync.Once
	var local *inventory.Inventory
	storetest.EachStore(t, func(t *testing.T, kind string) {
		for name, path := range map[string]string{"root": PathRoot, "inventory.php": PathGLPI} {
			t.Run(name, func(t *testing.T) {
				a := glpiAgent(t, path)
				once.Do(func() { local = a.localInventory(t) })
				if local == nil {
					t.Fatal("the local run failed")
				}
				testRealGLPIAgent(t, kind, a, local)
			})
		}
	})
}

func testRealGLPIAgent(t *testing.T, kind string, a *realAgent, local *inventory.Inventory) {
	e := newEnv(t, kind, Options{})
	open := e.webServer(e.as)
	withToken := e.webServer(New(e.app, ingest.New(e.app), Options{Token: testToken}))
	sw := &switchable{t: t}
	sw.set(open)
	srv := httptest.NewServer(sw)
	defer srv.Close()
	dir := t.TempDir()

	agentRow := func(when string) (format, uuid, device string) {
		t.Helper()
		if n := e.count("SELECT COUNT(*) FROM computers"); n != 1 {
			t.Fatalf("%s: %d computers\n%s", when, n, e.log)
		}
		if n := e.count("SELECT COUNT(*) FROM agents"); n != 1 {
			t.Fatalf("%s: %d agents", when, n)
		}
		if err := e.app.DB.QueryRowContext(context.Background(), "SELECT format, COALESCE(agent_uuid, ''), device_id FROM agents").Scan(&format, &uuid, &device); err != nil {
			t.Fatal(err)
		}
		if format != string(inventory.FormatGLPI) || len(uuid) != 36 {
			t.Errorf("%s: the agent row says protocol %q, agent id %q: want the JSON protocol and the GLPI-Agent-ID", when, format, uuid)
		}
		return format, uuid, device
	}

	// First run: a PROLOG with the GLPI-Agent-ID header, answered in JSON; then the
	// inventory in JSON.
	out := a.run(t, a.command(t, dir, srv.URL, "", "", ""))
	if strings.Contains(out, "[error]") {
		t.Errorf("the agent logged errors:\n%s", out)
	}
	if !strings.Contains(out, "answer shows it supports GLPI Agent protocol") || !sentInventory.MatchString(out) {
		t.Errorf("the first run did not move to the JSON protocol:\n%s", lastLines(out, 40))
	}
	_, uuid1, device1 := agentRow("first run")
	e.checkLocal(t, local, "first run")

	// Second run, with the token required: the agent opens with a JSON CONTACT,
	// is challenged, sends its credentials, then its JSON inventory.
	sw.set(withToken)
	out = a.run(t, a.command(t, dir, srv.URL, "", "agent", testToken))
	if strings.Contains(out, "[error]") {
		t.Errorf("the agent logged errors on the second run:\n%s", out)
	}
	if !sentContact.MatchString(out) || !sentInventory.MatchString(out) || strings.Contains(out, "sending prolog request") {
		t.Errorf("the second run did not speak the JSON protocol (CONTACT, then inventory):\n%s", lastLines(out, 40))
	}
	if !strings.Contains(e.log.String(), "requires the agent token") {
		t.Errorf("the second run was never challenged for the token:\n%s", e.log)
	}
	_, uuid2, device2 := agentRow("second run")
	if uuid2 != uuid1 || device2 != device1 {
		t.Errorf("the agent row changed identity: %s %s, then %s %s", uuid1, device1, uuid2, device2)
	}
	e.checkLocal(t, local, "second run")

	// The agents page says so, in words, to a technician.
	if _, err := e.app.Auth.CreateUser(context.Background(), e.sys, "tech", "tech-password-1", "technician", e.sys.Tree.Root); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	if resp, err := browser.PostForm(srv.URL+"/login", url.Values{"login": {"tech"}, "password": {"tech-password-1"}}); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	// The agent id is a column users choose: ask for it.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/agents?columns=device_id,agent_uuid,format", nil)
	req.Header.Set("Accept-Language", "en")
	resp, err := browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"GLPI Agent (JSON)", uuid2, device2} {
		if resp.StatusCode != 200 || !strings.Contains(string(page), want) {
			t.Errorf("the agents page (%d) lacks %q", resp.StatusCode, want)
		}
	}

	// The root URL stays the web interface for everything else.
	resp, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		t.Errorf("GET / answered %d, want the web interface's redirection to its login page", resp.StatusCode)
	}
}

// lastLines keeps the end of a long agent output.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
