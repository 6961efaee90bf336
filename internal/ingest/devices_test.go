package ingest_test

import (
	"context"
	"fmt"
	"testing"

	"parc/internal/app"
	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/inventory/glpi"
	"parc/internal/inventory/inventorytest"
	"parc/internal/record"
	"parc/internal/storetest"
)

func parseGLPI(t *testing.T, name string) *inventory.Inventory {
	t.Helper()
	inv, err := glpi.ParseInventory(inventorytest.Read(t, "glpi-inventory-format/"+name))
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// describe prints a record's fields as "field=value" with references labelled.
func describe(rec *record.Record, fields ...string) string {
	s := ""
	for i, f := range fields {
		v := rec.String(f)
		if l, ok := rec.Display[f]; ok && l != "" {
			v = l
		}
		if i > 0 {
			s += " "
		}
		s += f + "=" + v
	}
	return s
}

func entriesOf(t *testing.T, a *app.App, sys *record.Actor, typ string, id int64) []record.Entry {
	t.Helper()
	h, err := a.Records.History(context.Background(), sys, a.Reg.MustType(typ), id, 500, 0)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestDeviceInventories: GLPI Agent's network equipment, printer and phone inventories
// become records of their own types with the facts of the document; the same
// documents again find the same records and write nothing.
func TestDeviceInventories(t *testing.T) {
	cases := []struct {
		file, typ string
		fields    []string
		want      string
	}{
		{"networkequipment_1.json", "network-equipment",
			[]string{"name", "serial", "manufacturer_id", "model_id", "firmware", "ip_address", "mac_address", "ports"},
			"name=ucs6248up-cluster-pa3-B serial=SSI1912014B manufacturer_id=Cisco model_id=UCS 6248UP 48-Port firmware=5.0(3)N2(4.02b) ip_address=10.2.5.10 mac_address=8c:60:4f:8d:ae:fc ports=163"},
		{"networkequipment_4.json", "network-equipment",
			[]string{"name", "serial", "manufacturer_id", "model_id", "firmware", "ip_address", "mac_address", "ports"},
			"name=CH-GV1-DSI-WLC-INSID-1 serial=FCH1946V219 manufacturer_id=Cisco model_id=CT5520 firmware=8.2.100.0 ip_address=1.1.1.1 mac_address=58:ac:78:59:45:fb ports=3"},
		{"printer_1.json", "printers",
			[]string{"name", "serial", "manufacturer_id", "model_id", "ip_address", "mac_address"},
			"name=NPIF2BE10 serial=PHCVN191TG manufacturer_id=HP model_id=HP LaserJet M507 ip_address=10.59.29.175 mac_address=00:68:eb:f2:be:10"},
		{"printer_3.json", "printers",
			[]string{"name", "serial", "manufacturer_id", "model_id", "ip_address", "mac_address"},
			"name=MX5970 serial=SDFSDF9874 manufacturer_id=Canon model_id=Canon MX 5970 ip_address=10.59.29.176 mac_address=00:85:eb:f4:be:20"},
		{"phone_1.json", "phones",
			[]string{"name", "serial", "manufacturer_id", "model_id", "mac_address"},
			"name=Mi9TPro-TéléphoneM serial=af8d8fcfa6fa4794 manufacturer_id=Xiaomi model_id=Mi 9T Pro mac_address=e0:dc:ff:ed:09:59"},
	}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		ids := map[string]int64{}
		for _, c := range cases {
			res, err := s.Ingest(ctx, parseGLPI(t, c.file), ingest.Meta{})
			if err != nil {
				t.Fatalf("%s: %v", c.file, err)
			}
			if !res.Created || res.Type != c.typ || res.ID == 0 || res.ComputerID != 0 {
				t.Fatalf("%s: %+v", c.file, res)
			}
			ids[c.file] = res.ID
			rec, err := a.Records.Get(ctx, sys, a.Reg.MustType(c.typ), res.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(rec, c.fields...); got != c.want {
				t.Errorf("%s:\n got %s\nwant %s", c.file, got, c.want)
			}
			if rec.OrgID != sys.Tree.Root {
				t.Errorf("%s: organisation %d, want the root", c.file, rec.OrgID)
			}
			h := entriesOf(t, a, sys, c.typ, res.ID)
			if len(h) == 0 || h[0].Origin != string(record.OriginInventory) || h[0].Action != "create" {
				t.Errorf("%s: history %+v", c.file, h)
			}
		}
		for table, want := range map[string]int{"network_equipment": 2, "printers": 2, "phones": 1, "computers": 0} {
			if n := count(t, a, "SELECT COUNT(*) FROM "+table); n != want {
				t.Errorf("%d %s, want %d", n, table, want)
			}
		}
		// Again: the same records, nothing written.
		for _, c := range cases {
			before := count(t, a, "SELECT COUNT(*) FROM history")
			res, err := s.Ingest(ctx, parseGLPI(t, c.file), ingest.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Created || res.ID != ids[c.file] || len(res.Changed) != 0 {
				t.Errorf("%s again: %+v", c.file, res)
			}
			if n := count(t, a, "SELECT COUNT(*) FROM history"); n != before {
				t.Errorf("%s again wrote %d history entries", c.file, n-before)
			}
		}
		if n := count(t, a, "SELECT COUNT(*) FROM network_equipment") + count(t, a, "SELECT COUNT(*) FROM printers") + count(t, a, "SELECT COUNT(*) FROM phones"); n != 5 {
			t.Errorf("%d devices after the second round", n)
		}
	})
}

// TestDeviceReconciliation: a device is found by serial, then MAC, then name within
// the organisation; a placeholder serial matches nothing and clears nothing; locked
// fields stay as the technician set them.
func TestDeviceReconciliation(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		printers := a.Reg.MustType("printers")
		res, err := s.Ingest(ctx, parseGLPI(t, "printer_1.json"), ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		id := res.ID
		send := func(label string, edit func(inv *inventory.Inventory)) *ingest.Result {
			t.Helper()
			inv := parseGLPI(t, "printer_1.json")
			edit(inv)
			res, err := s.Ingest(ctx, inv, ingest.Meta{})
			if err != nil {
				t.Fatalf("%s: %v", label, err)
			}
			return res
		}
		// A placeholder serial: found by its MAC, serial kept.
		r2 := send("dummy serial", func(inv *inventory.Inventory) { inv.Device.Serial = "To be filled by O.E.M." })
		if r2.Created || r2.ID != id {
			t.Fatalf("dummy serial: %+v", r2)
		}
		// Another serial and MAC, same name: found by name, new serial and MAC recorded.
		r3 := send("by name", func(inv *inventory.Inventory) {
			inv.Device.Serial, inv.Device.MAC = "PHCVN999ZZ", "00:68:eb:00:00:01"
		})
		if r3.Created || r3.ID != id {
			t.Fatalf("by name: %+v", r3)
		}
		rec, _ := a.Records.Get(ctx, sys, printers, id)
		if got := describe(rec, "serial", "mac_address"); got != "serial=PHCVN999ZZ mac_address=00:68:eb:00:00:01" {
			t.Errorf("after the name match: %s", got)
		}
		var got []string
		for _, e := range entriesOf(t, a, sys, "printers", id) {
			if e.Action == "update" {
				got = append(got, fmt.Sprintf("%s %s>%s %s", e.Field, e.OldValue, e.NewValue, e.Origin))
			}
		}
		if fmt.Sprint(got) != "[mac_address 00:68:eb:f2:be:10>00:68:eb:00:00:01 inventory serial PHCVN191TG>PHCVN999ZZ inventory]" &&
			fmt.Sprint(got) != "[serial PHCVN191TG>PHCVN999ZZ inventory mac_address 00:68:eb:f2:be:10>00:68:eb:00:00:01 inventory]" {
			t.Errorf("history %q", got)
		}
		// A locked address stays.
		if _, err := a.Records.Update(ctx, sys, printers, id, record.Input{"ip_address": "10.0.0.7", "locked_fields": "ip_address"}); err != nil {
			t.Fatal(err)
		}
		send("locked", func(inv *inventory.Inventory) { inv.Device.Serial = "PHCVN999ZZ" })
		rec, _ = a.Records.Get(ctx, sys, printers, id)
		if rec.String("ip_address") != "10.0.0.7" {
			t.Errorf("locked ip_address overwritten: %s", rec.String("ip_address"))
		}
		// Nothing in common: a new printer.
		r4 := send("new", func(inv *inventory.Inventory) {
			inv.Device.Serial, inv.Device.MAC, inv.Device.Name = "OTHER0001", "00:68:eb:00:00:02", "NPOTHER"
		})
		if !r4.Created || r4.ID == id {
			t.Fatalf("new: %+v", r4)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM printers"); n != 2 {
			t.Fatalf("%d printers", n)
		}
	})
}

// TestUnmanagedAndDiscoveriesAreRefused: what parc does not store is refused, with
// nothing written.
func TestUnmanagedAndDiscoveriesAreRefused(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, _ := setup(t, kind)
		inv := parseGLPI(t, "printer_1.json")
		inv.Action = inventory.ActionNetDiscovery
		_, err := s.Ingest(context.Background(), inv, ingest.Meta{})
		if e, ok := record.AsError(err); !ok || e.Msg.Key != "err.inventory_discovery" {
			t.Errorf("discovery: %v", err)
		}
		inv = parseGLPI(t, "printer_1.json")
		inv.ItemType = inventory.ItemUnmanaged
		_, err = s.Ingest(context.Background(), inv, ingest.Meta{})
		if e, ok := record.AsError(err); !ok || e.Msg.Key != "err.inventory_itemtype" {
			t.Errorf("unmanaged: %v", err)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM printers"); n != 0 {
			t.Errorf("%d printers", n)
		}
	})
}
