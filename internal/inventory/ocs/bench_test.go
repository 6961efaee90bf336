package ocs

import (
	"testing"

	it "parc/internal/inventory/inventorytest"
)

func BenchmarkParseOCS(b *testing.B) {
	for _, d := range []struct{ name, file string }{
		{"debian12-vm-774pkg", "ocsinventory-2.10-debian12-vm.xml"},
		{"debian12-1231pkg", "ocsinventory-2.10-debian12.ocs"},
	} {
		doc := it.Read(b, d.file)
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				if _, err := ParseInventory(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
