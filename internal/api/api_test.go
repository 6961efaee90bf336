package api_test

import (
	"fmt"
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

func TestCRUDHistoryTrashAndConflicts(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		c := e.User("alice", "technician", e.Root)
		loc := e.Create("locations", record.Input{"name": "Room 12", "organization_id": e.Root})
		r := c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-001", "serial": "SN-1", "location_id": loc,
			"purchase_date": "2025-02-03", "purchase_price": 899.9, "inventory_number": "INV-0001"})
		id := r.ID()
		if r.JSON["version"] != 1.0 || r.JSON["organization_id"] != float64(e.Root) || r.Header.Get("Location") != fmt.Sprintf("/api/v1/computers/%d", id) {
			t.Fatalf("created: %s %v", r.Body, r.Header)
		}
		if d := r.JSON["display"].(map[string]any); d["location_id"] != "Room 12" {
			t.Fatalf("display labels: %v", d)
		}
		got := c.Must(200, "GET", apitest.Path("/api/v1/computers/%d", id), nil)
		if got.Header.Get("ETag") != `"1"` || got.JSON["purchase_date"] != "2025-02-03" || got.JSON["purchase_price"] != 899.9 {
			t.Fatalf("read: %s", got.Body)
		}
		// Change two fields; the history lists exactly those, with old and new values.
		c.Must(200, "PATCH", apitest.Path("/api/v1/computers/%d", id), map[string]any{"serial": "SN-2", "comment": "new disk", "name": "PC-001"}, "If-Match", `"1"`)
		// An edit based on version 1 is now refused, and changes nothing.
		stale := c.Must(409, "PATCH", apitest.Path("/api/v1/computers/%d", id), map[string]any{"serial": "SN-3", "version": 1})
		if stale.ErrorCode() != "conflict" || !strings.Contains(stale.JSON["error"].(map[string]any)["message"].(string), "version 2") {
			t.Fatalf("conflict: %s", stale.Body)
		}
		h := c.Must(200, "GET", apitest.Path("/api/v1/computers/%d/history", id), nil).Data()
		if len(h) != 3 {
			t.Fatalf("history has %d entries: %v", len(h), h)
		}
		changed := map[string][2]any{}
		for _, x := range h[:2] {
			changed[x["field"].(string)] = [2]any{x["old_value"], x["new_value"]}
			if x["origin"] != "api" || x["user_name"] != "alice" || x["action"] != "update" {
				t.Fatalf("entry %v", x)
			}
		}
		if changed["serial"] != [2]any{"SN-1", "SN-2"} || changed["comment"] != [2]any{nil, "new disk"} {
			t.Fatalf("history fields %v", changed)
		}
		if h[2]["action"] != "create" {
			t.Fatalf("oldest entry %v", h[2])
		}
		// Trash hides it from lists and refuses edits; restore brings it back.
		c.Must(204, "DELETE", apitest.Path("/api/v1/computers/%d", id), nil)
		if n := c.Must(200, "GET", "/api/v1/computers?count=1", nil).JSON["total"]; n != 0.0 {
			t.Fatalf("live count after trash %v", n)
		}
		if n := c.Must(200, "GET", "/api/v1/computers?trash=1&count=1", nil).JSON["total"]; n != 1.0 {
			t.Fatalf("trash count %v", n)
		}
		c.Must(409, "PATCH", apitest.Path("/api/v1/computers/%d", id), map[string]any{"serial": "X"})
		c.Must(200, "POST", apitest.Path("/api/v1/computers/%d/restore", id), nil)
		restored := c.Must(200, "GET", apitest.Path("/api/v1/computers/%d", id), nil)
		if restored.JSON["serial"] != "SN-2" || restored.JSON["deleted_at"] != nil {
			t.Fatalf("restored %s", restored.Body)
		}
		// A technician may not purge; an admin may, once the record is in the trash.
		c.Must(204, "DELETE", apitest.Path("/api/v1/computers/%d", id), nil)
		c.Must(403, "DELETE", apitest.Path("/api/v1/computers/%d?purge=1", id), nil)
		admin := e.User("root-admin", "admin", e.Root)
		admin.Must(204, "DELETE", apitest.Path("/api/v1/computers/%d?purge=1", id), nil)
		admin.Must(404, "GET", apitest.Path("/api/v1/computers/%d", id), nil)
	})
}

func TestBadInputIsRefusedClearlyAndWritesNothing(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		c := e.User("bob", "technician", e.Root)
		c.Lang = "fr"
		c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-A", "inventory_number": "INV-1"})
		cases := []struct {
			name  string
			body  any
			field string
			want  string
		}{
			{"empty name", map[string]any{"name": "  "}, "name", "Obligatoire"},
			{"oversized name", map[string]any{"name": strings.Repeat("x", 256)}, "name", "255 caractères"},
			{"wrong type", map[string]any{"name": "PC", "purchase_price": "cher"}, "purchase_price", "nombre"},
			{"text as number", map[string]any{"name": 12}, "name", "texte"},
			{"unknown field", map[string]any{"name": "PC", "colour": "red"}, "colour", "Champ inconnu"},
			{"invalid date", map[string]any{"name": "PC", "warranty_end": "2025-02-30"}, "warranty_end", "date"},
			{"negative price", map[string]any{"name": "PC", "purchase_price": -1}, "purchase_price", "au moins"},
			{"duplicate inventory number", map[string]any{"name": "PC", "inventory_number": "INV-1"}, "inventory_number", "déjà utilisée"},
			{"unknown reference", map[string]any{"name": "PC", "location_id": 999999}, "location_id", "inexistant"},
			{"oversized multibyte text", map[string]any{"name": "PC", "os_name": strings.Repeat("é", 300)}, "os_name", "255"},
		}
		for _, tc := range cases {
			r := c.Do("POST", "/api/v1/computers", tc.body)
			if r.Status != 422 || !strings.Contains(r.FieldError(tc.field), tc.want) {
				t.Errorf("%s: status %d, field %s = %q (body %s)", tc.name, r.Status, tc.field, r.FieldError(tc.field), r.Body)
			}
		}
		for name, body := range map[string]string{"malformed JSON": `{"name": "PC"`, "not an object": `["PC"]`, "trailing data": `{"name":"PC"} {}`, "empty": ``} {
			if r := c.Do("POST", "/api/v1/computers", body); r.Status != 422 || r.ErrorCode() != "invalid" {
				t.Errorf("%s: status %d %s", name, r.Status, r.Body)
			}
		}
		big := `{"name":"` + strings.Repeat("a", 2<<20) + `"}`
		if r := c.Do("POST", "/api/v1/computers", big); r.Status != 413 {
			t.Errorf("oversized body: status %d", r.Status)
		}
		if r := c.Do("GET", "/api/v1/computers?filter=nosuch:eq:1&sort=colour&limit=9999", nil); r.Status != 422 || r.FieldError("filter") == "" || r.FieldError("sort") == "" || r.FieldError("limit") == "" {
			t.Errorf("bad list parameters: %d %s", r.Status, r.Body)
		}
		if r := c.Do("GET", "/api/v1/computers?cursor=garbage", nil); r.Status != 422 {
			t.Errorf("bad cursor: %d %s", r.Status, r.Body)
		}
		if n := c.Must(200, "GET", "/api/v1/computers?count=1", nil).JSON["total"]; n != 1.0 {
			t.Fatalf("refused input wrote records: %v", n)
		}
		// A bulk update that fails on one record changes none.
		a := c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-B"}).ID()
		b := c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-C", "inventory_number": "INV-2"}).ID()
		r := c.Do("PATCH", "/api/v1/computers/bulk", map[string]any{"ids": []int64{a, b}, "values": map[string]any{"inventory_number": "INV-2"}})
		if r.Status != 422 {
			t.Fatalf("bulk with duplicate: %d %s", r.Status, r.Body)
		}
		if got := c.Must(200, "GET", apitest.Path("/api/v1/computers/%d", a), nil).JSON["inventory_number"]; got != nil {
			t.Fatalf("half-written bulk: %v", got)
		}
		c.Must(200, "PATCH", "/api/v1/computers/bulk", map[string]any{"ids": []int64{a, b}, "values": map[string]any{"comment": "batch"}})
		if got := c.Must(200, "GET", "/api/v1/computers?filter=comment:eq:batch&count=1", nil).JSON["total"]; got != 2.0 {
			t.Fatalf("bulk updated %v", got)
		}
	})
}

func TestTokensAndAuthentication(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		c := e.User("carol", "observer", e.Root)
		anon := &apitest.Client{T: t, Base: c.Base, Lang: "en"}
		if r := anon.Do("GET", "/api/v1/computers", nil); r.Status != 401 || r.ErrorCode() != "unauthorized" {
			t.Fatalf("anonymous: %d %s", r.Status, r.Body)
		}
		bad := &apitest.Client{T: t, Base: c.Base, Token: "parc_forged", Lang: "en"}
		if r := bad.Do("GET", "/api/v1/computers", nil); r.Status != 401 {
			t.Fatalf("forged token: %d", r.Status)
		}
		me := c.Must(200, "GET", "/api/v1/me", nil)
		if me.JSON["login"] != "carol" {
			t.Fatalf("me: %s", me.Body)
		}
		nt := c.Must(201, "POST", "/api/v1/tokens", map[string]any{"name": "script"})
		second := &apitest.Client{T: t, Base: c.Base, Token: nt.JSON["token"].(string), Lang: "en"}
		second.Must(200, "GET", "/api/v1/computers", nil)
		list := c.Must(200, "GET", "/api/v1/tokens", nil)
		if len(list.Data()) != 2 || strings.Contains(string(list.Body), nt.JSON["token"].(string)) {
			t.Fatalf("token list shows %d tokens or leaks a secret: %s", len(list.Data()), list.Body)
		}
		c.Must(204, "DELETE", apitest.Path("/api/v1/tokens/%d", nt.ID()), nil)
		if r := second.Do("GET", "/api/v1/computers", nil); r.Status != 401 {
			t.Fatalf("revoked token still works: %d", r.Status)
		}
		// Someone else's token cannot be revoked by id.
		d := e.User("dave", "observer", e.Root)
		d.Must(404, "DELETE", apitest.Path("/api/v1/tokens/%d", 1), nil)
		c.Must(200, "GET", "/api/v1/computers", nil)
	})
}

func TestOpenAPIDocumentCoversEveryType(t *testing.T) {
	e := apitest.New(t, "sqlite")
	anon := &apitest.Client{T: t, Base: e.Srv.URL}
	doc := anon.Must(200, "GET", "/api/v1/openapi.json", nil).JSON
	if doc["openapi"] != "3.0.3" {
		t.Fatalf("openapi %v", doc["openapi"])
	}
	paths := doc["paths"].(map[string]any)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, ty := range e.App.Reg.Types() {
		for _, p := range []string{"/api/v1/" + ty.Name, "/api/v1/" + ty.Name + "/{id}", "/api/v1/" + ty.Name + "/{id}/history"} {
			if paths[p] == nil {
				t.Errorf("no path %s", p)
			}
		}
	}
	comp := schemas["Computer"].(map[string]any)["properties"].(map[string]any)
	if comp["purchase_date"].(map[string]any)["format"] != "date" || comp["location_id"].(map[string]any)["type"] != "integer" {
		t.Fatalf("computer schema %v", comp)
	}
}

// TestConcurrentEditsLoseNothing: two technicians save the same version at once; one
// wins, the other gets a conflict, and the history shows exactly one change.
func TestConcurrentEditsLoseNothing(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		a := e.User("tech-a", "technician", e.Root)
		b := e.User("tech-b", "technician", e.Root)
		id := a.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "shared"}).ID()
		for round := 0; round < 5; round++ {
			v := a.Must(200, "GET", apitest.Path("/api/v1/computers/%d", id), nil).JSON["version"]
			codes := make(chan int, 2)
			for i, c := range []*apitest.Client{a, b} {
				go func(i int, c *apitest.Client) {
					codes <- c.Do("PATCH", apitest.Path("/api/v1/computers/%d", id), map[string]any{"comment": fmt.Sprintf("r%d-%d", round, i), "version": v}).Status
				}(i, c)
			}
			got := []int{<-codes, <-codes}
			if !(got[0] == 200 && got[1] == 409 || got[0] == 409 && got[1] == 200) {
				t.Fatalf("round %d: statuses %v", round, got)
			}
		}
		h := a.Must(200, "GET", apitest.Path("/api/v1/computers/%d/history", id), nil).Data()
		if len(h) != 6 {
			t.Fatalf("history has %d entries, want 5 updates and the creation", len(h))
		}
	})
}
