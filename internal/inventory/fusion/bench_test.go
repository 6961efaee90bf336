package fusion

import (
	"bytes"
	"fmt"
	"regexp"
	"testing"

	it "parc/internal/inventory/inventorytest"
)

// BenchmarkParseFusion reads the Debian 12 inventories (774 and 1,231 packages) and a
// 3,000-package variant made from the first.
func BenchmarkParseFusion(b *testing.B) {
	vm := it.Read(b, "fusioninventory-2.6-debian12-vm.xml")
	docs := []struct {
		name string
		doc  []byte
	}{
		{"debian12-vm-774pkg", vm},
		{"debian12-1231pkg", it.Read(b, "fusioninventory-2.6-debian12.xml")},
		{"generated-3000pkg", withPackages(b, vm, 3000)},
	}
	for _, d := range docs {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(d.doc)))
			for b.Loop() {
				if _, err := ParseInventory(d.doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var softwareBlock = regexp.MustCompile(`(?s)[ \t]*<SOFTWARES>.*?</SOFTWARES>\n?`)

// withPackages returns doc with its SOFTWARES replaced by n entries: the originals, then
// copies of them under new names.
func withPackages(tb testing.TB, doc []byte, n int) []byte {
	blocks := softwareBlock.FindAll(doc, -1)
	if len(blocks) == 0 {
		tb.Fatal("no SOFTWARES in the document")
	}
	var soft bytes.Buffer
	for i := range n {
		blk := blocks[i%len(blocks)]
		if round := i / len(blocks); round > 0 {
			blk = bytes.Replace(blk, []byte("</NAME>"), fmt.Appendf(nil, "-copy%d</NAME>", round), 1)
		}
		soft.Write(blk)
	}
	out := softwareBlock.ReplaceAll(doc, nil)
	i := bytes.Index(out, []byte("</CONTENT>"))
	out = append(out[:i:i], append(soft.Bytes(), out[i:]...)...)
	inv, err := ParseInventory(out)
	if err != nil || len(inv.Softwares) != n {
		tb.Fatalf("generated document: %v", err)
	}
	return out
}
