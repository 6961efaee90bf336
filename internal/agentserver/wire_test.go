package agentserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"parc/internal/agent"
	"parc/internal/inventory"
	"parc/internal/inventory/fusion"
	"parc/internal/inventory/glpi"
	"parc/internal/inventory/inventorytest"
	"parc/internal/inventory/ocs"
	"parc/internal/inventory/wire"
	"parc/internal/storetest"
)

const (
	replySend       = "<REPLY><RESPONSE>SEND</RESPONSE><PROLOG_FREQ>24</PROLOG_FREQ></REPLY>"
	replyNoUpdate   = "<REPLY><RESPONSE>no_update</RESPONSE></REPLY>"
	replyOCSUpdated = "<REPLY><RESPONSE>no_account_update</RESPONSE></REPLY>"
)

// TestRecordedWireCaptures replays the bodies recorded from the real agents, with
// their headers, and checks each gets the exact reply its agent expects, zlib-compressed.
func TestRecordedWireCaptures(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, Options{})
		cases := []struct {
			capture, path, contentType, userAgent, want string
			stores                                      bool
		}{
			{"wire/fusioninventory-2.6-prolog.zlib", PathGLPI, ctFusion, uaFusion, replySend, false},
			{"wire/fusioninventory-2.6-prolog.zlib", PathFusion, ctFusion, uaFusion, replySend, false},
			{"wire/fusioninventory-2.6-prolog.zlib", "/plugins/fusioninventory", ctFusion, uaFusion, replySend, false},
			{"wire/fusioninventory-2.6-prolog.zlib", PathGLPIPlugin + "front/communication.php", ctFusion, uaFusion, replySend, false},
			{"wire/ocsinventory-2.10-prolog.zlib", PathOCS, ctOCS, uaOCS, replySend, false},
			{"wire/fusioninventory-2.6-inventory-nosoftware.zlib", PathGLPI, ctFusion, uaFusion, replyNoUpdate, true},
			{"wire/ocsinventory-2.10-inventory-nosoftware.zlib", PathOCS, ctOCS, uaOCS, replyOCSUpdated, true},
		}
		for _, c := range cases {
			body := inventorytest.Read(t, c.capture)
			if wire.Detect(body) != wire.Zlib {
				t.Fatalf("%s is not a zlib capture", c.capture)
			}
			before := e.rows()
			r := e.post(c.path, body, "Content-Type", c.contentType, "User-Agent", c.userAgent)
			if r.Status != http.StatusOK || r.Body != c.want || r.Comp != wire.Zlib {
				t.Errorf("%s to %s: %d %s %q, want 200 zlib %q", c.capture, c.path, r.Status, r.Comp, r.Body, c.want)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/x-compress-zlib" {
				t.Errorf("%s: Content-Type %q", c.capture, ct)
			}
			after := e.rows()
			if !c.stores && fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("%s: a PROLOG wrote rows: %v -> %v", c.capture, before, after)
			}
			// Both inventories are of the same virtual machine (recognised by its
			// name, as it has no serial), each with its own agent.
			if c.stores && (after["computers"] != 1 || after["agents"] != before["agents"]+1) {
				t.Errorf("%s: computers %d -> %d, agents %d -> %d", c.capture, before["computers"], after["computers"], before["agents"], after["agents"])
			}
		}
	})
}

// TestPlainAndGzipRequestsGetPlainAndGzipReplies: the reply follows the request.
func TestRepliesFollowTheRequestCompression(t *testing.T) {
	_, e := newFake(t, Options{})
	prolog := inventorytest.Read(t, "wire/fusioninventory-2.6-prolog.xml")
	for _, c := range []struct {
		name string
		body []byte
		ct   string
		want wire.Compression
	}{
		{"plain", prolog, "application/xml", wire.None},
		{"zlib", zlibBytes(t, prolog), "application/x-zlib", wire.Zlib},
		{"gzip", gzipBytes(t, prolog), "application/x-compress-gzip", wire.Gzip},
		{"gzip labelled zlib", gzipBytes(t, prolog), "application/x-compress-zlib", wire.Gzip},
		{"zlib unlabelled", zlibBytes(t, prolog), "", wire.Zlib},
	} {
		r := e.post(PathGLPI, c.body, "Content-Type", c.ct)
		if r.Status != 200 || r.Body != replySend || r.Comp != c.want {
			t.Errorf("%s: %d %s %q, want 200 %s SEND", c.name, r.Status, r.Comp, r.Body, c.want)
		}
	}
	// OCS reads zlib replies only; it always sends zlib.
	r := e.post(PathOCS, inventorytest.Read(t, "wire/ocsinventory-2.10-prolog.zlib"), "Content-Type", ctOCS)
	if r.Comp != wire.Zlib || r.Body != replySend {
		t.Errorf("OCS prolog: %s %q", r.Comp, r.Body)
	}
}

// TestFixturesIngestThroughHTTP sends every recorded computer inventory through the
// endpoint of its protocol and finds the computer in the store.
func TestFixturesIngestThroughHTTP(t *testing.T) {
	type fixture struct {
		name string
		send func(e *env, doc []byte) *reply
		want string // reply
		inv  func(doc []byte) (*inventory.Inventory, error)
	}
	paths := []string{PathGLPI, PathFusion, PathGLPIPlugin}
	var fixtures []fixture
	i := 0
	for _, name := range inventorytest.Glob(t, "glpi-inventory-format/fusion-*.xml") {
		doc := inventorytest.Read(t, name)
		if m, err := fusion.Parse(doc); err != nil || m.Query != fusion.QueryInventory {
			continue // network devices: see TestNetworkDevicesAreRefused
		}
		path := paths[i%len(paths)]
		i++
		fixtures = append(fixtures, fixture{name, func(e *env, doc []byte) *reply { return e.fusion(path, doc) }, replyNoUpdate, fusion.ParseInventory})
	}
	for _, name := range []string{"fusioninventory-2.6-debian12.xml", "fusioninventory-2.6-debian12-vm.xml"} {
		fixtures = append(fixtures, fixture{name, func(e *env, doc []byte) *reply { return e.fusion(PathGLPI, doc) }, replyNoUpdate, fusion.ParseInventory})
	}
	for _, name := range []string{"ocsinventory-2.10-debian12-vm.xml", "ocsinventory-2.10-debian12.ocs"} {
		fixtures = append(fixtures, fixture{name, func(e *env, doc []byte) *reply { return e.ocs(doc) }, replyOCSUpdated, ocs.ParseInventory})
	}
	for j, name := range inventorytest.Glob(t, "glpi-inventory-format/computer_*.json") {
		send := func(e *env, doc []byte) *reply {
			return e.post(PathGLPI, doc, "Content-Type", "application/json", "User-Agent", "GLPI-Agent_v1.7")
		}
		if j%2 == 1 { // as GLPI Agent sends it when compression is available
			send = func(e *env, doc []byte) *reply {
				return e.post(PathGLPI, zlibBytes(t, doc), "Content-Type", "application/x-compress-zlib", "User-Agent", "GLPI-Agent_v1.7",
					"GLPI-Agent-ID", "3a609a2e-947f-4e6a-9af9-32c024ac3944")
			}
		}
		fixtures = append(fixtures, fixture{name, send, `{"status":"ok","expiration":24}`, glpi.ParseInventory})
	}

	// One store for all: creating a PostgreSQL database costs seconds. Some fixtures
	// are of the same machine (LF014, pc-arg-23, the Android phone, the Debian VM):
	// each inventory updates what the previous one stored.
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, Options{})
		for _, f := range fixtures {
			t.Run(strings.TrimPrefix(f.name, "glpi-inventory-format/"), func(t *testing.T) {
				doc := inventorytest.Read(t, f.name)
				inv, err := f.inv(doc)
				if err != nil {
					t.Fatal(err)
				}
				r := f.send(e, doc)
				if r.Status != http.StatusOK || r.Body != f.want {
					t.Fatalf("%d %q, want 200 %q\nlog:\n%s", r.Status, r.Body, f.want, e.log)
				}
				c := e.computer(inv.Identity().Name)
				if id := inv.Identity(); id.Serial != "" && c.String("serial") != id.Serial {
					t.Errorf("serial %q, want %q", c.String("serial"), id.Serial)
				}
				if got, want := e.installs(c.ID), expectedInstalls(inv); got != want {
					t.Errorf("%d software installations, want %d", got, want)
				}
				if n := e.count("SELECT COUNT(*) FROM agents WHERE device_id = ? AND computer_id = ?", inv.DeviceID, c.ID); n != 1 {
					t.Errorf("%d agents %q for the computer", n, inv.DeviceID)
				}
				// The same document again changes nothing and creates nothing.
				before := e.rows()
				if r := f.send(e, doc); r.Status != http.StatusOK || r.Body != f.want {
					t.Fatalf("again: %d %q", r.Status, r.Body)
				}
				if after := e.rows(); fmt.Sprint(after) != fmt.Sprint(before) {
					t.Errorf("the same inventory again: %v -> %v", before, after)
				}
			})
		}
		names := map[string]bool{}
		for _, f := range fixtures {
			inv, _ := f.inv(inventorytest.Read(t, f.name))
			names[inv.Identity().Name] = true
		}
		if n := e.count("SELECT COUNT(*) FROM computers WHERE host_id IS NULL"); n != len(names) {
			t.Errorf("%d computers for %d machines", n, len(names))
		}
		// The guests hosts report: LF014's three KVM machines and computer_2's
		// VirtualBox one; computer_2's Docker containers are not machines.
		if n := e.count("SELECT COUNT(*) FROM computers WHERE host_id IS NOT NULL"); n != 4 {
			t.Errorf("%d virtual machines from hosts, want 4", n)
		}
	})
}

// TestParcAgentDocument sends a recorded inventory as parc's own agent would.
func TestParcAgentDocument(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, Options{})
		inv, err := fusion.ParseInventory(inventorytest.Read(t, "fusioninventory-2.6-debian12.xml"))
		if err != nil {
			t.Fatal(err)
		}
		inv.Agent = inventory.Agent{Name: "parc-agent", Version: "0.1.0"}
		doc, err := agent.Marshal(inv)
		if err != nil {
			t.Fatal(err)
		}
		send := func(body []byte, headers ...string) *reply {
			return e.post(PathParc, body, append([]string{"Content-Type", "application/json", "User-Agent", "parc-agent/0.1.0"}, headers...)...)
		}
		r := send(gzipBytes(t, doc), "Content-Encoding", "gzip")
		var got struct {
			Status     string   `json:"status"`
			ComputerID int64    `json:"computer_id"`
			Created    bool     `json:"created"`
			Changed    []string `json:"changed"`
		}
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &got) != nil || got.Status != "ok" || !got.Created || got.ComputerID == 0 || len(got.Changed) == 0 {
			t.Fatalf("%d %s %q", r.Status, r.Comp, r.Body)
		}
		if r.Comp != wire.Gzip {
			t.Errorf("a gzip request got a %s reply", r.Comp)
		}
		c := e.computer("vm")
		if c.ID != got.ComputerID {
			t.Errorf("computer %d, reply says %d", c.ID, got.ComputerID)
		}
		if n, want := e.installs(c.ID), expectedInstalls(inv); n != want {
			t.Errorf("%d installations, want %d", n, want)
		}
		if f := e.count("SELECT COUNT(*) FROM agents WHERE device_id = ? AND format = 'parc' AND agent_name = 'parc-agent'", inv.DeviceID); f != 1 {
			t.Errorf("%d parc agents", f)
		}

		// Unchanged, zlib: nothing changed.
		r = send(zlibBytes(t, doc))
		if r.Status != 200 || r.Comp != wire.Zlib || !strings.Contains(r.Body, `"created":false,"changed":[]`) {
			t.Fatalf("again: %d %s %q", r.Status, r.Comp, r.Body)
		}

		// A partial inventory without software: software is not reported, so it stays.
		part := inventory.Inventory{DeviceID: inv.DeviceID, Agent: inv.Agent, Partial: true, Hardware: inv.Hardware,
			Memories: append(inv.Memories, inventory.Memory{CapacityMB: 8192, Type: "DDR4"})}
		part.Sections = []inventory.Section{inventory.SectionHardware, inventory.SectionMemories}
		doc2, _ := agent.Marshal(&part)
		r = send(doc2)
		if r.Status != 200 || !strings.Contains(r.Body, `"changed":["memories"]`) {
			t.Fatalf("partial: %d %q", r.Status, r.Body)
		}
		if n, want := e.installs(c.ID), expectedInstalls(inv); n != want {
			t.Errorf("after a partial inventory without software: %d installations, want %d", n, want)
		}
		// A section listed but empty is reported empty: all software removed.
		part.Sections = []inventory.Section{inventory.SectionSoftwares}
		part.Hardware, part.Memories = inventory.Hardware{}, nil
		doc3, _ := agent.Marshal(&part)
		if !bytes.Contains(doc3, []byte(`"sections":["softwares"]`)) || bytes.Contains(doc3, []byte(`"softwares":`)) {
			t.Fatalf("Marshal: %s", doc3)
		}
		if r = send(doc3); r.Status != 200 {
			t.Fatalf("empty software: %d %q", r.Status, r.Body)
		}
		if n := e.installs(c.ID); n != 0 {
			t.Errorf("software reported empty: %d installations left", n)
		}
		if n := e.count("SELECT COUNT(*) FROM computers"); n != 1 {
			t.Errorf("%d computers", n)
		}
	})
}
