package api_test

import (
	"context"
	"fmt"
	"testing"

	"parc/internal/apitest"
	"parc/internal/storetest"
)

// TestSettingsPerOrganisation: an organisation's administrator sets the naming plan
// and the priority matrix of their organisation, which its sub-organisations
// inherit, and cannot touch another client's nor the instance-wide ones; removing
// an organisation's own value makes it inherit again; each change is audited.
// Before, a client's administrator changed the instance-wide values for everyone.
func TestSettingsPerOrganisation(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		clientA := e.Org("Client A", e.Root)
		subA := e.Org("Filiale A", clientA)
		clientB := e.Org("Client B", e.Root)
		adminA := e.User("admin-a", "admin", clientA)
		techA := e.User("tech-a", "technician", clientA)
		esn := e.User("admin-esn", "admin", e.Root)
		super := e.User("super", "super-admin", e.Root)
		// An administrator of Client A alone (not of its subsidiary).
		onlyA := e.User("admin-a-only", "observer", clientA)
		adminID := super.Must(200, "GET", "/api/v1/profiles?name=admin", nil).Data()[0]["id"]
		super.Must(201, "POST", "/api/v1/authorizations", map[string]any{"user_id": onlyA.UserID, "profile_id": adminID, "organization_id": clientA, "recursive": false})

		plan := func(c *apitest.Client, org int64) map[string]any {
			return c.Must(200, "GET", apitest.Path("/api/v1/computers/naming-plan?organization_id=%d", org), nil).JSON
		}
		esn.Must(200, "PUT", "/api/v1/computers/naming-plan", map[string]any{"template": "PC-{####}"})
		adminA.Must(200, "PUT", apitest.Path("/api/v1/computers/naming-plan?organization_id=%d", clientA), map[string]any{"template": "A-{###}"})
		for _, c := range []struct {
			who    *apitest.Client
			method string
			path   string
		}{
			{adminA, "PUT", "/api/v1/computers/naming-plan"},
			{adminA, "PUT", apitest.Path("/api/v1/computers/naming-plan?organization_id=%d", e.Root)},
			{adminA, "PUT", apitest.Path("/api/v1/computers/naming-plan?organization_id=%d", clientB)},
			{adminA, "DELETE", apitest.Path("/api/v1/computers/naming-plan?organization_id=%d", clientB)},
			{techA, "PUT", apitest.Path("/api/v1/computers/naming-plan?organization_id=%d", clientA)},
			{onlyA, "PUT", apitest.Path("/api/v1/computers/naming-plan?organization_id=%d", clientA)},
			{adminA, "PUT", apitest.Path("/api/v1/tickets/priority-matrix?organization_id=%d", clientB)},
			{adminA, "PUT", "/api/v1/tickets/priority-matrix"},
			{onlyA, "PUT", apitest.Path("/api/v1/tickets/priority-matrix?organization_id=%d", clientA)},
			{onlyA, "PUT", apitest.Path("/api/v1/computers/naming-plan?organization_id=%d", subA)},
		} {
			body := map[string]any{"template": "X-{####}", "matrix": [][]int{{1, 1, 1, 1, 2}, {1, 1, 2, 2, 3}, {1, 2, 3, 3, 4}, {2, 2, 3, 4, 5}, {2, 3, 4, 5, 6}}}
			if r := c.who.Do(c.method, c.path, body); r.Status != 403 {
				t.Errorf("%s %s: %d %s, want 403", c.method, c.path, r.Status, r.Body)
			}
		}
		adminA.Must(200, "PUT", apitest.Path("/api/v1/computers/naming-plan?organization_id=%d", subA), map[string]any{"template": "SUB-{###}"})
		adminA.Must(200, "DELETE", apitest.Path("/api/v1/computers/naming-plan?organization_id=%d", subA), nil)
		techA.Must(404, "GET", "/api/v1/computers/naming-plan?organization_id=999999", nil)

		// Where each plan comes from, and what it names.
		if p := plan(techA, subA); p["template"] != "A-{###}" || p["own"] != false || fmt.Sprint(p["inherited_from"]) != fmt.Sprintf("map[id:%d name:Client A]", clientA) {
			t.Errorf("sub-organisation's plan: %v", p)
		}
		if p := plan(adminA, clientA); p["template"] != "A-{###}" || p["own"] != true {
			t.Errorf("client's own plan: %v", p)
		}
		if p := plan(esn, clientB); p["template"] != "PC-{####}" || p["own"] != false {
			t.Errorf("other client's plan: %v", p)
		}
		name := func(org int64) any {
			return esn.Must(201, "POST", "/api/v1/computers", map[string]any{"organization_id": org}).JSON["name"]
		}
		if n := name(subA); n != "A-001" {
			t.Errorf("computer of the subsidiary named %v, want A-001", n)
		}
		if n := name(clientB); n != "PC-0001" {
			t.Errorf("computer of the other client named %v, want PC-0001", n)
		}
		adminA.Must(200, "DELETE", apitest.Path("/api/v1/computers/naming-plan?organization_id=%d", clientA), nil)
		if p := plan(techA, subA); p["template"] != "PC-{####}" || fmt.Sprint(p["inherited_from"]) != fmt.Sprintf("map[id:%d name:%s]", e.Root, e.Sys.Tree.Get(e.Root).Name) {
			t.Errorf("after removing the client's plan: %v", p)
		}
		if n := name(subA); n != "PC-0002" {
			t.Errorf("computer of the subsidiary named %v after removing the client's plan, want PC-0002", n)
		}

		// The priority matrix: Client A's raises impact 5 urgency 5 to 6.
		custom := [][]int{{1, 1, 1, 1, 2}, {1, 1, 2, 2, 3}, {1, 2, 3, 3, 4}, {2, 2, 3, 4, 5}, {2, 3, 4, 5, 6}}
		adminA.Must(200, "PUT", apitest.Path("/api/v1/tickets/priority-matrix?organization_id=%d", clientA), map[string]any{"matrix": custom})
		prio := func(org int64) any {
			return esn.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "p", "impact": 5, "urgency": 5, "organization_id": org}).JSON["priority"]
		}
		if p := prio(subA); p != float64(6) {
			t.Errorf("subsidiary's ticket priority %v, want 6 from Client A's matrix", p)
		}
		if p := prio(clientB); p != float64(5) {
			t.Errorf("other client's ticket priority %v, want 5 from the default matrix", p)
		}
		m := techA.Must(200, "GET", apitest.Path("/api/v1/tickets/priority-matrix?organization_id=%d", subA), nil).JSON
		if fmt.Sprint(m["matrix"].([]any)[4]) != "[2 3 4 5 6]" || m["inherited_from"] == nil {
			t.Errorf("subsidiary's matrix: %v", m)
		}
		if m := esn.Must(200, "GET", "/api/v1/tickets/priority-matrix", nil).JSON; m["default"] != true {
			t.Errorf("instance-wide matrix: %v", m)
		}
		adminA.Must(200, "DELETE", apitest.Path("/api/v1/tickets/priority-matrix?organization_id=%d", clientA), nil)
		if p := prio(subA); p != float64(5) {
			t.Errorf("subsidiary's ticket priority %v after removing Client A's matrix, want 5", p)
		}

		// Every change is in the audit log, with who and which organisation.
		rows, err := e.App.DB.QueryContext(context.Background(), "SELECT event, login, detail FROM audit_events WHERE event LIKE 'naming_plan%' OR event LIKE 'priority_matrix%' ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var ev, login, detail string
			rows.Scan(&ev, &login, &detail)
			got = append(got, ev+" "+login+" "+detail)
		}
		want := []string{
			fmt.Sprintf(`naming_plan admin-esn organization_id=%d type=computers template="PC-{####}"`, e.Root),
			fmt.Sprintf(`naming_plan admin-a organization_id=%d type=computers template="A-{###}"`, clientA),
			fmt.Sprintf(`naming_plan admin-a organization_id=%d type=computers template="SUB-{###}"`, subA),
			fmt.Sprintf(`naming_plan_removed admin-a organization_id=%d type=computers`, subA),
			fmt.Sprintf(`naming_plan_removed admin-a organization_id=%d type=computers`, clientA),
			fmt.Sprintf(`priority_matrix admin-a organization_id=%d matrix=`, clientA),
			fmt.Sprintf(`priority_matrix_removed admin-a organization_id=%d `, clientA),
		}
		if len(got) != len(want) {
			t.Fatalf("audit:\n%q\nwant\n%q", got, want)
		}
		for i := range want {
			if len(got[i]) < len(want[i]) || got[i][:len(want[i])] != want[i] {
				t.Errorf("audit %d: %q, want %q", i, got[i], want[i])
			}
		}
	})
}
