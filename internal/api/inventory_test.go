package api_test

import (
	"context"
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/ingest"
	"parc/internal/inventory/fusion"
	"parc/internal/inventory/inventorytest"
	"parc/internal/storetest"
)

func TestComputerInventoryViews(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		raw := inventorytest.Read(t, "fusioninventory-2.6-debian12.xml")
		inv, err := fusion.ParseInventory(raw)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.App.Inventory.Ingest(context.Background(), inv, ingest.Meta{Raw: raw})
		if err != nil {
			t.Fatal(err)
		}
		c := e.User("viewer", "observer", e.Root)
		comps := c.Must(200, "GET", apitest.Path("/api/v1/computers/%d/components", res.ComputerID), nil).Data()
		kinds := map[string]int{}
		for _, x := range comps {
			kinds[x["kind"].(string)]++
		}
		if kinds["cpu"] != len(inv.CPUs) || kinds["network"] != len(inv.Networks) {
			t.Fatalf("components by kind %v", kinds)
		}
		sw := c.Must(200, "GET", apitest.Path("/api/v1/computers/%d/software", res.ComputerID), nil).Data()
		if len(sw) == 0 {
			t.Fatal("no software")
		}
		dpkg := inventorytest.Software(t, inv, "dpkg")
		found := false
		for _, s := range sw {
			found = found || s["name"] == "dpkg" && s["version"] == dpkg.Version
		}
		if !found {
			t.Fatalf("dpkg %s not listed", dpkg.Version)
		}
		doc := c.Must(200, "GET", apitest.Path("/api/v1/computers/%d/inventory", res.ComputerID), nil)
		if string(doc.Body) != string(raw) || !strings.Contains(doc.Header.Get("Content-Disposition"), ".xml") {
			t.Fatalf("raw inventory: %d bytes, %v", len(doc.Body), doc.Header)
		}
		// Another organisation's user sees none of it.
		other := e.Org("Other", e.Root)
		o := e.User("outsider", "admin", other)
		for _, p := range []string{"components", "software", "inventory"} {
			o.Must(404, "GET", apitest.Path("/api/v1/computers/%d/%s", res.ComputerID, p), nil)
		}
		// The software catalogue counts installations, once the background job has
		// folded what inventories owe it.
		list := c.Must(200, "GET", "/api/v1/software?filter=name:eq:dpkg", nil).Data()
		if len(list) != 1 || list[0]["install_count"] != 0.0 {
			t.Fatalf("catalogue entry before folding %v", list)
		}
		if n, err := e.App.Inventory.FoldInstallCounts(context.Background()); err != nil || n != 1 {
			t.Fatalf("folded %d changes: %v", n, err)
		}
		list = c.Must(200, "GET", "/api/v1/software?filter=name:eq:dpkg", nil).Data()
		if len(list) != 1 || list[0]["install_count"] != 1.0 {
			t.Fatalf("catalogue entry %v", list)
		}
		// Agents are written by parc only.
		admin := e.User("boss", "super-admin", e.Root)
		if r := admin.Do("POST", "/api/v1/agents", map[string]any{"device_id": "x", "format": "fusioninventory"}); r.Status != 403 {
			t.Fatalf("agent created by hand: %d %s", r.Status, r.Body)
		}
		if n := len(admin.Must(200, "GET", "/api/v1/agents", nil).Data()); n != 1 {
			t.Fatalf("%d agents listed", n)
		}
	})
}

// TestHostAndVirtualMachines: a computer's record names its host, and the host lists
// its virtual machines, for those who may read them.
func TestHostAndVirtualMachines(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		inv, err := fusion.ParseInventory(inventorytest.Read(t, "glpi-inventory-format/fusion-1.xml"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.App.Inventory.Ingest(context.Background(), inv, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		c := e.User("viewer", "observer", e.Root)
		vms := c.Must(200, "GET", apitest.Path("/api/v1/computers/%d/virtual-machines", res.ComputerID), nil).Data()
		var names []string
		for _, vm := range vms {
			names = append(names, vm["name"].(string)+" "+vm["uuid"].(string)+" "+vm["vm_state"].(string))
		}
		if strings.Join(names, ", ") != "centos7.0 c37f7ce8-af95-4676-b454-0959f2c5e162 off, fedora23 358f16bf-6794-4f63-8947-150b807a2294 off, win8.1 fcb505ed-0ffa-419e-a5a0-fd20bed80f1e off" {
			t.Fatalf("virtual machines: %q", names)
		}
		vm := c.Must(200, "GET", apitest.Path("/api/v1/computers/%v", vms[0]["id"]), nil)
		if !strings.Contains(string(vm.Body), `"host_id":`+apitest.Path("%d", res.ComputerID)) || !strings.Contains(string(vm.Body), `"is_virtual":true`) {
			t.Fatalf("virtual machine record: %s", vm.Body)
		}
		other := e.Org("Other", e.Root)
		e.User("outsider", "admin", other).Must(404, "GET", apitest.Path("/api/v1/computers/%d/virtual-machines", res.ComputerID), nil)
	})
}
