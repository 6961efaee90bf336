package fusion

import (
	"testing"

	it "parc/internal/inventory/inventorytest"
	"parc/internal/inventory/wire"
)

// FuzzParse: any body is either read or refused with an error that says what is wrong
// and wraps one of inventory's error kinds; what is read can be hashed, summarised,
// validated and encoded.
func FuzzParse(f *testing.F) {
	for _, name := range append(it.Glob(f, "glpi-inventory-format/fusion-*.xml"), it.Glob(f, "fusioninventory-*.xml")...) {
		f.Add(it.Read(f, name))
	}
	for _, name := range it.Glob(f, "wire/fusioninventory-*") {
		body, _, err := wire.Decode(it.Read(f, name), "", wire.Limits{})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><REQUEST><QUERY>INVENTORY</QUERY><CONTENT><SOFTWARES><NAME>caf\xe9</NAME></SOFTWARES></CONTENT></REQUEST>"))
	f.Add([]byte("<REQUEST><QUERY>INVENTORY</QUERY><CONTENT><NETWORKS><IPADDRESS>fe80::1%eth0</IPADDRESS><IPMASK>/64</IPMASK></NETWORKS></CONTENT></REQUEST>"))
	f.Add([]byte("<REQUEST><QUERY>NETDISCOVERY</QUERY><CONTENT><DEVICE><IPS><IP>10.0.0.1</IP></IPS><TYPE>kvm</TYPE></DEVICE></CONTENT></REQUEST>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			it.CheckError(t, err, "fusion: ")
			return
		}
		if m.Inventory != nil {
			it.CheckInventory(t, m.Inventory)
		}
	})
}
