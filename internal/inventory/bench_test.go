package inventory_test

import (
	"testing"

	"parc/internal/inventory/glpi"
	it "parc/internal/inventory/inventorytest"
)

// BenchmarkSectionHashes hashes an inventory of 3,033 packages: the work an unchanged
// re-inventory costs before it is known to be unchanged.
func BenchmarkSectionHashes(b *testing.B) {
	inv, err := glpi.ParseInventory(it.Read(b, "glpi-inventory-format/computer_3.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = inv.SectionHashes()
	}
}
