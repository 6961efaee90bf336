package wire

import (
	"bytes"
	"testing"

	it "parc/internal/inventory/inventorytest"
)

func BenchmarkRead(b *testing.B) {
	raw := it.Read(b, "wire/ocsinventory-2.10-inventory-nosoftware.zlib")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Read(bytes.NewReader(raw), "application/x-compress", Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
