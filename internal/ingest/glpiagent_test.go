package ingest_test

import (
	"context"
	"testing"

	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/storetest"
)

// TestJSONExtras: what GLPI Agent's JSON protocol carries beyond the XML one is kept:
// remote-management identifiers, firmwares and power supplies as components of the
// computer, and a network equipment's ports, replaced when they change and not
// written again when they do not.
func TestJSONExtras(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		inv := parseGLPI(t, "computer_1.json")
		inv.MarkPresent(inventory.SectionPowerSupplies)
		inv.PowerSupplies = []inventory.PowerSupply{{Name: "PWR SPLY,750W", Manufacturer: "DELL", Serial: "CN179726BLFFQ8", PowerMaxW: 750, Plugged: true}}
		inv.MarkPresent(inventory.SectionFirmwares)
		inv.Firmwares = []inventory.Firmware{{Name: "iDRAC", Type: "bmc", Version: "2.81"}}
		res, err := s.Ingest(ctx, inv, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		for kind, want := range map[string]string{"remote_mgmt": "123456789", "powersupply": "PWR SPLY,750W", "firmware": "iDRAC"} {
			var got string
			if err := a.DB.QueryRowContext(context.Background(), "SELECT designation FROM computer_components WHERE computer_id = ? AND kind = ?", res.ComputerID, kind).Scan(&got); err != nil || got != want {
				t.Errorf("%s component: %q (%v), want %q", kind, got, err, want)
			}
		}

		sw := parseGLPI(t, "networkequipment_1.json")
		res, err = s.Ingest(ctx, sw, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		ports := func() int {
			return count(t, a, "SELECT COUNT(*) FROM network_equipment_ports WHERE network_equipment_id = ?", res.ID)
		}
		if n := ports(); n != len(sw.Ports) || n < 100 {
			t.Fatalf("%d ports stored, the document has %d", n, len(sw.Ports))
		}
		var name, mac string
		var speed int
		if err := a.DB.QueryRowContext(context.Background(), "SELECT name, mac, speed_mbps FROM network_equipment_ports WHERE network_equipment_id = ? AND name = 'mgmt0'", res.ID).Scan(&name, &mac, &speed); err != nil {
			t.Fatal(err)
		}
		if mac != "8c:60:4f:8d:ae:a1" || speed != 1000 {
			t.Errorf("mgmt0: %s %d Mbit/s", mac, speed)
		}
		got, err := s.Ports(ctx, sys, res.ID)
		if err != nil || len(got) != len(sw.Ports) {
			t.Fatalf("Ports: %d, %v", len(got), err)
		}
		// The same document again: nothing changes.
		again, err := s.Ingest(ctx, parseGLPI(t, "networkequipment_1.json"), ingest.Meta{})
		if err != nil || len(again.Changed) != 0 {
			t.Errorf("unchanged re-inventory: %+v %v", again, err)
		}
		// A port fewer: the list is replaced.
		fewer := parseGLPI(t, "networkequipment_1.json")
		fewer.Ports = fewer.Ports[1:]
		if r, err := s.Ingest(ctx, fewer, ingest.Meta{}); err != nil || len(r.Changed) == 0 {
			t.Errorf("a port fewer: %+v %v", r, err)
		}
		if n := ports(); n != len(sw.Ports)-1 {
			t.Errorf("%d ports after one went, want %d", n, len(sw.Ports)-1)
		}
	})
}

// TestAgentID: GLPI Agent's GLPI-Agent-ID keeps one agent row when the agent's
// device id changes (the machine renamed), and links it to the same computer.
func TestAgentID(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, _ := setup(t, kind)
		ctx := context.Background()
		const id = "3a609a2e-947f-4e6a-9af9-32c024ac3944"
		inv := parseGLPI(t, "computer_1.json")
		first, err := s.Ingest(ctx, inv, ingest.Meta{AgentID: id})
		if err != nil {
			t.Fatal(err)
		}
		renamed := parseGLPI(t, "computer_1.json")
		renamed.DeviceID = "glpixps-renamed-2026-12-01-10-00-00"
		second, err := s.Ingest(ctx, renamed, ingest.Meta{AgentID: id})
		if err != nil {
			t.Fatal(err)
		}
		if second.AgentID != first.AgentID || second.ComputerID != first.ComputerID {
			t.Errorf("after the device id changed: agent %d then %d, computer %d then %d", first.AgentID, second.AgentID, first.ComputerID, second.ComputerID)
		}
		var device, uuid string
		if err := a.DB.QueryRowContext(context.Background(), "SELECT device_id, agent_uuid FROM agents").Scan(&device, &uuid); err != nil {
			t.Fatal(err)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM agents"); n != 1 || device != renamed.DeviceID || uuid != id {
			t.Errorf("%d agent rows, device %q, agent id %q", n, device, uuid)
		}
		// A contact by the agent id alone finds the row.
		if err := s.Contact(ctx, "", id, "192.0.2.9"); err != nil {
			t.Fatal(err)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM agents WHERE remote_ip = '192.0.2.9'"); n != 1 {
			t.Errorf("the contact by agent id was not recorded")
		}
	})
}
