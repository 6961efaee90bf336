package ingest_test

import (
	"context"
	"strings"
	"testing"

	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/storetest"
)

// TestMatchByMACAndName: with the default rules, a machine whose serial and agent
// changed is found by any one of its MAC addresses, kept current in computer_macs
// whatever writes the computer; then by its name, whatever its case.
func TestMatchByMACAndName(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, _ := setup(t, kind)
		ctx := context.Background()
		first := machineVariant(t, 40)
		res, err := s.Ingest(ctx, first, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		macs := first.MACs()
		if len(macs) < 2 {
			t.Fatalf("fixture has %d usable MACs", len(macs))
		}
		if n := count(t, a, "SELECT COUNT(*) FROM computer_macs WHERE computer_id = ?", res.ComputerID); n != len(macs) {
			t.Fatalf("%d MAC rows, want %d", n, len(macs))
		}
		// Another agent, another serial and name, one card left: its MAC finds the machine.
		stranger := func(device, name string, mac string) *inventory.Inventory {
			inv := machineVariant(t, 40)
			inv.DeviceID, inv.Hardware.Name, inv.BIOS.SystemSerial = device+"-2026-01-01-00-00-00", name, "SERIAL-"+device
			var keep []inventory.Network
			for _, n := range inv.Networks {
				if mac != "" && n.MAC == mac {
					keep = append(keep, n)
				}
			}
			inv.Networks = keep
			return inv
		}
		r, err := s.Ingest(ctx, stranger("second-agent", "renamed-pc", macs[1]), ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Created || r.ComputerID != res.ComputerID {
			t.Fatalf("not found by its MAC %s: created %v, id %d", macs[1], r.Created, r.ComputerID)
		}
		// That inventory reported one card: only its MAC is kept now.
		if n := count(t, a, "SELECT COUNT(*) FROM computer_macs WHERE computer_id = ?", res.ComputerID); n != 1 {
			t.Fatalf("%d MAC rows after one card reported, want 1", n)
		}
		r, err = s.Ingest(ctx, stranger("third-agent", "other-pc", macs[0]), ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Created {
			t.Fatalf("found by a MAC it no longer has")
		}
		// No MAC, no serial match: the name, in another case, within the organisation.
		r, err = s.Ingest(ctx, stranger("fourth-agent", strings.ToUpper("renamed-pc"), ""), ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Created || r.ComputerID != res.ComputerID {
			t.Fatalf("not found by its name: created %v, id %d", r.Created, r.ComputerID)
		}
		// A list that is not made of MAC addresses is kept as written and matches nothing.
		if _, err := a.DB.Exec(ctx, `UPDATE computers SET mac_addresses = ? WHERE id = ?`, "aa:bb\", \n'x", res.ComputerID); err != nil {
			t.Fatal(err)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM computer_macs WHERE computer_id = ?", res.ComputerID); n != 0 {
			t.Fatalf("%d MAC rows from a list that is not one", n)
		}
	})
}
