package ocs

import (
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"testing"

	"parc/internal/inventory"
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
			if !errors.Is(err, inventory.ErrMalformed) && !errors.Is(err, inventory.ErrUnsupported) && !errors.Is(err, inventory.ErrLimit) {
				t.Fatalf("error of no known kind: %v", err)
			}
			if !strings.HasPrefix(err.Error(), "ocs: ") {
				t.Fatalf("error %q", err)
			}
			return
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
