package api_test

import (
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestSharedDataNeedsEveryOrganisation: records every organisation shares (the
// software catalogue and its dictionary, states, manufacturers, models, asset types,
// suppliers, profiles) and the settings that apply to every organisation (naming
// plans, the priority matrix) are read by a client's administrator but written only
// by those holding the right over every organisation. A client's administrator once
// hid openssl from another client's inventories with a dictionary rule, and purged a
// software entry installed on another client's computer.
func TestSharedDataNeedsEveryOrganisation(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		clientA := e.Org("Client A", e.Root)
		e.Org("Client B", e.Root)
		clientAdmin := e.User("admin-a", "admin", clientA)
		esnAdmin := e.User("admin-esn", "admin", e.Root)
		superAdmin := e.User("super-esn", "super-admin", e.Root)

		shared := map[string]record.Input{
			"states":         {"name": "Prêté"},
			"manufacturers":  {"name": "Lenovo"},
			"models":         {"name": "ThinkPad T14", "category": "computer"},
			"asset-types":    {"name": "Tablette", "category": "computer"},
			"suppliers":      {"name": "Bureau Vallée"},
			"software":       {"name": "openssl", "publisher": "OpenSSL"},
			"software-rules": {"name": "Cacher openssl", "match_name": "openssl", "action": "ignore"},
			"profiles":       {"name": "Technicien N2", "rights": `{"computers":["read"]}`},
		}
		renamed := func(in record.Input, prefix string) map[string]any {
			out := map[string]any{}
			for k, v := range in {
				out[k] = v
			}
			out["name"] = prefix + in["name"].(string)
			return out
		}
		for typ, in := range shared {
			id := e.Create(typ, in)
			// Reading shared data stays open to the client's administrator.
			clientAdmin.Must(200, "GET", apitest.Path("/api/v1/%s/%d", typ, id), nil)
			if r := clientAdmin.Do("POST", "/api/v1/"+typ, renamed(in, "A-")); r.Status != 403 {
				t.Errorf("%s: a client's administrator created a shared record: %d %s", typ, r.Status, r.Body)
			}
			if r := clientAdmin.Do("PATCH", apitest.Path("/api/v1/%s/%d", typ, id), map[string]any{"name": "A"}); r.Status != 404 && r.Status != 403 {
				t.Errorf("%s: a client's administrator changed a shared record: %d %s", typ, r.Status, r.Body)
			}
			for _, path := range []string{"/api/v1/%s/%d", "/api/v1/%s/%d?purge=1"} {
				if r := clientAdmin.Do("DELETE", apitest.Path(path, typ, id), nil); r.Status != 404 && r.Status != 403 {
					t.Errorf("%s: a client's administrator deleted a shared record (%s): %d %s", typ, path, r.Status, r.Body)
				}
			}
			// The administrator of every organisation keeps managing them (profiles:
			// the super-administrator, as before).
			esnAdmin := esnAdmin
			if typ == "profiles" {
				esnAdmin = superAdmin
			}
			esnAdmin.Must(200, "PATCH", apitest.Path("/api/v1/%s/%d", typ, id), map[string]any{"name": "ESN " + in["name"].(string)})
			esnAdmin.Must(201, "POST", "/api/v1/"+typ, renamed(in, "ESN-"))
			esnAdmin.Must(204, "DELETE", apitest.Path("/api/v1/%s/%d", typ, id), nil)
		}

		// Settings that apply to every organisation.
		clientAdmin.Must(200, "GET", "/api/v1/computers/naming-plan", nil)
		if r := clientAdmin.Do("PUT", "/api/v1/computers/naming-plan", map[string]any{"template": "A-{####}"}); r.Status != 403 {
			t.Errorf("a client's administrator changed the naming plan: %d %s", r.Status, r.Body)
		}
		esnAdmin.Must(200, "PUT", "/api/v1/computers/naming-plan", map[string]any{"template": "PC-{####}"})
		matrix := map[string]any{"matrix": [][]int{{1, 1, 2, 2, 3}, {1, 2, 2, 3, 3}, {2, 2, 3, 3, 4}, {2, 3, 3, 4, 5}, {3, 3, 4, 5, 5}}}
		clientAdmin.Must(200, "GET", "/api/v1/tickets/priority-matrix", nil)
		if r := clientAdmin.Do("PUT", "/api/v1/tickets/priority-matrix", matrix); r.Status != 403 {
			t.Errorf("a client's administrator changed the priority matrix: %d %s", r.Status, r.Body)
		}
		esnAdmin.Must(200, "PUT", "/api/v1/tickets/priority-matrix", matrix)
	})
}
