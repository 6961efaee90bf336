package agentserver

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"parc/internal/inventory"
	"parc/internal/inventory/fusion"
	"parc/internal/inventory/inventorytest"
	"parc/internal/storetest"
)

var macRe = regexp.MustCompile(`<MACADDR>([0-9a-f:]{17})</MACADDR>`)

// variant makes machine n out of the recorded Debian VM: its own DEVICEID, hostname,
// serial, UUID and MAC addresses; the same 774 packages.
func variant(t testing.TB, base []byte, n int) ([]byte, *inventory.Inventory) {
	t.Helper()
	name := fmt.Sprintf("host-%03d", n)
	doc := bytes.Replace(base, []byte("<DEVICEID>vm-2026-11-23-23-22-30</DEVICEID>"), []byte("<DEVICEID>"+name+"-2026-11-23-23-22-30</DEVICEID>"), 1)
	doc = bytes.Replace(doc, []byte("<NAME>vm</NAME>"), []byte("<NAME>"+name+"</NAME>"), 1)
	doc = bytes.Replace(doc, []byte("<SSN></SSN>"), []byte(fmt.Sprintf("<SSN>SN-%06d</SSN>", n)), 1)
	doc = bytes.Replace(doc, []byte("<HARDWARE>"), []byte(fmt.Sprintf("<HARDWARE>\n      <UUID>5c1a0000-0000-4000-8000-%012d</UUID>", n)), 1)
	doc = macRe.ReplaceAllFunc(doc, func(m []byte) []byte {
		mac := string(macRe.FindSubmatch(m)[1])
		if mac == "00:00:00:00:00:00" {
			return m
		}
		return []byte(fmt.Sprintf("<MACADDR>%s:%02x:%02x</MACADDR>", mac[:11], n/256, n%256))
	})
	inv, err := fusion.ParseInventory(doc)
	if err != nil {
		t.Fatal(err)
	}
	id := inv.Identity()
	if id.Name != name || id.Serial == "" || id.UUID == "" || len(id.MACs) < 3 {
		t.Fatalf("variant %d: identity %+v", n, id)
	}
	return doc, inv
}

// TestConcurrentMachines: 50 machines sent by 8 concurrent clients give exactly 50
// computers with all their software, counted in the store rather than from replies.
func TestConcurrentMachines(t *testing.T) {
	base := inventorytest.Read(t, "fusioninventory-2.6-debian12-vm.xml")
	const machines, clients = 50, 8
	docs := make([][]byte, machines)
	invs := make([]*inventory.Inventory, machines)
	for i := range docs {
		docs[i], invs[i] = variant(t, base, i+1)
	}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, Options{})
		start := time.Now()
		work := make(chan int)
		var wg sync.WaitGroup
		var mu sync.Mutex
		statuses := map[int]int{}
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					r := post(t, e.srv.URL+PathGLPI, zlibBytes(t, docs[i]))
					mu.Lock()
					statuses[r]++
					mu.Unlock()
				}
			}()
		}
		for i := range docs {
			work <- i
		}
		close(work)
		wg.Wait()
		t.Logf("%s: %d machines by %d clients in %v, statuses %v", kind, machines, clients, time.Since(start).Round(time.Millisecond), statuses)
		if statuses[http.StatusOK] != machines {
			t.Errorf("statuses %v\n%s", statuses, e.log)
		}
		if n := e.count("SELECT COUNT(*) FROM computers"); n != machines {
			t.Errorf("%d computers, want %d", n, machines)
		}
		if n := e.count("SELECT COUNT(*) FROM agents"); n != machines {
			t.Errorf("%d agents, want %d", n, machines)
		}
		for _, inv := range invs {
			c := e.computer(inv.Identity().Name)
			if got, want := e.installs(c.ID), expectedInstalls(inv); got != want {
				t.Errorf("%s: %d installations, want %d", inv.Identity().Name, got, want)
			}
			if c.String("serial") != inv.Identity().Serial {
				t.Errorf("%s: serial %q", inv.Identity().Name, c.String("serial"))
			}
		}
	})
}

// TestSimultaneousDuplicates: two identical inventories of a new machine sent at the
// same instant give one computer, round after round.
func TestSimultaneousDuplicates(t *testing.T) {
	base := inventorytest.Read(t, "fusioninventory-2.6-debian12-vm.xml")
	const rounds = 5
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, Options{})
		for round := range rounds {
			doc, inv := variant(t, base, 900+round)
			body := zlibBytes(t, doc)
			gate := make(chan struct{})
			codes := make([]int, 2)
			var wg sync.WaitGroup
			for k := range codes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-gate
					codes[k] = post(t, e.srv.URL+PathGLPI, body)
				}()
			}
			close(gate)
			wg.Wait()
			if codes[0] != 200 || codes[1] != 200 {
				t.Errorf("round %d: statuses %v\n%s", round, codes, e.log)
			}
			if n := e.count("SELECT COUNT(*) FROM computers WHERE name = ?", inv.Identity().Name); n != 1 {
				t.Errorf("round %d: %d computers named %s", round, n, inv.Identity().Name)
			}
			if n := e.count("SELECT COUNT(*) FROM agents WHERE device_id = ?", inv.DeviceID); n != 1 {
				t.Errorf("round %d: %d agents", round, n)
			}
			c := e.computer(inv.Identity().Name)
			if got, want := e.installs(c.ID), expectedInstalls(inv); got != want {
				t.Errorf("round %d: %d installations, want %d", round, got, want)
			}
		}
		if n := e.count("SELECT COUNT(*) FROM computers"); n != rounds {
			t.Errorf("%d computers after %d rounds", n, rounds)
		}
	})
}

// post sends a FusionInventory request from a goroutine: failures are reported, not
// fatal, and the status returned.
func post(t testing.TB, url string, body []byte) int {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Error(err)
		return 0
	}
	req.Header.Set("Content-Type", ctFusion)
	req.Header.Set("User-Agent", uaFusion)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
