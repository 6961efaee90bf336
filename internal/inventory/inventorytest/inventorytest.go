// Package inventorytest gives tests the agent documents recorded in the shared fixtures
// (shared/fixtures/inventory, next to the repository: the repository is cloned with
// ../shared beside it).
package inventorytest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"parc/internal/inventory"
)

// Dir returns the fixtures directory, found by walking up from the working directory
// until a directory holds shared/fixtures/inventory. When there is none, the test fails
// if the CI environment variable is set (CI must not pass by skipping) and is skipped
// otherwise.
func Dir(tb testing.TB) string {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatalf("inventorytest: %v", err)
	}
	if dir, ok := find(wd); ok {
		return dir
	}
	msg := "inventorytest: no shared/fixtures/inventory above " + wd + " (the repository expects ../shared beside it)"
	if os.Getenv("CI") != "" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
	return ""
}

// find walks up from start to the first directory holding shared/fixtures/inventory.
func find(start string) (string, bool) {
	for dir := start; ; {
		candidate := filepath.Join(dir, "shared", "fixtures", "inventory")
		if fi, err := os.Stat(candidate); err == nil && fi.IsDir() {
			return candidate, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// Read returns the bytes of a fixture, named relative to Dir
// ("glpi-inventory-format/computer_1.json").
func Read(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(Dir(tb), filepath.FromSlash(name)))
	if err != nil {
		tb.Fatalf("inventorytest: %v", err)
	}
	return data
}

// Glob returns the fixtures matching a pattern relative to Dir, as names relative to
// Dir; it fails the test when none match.
func Glob(tb testing.TB, pattern string) []string {
	tb.Helper()
	dir := Dir(tb)
	paths, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("inventorytest: no fixture matches %s (%v)", pattern, err)
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			tb.Fatalf("inventorytest: %v", err)
		}
		names[i] = filepath.ToSlash(rel)
	}
	return names
}

// Eq fails the test (without stopping it) when got differs from want.
func Eq[T comparable](tb testing.TB, what string, got, want T) {
	tb.Helper()
	if got != want {
		tb.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// SectionList returns the sections an inventory carried, comma-separated.
func SectionList(inv *inventory.Inventory) string {
	s := make([]string, len(inv.Sections))
	for i, x := range inv.Sections {
		s[i] = string(x)
	}
	return strings.Join(s, ",")
}

// Software returns the first installed software with that name, or fails the test.
func Software(tb testing.TB, inv *inventory.Inventory, name string) inventory.Software {
	tb.Helper()
	for _, s := range inv.Softwares {
		if s.Name == name {
			return s
		}
	}
	tb.Fatalf("no software %q among %d", name, len(inv.Softwares))
	return inventory.Software{}
}

// Network returns the interface with that name and MAC, or fails the test.
func Network(tb testing.TB, inv *inventory.Inventory, name, mac string) inventory.Network {
	tb.Helper()
	for _, n := range inv.Networks {
		if n.Name == name && n.MAC == mac {
			return n
		}
	}
	tb.Fatalf("no interface %q with MAC %q among %d", name, mac, len(inv.Networks))
	return inventory.Network{}
}

// Addresses lists an interface's addresses as "address/prefix", IPv4 first.
func Addresses(n inventory.Network) string {
	var s []string
	for _, a := range append(slices.Clone(n.IPv4), n.IPv6...) {
		s = append(s, a.Address+"/"+strconv.Itoa(a.Prefix))
	}
	return strings.Join(s, " ")
}

// Same is Eq for values that are not comparable with == (structs holding slices).
func Same(tb testing.TB, what string, got, want any) {
	tb.Helper()
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// CheckError fails the test unless err wraps one of inventory's error kinds and its
// message starts with the parser's prefix ("fusion: ") and says something after it.
func CheckError(tb testing.TB, err error, prefix string) {
	tb.Helper()
	if !errors.Is(err, inventory.ErrMalformed) && !errors.Is(err, inventory.ErrUnsupported) && !errors.Is(err, inventory.ErrLimit) {
		tb.Fatalf("error of no known kind: %v", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, prefix) || len(msg) < len(prefix)+10 {
		tb.Fatalf("error says too little: %q", msg)
	}
}

// CheckInventory fails the test when what is derived from a parsed inventory is
// inconsistent: one stable hash per section, a summary, a validation that fails only
// with a *ValidationError, a JSON encoding.
func CheckInventory(tb testing.TB, inv *inventory.Inventory) {
	tb.Helper()
	h := inv.SectionHashes()
	if len(h) != len(inv.Sections) || !maps.Equal(h, inv.SectionHashes()) {
		tb.Fatalf("hashes unstable or incomplete: %v for %v", h, inv.Sections)
	}
	_ = inv.Summary()
	_ = inv.Identity()
	var ve *inventory.ValidationError
	if err := inv.Validate(); err != nil && !errors.As(err, &ve) {
		tb.Fatalf("Validate: %v", err)
	}
	if _, err := json.Marshal(inv); err != nil {
		tb.Fatalf("encode: %v", err)
	}
}

// GLPIJSON turns a FusionInventory INVENTORY request into the GLPI Agent JSON
// inventory of the same content, as GLPI Agent writes it: FusionInventory's sections
// in lower case, the list sections (and repeated elements) as arrays. Benchmarks use
// it to compare the two protocols on one document.
func GLPIJSON(tb testing.TB, doc []byte) []byte {
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
