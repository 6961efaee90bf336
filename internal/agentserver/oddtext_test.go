package agentserver

import (
	"encoding/json"
	"strings"
	"testing"

	"parc/internal/agent"
	"parc/internal/inventory"
	"parc/internal/inventory/fusion"
	"parc/internal/inventory/inventorytest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestOddCharactersFromAgentsAreCleaned: single-line fields refuse control and
// text-direction characters, but an agent's report is not refused for them: ingest
// cleans them (they become spaces, direction overrides are dropped) and the
// inventory is stored.
func TestOddCharactersFromAgentsAreCleaned(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, Options{})
		inv, err := fusion.ParseInventory(inventorytest.Read(t, "fusioninventory-2.6-debian12.xml"))
		if err != nil {
			t.Fatal(err)
		}
		inv.Agent = inventory.Agent{Name: "parc-agent", Version: "0.1.0"}
		inv.Hardware.Name = "ws\x1b[31m-01\u202e"
		inv.Hardware.LastLoggedUser = "bob\x00"
		inv.OS.FullName = "Debian\u2028GNU/Linux\t12"
		inv.BIOS.SystemManufacturer = "Acme\x07Computers"
		inv.BIOS.SystemModel = "Model\u0085X"
		doc, err := agent.Marshal(inv)
		if err != nil {
			t.Fatal(err)
		}
		r := e.post(PathParc, doc, "Content-Type", "application/json", "User-Agent", "parc-agent/0.1.0")
		var got struct {
			ComputerID int64 `json:"computer_id"`
		}
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &got) != nil || got.ComputerID == 0 {
			t.Fatalf("%d %q", r.Status, r.Body)
		}
		c, err := e.app.Records.Get(t.Context(), e.sys, e.app.Reg.MustType("computers"), got.ComputerID)
		if err != nil {
			t.Fatal(err)
		}
		for field, want := range map[string]string{"name": "ws [31m-01", "hostname": "ws [31m-01", "last_user": "bob", "os_name": "Debian GNU/Linux 12"} {
			if c.String(field) != want {
				t.Errorf("%s %q, want %q", field, c.String(field), want)
			}
		}
		if c.Display["manufacturer_id"] != "Acme Computers" || c.Display["model_id"] != "Model X" {
			t.Errorf("manufacturer %q, model %q", c.Display["manufacturer_id"], c.Display["model_id"])
		}
		// The same report again finds the same catalogue entries.
		if r := e.post(PathParc, doc, "Content-Type", "application/json", "User-Agent", "parc-agent/0.1.0"); r.Status != 200 {
			t.Fatalf("again: %d %q", r.Status, r.Body)
		}
		if n := e.count("SELECT COUNT(*) FROM manufacturers WHERE name LIKE 'Acme%'"); n != 1 {
			t.Errorf("%d manufacturers", n)
		}
		for _, q := range []string{"SELECT name FROM manufacturers", "SELECT name FROM models", "SELECT os_name FROM computers"} {
			rows, err := e.app.DB.R.Query(q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				rows.Scan(&s)
				if strings.IndexFunc(s, record.NotInLine) >= 0 {
					t.Errorf("%s: %q", q, s)
				}
			}
			rows.Close()
		}
	})
}
