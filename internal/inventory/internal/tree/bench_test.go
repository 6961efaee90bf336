package tree

import (
	"testing"

	"parc/internal/inventory"
	it "parc/internal/inventory/inventorytest"
)

// BenchmarkParseXML reads the Debian 12 FusionInventory document (341 KB, 1,231
// packages): the bulk of the cost of an unchanged re-inventory.
func BenchmarkParseXML(b *testing.B) {
	doc := it.Read(b, "fusioninventory-2.6-debian12.xml")
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, _, err := ParseXML(doc, inventory.DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseXMLStd reads the same document with the encoding/xml reference, for a
// comparison made under the same load.
func BenchmarkParseXMLStd(b *testing.B) {
	doc := it.Read(b, "fusioninventory-2.6-debian12.xml")
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, _, err := parseXMLStd(doc, inventory.DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}
