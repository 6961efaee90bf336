package api_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"parc/internal/agentserver"
	"parc/internal/apitest"
	"parc/internal/inventory/inventorytest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestInventorySettings: an administrator of every organisation sends unplaced new
// machines to a quarantine organisation and gives them a state; a real agent document
// posted to the agent endpoint then lands there. Others may not read or change the
// settings, and bad input changes nothing.
func TestInventorySettings(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		ctx := context.Background()
		quarantine := e.Org("Quarantine", e.Root)
		client := e.Org("Client", e.Root)
		admin := e.User("boss", "admin", e.Root)
		clientAdmin := e.User("client-boss", "admin", client)
		tech := e.User("tech", "technician", e.Root)
		var toReview int64
		if err := e.App.DB.R.QueryRowContext(ctx, "SELECT id FROM states WHERE deleted_at IS NULL ORDER BY id LIMIT 1").Scan(&toReview); err != nil {
			t.Fatal(err)
		}
		gone := e.Create("states", record.Input{"name": "Gone", "code": "gone"})
		if err := e.App.Records.Trash(ctx, e.Sys, e.App.Reg.MustType("states"), gone); err != nil {
			t.Fatal(err)
		}

		// Unset: the root, no state.
		if r := admin.Must(200, "GET", "/api/v1/settings/inventory", nil); r.JSON["default_organization_id"] != 0.0 || r.JSON["default_state_id"] != 0.0 {
			t.Fatalf("unset settings: %s", r.Body)
		}
		// A technician reads them, as they read every organisation's rules; a client's
		// administrator does not. Neither changes them.
		if r := tech.Do("GET", "/api/v1/settings/inventory", nil); r.Status != 200 {
			t.Errorf("read by a technician: %d", r.Status)
		}
		if r := clientAdmin.Do("GET", "/api/v1/settings/inventory", nil); r.Status != 403 {
			t.Errorf("read by a client's administrator: %d", r.Status)
		}
		for _, c := range []*apitest.Client{tech, clientAdmin} {
			if r := c.Do("PUT", "/api/v1/settings/inventory", map[string]any{"default_organization_id": client}); r.Status != 403 {
				t.Errorf("changed by a non-administrator: %d", r.Status)
			}
		}
		bad := []struct {
			body  any
			field string
		}{
			{map[string]any{"default_organisation_id": quarantine}, "default_organisation_id"},
			{map[string]any{"default_organization_id": "three"}, "default_organization_id"},
			{map[string]any{"default_organization_id": -1}, "default_organization_id"},
			{map[string]any{"default_organization_id": 999999}, "default_organization_id"},
			{map[string]any{"default_state_id": gone}, "default_state_id"},
			{map[string]any{"default_state_id": true}, "default_state_id"},
		}
		for _, b := range bad {
			if r := admin.Do("PUT", "/api/v1/settings/inventory", b.body); r.Status != 422 || r.FieldError(b.field) == "" {
				t.Errorf("%v: %d %s", b.body, r.Status, r.Body)
			}
		}
		if r := admin.Must(200, "GET", "/api/v1/settings/inventory", nil); r.JSON["default_organization_id"] != 0.0 {
			t.Fatalf("a refused change was written: %s", r.Body)
		}

		admin.Must(200, "PUT", "/api/v1/settings/inventory", map[string]any{"default_organization_id": quarantine, "default_state_id": toReview})
		r := admin.Must(200, "GET", "/api/v1/settings/inventory", nil)
		if r.JSON["default_organization_id"] != float64(quarantine) || r.JSON["default_state_id"] != float64(toReview) {
			t.Fatalf("settings read back: %s", r.Body)
		}
		var audited int
		e.App.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_events WHERE event = 'inventory_settings' AND user_id = ?", admin.UserID).Scan(&audited)
		if audited != 1 {
			t.Errorf("%d audit events for one change", audited)
		}

		// An unknown agent's machine goes to the quarantine, in that state.
		agents := httptest.NewServer(e.App.Agents(agentserver.Options{}).Handler())
		defer agents.Close()
		doc := inventorytest.Read(t, "fusioninventory-2.6-debian12-vm.xml")
		resp, err := http.Post(agents.URL+"/front/inventory.php", "application/xml", bytes.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("inventory: %d", resp.StatusCode)
		}
		list := admin.Must(200, "GET", "/api/v1/computers?filter=last_inventory_at:notempty:", nil).Data()
		if len(list) != 1 || list[0]["organization_id"] != float64(quarantine) || list[0]["state_id"] != float64(toReview) {
			t.Fatalf("new machine: %v", list)
		}
		// The state is given at creation only: a technician's change stays.
		id := int64(list[0]["id"].(float64))
		admin.Must(200, "PATCH", apitest.Path("/api/v1/computers/%d", id), map[string]any{"state_id": nil})
		resp, err = http.Post(agents.URL+"/front/inventory.php", "application/xml", bytes.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if r := admin.Must(200, "GET", apitest.Path("/api/v1/computers/%d", id), nil); r.JSON["state_id"] != nil {
			t.Errorf("a re-inventory set the state again: %v", r.JSON["state_id"])
		}

		// Back to the defaults with zeros (or nulls).
		admin.Must(200, "PUT", "/api/v1/settings/inventory", map[string]any{"default_organization_id": 0, "default_state_id": nil})
		if r := admin.Must(200, "GET", "/api/v1/settings/inventory", nil); !strings.Contains(string(r.Body), `"default_organization_id":0`) {
			t.Errorf("reset: %s", r.Body)
		}
	})
}
