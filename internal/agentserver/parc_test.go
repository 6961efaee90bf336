package agentserver

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"

	"parc/internal/inventory"
	"parc/internal/inventory/inventorytest"
	"parc/internal/inventory/wire"
	"parc/internal/record"
)

// TestGLPIContact: GLPI Agent is told to run the inventory task (for a GLPI-format
// server), to come back in 24 hours, and not to run tasks parc does not schedule.
func TestGLPIContact(t *testing.T) {
	f, e := newFake(t, Options{})
	contact := `{"action":"contact","deviceid":"pc-2024-01-01-00-00-00","name":"GLPI-Agent_v1.7",` +
		`"installed-tasks":["inventory","deploy","netdiscovery","remoteinventory"],"enabled-tasks":["inventory","deploy"]}`
	want := `{"status":"ok","expiration":24,"tasks":{"inventory":{"server":"glpi","version":"10.0"}},"disabled":["deploy","netdiscovery"]}`
	for _, body := range [][]byte{[]byte(contact), zlibBytes(t, []byte(contact))} {
		r := e.post(PathGLPIPlugin, body, "Content-Type", "application/x-compress-zlib", "GLPI-Agent-ID", "3a609a2e-947f-4e6a-9af9-32c024ac3944")
		if r.Status != 200 || r.Body != want || r.Comp != wire.Detect(body) {
			t.Errorf("%d %s %q, want %q", r.Status, r.Comp, r.Body, want)
		}
		if ct := r.Header.Get("Content-Type"); r.Comp == wire.None && !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
	}
	if f.count() != 0 {
		t.Errorf("a contact stored %d inventories", f.count())
	}
}

// TestProtocolDetails: what the transport adds to the inventory, options, and what
// is tolerated.
func TestProtocolDetails(t *testing.T) {
	f, e := newFake(t, Options{Freq: 6})
	prolog := inventorytest.Read(t, "wire/ocsinventory-2.10-prolog.zlib")
	if r := e.post(PathOCS, prolog, "Content-Type", ctOCS); r.Body != "<REPLY><RESPONSE>SEND</RESPONSE><PROLOG_FREQ>6</PROLOG_FREQ></REPLY>" {
		t.Errorf("PROLOG_FREQ option: %q", r.Body)
	}
	if r := e.post(PathGLPI, []byte(`{"action":"inventory","deviceid":"x","content":{}}`), "Content-Type", "application/json"); !strings.Contains(r.Body, `"expiration":6`) {
		t.Errorf("expiration option: %q", r.Body)
	}

	// Meta: address, User-Agent and the decompressed document.
	doc := inventorytest.Read(t, "glpi-inventory-format/fusion-4.xml")
	r := e.fusion(PathFusion+"front/plugin_fusioninventory.communication.php", doc)
	if r.Status != 200 || f.count() != 1 {
		t.Fatalf("%d %q", r.Status, r.Body)
	}
	m := f.meta[0]
	if m.RemoteIP != "127.0.0.1" || m.UserAgent != uaFusion || !bytes.Equal(m.Raw, doc) {
		t.Errorf("meta %q %q %d bytes", m.RemoteIP, m.UserAgent, len(m.Raw))
	}

	// Windows-1252 bytes in a UTF-8 XML document are repaired, not refused (the
	// parser's policy: agents copy registry strings as they are).
	latin := bytes.Replace(inventorytest.Read(t, "glpi-inventory-format/fusion-4.xml"), []byte("<NAME>iMac de Marie</NAME>"), []byte("<NAME>iMac de Ren\xe9e</NAME>"), 1)
	if r := e.fusion(PathGLPI, latin); r.Status != 200 {
		t.Errorf("windows-1252 byte: %d %q", r.Status, r.Body)
	} else if inv := f.invs[1]; inv.Name() != "iMac de Renée" || len(inv.Warnings) == 0 {
		t.Errorf("repaired name %q, warnings %q", inv.Name(), inv.Warnings)
	}
	// GLPI's format has sections parc does not keep: they are ignored.
	extra := []byte(`{"action":"inventory","deviceid":"y","itemtype":"Computer","content":{"hardware":{"name":"pc-y"},"licenseinfos":[{"name":"x"}],"envs":[{"key":"A","val":"B"}]}}`)
	if r := e.post(PathGLPI, extra, "Content-Type", "application/json"); r.Status != 200 {
		t.Errorf("unknown GLPI sections: %d %q", r.Status, r.Body)
	}
	// parc's agent without its name: taken from User-Agent.
	pdoc := []byte(`{"protocol":"parc-agent/1","device_id":"z","inventory":{"hardware":{"name":"pc-z"}}}`)
	if r := e.post(PathParc, pdoc, "User-Agent", "parc-agent/0.3.1"); r.Status != 200 {
		t.Errorf("parc: %d %q", r.Status, r.Body)
	} else if a := f.invs[len(f.invs)-1].Agent; a != (inventory.Agent{Name: "parc-agent", Version: "0.3.1"}) {
		t.Errorf("agent %+v", a)
	}

	// Only POST.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+PathGLPI, nil)
	if r := do(t, req); r.Status != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", r.Status)
	}
}

// TestIngestErrors: a refusal by ingest is the agent's error, anything else a 500
// that says nothing of the cause to the agent but logs it.
func TestIngestErrors(t *testing.T) {
	f, e := newFake(t, Options{})
	doc := inventorytest.Read(t, "glpi-inventory-format/fusion-4.xml")
	f.err = record.E(record.CodeInvalid, "err.inventory_itemtype", "Unmanaged")
	r := e.fusion(PathGLPI, doc)
	if r.Status != 400 || r.Body != "<REPLY><ERROR>Inventories of Unmanaged devices are not stored; those of computers, network equipment, printers and phones are.</ERROR></REPLY>" {
		t.Errorf("invalid: %d %q", r.Status, r.Body)
	}
	f.err = errors.New("pq: connection refused to 10.0.0.5")
	r = e.post(PathParc, []byte(`{"protocol":"parc-agent/1","device_id":"z","inventory":{"hardware":{"name":"pc-z"}}}`))
	if r.Status != 500 || strings.Contains(r.Body, "10.0.0.5") || !strings.Contains(r.Body, `"status":"error"`) {
		t.Errorf("internal: %d %q", r.Status, r.Body)
	}
	if log := e.log.String(); !strings.Contains(log, "level=ERROR") || !strings.Contains(log, "10.0.0.5") {
		t.Errorf("the cause is not logged:\n%s", log)
	}
}
