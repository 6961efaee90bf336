package ingest_test

import (
	"testing"

	"parc/internal/inventory/fusion"
	"parc/internal/inventory/glpi"
	"parc/internal/inventory/inventorytest"
)

// The JSON path (GLPI Agent's native protocol) on the same machine as the XML
// benchmarks: the FusionInventory fixture written as GLPI Agent writes its JSON
// (FusionInventory's sections in lower case, lists as arrays), so that the two
// protocols are compared on one document.

// TestJSONBenchDocument: the JSON document the benchmarks use describes the machine
// the XML one does, section for section.
func TestJSONBenchDocument(t *testing.T) {
	raw := inventorytest.Read(t, fixture)
	x, err := fusion.ParseInventory(raw)
	if err != nil {
		t.Fatal(err)
	}
	j, err := glpi.ParseInventory(inventorytest.GLPIJSON(t, raw))
	if err != nil {
		t.Fatal(err)
	}
	xh, jh := x.SectionHashes(), j.SectionHashes()
	if len(xh) != len(jh) || len(j.Softwares) != len(x.Softwares) {
		t.Fatalf("%d and %d sections, %d and %d packages", len(xh), len(jh), len(x.Softwares), len(j.Softwares))
	}
	for s, h := range xh {
		if jh[s] != h {
			t.Errorf("section %s differs between the XML and its JSON", s)
		}
	}
}

func benchJSON(b *testing.B, packages int, mode string) {
	benchIngestDoc(b, glpi.ParseInventory, inventorytest.GLPIJSON(b, inventorytest.Read(b, fixture)), packages, mode)
}

func BenchmarkIngestJSONNewMachine(b *testing.B)         { benchJSON(b, 0, "new") }
func BenchmarkIngestJSONUnchanged(b *testing.B)          { benchJSON(b, 0, "unchanged") }
func BenchmarkIngestJSONFivePercentChanged(b *testing.B) { benchJSON(b, 0, "changed") }
func BenchmarkIngestJSONNewMachine3000(b *testing.B)     { benchJSON(b, 3000, "new") }
func BenchmarkIngestJSONUnchanged3000(b *testing.B)      { benchJSON(b, 3000, "unchanged") }

// BenchmarkParseJSON is the bare parse of the JSON document, for comparison with the
// unchanged JSON re-inventory and with BenchmarkParseFusion.
func BenchmarkParseJSON(b *testing.B) {
	doc := inventorytest.GLPIJSON(b, inventorytest.Read(b, fixture))
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	cpu0 := cpuMS()
	for i := 0; i < b.N; i++ {
		if _, err := glpi.ParseInventory(doc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuMS()-cpu0)/float64(b.N), "cpu-ms/op")
}
