package glpi

import (
	"testing"

	it "parc/internal/inventory/inventorytest"
)

// FuzzParse: any body is either read or refused with an error that says what is wrong;
// what is read can be hashed, summarised, validated and encoded.
func FuzzParse(f *testing.F) {
	for _, name := range it.Glob(f, "glpi-inventory-format/*.json") {
		// The two 1 MB computers are left to the unit tests: mutating them took the
		// fuzzer half a second an execution, two executions a second in all.
		if doc := it.Read(f, name); len(doc) < 256<<10 {
			f.Add(doc)
		}
	}
	f.Add([]byte(`{"action":"contact","deviceid":"x","name":"GLPI-Agent_v1.7","installed-tasks":["inventory"]}`))
	f.Add([]byte(`{"deviceid":"x","partial":true,"content":{"softwares":[],"networks":[{"mac":"00:11:22:33:44:55","ipaddress":"10.0.0.1","ipmask":"255.255.255.0"}]}}`))
	f.Add([]byte(`{"action":"netinventory","deviceid":"x","content":{"network_device":{"type":"KVM","ips":["::1"]},"network_ports":[{"ifspeed":1e9,"ips":[]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			it.CheckError(t, err, "glpi: ")
			return
		}
		if (m.Contact == nil) == (m.Inventory == nil) {
			t.Fatalf("message %+v", m)
		}
		if m.Inventory != nil {
			it.CheckInventory(t, m.Inventory)
		}
	})
}
