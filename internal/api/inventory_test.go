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
		res, err := ingest.New(e.App).Ingest(context.Background(), inv, ingest.Meta{Raw: raw})
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
		// The software catalogue counts installations.
		list := c.Must(200, "GET", "/api/v1/software?filter=name:eq:dpkg", nil).Data()
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
