package api_test

import (
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestPermissionMatrix checks each builtin profile, given on organisation A, against
// every action on computers of A, and that nothing of organisation B leaks.
func TestPermissionMatrix(t *testing.T) {
	type want struct {
		readOwn, readOther, create, update, trash, purge bool
	}
	matrix := map[string]want{
		"super-admin":  {true, true, true, true, true, true},
		"admin":        {true, true, true, true, true, true},
		"technician":   {true, true, true, true, true, false},
		"supervisor":   {true, true, false, true, false, false},
		"observer":     {true, true, false, false, false, false},
		"self-service": {true, false, false, false, false, false},
	}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		orgA := e.Org("Client A", e.Root)
		orgB := e.Org("Client B", e.Root)
		secretB := e.Create("computers", record.Input{"name": "B-SECRET-PC", "serial": "B-SERIAL", "organization_id": orgB})
		for profile, w := range matrix {
			t.Run(profile, func(t *testing.T) {
				c := e.User("u-"+profile, profile, orgA)
				mine := e.Create("computers", record.Input{"name": "A-" + profile + "-mine", "organization_id": orgA, "user_id": c.UserID})
				other := e.Create("computers", record.Input{"name": "A-" + profile + "-other", "organization_id": orgA})
				expect := func(allowed bool, r *apitest.Response, denied ...int) {
					t.Helper()
					ok := r.Status >= 200 && r.Status < 300
					if ok != allowed {
						t.Fatalf("%s: status %d, allowed=%v: %s", profile, r.Status, allowed, r.Body)
					}
					if !allowed && len(denied) > 0 && r.Status != denied[0] {
						t.Fatalf("%s: denied with %d, want %d", profile, r.Status, denied[0])
					}
				}
				expect(w.readOwn, c.Do("GET", apitest.Path("/api/v1/computers/%d", mine), nil))
				expect(w.readOther, c.Do("GET", apitest.Path("/api/v1/computers/%d", other), nil), 404)
				expect(w.create, c.Do("POST", "/api/v1/computers", map[string]any{"name": "new-" + profile, "organization_id": orgA}), 403)
				expect(w.update, c.Do("PATCH", apitest.Path("/api/v1/computers/%d", mine), map[string]any{"comment": "edited"}))
				expect(w.trash, c.Do("DELETE", apitest.Path("/api/v1/computers/%d", other), nil))
				if w.trash {
					expect(w.purge, c.Do("DELETE", apitest.Path("/api/v1/computers/%d?purge=1", other), nil), 403)
				}
				// Organisation B stays invisible whatever the profile: by id, list, search, export, history.
				for _, p := range []string{"/api/v1/computers/%d", "/api/v1/computers/%d/history"} {
					if r := c.Do("GET", apitest.Path(p, secretB), nil); r.Status != 404 {
						t.Fatalf("read of B by id: %d %s", r.Status, r.Body)
					}
				}
				if r := c.Do("PATCH", apitest.Path("/api/v1/computers/%d", secretB), map[string]any{"comment": "x"}); r.Status != 404 {
					t.Fatalf("update of B: %d", r.Status)
				}
				if r := c.Do("DELETE", apitest.Path("/api/v1/computers/%d", secretB), nil); r.Status != 404 {
					t.Fatalf("delete of B: %d", r.Status)
				}
				if r := c.Do("POST", "/api/v1/computers", map[string]any{"name": "into-B", "organization_id": orgB}); r.Status < 400 {
					t.Fatalf("create into B: %d", r.Status)
				}
				if w.readOwn {
					list := c.Must(200, "GET", "/api/v1/computers?count=1&limit=500", nil)
					for _, rec := range list.Data() {
						if rec["organization_id"] != float64(orgA) {
							t.Fatalf("list leaks %v", rec)
						}
						if !w.readOther && rec["user_id"] != float64(c.UserID) {
							t.Fatalf("self-service sees someone else's computer %v", rec["name"])
						}
					}
					if int(list.JSON["total"].(float64)) != len(list.Data()) {
						t.Fatalf("count %v does not match the visible rows %d", list.JSON["total"], len(list.Data()))
					}
					if r := c.Must(200, "GET", "/api/v1/computers?q=SECRET&count=1", nil); r.JSON["total"] != 0.0 {
						t.Fatalf("search leaks B: %s", r.Body)
					}
					csv := c.Must(200, "GET", "/api/v1/computers/export.csv", nil)
					if strings.Contains(string(csv.Body), "B-SECRET") || !strings.Contains(string(csv.Body), "A-"+profile+"-mine") {
						t.Fatalf("export: %s", csv.Body)
					}
				}
				// Referencing a record of B from A is refused like a missing record.
				if w.update {
					r := c.Do("PATCH", apitest.Path("/api/v1/computers/%d", mine), map[string]any{"location_id": e.Create("locations", record.Input{"name": "B room", "organization_id": orgB})})
					if r.Status != 422 || r.FieldError("location_id") == "" {
						t.Fatalf("reference into B: %d %s", r.Status, r.Body)
					}
				}
			})
		}
		var denied int
		e.App.DB.R.QueryRow("SELECT COUNT(*) FROM audit_events WHERE event = 'permission_denied'").Scan(&denied)
		if denied == 0 {
			t.Fatal("permission denials are not audited")
		}
	})
}

// TestOrganisationTreeAndGrants checks sub-tree scoping, moves, and that nobody can
// hand out rights they do not hold.
func TestOrganisationTreeAndGrants(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		esn := e.Org("ESN", e.Root)
		client := e.Org("Client", esn)
		sub := e.Org("Client subsidiary", client)
		other := e.Org("Other", e.Root)
		subPC := e.Create("computers", record.Input{"name": "SUB-PC", "organization_id": sub})
		admin := e.User("client-admin", "admin", client)
		// The sub-tree grant reaches the subsidiary.
		admin.Must(200, "GET", apitest.Path("/api/v1/computers/%d", subPC), nil)
		orgs := admin.Must(200, "GET", "/api/v1/organizations?count=1", nil)
		if orgs.JSON["total"] != 2.0 {
			t.Fatalf("client admin sees %v organisations: %s", orgs.JSON["total"], orgs.Body)
		}
		// It may create organisations under its own, not elsewhere.
		admin.Must(201, "POST", "/api/v1/organizations", map[string]any{"name": "Client site 2", "parent_id": client})
		if r := admin.Do("POST", "/api/v1/organizations", map[string]any{"name": "Rogue", "parent_id": other}); r.Status != 422 || r.FieldError("parent_id") == "" {
			t.Fatalf("create under other: %d %s", r.Status, r.Body)
		}
		// A move keeps the sub-tree's paths, and an org cannot go under its own child.
		root := e.User("root-admin", "super-admin", e.Root)
		root.Must(200, "PATCH", apitest.Path("/api/v1/organizations/%d", client), map[string]any{"parent_id": other})
		moved := root.Must(200, "GET", apitest.Path("/api/v1/organizations/%d", sub), nil)
		if !strings.HasPrefix(moved.JSON["path"].(string), apitest.Path("/%d/%d/%d/", e.Root, other, client)) {
			t.Fatalf("path after move: %v", moved.JSON["path"])
		}
		if r := root.Do("PATCH", apitest.Path("/api/v1/organizations/%d", client), map[string]any{"parent_id": sub}); r.Status != 422 || r.FieldError("parent_id") == "" {
			t.Fatalf("cycle: %d %s", r.Status, r.Body)
		}
		if r := root.Do("DELETE", apitest.Path("/api/v1/organizations/%d", sub), nil); r.Status != 409 {
			t.Fatalf("delete of a non-empty organisation: %d %s", r.Status, r.Body)
		}
		// An admin cannot make anyone super-admin (profiles are beyond its rights).
		u := admin.Must(201, "POST", "/api/v1/users", map[string]any{"login": "new.tech", "organization_id": client, "password": "long enough password"}).ID()
		var superID, techID float64
		for _, p := range root.Must(200, "GET", "/api/v1/profiles", nil).Data() {
			switch p["name"] {
			case "super-admin":
				superID = p["id"].(float64)
			case "technician":
				techID = p["id"].(float64)
			}
		}
		if r := admin.Do("POST", "/api/v1/authorizations", map[string]any{"user_id": u, "profile_id": superID, "organization_id": client}); r.Status != 422 || r.FieldError("profile_id") == "" {
			t.Fatalf("escalation: %d %s", r.Status, r.Body)
		}
		admin.Must(201, "POST", "/api/v1/authorizations", map[string]any{"user_id": u, "profile_id": techID, "organization_id": client})
		// The user listing never shows password hashes.
		if r := admin.Must(200, "GET", apitest.Path("/api/v1/users/%d", u), nil); strings.Contains(string(r.Body), "argon2") || strings.Contains(string(r.Body), "password") {
			t.Fatalf("user record leaks the password: %s", r.Body)
		}
	})
}

// TestNamingPlan checks generated names such as PC-PAR-0001.
func TestNamingPlan(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		admin := e.User("boss", "admin", e.Root)
		tech := e.User("tech", "technician", e.Root)
		if r := tech.Do("PUT", "/api/v1/computers/naming-plan", map[string]any{"template": "PC-{site}-{####}"}); r.Status != 403 {
			t.Fatalf("technician set the plan: %d", r.Status)
		}
		if r := admin.Do("PUT", "/api/v1/computers/naming-plan", map[string]any{"template": "PC-{city}"}); r.Status != 422 {
			t.Fatalf("bad plan accepted: %d", r.Status)
		}
		admin.Must(200, "PUT", "/api/v1/computers/naming-plan", map[string]any{"template": "PC-{site}-{####}"})
		site := e.Create("locations", record.Input{"name": "Paris", "kind": "site", "code": "PAR", "organization_id": e.Root})
		room := e.Create("locations", record.Input{"name": "Room 1", "kind": "room", "parent_id": site, "organization_id": e.Root})
		names := []string{}
		for i := 0; i < 2; i++ {
			names = append(names, tech.Must(201, "POST", "/api/v1/computers", map[string]any{"location_id": room}).JSON["name"].(string))
		}
		if names[0] != "PC-PAR-0001" || names[1] != "PC-PAR-0002" {
			t.Fatalf("names %v", names)
		}
		if r := tech.Do("POST", "/api/v1/computers", map[string]any{}); r.Status != 422 || r.FieldError("location_id") == "" {
			t.Fatalf("plan without a site: %d %s", r.Status, r.Body)
		}
		if got := tech.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "manual"}).JSON["name"]; got != "manual" {
			t.Fatalf("explicit name replaced: %v", got)
		}
	})
}
