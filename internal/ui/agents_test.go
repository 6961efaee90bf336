package ui_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"parc/internal/ingest"
	"parc/internal/inventory/glpi"
	"parc/internal/inventory/inventorytest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestAgentsPage: the agents page, as a technician, lists every agent with its
// device id, GLPI Agent's own id, version, protocol (in words), address, last contact
// and inventory and the machine it feeds; it filters by protocol and finds silent
// agents in one click. A client's admin sees only their organisation's agents.
func TestAgentsPage(t *testing.T) {
	const agentID = "3a609a2e-947f-4e6a-9af9-32c024ac3944"
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		client := e.org("Client B")
		e.create("inventory-rules", record.Input{"name": "client B", "kind": "assign", "position": 1, "tag": "client-b", "organization_id": client})
		ing := e.app.Inventory
		json, err := glpi.ParseInventory(inventorytest.Read(t, "glpi-inventory-format/computer_1.json"))
		if err != nil {
			t.Fatal(err)
		}
		json.Tag = ""
		a, err := ing.Ingest(ctx, json, ingest.Meta{AgentID: agentID, RemoteIP: "192.0.2.10"})
		if err != nil {
			t.Fatal(err)
		}
		xml, _ := parseFixture(t)
		xml.Tag = "client-b"
		b, err := ing.Ingest(ctx, xml, ingest.Meta{RemoteIP: "192.0.2.20"})
		if err != nil {
			t.Fatal(err)
		}
		// The client's agent went silent 40 days ago.
		old := time.Now().UTC().AddDate(0, 0, -40)
		if _, err := e.app.DB.Exec(context.Background(), "UPDATE agents SET last_contact_at = ?, last_inventory_at = ? WHERE id = ?", old, old, b.AgentID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "tech", "tech-password-1", "technician", e.sys.Tree.Root); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "admin-b", "admin-password-b", "admin", client); err != nil {
			t.Fatal(err)
		}

		tech := e.browser("en")
		tech.login("tech", "tech-password-1")
		// GLPI Agent's own id is a column to choose (most agents have none), so
		// that the list fits a laptop's screen.
		tech.get("/agents?columns=device_id,agent_uuid").must(t, 200, agentID, "Agent ID (GLPI-Agent-ID)")
		p := tech.get("/agents").must(t, 200, json.DeviceID, xml.DeviceID, "Device ID",
			"GLPI Agent (JSON)", "FusionInventory / GLPI Agent (XML)", "192.0.2.10", "Last contact", "Last inventory",
			json.Hardware.Name, xml.Hardware.Name, "Stale agents")
		p.lacks(t, ">glpi<", ">fusioninventory<", ">true<", ">false<")
		// Filter on the protocol.
		tech.get("/agents?"+url.Values{"filter": {"format:eq:glpi"}}.Encode()).must(t, 200, json.DeviceID).lacks(t, xml.DeviceID)
		// The quick link to silent agents lists the silent one only.
		m := regexp.MustCompile(`href="(/agents\?filter=last_contact_at[^"]+)"`).FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("no link to stale agents:\n%s", p.Body)
		}
		tech.get(unescape(m[1])).must(t, 200, xml.DeviceID).lacks(t, json.DeviceID)
		// One agent's page.
		tech.get("/agents/"+strconv.FormatInt(a.AgentID, 10)).must(t, 200, agentID, "GLPI Agent (JSON)", json.Hardware.Name)
		// In French.
		fr := e.browser("fr")
		fr.login("tech", "tech-password-1")
		fr.get("/agents").must(t, 200, "GLPI Agent (JSON)", "Dernier contact")
		fr.get("/agents?columns=agent_uuid").must(t, 200, esc("Identifiant de l'agent (GLPI-Agent-ID)"))

		// The client's admin: their agent only; the other is not found.
		adm := e.browser("en")
		adm.login("admin-b", "admin-password-b")
		adm.get("/agents?columns=device_id,agent_uuid").must(t, 200, xml.DeviceID).lacks(t, json.DeviceID, agentID)
		if p := adm.get("/agents/" + strconv.FormatInt(a.AgentID, 10)); p.Status != 404 {
			t.Errorf("the client's admin opened another organisation's agent: %d", p.Status)
		}
	})
}

func unescape(s string) string {
	return regexp.MustCompile(`&amp;`).ReplaceAllString(s, "&")
}
