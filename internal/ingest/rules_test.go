package ingest_test

import (
	"context"
	"testing"
	"time"

	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestAssignmentRulesPlaceNewMachines: the first rule whose conditions hold decides the
// organisation and location; otherwise the default organisation setting, then the root.
func TestAssignmentRulesPlaceNewMachines(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		create := func(ty string, in record.Input) int64 {
			r, err := a.Records.Create(ctx, sys, a.Reg.MustType(ty), in)
			if err != nil {
				t.Fatal(err)
			}
			sys, _ = a.System(ctx, record.OriginCLI)
			return r.ID
		}
		lyon := create("organizations", record.Input{"name": "Lyon", "parent_id": sys.Tree.Root})
		quarantine := create("organizations", record.Input{"name": "Quarantine", "parent_id": sys.Tree.Root})
		room := create("locations", record.Input{"name": "Lyon room", "organization_id": lyon})
		// A rule that does not hold (wrong tag) comes first and must be skipped.
		create("inventory-rules", record.Input{"name": "tagged", "kind": "assign", "position": 1, "tag": "nope", "organization_id": quarantine})
		inv := parseFusion(t, "fusioninventory-2.6-debian12.xml")
		create("inventory-rules", record.Input{"name": "Lyon LAN", "kind": "assign", "position": 2, "ip_range": inv.PrimaryIP() + "/32",
			"location_id": room, "organization_id": lyon})
		res, err := s.Ingest(ctx, inv, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		c, _ := a.Records.Get(ctx, sys, a.Reg.MustType("computers"), res.ComputerID)
		if c.OrgID != lyon || c.Int("location_id") != room {
			t.Fatalf("placed in org %d location %d, want %d %d", c.OrgID, c.Int("location_id"), lyon, room)
		}
		// No rule holds for another machine with another address: the default organisation.
		if err := a.Records.SetSetting(ctx, ingest.DefaultOrgSetting, record.Format(quarantine)); err != nil {
			t.Fatal(err)
		}
		other := machineVariant(t, 7)
		res2, err := s.Ingest(ctx, other, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		c2, _ := a.Records.Get(ctx, sys, a.Reg.MustType("computers"), res2.ComputerID)
		if !res2.Created || c2.OrgID != quarantine {
			t.Fatalf("unmatched machine went to org %d (created %v), want quarantine %d", c2.OrgID, res2.Created, quarantine)
		}
	})
}

// machineVariant is the fixture made into another machine: other identity, other address.
func machineVariant(t *testing.T, n int) *inventory.Inventory {
	inv := parseFusion(t, "fusioninventory-2.6-debian12.xml")
	inv.DeviceID = "variant-" + record.Format(int64(n)) + "-2026-01-01-00-00-00"
	inv.Hardware.Name = "variant-" + record.Format(int64(n))
	inv.BIOS.SystemSerial = "VARIANT" + record.Format(int64(n))
	inv.Hardware.UUID = ""
	for i := range inv.Networks {
		if inv.Networks[i].MAC != "" {
			inv.Networks[i].MAC = "02:00:00:00:00:" + string("0123456789abcdef"[i%16]) + string("0123456789abcdef"[n%16])
		}
		for j := range inv.Networks[i].IPv4 {
			inv.Networks[i].IPv4[j].Address = "192.0.2." + record.Format(int64(10+n))
		}
	}
	return inv
}

// TestLocksAndMatchRules: locked fields resist inventory; a configured rule order is used
// (here name only), and dummy serials never match two machines together.
func TestLocksAndMatchRules(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		comps := a.Reg.MustType("computers")
		res, err := s.Ingest(ctx, parseFusion(t, "fusioninventory-2.6-debian12.xml"), ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Records.Update(ctx, sys, comps, res.ComputerID, record.Input{"os_name": "Hand-written OS", "locked_fields": "os_name"}); err != nil {
			t.Fatal(err)
		}
		inv := parseFusion(t, "fusioninventory-2.6-debian12.xml")
		inv.OS.Version = inv.OS.Version + "-upgraded"
		inv.OS.Name = "Changed by inventory"
		if _, err := s.Ingest(ctx, inv, ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		c, _ := a.Records.Get(ctx, sys, comps, res.ComputerID)
		if c.String("os_name") != "Hand-written OS" {
			t.Fatalf("locked os_name overwritten: %q", c.String("os_name"))
		}
		if c.String("os_version") != inv.OS.Version {
			t.Fatalf("unlocked os_version not updated: %q", c.String("os_version"))
		}
		// Two different machines sharing a dummy serial stay two machines.
		for i, n := range []int{21, 22} {
			v := machineVariant(t, n)
			v.BIOS.SystemSerial = "To be filled by O.E.M."
			r, err := s.Ingest(ctx, v, ingest.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Created {
				t.Fatalf("machine %d with a dummy serial matched an existing one", i)
			}
		}
		// Only a name rule: a machine reinstalled (new agent, new MACs) but keeping its
		// name is recognised by name.
		if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("inventory-rules"), record.Input{"name": "by name", "kind": "match", "match_on": "name", "organization_id": sys.Tree.Root}); err != nil {
			t.Fatal(err)
		}
		again := machineVariant(t, 21)
		again.DeviceID = "reinstalled-2026-02-01-00-00-00"
		again.BIOS.SystemSerial = "NEWSERIAL"
		for i := range again.Networks {
			if again.Networks[i].MAC != "" {
				again.Networks[i].MAC = "02:ff:00:00:00:0" + record.Format(int64(i%10))
			}
		}
		r, err := s.Ingest(ctx, again, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Created {
			t.Fatal("the name rule did not recognise the machine")
		}
		if n := count(t, a, "SELECT COUNT(*) FROM computers"); n != 3 {
			t.Fatalf("%d computers, want 3", n)
		}
	})
}

// TestContactMovesTheAgentsLastContact: a PROLOG from a known agent shows it alive.
func TestContactMovesTheAgentsLastContact(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, _ := setup(t, kind)
		ctx := context.Background()
		inv := parseFusion(t, "fusioninventory-2.6-debian12.xml")
		if _, err := s.Ingest(ctx, inv, ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		later := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Second)
		s.Now = func() time.Time { return later }
		if err := s.Contact(ctx, inv.DeviceID, "", "192.0.2.7"); err != nil {
			t.Fatal(err)
		}
		if err := s.Contact(ctx, "unknown-device", "", "192.0.2.8"); err != nil {
			t.Fatal(err)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM agents WHERE remote_ip = '192.0.2.7' AND last_contact_at > last_inventory_at"); n != 1 {
			t.Fatalf("contact not recorded (%d)", n)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM agents"); n != 1 {
			t.Fatalf("an unknown device made an agent: %d", n)
		}
	})
}
