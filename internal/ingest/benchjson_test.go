package ingest_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"parc/internal/inventory/fusion"
	"parc/internal/inventory/glpi"
	"parc/internal/inventory/inventorytest"
)

// The JSON path (GLPI Agent's native protocol) on the same machine as the XML
// benchmarks: the FusionInventory fixture written as GLPI Agent writes its JSON
// (FusionInventory's sections in lower case, lists as arrays), so that the two
// protocols are compared on one document.

// asGLPIJSON turns a FusionInventory INVENTORY request into the GLPI Agent JSON
// inventory of the same content.
func asGLPIJSON(tb testing.TB, doc []byte) []byte {
	tb.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	type elem struct {
		name     string
		text     strings.Builder
		children []*elem
	}
	var stack []*elem
	var root *elem
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &elem{name: t.Name.Local}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.children = append(top.children, e)
			} else {
				root = e
			}
			stack = append(stack, e)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	var value func(e *elem) any
	value = func(e *elem) any {
		if len(e.children) == 0 {
			return strings.TrimSpace(e.text.String())
		}
		obj := map[string]any{}
		for _, c := range e.children {
			k := strings.ToLower(c.name)
			if prev, ok := obj[k]; ok {
				list, isList := prev.([]any)
				if !isList {
					list = []any{prev}
				}
				obj[k] = append(list, value(c))
				continue
			}
			obj[k] = value(c)
		}
		return obj
	}
	out := map[string]any{"action": "inventory", "itemtype": "Computer"}
	for _, c := range root.children {
		switch c.name {
		case "DEVICEID":
			out["deviceid"] = strings.TrimSpace(c.text.String())
		case "CONTENT":
			content := map[string]any{}
			for _, s := range c.children {
				k := strings.ToLower(s.name)
				v := value(s)
				switch k {
				case "hardware", "bios", "operatingsystem", "accesslog", "versionclient":
					content[k] = v
				default:
					list, _ := content[k].([]any)
					content[k] = append(list, v)
				}
			}
			out["content"] = content
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestJSONBenchDocument: the JSON document the benchmarks use describes the machine
// the XML one does, section for section.
func TestJSONBenchDocument(t *testing.T) {
	raw := inventorytest.Read(t, fixture)
	x, err := fusion.ParseInventory(raw)
	if err != nil {
		t.Fatal(err)
	}
	j, err := glpi.ParseInventory(asGLPIJSON(t, raw))
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
	benchIngestDoc(b, glpi.ParseInventory, asGLPIJSON(b, inventorytest.Read(b, fixture)), packages, mode)
}

func BenchmarkIngestJSONNewMachine(b *testing.B)         { benchJSON(b, 0, "new") }
func BenchmarkIngestJSONUnchanged(b *testing.B)          { benchJSON(b, 0, "unchanged") }
func BenchmarkIngestJSONFivePercentChanged(b *testing.B) { benchJSON(b, 0, "changed") }
func BenchmarkIngestJSONNewMachine3000(b *testing.B)     { benchJSON(b, 3000, "new") }
func BenchmarkIngestJSONUnchanged3000(b *testing.B)      { benchJSON(b, 3000, "unchanged") }

// BenchmarkParseJSON is the bare parse of the JSON document, for comparison with the
// unchanged JSON re-inventory and with BenchmarkParseFusion.
func BenchmarkParseJSON(b *testing.B) {
	doc := asGLPIJSON(b, inventorytest.Read(b, fixture))
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := glpi.ParseInventory(doc); err != nil {
			b.Fatal(err)
		}
	}
}
