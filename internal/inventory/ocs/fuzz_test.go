package ocs

import (
	"testing"

	it "parc/internal/inventory/inventorytest"
	"parc/internal/inventory/wire"
)

// FuzzParse: any body is either read or refused with an error that says what is wrong;
// what is read can be hashed, summarised, validated and encoded.
func FuzzParse(f *testing.F) {
	for _, name := range it.Glob(f, "ocsinventory-*") {
		f.Add(it.Read(f, name))
	}
	for _, name := range it.Glob(f, "wire/ocsinventory-*") {
		body, _, err := wire.Decode(it.Read(f, name), "application/x-compress", wire.Limits{})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Add([]byte(`<REQUEST><QUERY>INVENTORY</QUERY><CONTENT><HARDWARE><OSCOMMENTS>#1</OSCOMMENTS><DESCRIPTION>x/1</DESCRIPTION></HARDWARE>` +
		`<CONTROLLERS><NAME>Bridge [0600]</NAME><PCIID>8086:0d57</PCIID><TYPE>rev 01</TYPE></CONTROLLERS></CONTENT></REQUEST>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			it.CheckError(t, err, "ocs: ")
			return
		}
		if m.Inventory != nil {
			it.CheckInventory(t, m.Inventory)
		}
	})
}
