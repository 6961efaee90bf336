package glpi

import (
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"testing"

	"parc/internal/inventory"
	it "parc/internal/inventory/inventorytest"
)

// FuzzParse: any body is either read or refused with an error that says what is wrong;
// what is read can be hashed, summarised, validated and encoded.
func FuzzParse(f *testing.F) {
	for _, name := range it.Glob(f, "glpi-inventory-format/*.json") {
		f.Add(it.Read(f, name))
	}
	f.Add([]byte(`{"action":"contact","deviceid":"x","name":"GLPI-Agent_v1.7","installed-tasks":["inventory"]}`))
	f.Add([]byte(`{"deviceid":"x","partial":true,"content":{"softwares":[],"networks":[{"mac":"00:11:22:33:44:55","ipaddress":"10.0.0.1","ipmask":"255.255.255.0"}]}}`))
	f.Add([]byte(`{"action":"netinventory","deviceid":"x","content":{"network_device":{"type":"KVM","ips":["::1"]},"network_ports":[{"ifspeed":1e9,"ips":[]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			if !errors.Is(err, inventory.ErrMalformed) && !errors.Is(err, inventory.ErrUnsupported) && !errors.Is(err, inventory.ErrLimit) {
				t.Fatalf("error of no known kind: %v", err)
			}
			if !strings.HasPrefix(err.Error(), "glpi: ") {
				t.Fatalf("error %q", err)
			}
			return
		}
		if (m.Contact == nil) == (m.Inventory == nil) {
			t.Fatalf("message %+v", m)
		}
		if inv := m.Inventory; inv != nil {
			h := inv.SectionHashes()
			if len(h) != len(inv.Sections) || !maps.Equal(h, inv.SectionHashes()) {
				t.Fatalf("hashes %v for %v", h, inv.Sections)
			}
			_ = inv.Summary()
			_ = inv.Validate()
			if _, err := json.Marshal(inv); err != nil {
				t.Fatal(err)
			}
		}
	})
}
