// Package loadgen simulates many inventory agents posting to a parc server over HTTP,
// to measure ingestion and to test thousands of machines (`parc bench inventory`).
package loadgen

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"parc/internal/agent"
	"parc/internal/agentserver"
	"parc/internal/inventory"
	"parc/internal/inventory/parcdoc"
)

// Options describe the simulated fleet.
type Options struct {
	Server   string        // base URL of the parc server
	Token    string        // agent token, when the server requires one
	Agents   int           // simulated agents (machines), each posting in turn
	Duration time.Duration // how long to keep posting after every machine's first inventory
	Packages int           // installed packages per machine
	// Changed is the share of packages whose version changes between two inventories
	// of a machine (0: unchanged re-inventories).
	Changed float64
	Offset  int // first machine number, so that runs can add machines to a store
	Client  *http.Client
	// Fusion, when set, posts FusionInventory XML made from a real agent's document
	// (to /front/inventory.php, as the agent does) instead of parc-agent JSON.
	Fusion *Fusion
}

// Latencies summarise one kind of request.
type Latencies struct {
	Count         int
	PerSecond     float64
	P50, P95, P99 time.Duration
}

// Report is what a run measured.
type Report struct {
	New      Latencies // first inventory of each machine
	Again    Latencies // later inventories
	Failed   int
	Errors   []string // the first few failures
	Duration time.Duration
}

// Machine builds the inventory of simulated machine n at its k-th inventory.
func Machine(n, k, packages int, changed float64) *inventory.Inventory {
	inv := &inventory.Inventory{
		Format: parcdoc.FormatParc, Action: inventory.ActionInventory, ItemType: inventory.ItemComputer,
		DeviceID: fmt.Sprintf("loadgen-%06d-2026-01-01-00-00-00", n),
		Agent:    inventory.Agent{Name: "parc-loadgen", Version: "1"},
		Hardware: inventory.Hardware{Name: fmt.Sprintf("LOAD-%06d", n), UUID: fmt.Sprintf("4c6f6164-0000-4000-8000-%012d", n), MemoryMB: 16384},
		BIOS: inventory.BIOS{SystemManufacturer: []string{"Dell Inc.", "HP", "LENOVO"}[n%3], SystemModel: fmt.Sprintf("Model %d", n%12),
			SystemSerial: fmt.Sprintf("LG%08d", n), Manufacturer: "Firmware Inc.", Version: "1.2.3"},
		OS:   inventory.OS{Name: "Debian GNU/Linux", Version: "12", FullName: "Debian GNU/Linux 12 (bookworm)", Kernel: "6.1.0-28-amd64", Arch: "x86_64"},
		CPUs: []inventory.CPU{{Model: "Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz", Manufacturer: "Intel", Cores: 4, Threads: 8, SpeedMHz: 1700}},
		Memories: []inventory.Memory{{CapacityMB: 8192, Type: "DDR4", Slot: 0, Serial: fmt.Sprintf("M%08dA", n)},
			{CapacityMB: 8192, Type: "DDR4", Slot: 1, Serial: fmt.Sprintf("M%08dB", n)}},
		Storages: []inventory.Storage{{Name: "nvme0n1", Model: "PM981 NVMe", Serial: fmt.Sprintf("S%010d", n), SizeMB: 512000, Type: "disk"}},
		Volumes:  []inventory.Volume{{Device: "/dev/nvme0n1p2", Mount: "/", FSType: "ext4", TotalMB: 480000, FreeMB: 200000}},
		Networks: []inventory.Network{{Name: "eth0", MAC: fmt.Sprintf("02:4c:%02x:%02x:%02x:%02x", (n>>24)&0xff, (n>>16)&0xff, (n>>8)&0xff, n&0xff),
			Type: "ethernet", Status: "up", SpeedMbps: 1000,
			IPv4: []inventory.IPAddress{{Address: fmt.Sprintf("10.%d.%d.%d", (n>>16)&0xff, (n>>8)&0xff, n&0xff|1), Mask: "255.255.0.0", Prefix: 16}}, Gateway: "10.0.0.1"}},
	}
	bump := int(float64(packages) * changed)
	for i := 0; i < packages; i++ {
		v := fmt.Sprintf("%d.%d.%d", 1+i%5, i%13, i%7)
		if i < bump && k%2 == 1 {
			v += "+u1"
		}
		inv.Softwares = append(inv.Softwares, inventory.Software{Name: fmt.Sprintf("package-%04d", i), Version: v,
			Publisher: []string{"Debian", "Mozilla", "The Document Foundation", "Microsoft"}[i%4], Arch: "amd64", Source: "deb"})
	}
	for _, s := range []inventory.Section{inventory.SectionHardware, inventory.SectionBIOS, inventory.SectionOS, inventory.SectionCPUs,
		inventory.SectionMemories, inventory.SectionStorages, inventory.SectionVolumes, inventory.SectionNetworks, inventory.SectionSoftwares} {
		inv.MarkPresent(s)
	}
	return inv
}

// Run posts inventories until every machine has sent its first one and Duration has
// passed, then reports rates and latencies. Only loopback servers are expected.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Agents <= 0 {
		return nil, errors.New("at least one agent")
	}
	client := o.Client
	if client == nil {
		client = &http.Client{Timeout: 2 * time.Minute}
	}
	url := strings.TrimSuffix(o.Server, "/") + "/api/v1/agent/inventory"
	contentType := "application/json"
	if o.Fusion != nil {
		url, contentType = strings.TrimSuffix(o.Server, "/")+agentserver.PathGLPI, "application/xml"
	}
	var mu sync.Mutex
	var newLat, againLat []time.Duration
	rep := &Report{}
	start := time.Now()
	deadline := time.Time{}
	var firstDone sync.WaitGroup
	firstDone.Add(o.Agents)
	go func() { firstDone.Wait(); mu.Lock(); deadline = time.Now().Add(o.Duration); mu.Unlock() }()
	var wg sync.WaitGroup
	// Machines are handed out to a pool of workers as agents would call in.
	workers := min(o.Agents, 64)
	next := make(chan int)
	go func() {
		defer close(next)
		for k := 0; ; k++ {
			order := rand.Perm(o.Agents)
			for _, n := range order {
				select {
				case next <- k*o.Agents + n:
				case <-ctx.Done():
					return
				}
			}
			mu.Lock()
			d := deadline
			mu.Unlock()
			if k > 0 && !d.IsZero() && time.Now().After(d) {
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range next {
				n, k := job%o.Agents, job/o.Agents
				mu.Lock()
				d := deadline
				mu.Unlock()
				if k > 0 && !d.IsZero() && time.Now().After(d) {
					continue
				}
				var body []byte
				var err error
				if o.Fusion != nil {
					body = o.Fusion.Document(o.Offset+n, k, o.Changed)
				} else {
					body, err = encode(Machine(o.Offset+n, k, o.Packages, o.Changed))
				}
				t0 := time.Now()
				if err == nil {
					err = post(ctx, client, url, contentType, o.Token, body)
				}
				lat := time.Since(t0)
				mu.Lock()
				switch {
				case err != nil:
					rep.Failed++
					if len(rep.Errors) < 5 {
						rep.Errors = append(rep.Errors, err.Error())
					}
				case k == 0:
					newLat = append(newLat, lat)
				default:
					againLat = append(againLat, lat)
				}
				mu.Unlock()
				if k == 0 {
					firstDone.Done()
				}
			}
		}()
	}
	wg.Wait()
	rep.Duration = time.Since(start)
	mu.Lock()
	againWindow := time.Duration(0)
	if !deadline.IsZero() {
		againWindow = o.Duration
	}
	mu.Unlock()
	rep.New = summarise(newLat, rep.Duration-againWindow)
	rep.Again = summarise(againLat, againWindow)
	return rep, ctx.Err()
}

func encode(inv *inventory.Inventory) ([]byte, error) {
	doc, err := agent.Marshal(inv)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(doc)
	zw.Close()
	return buf.Bytes(), nil
}

func post(ctx context.Context, c *http.Client, url, contentType, token string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", "parc-loadgen/1")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("server answered %s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}

func summarise(l []time.Duration, window time.Duration) Latencies {
	out := Latencies{Count: len(l)}
	if len(l) == 0 {
		return out
	}
	slices.Sort(l)
	pct := func(p float64) time.Duration { return l[min(len(l)-1, int(float64(len(l))*p))] }
	out.P50, out.P95, out.P99 = pct(0.50), pct(0.95), pct(0.99)
	if window > 0 {
		out.PerSecond = float64(len(l)) / window.Seconds()
	}
	return out
}
