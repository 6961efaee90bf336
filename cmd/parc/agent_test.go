package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"parc/internal/agent"
	"parc/internal/inventory"
)

func runAgent(t *testing.T, ctx context.Context, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := agentCmd(ctx, args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestAgentLocal(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	file := filepath.Join(dir, "inv.json")
	out, _, err := runAgent(t, context.Background(), "--local", file, "--state", state, "--tag", "lab")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "written to "+file) {
		t.Errorf("output %q", out)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	inv, doc, err := agent.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Protocol != agent.Protocol || doc.Agent.Name != "parc-agent" || doc.Tag != "lab" || doc.DeviceID == "" {
		t.Errorf("envelope %+v", doc)
	}
	if err := inv.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []inventory.Section{inventory.SectionHardware, inventory.SectionOS, inventory.SectionCPUs, inventory.SectionNetworks} {
		if !inv.Has(s) {
			t.Errorf("section %s not listed in %v", s, inv.Sections)
		}
	}
	host, _ := os.Hostname()
	if short, _, _ := strings.Cut(host, "."); inv.Hardware.Name != short || !strings.HasPrefix(doc.DeviceID, short+"-") {
		t.Errorf("name %q, device id %q, host %q", inv.Hardware.Name, doc.DeviceID, host)
	}

	// The device id is kept from one run to the next; "-" writes to standard output.
	out, _, err = runAgent(t, context.Background(), "--local", "-", "--state", state, "--no-software")
	if err != nil {
		t.Fatal(err)
	}
	inv2, doc2, err := agent.Unmarshal([]byte(out))
	if err != nil {
		t.Fatalf("%v: %.200s", err, out)
	}
	if doc2.DeviceID != doc.DeviceID || inv2.Has(inventory.SectionSoftwares) {
		t.Errorf("second run: device id %q (first %q), sections %v", doc2.DeviceID, doc.DeviceID, inv2.Sections)
	}
}

func TestAgentArguments(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--server", "http://127.0.0.1:1", "--local", "-"},
		{"--server", "127.0.0.1:8080"},
		{"--local", "-", "extra"},
		{"--server", "http://127.0.0.1:1", "--every", "-1h"},
	} {
		if _, _, err := runAgent(t, context.Background(), args...); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

type agentServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
	body [][]byte
	hit  chan struct{}
}

func newAgentServer(t *testing.T, status int, reply string) *agentServer {
	s := &agentServer{hit: make(chan struct{}, 100)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs, s.body = append(s.reqs, r), append(s.body, b)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, reply)
		s.hit <- struct{}{}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *agentServer) request(i int) (*http.Request, []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reqs[i], s.body[i]
}

func TestAgentSend(t *testing.T) {
	srv := newAgentServer(t, 200, `{"status":"ok","computer_id":12,"created":true,"changed":["hardware","softwares"]}`)
	t.Setenv("PARC_AGENT_TOKEN", "from-env")
	out, _, err := runAgent(t, context.Background(), "--server", srv.URL, "--state", t.TempDir(), "--tag", "site-lyon")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "sent: computer 12 created, changed: hardware, softwares") {
		t.Errorf("output %q", out)
	}
	r, body := srv.request(0)
	if r.Method != "POST" || r.URL.Path != "/api/v1/agent/inventory" || r.Header.Get("Authorization") != "Bearer from-env" ||
		r.Header.Get("Content-Type") != "application/json" || !strings.HasPrefix(r.Header.Get("User-Agent"), "parc-agent/") {
		t.Errorf("%s %s %v", r.Method, r.URL.Path, r.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("body not gzip: %v", err)
	}
	plain, _ := io.ReadAll(zr)
	var doc struct {
		Protocol  string `json:"protocol"`
		Tag       string `json:"tag"`
		Inventory struct {
			Sections  []string          `json:"sections"`
			Softwares []json.RawMessage `json:"softwares"`
		} `json:"inventory"`
	}
	if err := json.Unmarshal(plain, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Protocol != "parc-agent/1" || doc.Tag != "site-lyon" || len(doc.Inventory.Sections) == 0 {
		t.Errorf("document: %+v", doc)
	}

	// --token wins over the environment.
	if _, _, err := runAgent(t, context.Background(), "--server", srv.URL, "--state", t.TempDir(), "--token", "flag", "--no-software"); err != nil {
		t.Fatal(err)
	}
	if r, _ := srv.request(1); r.Header.Get("Authorization") != "Bearer flag" {
		t.Errorf("Authorization %q", r.Header.Get("Authorization"))
	}
}

func TestAgentRefused(t *testing.T) {
	srv := newAgentServer(t, 401, `{"status":"error","message":"wrong agent token"}`)
	_, _, err := runAgent(t, context.Background(), "--server", srv.URL, "--state", t.TempDir(), "--token", "bad", "--no-software")
	if err == nil || !strings.Contains(err.Error(), "server answered 401 Unauthorized: wrong agent token") {
		t.Fatalf("%v", err)
	}
}

func TestAgentEvery(t *testing.T) {
	srv := newAgentServer(t, 500, `{"status":"error","message":"store down"}`)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var errOut string
	state := t.TempDir()
	go func() {
		var out, e bytes.Buffer
		err := agentCmd(ctx, []string{"--server", srv.URL, "--state", state, "--every", "200ms", "--no-software"}, &out, &e)
		errOut = e.String()
		done <- err
	}()
	// Failures are reported and the loop goes on.
	for i := 0; i < 2; i++ {
		select {
		case <-srv.hit:
		case <-time.After(30 * time.Second):
			t.Fatal("no request")
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the loop does not stop")
	}
	if !strings.Contains(errOut, "server answered 500 Internal Server Error: store down") {
		t.Errorf("stderr %q", errOut)
	}
}
