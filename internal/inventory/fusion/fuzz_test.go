package fusion

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
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><REQUEST><QUERY>INVENTORY</QUERY><CONTENT><SOFTWARES><NAME>caf\xe9</NAME></SOFTWARES></CONTENT></REQUEST>`))
	f.Add([]byte("<REQUEST><QUERY>INVENTORY</QUERY><CONTENT><NETWORKS><IPADDRESS>fe80::1%eth0</IPADDRESS><IPMASK>/64</IPMASK></NETWORKS></CONTENT></REQUEST>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			checkError(t, err, "fusion: ")
			return
		}
		if m.Inventory != nil {
			exercise(t, m.Inventory)
		}
	})
}

func checkError(t *testing.T, err error, prefix string) {
	t.Helper()
	if !errors.Is(err, inventory.ErrMalformed) && !errors.Is(err, inventory.ErrUnsupported) && !errors.Is(err, inventory.ErrLimit) {
		t.Fatalf("error of no known kind: %v", err)
	}
	if !strings.HasPrefix(err.Error(), prefix) || len(err.Error()) < len(prefix)+10 {
		t.Fatalf("error says too little: %q", err)
	}
}

func exercise(t *testing.T, inv *inventory.Inventory) {
	t.Helper()
	h := inv.SectionHashes()
	if len(h) != len(inv.Sections) || !maps.Equal(h, inv.SectionHashes()) {
		t.Fatalf("hashes unstable or incomplete: %v for %v", h, inv.Sections)
	}
	_ = inv.Summary()
	_ = inv.Identity()
	if err := inv.Validate(); err != nil && !errors.Is(err, inventory.ErrMalformed) {
		t.Fatalf("Validate: %v", err)
	}
	if _, err := json.Marshal(inv); err != nil {
		t.Fatalf("encode: %v", err)
	}
}
