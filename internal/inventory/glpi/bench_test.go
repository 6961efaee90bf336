package glpi

import (
	"testing"

	it "parc/internal/inventory/inventorytest"
)

func BenchmarkParseGLPI(b *testing.B) {
	for _, d := range []struct{ name, file string }{
		{"computer_1-6pkg", "computer_1.json"},
		{"computer_3-3033pkg", "computer_3.json"},
		{"networkequipment_1-183ports", "networkequipment_1.json"},
	} {
		doc := it.Read(b, "glpi-inventory-format/"+d.file)
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
