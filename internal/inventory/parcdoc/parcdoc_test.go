package parcdoc_test

import (
	"encoding/json"
	"errors"
	"parc/internal/agent"
	"parc/internal/inventory"
	"parc/internal/inventory/fusion"
	"parc/internal/inventory/inventorytest"
	"parc/internal/inventory/parcdoc"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeRoundTrip(t *testing.T) {
	for _, name := range []string{"fusioninventory-2.6-debian12.xml", "glpi-inventory-format/fusion-3.xml"} {
		inv, err := fusion.ParseInventory(inventorytest.Read(t, name))
		if err != nil {
			t.Fatal(err)
		}
		inv.Agent = inventory.Agent{Name: "parc-agent", Version: "1.2"}
		inv.Tag = "site-a"
		doc, err := agent.Marshal(inv)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parcdoc.Decode(doc, inventory.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := *inv
		want.Format = parcdoc.FormatParc
		if !reflect.DeepEqual(got, &want) {
			a, _ := json.Marshal(got)
			b, _ := json.Marshal(&want)
			t.Errorf("%s: round trip differs:\n%s\n%s", name, a, b)
		}
		if !reflect.DeepEqual(got.SectionHashes(), inv.SectionHashes()) {
			t.Errorf("%s: section hashes differ after the round trip", name)
		}
	}
}

func TestDecodeSections(t *testing.T) {
	doc := func(inv string) []byte {
		return []byte(`{"protocol":"parc-agent/1","device_id":"d1","agent":{"name":"parc-agent","version":"1"},"inventory":` + inv + `}`)
	}
	for _, c := range []struct{ inv, want string }{
		// Without a list, the sections present are reported, even empty ones.
		{`{"hardware":{"name":"pc"},"softwares":[],"cpus":null}`, "hardware,softwares"},
		// With a list, it is what is reported: listed but absent means reported empty.
		{`{"sections":["hardware","softwares","batteries"],"hardware":{"name":"pc"}}`, "batteries,hardware,softwares"},
		{`{"sections":["softwares","hardware","softwares"],"hardware":{"name":"pc"},"softwares":[{"name":"vim"}]}`, "hardware,softwares"},
		{`{"sections":null,"hardware":{"name":"pc"},"network_device":null}`, "hardware"},
	} {
		inv, err := parcdoc.Decode(doc(c.inv), inventory.Limits{})
		if err != nil {
			t.Errorf("%s: %v", c.inv, err)
			continue
		}
		if got := inventorytest.SectionList(inv); got != c.want {
			t.Errorf("%s: sections %s, want %s", c.inv, got, c.want)
		}
		if inv.Format != parcdoc.FormatParc || inv.Action != inventory.ActionInventory || inv.ItemType != inventory.ItemComputer || inv.DeviceID != "d1" {
			t.Errorf("%s: %s %s %s %q", c.inv, inv.Format, inv.Action, inv.ItemType, inv.DeviceID)
		}
	}
	for _, c := range []struct{ inv, want string }{
		{`{"hardware":{"name":"pc"},"device_id":"d2"}`, "device_id differs"},
		{`{"hardware":{"name":"pc"},"format":"ocs"}`, "inventory.format"},
		{`{"hardware":{"name":"pc"},"agent":{"name":"other"}}`, "agent differs"},
		{`{"hardware":{"name":"pc"},"partial":true}`, "partial differs"},
		{`{"hardware":{"name":"pc"},"Hardware":{}}`, "inventory.Hardware"},
	} {
		_, err := parcdoc.Decode(doc(c.inv), inventory.Limits{})
		if !errors.Is(err, inventory.ErrMalformed) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a malformed error saying %q", c.inv, err, c.want)
		}
	}
	// The inner fields may repeat the envelope's.
	if _, err := parcdoc.Decode(doc(`{"hardware":{"name":"pc"},"device_id":"d1","format":"parc","agent":{"name":"parc-agent","version":"1"}}`), inventory.Limits{}); err != nil {
		t.Error(err)
	}
}

func TestDecodeLimits(t *testing.T) {
	lim := inventory.Limits{MaxDepth: 8, MaxElements: 50, MaxTextBytes: 16}
	base := `{"protocol":"parc-agent/1","device_id":"d","inventory":{"hardware":{"name":"pc"},"warnings":%s}}`
	for _, c := range []struct{ warnings, want string }{
		{`[[[[[[[["x"]]]]]]]]`, "deeper than 8"},
		{`["` + strings.Repeat("x", 17) + `"]`, "longer than 16"},
		{`[` + strings.Repeat(`"x",`, 60) + `"x"]`, "more than 50"},
	} {
		_, err := parcdoc.Decode([]byte(strings.Replace(base, "%s", c.warnings, 1)), lim)
		if !errors.Is(err, inventory.ErrLimit) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.30s: %v, want a limit error saying %q", c.warnings, err, c.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"protocol":"parc-agent/1","device_id":"d","inventory":{"sections":["hardware"],"hardware":{"name":"pc"}}}`))
	f.Add([]byte(`{"protocol":"parc-agent/1","device_id":"d","inventory":{"softwares":[{"name":"a","version":"1"}],"warnings":[[]]}}`))
	f.Add([]byte(`{"protocol":"parc-agent/2"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := parcdoc.Decode(data, inventory.Limits{})
		if err != nil {
			if !errors.Is(err, inventory.ErrMalformed) && !errors.Is(err, inventory.ErrLimit) {
				t.Fatalf("error %v wraps neither ErrMalformed nor ErrLimit", err)
			}
			return
		}
		if inv.Format != parcdoc.FormatParc || inv.Action == "" || inv.ItemType == "" {
			t.Fatalf("decoded inventory without defaults: %+v", inv)
		}
		// What was accepted re-encodes to the same inventory.
		doc, err := agent.Marshal(inv)
		if err != nil {
			t.Fatal(err)
		}
		again, err := parcdoc.Decode(doc, inventory.Limits{})
		if err != nil {
			t.Fatalf("re-encoded document refused: %v\n%s", err, doc)
		}
		if !reflect.DeepEqual(again.SectionHashes(), inv.SectionHashes()) {
			t.Fatalf("re-encoded document differs:\n%s", doc)
		}
	})
}
