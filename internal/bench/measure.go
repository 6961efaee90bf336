package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"parc/internal/app"
	"parc/internal/store"
)

// Server is a running parc server under measurement.
type Server struct {
	URL string
	// PID is the serving process: this one when in-process.
	PID int
	// Startup is the time from opening the store (in-process) or starting the
	// process to the first successful GET /readyz.
	Startup time.Duration
	stop    func() error
	// exited tells, for a child process, whether and how it ended.
	exited func() (bool, string)
}

// Gone explains a server that stopped answering: "" while it runs.
func (s *Server) Gone() string {
	if s.exited == nil {
		return ""
	}
	if done, why := s.exited(); done {
		return why
	}
	return ""
}

// Stop shuts the server down.
func (s *Server) Stop() error { return s.stop() }

// StartFunc starts a server on a store.
type StartFunc func(ctx context.Context, cfg store.Config) (*Server, error)

// StartInProcess opens the store and serves the API (no HTML interface) in this
// process on 127.0.0.1, as `parc serve` does.
func StartInProcess(ctx context.Context, cfg store.Config) (*Server, error) {
	t0 := time.Now()
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	if _, err := a.Bootstrap(ctx, "fr"); err != nil {
		a.Close()
		return nil, err
	}
	srv := a.HTTP()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, l) }()
	s := &Server{URL: "http://" + l.Addr().String(), PID: os.Getpid(), stop: func() error {
		cancel()
		err := <-done
		if cerr := a.Close(); err == nil {
			err = cerr
		}
		return err
	}}
	if err := waitReady(ctx, s.URL, 30*time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	s.Startup = time.Since(t0)
	return s, nil
}

// ProcessStarter runs `exe serve` on the store in a child process, with args
// after the store's (e.g. --demo): the figures are then those of the real server,
// apart from the load generator.
func ProcessStarter(exe string, args ...string) StartFunc {
	return func(ctx context.Context, cfg store.Config) (*Server, error) {
		dataDir := cfg.DataDir
		if dataDir == "" {
			d, err := os.MkdirTemp("", "parc-bench-serve-")
			if err != nil {
				return nil, err
			}
			defer os.RemoveAll(d) // PostgreSQL: the directory only holds nothing
			dataDir = d
		}
		cmd := exec.Command(exe, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dataDir}, args...)...)
		for _, kv := range os.Environ() {
			switch strings.SplitN(kv, "=", 2)[0] {
			case "PARC_DATABASE_URL", "PARC_DEMO", "PARC_ADDR", "PARC_DATA", "PARC_LOG_LEVEL":
				continue
			}
			cmd.Env = append(cmd.Env, kv)
		}
		if cfg.DatabaseURL != "" {
			cmd.Env = append(cmd.Env, "PARC_DATABASE_URL="+cfg.DatabaseURL)
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		exited := make(chan error, 1)
		var state struct {
			sync.Mutex
			done bool
			err  error
		}
		lines := bufio.NewScanner(out)
		addr := make(chan string, 1)
		go func() {
			sent := false
			for lines.Scan() {
				if _, u, ok := strings.Cut(lines.Text(), " listening on "); ok && !sent {
					addr <- strings.TrimSpace(u)
					sent = true
				}
			}
			close(addr)
			err := cmd.Wait()
			state.Lock()
			state.done, state.err = true, err
			state.Unlock()
			exited <- err
		}()
		kill := func() error {
			cmd.Process.Signal(os.Interrupt)
			select {
			case err := <-exited:
				return err
			case <-time.After(15 * time.Second):
				cmd.Process.Kill()
				return <-exited
			}
		}
		u, ok := <-addr
		if !ok {
			kill()
			return nil, fmt.Errorf("parc serve exited before listening: %s", stderr.String())
		}
		s := &Server{URL: u, PID: cmd.Process.Pid, stop: kill, exited: func() (bool, string) {
			state.Lock()
			defer state.Unlock()
			if !state.done {
				return false, ""
			}
			return true, fmt.Sprintf("parc serve (pid %d) exited: %v; its last output: %s", cmd.Process.Pid, state.err, truncate(stderr.Tail(800), 800))
		}}
		if err := waitReady(ctx, u, 30*time.Second); err != nil {
			kill()
			return nil, fmt.Errorf("%w: %s", err, stderr.String())
		}
		s.Startup = time.Since(t0)
		return s, nil
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 64<<10 {
		return len(p), nil
	}
	return l.b.Write(p)
}

// Tail is the end of what was written.
func (l *lockedBuffer) Tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.b.Bytes()
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitReady polls /readyz until it answers 200.
func waitReady(ctx context.Context, base string, limit time.Duration) error {
	c := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		resp, err := c.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server at %s not ready after %v", base, limit)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// Memory is the resident memory of a process, from /proc/PID/status.
type Memory struct {
	RSS, HWM int64 // bytes: current resident set and its peak
}

// ReadMemory reads VmRSS and VmHWM of a process (Linux only).
func ReadMemory(pid int) (Memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, err
	}
	var m Memory
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) < 1 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmRSS":
			m.RSS = n << 10
		case "VmHWM":
			m.HWM = n << 10
		}
	}
	return m, nil
}

// Client calls the API of a server under measurement with a bearer token.
type Client struct {
	Base  string
	Token string
	HTTP  *http.Client
}

// NewClient makes a client keeping up to conns connections alive.
func NewClient(base, token string, conns int) *Client {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}
	return &Client{Base: base, Token: token, HTTP: &http.Client{Transport: tr, Timeout: time.Minute}}
}

// Get reads an API path, expecting 200.
func (c *Client) Get(ctx context.Context, path string) ([]byte, error) {
	return c.do(ctx, http.MethodGet, path, nil, http.StatusOK)
}

// Create posts a new computer, expecting 201.
func (c *Client) Create(ctx context.Context, body []byte) error {
	_, err := c.do(ctx, http.MethodPost, "/api/v1/computers", body, http.StatusCreated)
	return err
}

// do sends a JSON body (or none), expecting status want.
func (c *Client) do(ctx context.Context, method, path string, body []byte, want int) ([]byte, error) {
	contentType := ""
	if body != nil {
		contentType = "application/json"
	}
	return c.send(ctx, method, path, contentType, body, want)
}

// send sends a body of the given type (none when contentType is empty), expecting
// status want; another status is an error with the start of the answer.
func (c *Client) send(ctx context.Context, method, path, contentType string, body []byte, want int) ([]byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("%s %s: status %d: %s", method, path, resp.StatusCode, truncate(string(b), 300))
	}
	return b, nil
}

// download reads an API path that answers a file, expecting 200, without
// keeping it: it returns the file's size.
func (c *Client) download(ctx context.Context, path string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Base+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return 0, fmt.Errorf("GET %s: status %d: %s", path, resp.StatusCode, b)
	}
	return io.Copy(io.Discard, resp.Body)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// ListCase is one list page the UI or an API client asks for.
type ListCase struct {
	Name  string
	Query string // URL query after /api/v1/computers?
}

// ListCases are the measured first pages for an actor working on org (nil: the
// whole store, as the super-admin): realistic filters and sorts, 50 rows, with
// the total count the list screen shows.
func ListCases(fx *Fixture, org *Org, searchTerm string) []ListCase {
	if org == nil {
		org = fx.Orgs[1]
	}
	v := func(pairs ...string) string {
		q := url.Values{}
		for i := 0; i < len(pairs); i += 2 {
			q.Add(pairs[i], pairs[i+1])
		}
		q.Set("limit", "50")
		q.Set("count", "1")
		return q.Encode()
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	cases := []ListCase{
		{"default: sort=name", v("sort", "name")},
		{"state in use, sort=name", v("filter", "state_id:eq:"+id(fx.States["in_use"]), "sort", "name")},
		{"name starts PC-" + org.Sites[0].Code, v("filter", "name:starts:PC-"+org.Sites[0].Code, "sort", "name")},
		{"bought >= 2024, sort=-purchase_date", v("filter", "purchase_date:gte:2024-01-01", "sort", "-purchase_date")},
		{"Dell, warranty < 2026, sort=warranty_end", v("filter", "manufacturer_id:eq:"+id(fx.Manufacturers["Dell"]), "filter", "warranty_end:lt:2026-01-01", "sort", "warranty_end")},
		{"in stock at a site, sort=-updated_at", v("filter", "state_id:eq:"+id(fx.States["stock"]), "filter", "location_id:eq:"+id(org.Sites[0].Rooms[0]), "sort", "-updated_at")},
		{"free text q=" + searchTerm, v("q", searchTerm)},
	}
	// Inventory facts, as the computer list shows them (IP, MAC, memory, disk columns).
	scope := org
	if scope == nil {
		scope = fx.Orgs[1]
	}
	cases = append(cases,
		ListCase{"memory < 8 GB, sort=name", v("filter", "memory_mb:lt:8192", "sort", "name")},
		ListCase{"IP starts " + SubnetOf(fx, scope) + ", sort=primary_ip", v("filter", "primary_ip:starts:"+SubnetOf(fx, scope), "sort", "primary_ip")},
		ListCase{"disk < 300 GB, sort=-last_inventory_at", v("filter", "disk_mb:lt:300000", "sort", "-last_inventory_at")},
		ListCase{"free text on a MAC address", v("q", fx.MACTerms[scope.ID])},
	)
	if fx.Installations {
		cases = append(cases, ListCase{"OpenSSL < 3.0.13, sort=name", v("filter", "software:lt:openssl@3.0.13", "sort", "name")})
	}
	return cases
}

// Latency is the timing of one list case.
type Latency struct {
	Case             string
	As               string
	Requests         int
	Total            int64 // rows matching, as the API counted them
	Median, P95, P99 time.Duration
	Min, Max         time.Duration
	First            time.Duration // the first (cold) request
	MedianOK, P95OK  bool
}

// Targets from the issue.
const (
	TargetListMedian = 20 * time.Millisecond
	TargetListP95    = 50 * time.Millisecond
	TargetCreates    = 1000.0 // per second, SQLite
	TargetRSS        = 150 << 20
	TargetStartup    = time.Second
)

// MeasureList times sequential requests of a list case, after warmup requests.
func MeasureList(ctx context.Context, c *Client, lc ListCase, as string, warmup, requests int) (Latency, error) {
	path := "/api/v1/computers?" + lc.Query
	out := Latency{Case: lc.Name, As: as, Requests: requests}
	for i := 0; i < warmup; i++ {
		t0 := time.Now()
		b, err := c.do(ctx, http.MethodGet, path, nil, http.StatusOK)
		if err != nil {
			return out, err
		}
		if i == 0 {
			out.First = time.Since(t0)
			var page struct {
				Total *int64 `json:"total"`
			}
			if err := json.Unmarshal(b, &page); err != nil {
				return out, err
			}
			if page.Total != nil {
				out.Total = *page.Total
			}
		}
	}
	ds := make([]time.Duration, 0, requests)
	for i := 0; i < requests; i++ {
		t0 := time.Now()
		if _, err := c.do(ctx, http.MethodGet, path, nil, http.StatusOK); err != nil {
			return out, err
		}
		ds = append(ds, time.Since(t0))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	out.Median, out.P95, out.P99 = Percentile(ds, 0.50), Percentile(ds, 0.95), Percentile(ds, 0.99)
	out.Min, out.Max = ds[0], ds[len(ds)-1]
	out.MedianOK, out.P95OK = out.Median <= TargetListMedian, out.P95 <= TargetListP95
	return out, nil
}

// Percentile is the nearest-rank percentile of sorted durations.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(float64(len(sorted))*p+0.999999) - 1
	k = max(0, min(k, len(sorted)-1))
	return sorted[k]
}

// Rate is the outcome of a creation run.
type Rate struct {
	Clients   int
	Created   int
	Errors    int
	FirstErr  string
	Elapsed   time.Duration
	PerSecond float64
	Median    time.Duration // per request
	P95       time.Duration
}

var runSeq atomic.Int64

// CreateBody is a realistic new computer, as an API client sends it.
func CreateBody(fx *Fixture, rng *rand.Rand, tag string) []byte {
	org := fx.Orgs[rng.IntN(len(fx.Orgs))]
	site := org.Sites[rng.IntN(len(org.Sites))]
	room := site.ID
	if len(site.Rooms) > 0 {
		room = site.Rooms[rng.IntN(len(site.Rooms))]
	}
	m := fx.Models[rng.IntN(len(fx.Models))]
	bought := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(300))
	body := map[string]any{
		"organization_id": org.ID, "name": "API-" + site.Code + "-" + tag, "inventory_number": "API-" + tag,
		"serial": serial(rng, m), "manufacturer_id": m.Maker, "model_id": m.ID, "type_id": m.Type,
		"state_id": fx.States["in_use"], "location_id": room, "supplier_id": fx.Suppliers[rng.IntN(len(fx.Suppliers))],
		"purchase_date": bought.Format("2006-01-02"), "purchase_price": m.Price, "warranty_end": bought.AddDate(3, 0, -1).Format("2006-01-02"),
		"uuid": uuid(rng), "os_name": "Windows 11 Professionnel", "os_version": "24H2",
	}
	b, _ := json.Marshal(body)
	return b
}

// MeasureCreates posts new computers from clients concurrent clients for d.
func MeasureCreates(ctx context.Context, c *Client, fx *Fixture, clients int, d time.Duration) (Rate, error) {
	run := fmt.Sprintf("%x%d", time.Now().UnixNano()&0xffffff, runSeq.Add(1))
	out, _ := measureRate(ctx, c, "/api/v1/computers", clients, d, func(rng *rand.Rand, n int64) []byte {
		return CreateBody(fx, rng, fmt.Sprintf("%s-%d", run, n))
	})
	if out.Created == 0 {
		return out, errors.New("no computer created: " + out.FirstErr)
	}
	return out, nil
}

// measureRate posts bodies to path from clients concurrent clients for d, and
// gives the rate and latencies of the creations that succeeded (201). A client
// stops after 100 failures; the first failure is kept.
func measureRate(ctx context.Context, c *Client, path string, clients int, d time.Duration, body func(rng *rand.Rand, n int64) []byte) (Rate, error) {
	var n atomic.Int64
	var mu sync.Mutex
	out := Rate{Clients: clients}
	var all []time.Duration
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			var ds []time.Duration
			errs, first := 0, ""
			for time.Now().Before(deadline) && ctx.Err() == nil {
				b := body(rng, n.Add(1))
				t0 := time.Now()
				if _, err := c.do(ctx, http.MethodPost, path, b, http.StatusCreated); err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
					if errs > 100 {
						break
					}
					continue
				}
				ds = append(ds, time.Since(t0))
			}
			mu.Lock()
			all = append(all, ds...)
			out.Errors += errs
			if out.FirstErr == "" {
				out.FirstErr = first
			}
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	out.Elapsed = time.Since(start)
	out.Created = len(all)
	out.PerSecond = float64(out.Created) / out.Elapsed.Seconds()
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	out.Median, out.P95 = Percentile(all, 0.5), Percentile(all, 0.95)
	return out, nil
}
