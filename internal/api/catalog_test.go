package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"parc/internal/agentserver"
	"parc/internal/apitest"
	"parc/internal/inventory/inventorytest"
	"parc/internal/storetest"
)

// ids lists the ids of a list answer.
func ids(r *apitest.Response) map[int64]bool {
	out := map[int64]bool{}
	for _, x := range r.Data() {
		out[int64(x["id"].(float64))] = true
	}
	return out
}

// TestCatalogueRecordsOfAnOrganisation: a client's administrator keeps states,
// suppliers, asset types and dictionary rules of their own (visible in their
// sub-organisations when they say so), which other clients neither read nor use;
// names are unique per owner; shared records stay shared.
func TestCatalogueRecordsOfAnOrganisation(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		clientA := e.Org("Client A", e.Root)
		siteA := e.Org("Client A Lyon", clientA)
		clientB := e.Org("Client B", e.Root)
		adminA := e.User("admin-a", "admin", clientA)
		adminB := e.User("admin-b", "admin", clientB)
		techSite := e.User("tech-lyon", "technician", siteA)
		esn := e.User("admin-esn", "admin", e.Root)
		// An administrator of client A alone, without its sites.
		adminAOnly := e.User("admin-a-only", "admin", clientA)
		if _, err := e.App.DB.Exec(t.Context(), "UPDATE authorizations SET recursive = ? WHERE user_id = ?", false, adminAOnly.UserID); err != nil {
			t.Fatal(err)
		}

		shared := esn.Must(201, "POST", "/api/v1/states", map[string]any{"name": "En prêt"})
		if shared.JSON["organization_id"] != nil {
			t.Errorf("a state made without organisation is not shared: %s", shared.Body)
		}
		sharedID := int64(shared.JSON["id"].(float64))

		// Each client its own "En prêt": names are unique per owner.
		stA := adminA.Must(201, "POST", "/api/v1/states", map[string]any{"name": "En prêt", "organization_id": clientA, "recursive": true})
		stAID := int64(stA.JSON["id"].(float64))
		stB := adminB.Must(201, "POST", "/api/v1/states", map[string]any{"name": "En prêt", "organization_id": clientB})
		stBID := int64(stB.JSON["id"].(float64))
		if r := adminA.Do("POST", "/api/v1/states", map[string]any{"name": "En prêt", "organization_id": clientA}); r.Status != 422 || r.FieldError("name") == "" {
			t.Errorf("a second state of the same name for one client: %d %s", r.Status, r.Body)
		}
		stANotBelow := adminA.Must(201, "POST", "/api/v1/states", map[string]any{"name": "Au siège", "organization_id": clientA})
		stANotBelowID := int64(stANotBelow.JSON["id"].(float64))

		// A client's administrator cannot file records for another client, nor as shared.
		if r := adminA.Do("POST", "/api/v1/suppliers", map[string]any{"name": "X", "organization_id": clientB}); r.Status != 422 || r.FieldError("organization_id") == "" {
			t.Errorf("client A's administrator made a supplier of client B: %d %s", r.Status, r.Body)
		}
		if r := adminA.Do("POST", "/api/v1/suppliers", map[string]any{"name": "X"}); r.Status != 403 {
			t.Errorf("client A's administrator made a shared supplier: %d %s", r.Status, r.Body)
		}
		// Visible in the sub-organisations needs the right in all of them.
		if r := adminAOnly.Do("POST", "/api/v1/asset-types", map[string]any{"name": "Caisse", "category": "computer", "organization_id": clientA, "recursive": true}); r.Status != 422 {
			t.Errorf("an administrator of client A alone made a type visible in its sites: %d %s", r.Status, r.Body)
		}
		adminAOnly.Must(201, "POST", "/api/v1/asset-types", map[string]any{"name": "Caisse", "category": "computer", "organization_id": clientA})
		if r := adminAOnly.Do("PATCH", apitest.Path("/api/v1/states/%d", stAID), map[string]any{"name": "Prêté"}); r.Status != 403 {
			t.Errorf("an administrator of client A alone changed a state its sites see: %d %s", r.Status, r.Body)
		}

		// Reads: each sees the shared ones and their own; a site sees its client's
		// recursive records only.
		seen := ids(adminA.Must(200, "GET", "/api/v1/states?limit=500", nil))
		if !seen[sharedID] || !seen[stAID] || !seen[stANotBelowID] || seen[stBID] {
			t.Errorf("client A's administrator lists %v", seen)
		}
		seen = ids(techSite.Must(200, "GET", "/api/v1/states?limit=500", nil))
		if !seen[sharedID] || !seen[stAID] || seen[stANotBelowID] || seen[stBID] {
			t.Errorf("client A's site lists %v", seen)
		}
		adminA.Must(404, "GET", apitest.Path("/api/v1/states/%d", stBID), nil)
		for _, path := range []string{"/api/v1/states/%d", "/api/v1/states/%d?purge=1"} {
			if r := adminA.Do("DELETE", apitest.Path(path, stBID), nil); r.Status != 404 {
				t.Errorf("client A's administrator deleted client B's state: %d", r.Status)
			}
		}
		// Moving one's record to another client is refused.
		if r := adminA.Do("PATCH", apitest.Path("/api/v1/states/%d", stAID), map[string]any{"organization_id": clientB}); r.Status != 422 {
			t.Errorf("client A's state moved to client B: %d %s", r.Status, r.Body)
		}
		adminA.Must(200, "PATCH", apitest.Path("/api/v1/states/%d", stAID), map[string]any{"code": "pret-a"})

		// References: a record may use only what its organisation sees.
		computer := func(org, state int64) *apitest.Response {
			return esn.Do("POST", "/api/v1/computers", map[string]any{"name": fmt.Sprintf("pc-%d-%d", org, state), "organization_id": org, "state_id": state})
		}
		for _, c := range []struct {
			org, state int64
			ok         bool
		}{
			{clientA, stAID, true}, {siteA, stAID, true}, {clientA, stANotBelowID, true}, {clientB, sharedID, true},
			{clientB, stAID, false}, {siteA, stANotBelowID, false}, {clientA, stBID, false}, {e.Root, stAID, false},
		} {
			r := computer(c.org, c.state)
			if c.ok && r.Status != 201 || !c.ok && (r.Status != 422 || r.FieldError("state_id") == "") {
				t.Errorf("computer of organisation %d with state %d: %d %s", c.org, c.state, r.Status, r.Body)
			}
		}

		// A computer moved to another client cannot keep a state that client does not see.
		moved := esn.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "pc-moved", "organization_id": clientA, "state_id": stAID}).ID()
		if r := esn.Do("PATCH", apitest.Path("/api/v1/computers/%d", moved), map[string]any{"organization_id": clientB}); r.Status != 422 || r.FieldError("state_id") == "" {
			t.Errorf("a computer moved to client B kept client A's state: %d %s", r.Status, r.Body)
		}
		esn.Must(200, "PATCH", apitest.Path("/api/v1/computers/%d", moved), map[string]any{"organization_id": clientB, "state_id": sharedID})

		// The manager of every organisation keeps every record in hand.
		esn.Must(200, "PATCH", apitest.Path("/api/v1/states/%d", stBID), map[string]any{"code": "b"})
		esn.Must(204, "DELETE", apitest.Path("/api/v1/states/%d", stBID), nil)
		adminB.Must(200, "POST", apitest.Path("/api/v1/states/%d/restore", stBID), nil)
	})
}

var macAddr = regexp.MustCompile(`<MACADDR>([0-9a-f:]{17})</MACADDR>`)

// machine makes machine n of the recorded Debian VM, tagged for an assignment rule.
func machine(t *testing.T, n int, tag string) []byte {
	base := inventorytest.Read(t, "fusioninventory-2.6-debian12.xml")
	name := fmt.Sprintf("host-%03d", n)
	doc := bytes.Replace(base, []byte("<DEVICEID>vm-2026-11-23-23-22-30</DEVICEID>"), []byte("<DEVICEID>"+name+"-2026-11-23-23-22-30</DEVICEID>"), 1)
	doc = bytes.Replace(doc, []byte("<NAME>vm</NAME>"), []byte("<NAME>"+name+"</NAME>"), 1)
	doc = bytes.Replace(doc, []byte("<SSN></SSN>"), []byte(fmt.Sprintf("<SSN>SN-%06d</SSN>", n)), 1)
	doc = bytes.Replace(doc, []byte("<HARDWARE>"), []byte(fmt.Sprintf("<HARDWARE>\n      <UUID>5c1a0000-0000-4000-8000-%012d</UUID>", n)), 1)
	doc = bytes.Replace(doc, []byte("<CONTENT>"), []byte("<CONTENT>\n    <ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>"+tag+"</KEYVALUE></ACCOUNTINFO>"), 1)
	return macAddr.ReplaceAllFunc(doc, func(m []byte) []byte {
		mac := string(macAddr.FindSubmatch(m)[1])
		if mac == "00:00:00:00:00:00" {
			return m
		}
		return []byte(fmt.Sprintf("<MACADDR>%s:%02x:%02x</MACADDR>", mac[:11], n/256, n%256))
	})
}

// TestDictionaryRulesPerOrganisation: a computer is filed with the shared rules and
// those of its organisation and of its ancestors made visible below them; a client's
// rule never changes another client's inventory (one hid openssl from every client).
func TestDictionaryRulesPerOrganisation(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		clientA := e.Org("Client A", e.Root)
		siteA := e.Org("Client A Lyon", clientA)
		clientB := e.Org("Client B", e.Root)
		adminA := e.User("admin-a", "admin", clientA)
		esn := e.User("admin-esn", "admin", e.Root)
		for tag, org := range map[string]int64{"a": clientA, "lyon": siteA, "b": clientB} {
			esn.Must(201, "POST", "/api/v1/inventory-rules", map[string]any{"name": "assign " + tag, "kind": "assign", "tag": tag, "organization_id": org, "position": 1})
		}
		// Client A hides openssl on its own machines, and its sites'; renames curl on
		// its head office's only. The shared dictionary renames bash for everyone.
		adminA.Must(201, "POST", "/api/v1/software-rules", map[string]any{"name": "Cacher openssl", "match_name": "^openssl$", "action": "ignore", "organization_id": clientA, "recursive": true})
		adminA.Must(201, "POST", "/api/v1/software-rules", map[string]any{"name": "curl siège", "match_name": "^curl$", "action": "rename", "new_name": "cURL (siège A)", "organization_id": clientA})
		esn.Must(201, "POST", "/api/v1/software-rules", map[string]any{"name": "Bash", "match_name": "^bash$", "action": "rename", "new_name": "GNU Bash"})

		agents := httptest.NewServer(e.App.Agents(agentserver.Options{}).Handler())
		defer agents.Close()
		machines := map[string]int64{}
		for n, tag := range []string{"a", "lyon", "b"} {
			resp, err := http.Post(agents.URL+"/front/inventory.php", "application/xml", bytes.NewReader(machine(t, n+1, tag)))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("inventory %s: %d", tag, resp.StatusCode)
			}
			list := esn.Must(200, "GET", apitest.Path("/api/v1/computers?filter=name:eq:host-%03d", n+1), nil).Data()
			if len(list) != 1 {
				t.Fatalf("machine %s: %v", tag, list)
			}
			machines[tag] = int64(list[0]["id"].(float64))
		}
		if got := esn.Must(200, "GET", apitest.Path("/api/v1/computers/%d", machines["b"]), nil).JSON["organization_id"]; got != float64(clientB) {
			t.Fatalf("client B's machine filed in %v", got)
		}
		has := func(tag, software string) bool {
			r := esn.Must(200, "GET", fmt.Sprintf("/api/v1/computers?filter=id:eq:%d&filter=%s", machines[tag], url.QueryEscape("software:eq:"+software)), nil)
			return len(r.Data()) == 1
		}
		for _, c := range []struct {
			tag, software string
			want          bool
		}{
			{"a", "openssl", false}, {"lyon", "openssl", false}, {"b", "openssl", true},
			{"a", "cURL (siège A)", true}, {"lyon", "curl", true}, {"lyon", "cURL (siège A)", false}, {"b", "curl", true},
			{"a", "GNU Bash", true}, {"b", "GNU Bash", true}, {"b", "bash", false},
		} {
			if got := has(c.tag, c.software); got != c.want {
				t.Errorf("machine of %s has %q: %v, want %v", c.tag, c.software, got, c.want)
			}
		}
	})
}

// TestParentAdministratorRestoresTrashedOrganisation: a trashed organisation left
// the tree rights are computed on, so the administrator of its parent, who trashed
// it, could neither restore nor purge it (404); nor may an administrator elsewhere.
func TestParentAdministratorRestoresTrashedOrganisation(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		clientA := e.Org("Client A", e.Root)
		clientB := e.Org("Client B", e.Root)
		adminA := e.User("admin-a", "admin", clientA)
		adminB := e.User("admin-b", "admin", clientB)
		for _, purge := range []bool{false, true} {
			site := adminA.Must(201, "POST", "/api/v1/organizations", map[string]any{"name": fmt.Sprintf("Site %v", purge), "parent_id": clientA}).ID()
			path := apitest.Path("/api/v1/organizations/%d", site)
			adminA.Must(204, "DELETE", path, nil)
			adminB.Must(404, "GET", path, nil)
			adminB.Must(404, "POST", path+"/restore", nil)
			adminB.Must(404, "DELETE", path+"?purge=1", nil)
			if r := adminA.Do("GET", "/api/v1/organizations?trash=1", nil); !ids(r)[site] {
				t.Errorf("client A's trash lacks its site: %s", r.Body)
			}
			if purge {
				adminA.Must(204, "DELETE", path+"?purge=1", nil)
				adminA.Must(404, "GET", path, nil)
			} else {
				adminA.Must(200, "POST", path+"/restore", nil)
				adminA.Must(200, "GET", path, nil)
			}
		}
	})
}
