package agentserver

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"parc/internal/inventory/inventorytest"
	"parc/internal/inventory/wire"
	"parc/internal/storetest"
)

const testAgentID = "3a609a2e-947f-4e6a-9af9-32c024ac3944"

// TestPrologAsGLPI10: a PROLOG is answered in JSON when the request carries GLPI
// Agent's GLPI-Agent-ID header (which moves the agent to its JSON protocol), in XML
// otherwise, on GLPI's URLs and at the root URL alike, in the request's compression.
func TestPrologAsGLPI10(t *testing.T) {
	f, e := newFake(t, Options{Freq: 12})
	prolog := inventorytest.Read(t, "wire/fusioninventory-2.6-prolog.xml")
	for _, path := range []string{PathRoot, PathGLPI, PathGLPIPlugin} {
		r := e.fusion(path, prolog, "GLPI-Agent-ID", strings.ToUpper(testAgentID))
		if r.Status != 200 || r.Body != `{"status":"ok","expiration":12}` || r.Comp != wire.Zlib {
			t.Errorf("%s, PROLOG from GLPI Agent: %d %s %q", path, r.Status, r.Comp, r.Body)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-compress-zlib" {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		r = e.fusion(path, prolog)
		if r.Status != 200 || r.Body != "<REPLY><RESPONSE>SEND</RESPONSE><PROLOG_FREQ>12</PROLOG_FREQ></REPLY>" {
			t.Errorf("%s, PROLOG from FusionInventory: %d %q", path, r.Status, r.Body)
		}
		// A header that is no UUID is no agent id: XML, as for older agents.
		if r := e.fusion(path, prolog, "GLPI-Agent-ID", "not-a-uuid"); !strings.HasPrefix(r.Body, "<REPLY>") {
			t.Errorf("%s, PROLOG with a malformed agent id: %q", path, r.Body)
		}
	}
	// The JSON contact and inventory at the root URL.
	contact := `{"action":"contact","deviceid":"pc-2024-01-01-00-00-00","name":"GLPI-Agent","version":"1.12","installed-tasks":["inventory","collect"],"enabled-tasks":["inventory"]}`
	r := e.post(PathRoot, zlibBytes(t, []byte(contact)), "Content-Type", ctFusion, "GLPI-Agent-ID", testAgentID)
	if r.Status != 200 || r.Body != `{"status":"ok","expiration":12,"tasks":{"inventory":{"server":"glpi","version":"10.0"}},"disabled":["collect"]}` {
		t.Errorf("contact at the root URL: %d %q", r.Status, r.Body)
	}
	doc := inventorytest.Read(t, "glpi-inventory-format/computer_1.json")
	r = e.post(PathRoot, zlibBytes(t, doc), "Content-Type", ctFusion, "GLPI-Agent-ID", testAgentID)
	if r.Status != 200 || r.Body != `{"status":"ok","expiration":12}` || f.count() != 1 {
		t.Fatalf("inventory at the root URL: %d %q, %d stored", r.Status, r.Body, f.count())
	}
	if got := f.meta[0].AgentID; got != testAgentID {
		t.Errorf("the agent id reached ingest as %q", got)
	}
}

// TestStatusRequests: the GET requests of the protocols get their answers: a status
// request (GLPI-Request-ID) finds nothing pending, since parc never answers
// "pending"; FusionInventory's getConfig gets an empty configuration; any other GET
// of an agent URL is told to POST. None stores anything.
func TestStatusRequests(t *testing.T) {
	f, e := newFake(t, Options{Token: testToken})
	get := func(path string, headers ...string) *reply {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
		req.SetBasicAuth("agent", testToken)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		return do(t, req)
	}
	for _, path := range []string{PathRoot, PathGLPI} {
		r := get(path, "GLPI-Request-ID", "0A1B2C3D", "GLPI-Agent-ID", testAgentID)
		if r.Status != 404 || !strings.Contains(r.Body, `"status":"error"`) || !strings.Contains(r.Body, "0A1B2C3D") {
			t.Errorf("%s, status request: %d %q", path, r.Status, r.Body)
		}
		if r := get(path + "?action=getConfig&machineid=pc"); r.Status != 200 || r.Body != "{}" {
			t.Errorf("%s, getConfig: %d %q", path, r.Status, r.Body)
		}
	}
	if r := get(PathGLPI); r.Status != 405 || r.Header.Get("Allow") != "POST" || !strings.Contains(r.Body, `"status":"error"`) {
		t.Errorf("plain GET of the agent URL: %d %q", r.Status, r.Body)
	}
	// Without the token: challenged, in JSON.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/?action=getConfig", nil)
	if r := do(t, req); r.Status != 401 || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Basic") {
		t.Errorf("getConfig without the token: %d %q", r.Status, r.Body)
	}
	if f.count() != 0 {
		t.Errorf("%d inventories stored", f.count())
	}
}

// TestTokenJSON: with an agent token, GLPI Agent's JSON requests are challenged and
// accepted with --user/--password (Basic authentication) like its XML ones.
func TestTokenJSON(t *testing.T) {
	f, e := newFake(t, Options{Token: testToken})
	contact := []byte(`{"action":"contact","deviceid":"pc-1","installed-tasks":["inventory"]}`)
	r := e.post(PathRoot, zlibBytes(t, contact), "Content-Type", ctFusion, "GLPI-Agent-ID", testAgentID)
	if r.Status != 401 || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), `Basic realm="parc"`) || !strings.Contains(r.Body, `"status":"error"`) {
		t.Errorf("contact without the token: %d %q %q", r.Status, r.Header.Get("WWW-Authenticate"), r.Body)
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+PathRoot, strings.NewReader(string(zlibBytes(t, inventorytest.Read(t, "glpi-inventory-format/computer_1.json")))))
	req.Header.Set("Content-Type", ctFusion)
	req.SetBasicAuth("agent", testToken)
	if r := do(t, req); r.Status != 200 || f.count() != 1 {
		t.Errorf("inventory with the token: %d %q", r.Status, r.Body)
	}
}

// TestRootURLThroughWebServer: behind parc's whole web server, "/" stays the web
// interface for everything but agents: a browser's GET is the dashboard's (a
// redirection to the login page), a POST that carries no agent document is refused
// as before, with no token challenge, while an agent's PROLOG with Basic
// credentials is answered (the agent's Authorization header is not taken for a
// user's API token).
func TestRootURLThroughWebServer(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, Options{Token: testToken})
		srv := httptest.NewServer(e.webServer(e.as))
		defer srv.Close()
		e.srv = srv
		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := noRedirect.Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("GET /: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, err = noRedirect.PostForm(srv.URL+"/", url.Values{"q": {"x"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("WWW-Authenticate") != "" {
			t.Errorf("a form posted to /: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
		prolog := inventorytest.Read(t, "wire/fusioninventory-2.6-prolog.xml")
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(string(zlibBytes(t, prolog))))
		req.Header.Set("Content-Type", ctFusion)
		req.Header.Set("GLPI-Agent-ID", testAgentID)
		req.SetBasicAuth("agent", testToken)
		if r := do(t, req); r.Status != 200 || r.Body != `{"status":"ok","expiration":24}` {
			t.Errorf("PROLOG at / with the token: %d %q", r.Status, r.Body)
		}
		if n := e.count("SELECT COUNT(*) FROM computers"); n != 0 {
			t.Errorf("%d computers", n)
		}
	})
}
