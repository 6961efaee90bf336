package ingest_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"parc/internal/app"
	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/inventory/fusion"
	"parc/internal/inventory/inventorytest"
	"parc/internal/inventory/ocs"
	"parc/internal/record"
	"parc/internal/storetest"
)

func setup(t *testing.T, kind string) (*app.App, *ingest.Service, *record.Actor) {
	t.Helper()
	a := app.New(storetest.OpenTest(t, kind), nil)
	ctx := context.Background()
	if _, err := a.Bootstrap(ctx, "en"); err != nil {
		t.Fatal(err)
	}
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		t.Fatal(err)
	}
	return a, a.Inventory, sys
}

func parseFusion(t *testing.T, name string) *inventory.Inventory {
	t.Helper()
	inv, err := fusion.ParseInventory(inventorytest.Read(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func count(t *testing.T, a *app.App, q string, args ...any) int {
	t.Helper()
	var n int
	if err := a.DB.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func history(t *testing.T, a *app.App, sys *record.Actor, id int64) []record.Entry {
	t.Helper()
	h, err := a.Records.History(context.Background(), sys, a.Reg.MustType("computers"), id, 500, 0)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestFusionInventoryCreatesThenRecognisesTheMachine(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		inv := parseFusion(t, "fusioninventory-2.6-debian12.xml")
		res, err := s.Ingest(ctx, inv, ingest.Meta{RemoteIP: "127.0.0.1", Raw: []byte("<REQUEST/>")})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Created || res.ComputerID == 0 || len(res.Changed) == 0 {
			t.Fatalf("first inventory: %+v", res)
		}
		c, err := a.Records.Get(ctx, sys, a.Reg.MustType("computers"), res.ComputerID)
		if err != nil {
			t.Fatal(err)
		}
		sum := inv.Summary()
		for field, want := range map[string]any{
			"hostname": sum.Name, "os_name": sum.OS, "processor": sum.Processor, "memory_mb": int64(sum.TotalMemoryMB),
			"software_count": int64(len(inv.Softwares)), "primary_ip": sum.PrimaryIP, "inventory_format": "fusioninventory",
		} {
			if !record.Equal(c.Get(field), want) {
				t.Errorf("%s = %v, want %v", field, c.Get(field), want)
			}
		}
		if id := inv.Identity(); id.Serial != "" && c.String("serial") != id.Serial {
			t.Errorf("serial %q, want %q", c.String("serial"), id.Serial)
		}
		for _, m := range sum.MACs {
			if !strings.Contains(c.String("mac_addresses"), m) {
				t.Errorf("MAC %s missing from %q", m, c.String("mac_addresses"))
			}
		}
		if n := count(t, a, "SELECT COUNT(*) FROM software_installations WHERE computer_id = ?", res.ComputerID); n == 0 || n > len(inv.Softwares) {
			t.Fatalf("%d installations for %d packages", n, len(inv.Softwares))
		}
		if n := count(t, a, "SELECT COUNT(*) FROM computer_components WHERE computer_id = ? AND kind = 'cpu'", res.ComputerID); n != len(inv.CPUs) {
			t.Fatalf("%d CPUs stored, %d reported", n, len(inv.CPUs))
		}
		// Lists filter on inventory facts, installed software included.
		dpkg := inventorytest.Software(t, inv, "dpkg")
		for q, want := range map[string]int{
			"filter=software:eq:dpkg":                                        1,
			"filter=software:eq:dpkg@" + dpkg.Version:                        1,
			"filter=software:lt:dpkg@" + dpkg.Version + ".1":                 1,
			"filter=software:gte:dpkg@" + dpkg.Version + ".1":                0,
			"filter=software:ne:dpkg":                                        0,
			"filter=software:contains:pkg":                                   1,
			"filter=software:eq:no-such-package":                             0,
			fmt.Sprintf("filter=memory_mb:lte:%d", sum.TotalMemoryMB):        1,
			fmt.Sprintf("filter=memory_mb:lt:%d", sum.TotalMemoryMB):         0,
			"filter=os_name:contains:" + url.QueryEscape(sum.OS):             1,
			"filter=ip_addresses:contains:" + url.QueryEscape(sum.PrimaryIP): 1,
		} {
			v, _ := url.ParseQuery(q + "&count=1")
			lq, err := record.ParseListQuery(a.Reg.MustType("computers"), v)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			p, err := a.Records.List(ctx, sys, a.Reg.MustType("computers"), lq)
			if err != nil || p.Total != int64(want) {
				t.Errorf("%s: %d computers (%v), want %d", q, p.Total, err, want)
			}
		}
		v, _ := url.ParseQuery("filter=software:lt:dpkg")
		if _, err := record.ParseListQuery(a.Reg.MustType("computers"), v); err == nil {
			t.Error("a version comparison without a version was accepted")
		}
		hist := len(history(t, a, sys, res.ComputerID))
		// The same document again: recognised, nothing changed, nothing written but the time.
		res2, err := s.Ingest(ctx, parseFusion(t, "fusioninventory-2.6-debian12.xml"), ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if res2.Created || res2.ComputerID != res.ComputerID || len(res2.Changed) != 0 {
			t.Fatalf("unchanged re-inventory: %+v", res2)
		}
		if got := len(history(t, a, sys, res.ComputerID)); got != hist {
			t.Fatalf("unchanged re-inventory wrote %d history entries", got-hist)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM computers"); n != 1 {
			t.Fatalf("%d computers", n)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM agents WHERE computer_id = ?", res.ComputerID); n != 1 {
			t.Fatalf("%d agents", n)
		}
	})
}

func TestPartialInventoriesNeverEraseFacts(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		full := parseFusion(t, "fusioninventory-2.6-debian12.xml")
		res, err := s.Ingest(ctx, full, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		installs := count(t, a, "SELECT COUNT(*) FROM software_installations WHERE computer_id = ?", res.ComputerID)
		// Without its software section: software stays.
		noSoft := parseFusion(t, "fusioninventory-2.6-debian12.xml")
		noSoft.Softwares = nil
		noSoft.Sections = without(noSoft.Sections, inventory.SectionSoftwares)
		if _, err := s.Ingest(ctx, noSoft, ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM software_installations WHERE computer_id = ?", res.ComputerID); n != installs {
			t.Fatalf("software went from %d to %d without a software section", installs, n)
		}
		// Then without its serial: same machine, serial kept.
		before, _ := a.Records.Get(ctx, sys, a.Reg.MustType("computers"), res.ComputerID)
		noSerial := parseFusion(t, "fusioninventory-2.6-debian12.xml")
		noSerial.BIOS.SystemSerial = ""
		noSerial.Hardware.UUID = ""
		r3, err := s.Ingest(ctx, noSerial, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		after, _ := a.Records.Get(ctx, sys, a.Reg.MustType("computers"), res.ComputerID)
		if r3.ComputerID != res.ComputerID || r3.Created {
			t.Fatalf("without serial: %+v", r3)
		}
		if after.String("serial") != before.String("serial") || after.String("uuid") != before.String("uuid") {
			t.Fatalf("identity lost: serial %q -> %q, uuid %q -> %q", before.String("serial"), after.String("serial"), before.String("uuid"), after.String("uuid"))
		}
		if n := count(t, a, "SELECT COUNT(*) FROM computers"); n != 1 {
			t.Fatalf("%d computers", n)
		}
	})
}

func without(list []inventory.Section, s inventory.Section) []inventory.Section {
	var out []inventory.Section
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func TestReInventoryHistoryListsExactlyTheChanges(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		res, err := s.Ingest(ctx, parseFusion(t, "fusioninventory-2.6-debian12.xml"), ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		start := history(t, a, sys, res.ComputerID)[0].ID
		inv := parseFusion(t, "fusioninventory-2.6-debian12.xml")
		removed := inv.Softwares[0]
		updated := inv.Softwares[1]
		inv.Softwares = inv.Softwares[1:]
		inv.Softwares[0].Version = updated.Version + "+parc1"
		inv.Softwares = append(inv.Softwares, inventory.Software{Name: "parc-test-package", Version: "1.2.3", Publisher: "parc"})
		inv.Memories = append(inv.Memories, inventory.Memory{CapacityMB: 8192, Type: "DDR4", Slot: 9, Serial: "NEWDIMM01"})
		inv.MarkPresent(inventory.SectionMemories)
		res2, err := s.Ingest(ctx, inv, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range history(t, a, sys, res.ComputerID) {
			if e.ID > start {
				got = append(got, fmt.Sprintf("%s %s [%s] -> [%s]", e.Action, e.Field, e.OldValue, e.NewValue))
			}
		}
		want := map[string]bool{
			fmt.Sprintf("software software [%s] -> []", strings.TrimSpace(removed.Name+" "+removed.Version)):                        true,
			fmt.Sprintf("software software [%s %s] -> [%s %s+parc1]", updated.Name, updated.Version, updated.Name, updated.Version): true,
			"software software [] -> [parc-test-package 1.2.3]":                                                                     true,
		}
		found := 0
		for _, g := range got {
			switch {
			case want[g]:
				found++
			case strings.HasPrefix(g, "components component.memory [] -> [DDR4"):
				found++
			case strings.HasPrefix(g, "update memory_mb"):
				found++
			default:
				t.Errorf("unexpected history entry %q", g)
			}
		}
		if found != 5 {
			t.Fatalf("history %q (changed sections %v)", got, res2.Changed)
		}
	})
}

func TestOCSAndFusionOfOneMachineMakeOneComputer(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, _ := setup(t, kind)
		ctx := context.Background()
		if _, err := s.Ingest(ctx, parseFusion(t, "fusioninventory-2.6-debian12.xml"), ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		inv, err := ocs.ParseInventory(inventorytest.Read(t, "ocsinventory-2.10-debian12.ocs"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Ingest(ctx, inv, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Created {
			t.Fatal("the OCS inventory of the same machine created a second computer")
		}
		if n := count(t, a, "SELECT COUNT(*) FROM agents"); n != 2 {
			t.Fatalf("%d agents, want one per protocol", n)
		}
	})
}

func TestConcurrentInventoriesOfOneNewMachineMakeOneComputer(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, _ := setup(t, kind)
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Ingest(ctx, parseFusion(t, "fusioninventory-2.6-debian12.xml"), ingest.Meta{})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := count(t, a, "SELECT COUNT(*) FROM computers"); n != 1 {
			t.Fatalf("%d computers from concurrent inventories of one machine", n)
		}
	})
}
