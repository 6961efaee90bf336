package agentserver

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"parc/internal/api"
	"parc/internal/asset"
	"parc/internal/core"
	"parc/internal/i18n"
	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/inventory/wire"
	"parc/internal/record"
	"parc/internal/storetest"
	"parc/internal/ui"
	"parc/internal/web"
)

// Real agents' request headers, as recorded (inventory-protocols.md).
const (
	uaFusion = "FusionInventory-Agent_v2.6-3"
	uaOCS    = "OCS-NG_unified_unix_agent_v2.10.0"
	ctFusion = "application/x-compress-zlib"
	ctOCS    = "application/x-compress"
)

// logBuffer collects the server's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// env is a store, the agent server over it, and an HTTP server with only the agent
// endpoints (Handler: the mux, and the requests to "/" the server claims).
type env struct {
	t   testing.TB
	app *core.Core
	srv *httptest.Server
	as  *Server
	sys *record.Actor
	log *logBuffer
}

func newEnv(t testing.TB, kind string, opt Options) *env {
	t.Helper()
	logs := &logBuffer{}
	a := core.New(storetest.OpenTest(t, kind), slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	ctx := context.Background()
	if _, err := a.Bootstrap(ctx, "en"); err != nil {
		t.Fatal(err)
	}
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		t.Fatal(err)
	}
	as := New(a, ingest.New(a), opt)
	srv := httptest.NewServer(as.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, app: a, srv: srv, as: as, sys: sys, log: logs}
}

// reply is an answer, decompressed.
type reply struct {
	Status int
	Header http.Header
	Comp   wire.Compression // compression of the body as received
	Body   string           // decompressed
}

// post sends a body; headers are name, value pairs.
func (e *env) post(path string, body []byte, headers ...string) *reply {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return do(e.t, req)
}

func do(t testing.TB, req *http.Request) *reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := &reply{Status: resp.StatusCode, Header: resp.Header, Comp: wire.Detect(raw)}
	if resp.Uncompressed { // Go's client took off a gzip Content-Encoding
		out.Comp = wire.Gzip
		out.Body = string(raw)
		return out
	}
	if out.Comp == wire.None {
		out.Body = string(raw)
		return out
	}
	dec, _, err := wire.Decode(raw, "", wire.Limits{})
	if err != nil {
		t.Fatalf("%s %s: the reply does not decompress: %v (%q)", req.Method, req.URL.Path, err, raw)
	}
	out.Body = string(dec)
	return out
}

// fusion posts a FusionInventory agent request (zlib, as the agent sends it).
func (e *env) fusion(path string, doc []byte, headers ...string) *reply {
	e.t.Helper()
	return e.post(path, zlibBytes(e.t, doc), append([]string{"Content-Type", ctFusion, "User-Agent", uaFusion}, headers...)...)
}

// ocs posts an OCS agent request (zlib labelled application/x-compress).
func (e *env) ocs(doc []byte, headers ...string) *reply {
	e.t.Helper()
	return e.post(PathOCS, zlibBytes(e.t, doc), append([]string{"Content-Type", ctOCS, "User-Agent", uaOCS}, headers...)...)
}

func zlibBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.app.DB.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// rows counts what an inventory writes: computers, agents, installations, components,
// monitors and devices, history.
func (e *env) rows() map[string]int {
	e.t.Helper()
	out := map[string]int{}
	for _, table := range []string{"computers", "agents", "software_installations", "computer_components", "inventory_state", "software",
		"monitors", "network_equipment", "printers", "phones", "history"} {
		out[table] = e.count("SELECT COUNT(*) FROM " + table)
	}
	return out
}

// computer finds the one live computer with that name through the record service.
func (e *env) computer(name string) *record.Record {
	e.t.Helper()
	page, err := e.app.Records.List(context.Background(), e.sys, e.app.Reg.MustType("computers"),
		record.ListQuery{Filters: []record.Filter{{Field: "name", Op: record.OpEq, Value: name}}, Limit: 10})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(page.Records) != 1 {
		e.t.Fatalf("%d computers named %q, want 1", len(page.Records), name)
	}
	return page.Records[0]
}

// installs counts the software installation rows of a computer.
func (e *env) installs(id int64) int {
	return e.count("SELECT COUNT(*) FROM software_installations WHERE computer_id = ?", id)
}

// expectedInstalls is the number of installations an inventory gives: one per software
// (as the catalogue keys it), version and architecture.
func expectedInstalls(inv *inventory.Inventory) int {
	seen := map[string]bool{}
	for _, sw := range inv.Softwares {
		name := strings.TrimSpace(sw.Name)
		if name == "" {
			continue
		}
		seen[asset.SoftwareKey(name)+"\x00"+asset.SoftwareKey(strings.TrimSpace(sw.Publisher))+"\x00"+strings.TrimSpace(sw.Version)+"\x00"+sw.Arch] = true
	}
	return len(seen)
}

// fakeIngester stands for the store in tests of the protocol alone.
type fakeIngester struct {
	mu   sync.Mutex
	invs []*inventory.Inventory
	meta []ingest.Meta
	err  error
}

func (f *fakeIngester) Ingest(_ context.Context, inv *inventory.Inventory, meta ingest.Meta) (*ingest.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	// Ingest validates what it is given (the server does not, see exchange.store).
	if err := inv.Validate(); err != nil {
		return nil, err
	}
	f.invs = append(f.invs, inv)
	f.meta = append(f.meta, meta)
	return &ingest.Result{ComputerID: int64(len(f.invs)), Created: true, Changed: inv.Sections}, nil
}

func (f *fakeIngester) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.invs)
}

// newFake serves the agent endpoints over a fake ingester (no store).
func newFake(t testing.TB, opt Options) (*fakeIngester, *env) {
	t.Helper()
	logs := &logBuffer{}
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(logs, nil))
	}
	f := &fakeIngester{}
	as := New(nil, f, opt)
	srv := httptest.NewServer(as.Handler())
	t.Cleanup(srv.Close)
	return f, &env{t: t, srv: srv, as: as, log: logs}
}

// webServer mounts the API, the pages and the agent server as on parc's own web
// server (internal/app builds that one; tests of this package cannot import it).
func (e *env) webServer(as *Server) *web.Server {
	cat := i18n.MustLoad()
	ing := as.ing.(*ingest.Service)
	return web.New(e.app, cat, api.New(e.app, cat, api.Services{Inventory: ing}), ui.New(e.app, cat, ui.Services{Inventory: ing}), as)
}
