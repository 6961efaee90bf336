package ingest_test

import (
	"context"
	"strings"
	"testing"

	"parc/internal/ingest"
	"parc/internal/storetest"
)

// TestVirtualMachinesOnHosts: the VMs a host reports are computers linked to it;
// the VM's own agent then finds the same computer by the UUID the hypervisor gave it,
// in either byte order; a VM the host no longer reports is unlinked, not deleted.
func TestVirtualMachinesOnHosts(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		computers := a.Reg.MustType("computers")
		res, err := s.Ingest(ctx, parseFusion(t, "glpi-inventory-format/fusion-1.xml"), ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		host := res.ComputerID
		vmID := func(uuid string) int64 {
			return int64(count(t, a, "SELECT COALESCE(MAX(id), 0) FROM computers WHERE uuid = ?", uuid))
		}
		want := map[string]string{
			"c37f7ce8-af95-4676-b454-0959f2c5e162": "name=centos7.0 host_id=LF014 is_virtual=true vm_state=off memory_mb=1048 cpu_cores=1",
			"358f16bf-6794-4f63-8947-150b807a2294": "name=fedora23 host_id=LF014 is_virtual=true vm_state=off memory_mb=2097 cpu_cores=1",
			"fcb505ed-0ffa-419e-a5a0-fd20bed80f1e": "name=win8.1 host_id=LF014 is_virtual=true vm_state=off memory_mb=4194 cpu_cores=2",
		}
		for uuid, w := range want {
			rec, err := a.Records.Get(ctx, sys, computers, vmID(uuid))
			if err != nil {
				t.Fatalf("%s: %v", uuid, err)
			}
			if got := describe(rec, "name", "host_id", "is_virtual", "vm_state", "memory_mb", "cpu_cores"); got != w {
				t.Errorf("%s:\n got %s\nwant %s", uuid, got, w)
			}
			if rec.OrgID != sys.Tree.Root {
				t.Errorf("%s: organisation %d", uuid, rec.OrgID)
			}
		}
		if n := count(t, a, "SELECT COUNT(*) FROM computers WHERE host_id = ?", host); n != 3 {
			t.Fatalf("%d VMs on the host", n)
		}
		// The host again: nothing written.
		before := count(t, a, "SELECT COUNT(*) FROM history")
		if _, err := s.Ingest(ctx, parseFusion(t, "glpi-inventory-format/fusion-1.xml"), ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM history"); n != before {
			t.Errorf("unchanged host re-inventory wrote %d history entries", n-before)
		}
		// centos7.0's own agent, with its UUID in upper case: the same computer.
		centos := vmID("c37f7ce8-af95-4676-b454-0959f2c5e162")
		guest := parseFusion(t, "fusioninventory-2.6-debian12-vm.xml")
		guest.Hardware.UUID = strings.ToUpper("c37f7ce8-af95-4676-b454-0959f2c5e162")
		g, err := s.Ingest(ctx, guest, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if g.Created || g.ComputerID != centos {
			t.Fatalf("guest agent: %+v, want computer %d", g, centos)
		}
		// fedora23's agent reads its UUID in the other byte order (VMware, old SMBIOS).
		fedora := vmID("358f16bf-6794-4f63-8947-150b807a2294")
		guest = parseFusion(t, "fusioninventory-2.6-debian12-vm.xml")
		guest.Hardware.UUID = "bf168f35-9467-634f-8947-150b807a2294"
		guest.Hardware.Name = "fedora23.example.org"
		guest.Networks = nil // another machine's MACs
		guest.DeviceID = "fedora23-2026-01-05-09-12-44"
		g, err = s.Ingest(ctx, guest, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if g.Created || g.ComputerID != fedora {
			t.Fatalf("guest agent, swapped UUID: %+v, want computer %d", g, fedora)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM computers"); n != 4 {
			t.Fatalf("%d computers, want the host and its 3 VMs", n)
		}
		rec, _ := a.Records.Get(ctx, sys, computers, centos)
		if got := describe(rec, "name", "host_id", "hostname", "is_virtual"); got != "name=centos7.0 host_id=LF014 hostname=vm is_virtual=true" {
			t.Errorf("centos after its own inventory: %s", got)
		}
		// The host no longer runs win8.1: unlinked, kept.
		inv := parseFusion(t, "glpi-inventory-format/fusion-1.xml")
		inv.VirtualMachines = inv.VirtualMachines[:2]
		if _, err := s.Ingest(ctx, inv, ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		win := vmID("fcb505ed-0ffa-419e-a5a0-fd20bed80f1e")
		rec, err = a.Records.Get(ctx, sys, computers, win)
		if err != nil || rec.Get("host_id") != nil || rec.DeletedAt != nil {
			t.Errorf("win8.1: %v %+v", err, rec)
		}
		unlinked := false
		for _, e := range history(t, a, sys, win) {
			if e.Field == "host_id" && e.OldValue != "" && e.NewValue == "" && e.Origin == "inventory" {
				unlinked = true
			}
		}
		if !unlinked {
			t.Errorf("no history of the unlink: %+v", history(t, a, sys, win))
		}
		if n := count(t, a, "SELECT COUNT(*) FROM computers WHERE host_id = ?", host); n != 2 {
			t.Errorf("%d VMs on the host, want 2", n)
		}
	})
}
