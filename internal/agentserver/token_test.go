package agentserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"parc/internal/agent"
	"parc/internal/inventory/fusion"
	"parc/internal/inventory/inventorytest"
	"parc/internal/inventory/wire"
	"parc/internal/storetest"
)

const testToken = "s3cret-agent-token"

// TestTokenMode: with a token set, agents without it or with a wrong one are refused
// with 401 and the protocol's error reply, and nothing is written; with it, they are
// accepted.
func TestTokenMode(t *testing.T) {
	fusionDoc := inventorytest.Read(t, "fusioninventory-2.6-debian12-vm.xml")
	ocsDoc := inventorytest.Read(t, "ocsinventory-2.10-debian12-vm.xml")
	glpiDoc := inventorytest.Read(t, "glpi-inventory-format/computer_2.json")
	inv, err := fusion.ParseInventory(fusionDoc)
	if err != nil {
		t.Fatal(err)
	}
	inv.DeviceID = "parc-agent-device"
	parcDoc, err := agent.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	basic := func(user, password string) []string {
		req, _ := http.NewRequest("POST", "/", nil)
		req.SetBasicAuth(user, password)
		return []string{"Authorization", req.Header.Get("Authorization")}
	}
	type request struct {
		path, ct string
		body     []byte
		reply    string // xml, glpi or parc
		ok       string // the reply once accepted
	}
	requests := []request{
		{PathGLPI, ctFusion, zlibBytes(t, fusionDoc), "xml", replyNoUpdate},
		{PathOCS, ctOCS, zlibBytes(t, ocsDoc), "xml", replyOCSUpdated},
		{PathFusion, "application/json", glpiDoc, "glpi", `{"status":"ok","expiration":24}`},
		{PathParc, "application/json", parcDoc, "parc", `"status":"ok"`},
	}
	refused := [][]string{
		nil,
		basic("agent", "wrong"),
		basic("agent", ""),
		basic("", testToken[:len(testToken)-1]),
		{"Authorization", "Bearer wrong"},
		{"Authorization", "Bearer " + testToken + "x"},
		{"X-Parc-Agent-Token", "wrong"},
		{"Authorization", "Basic !!!"},
	}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, Options{Token: testToken})
		for _, rq := range requests {
			for _, h := range refused {
				before := e.rows()
				r := e.post(rq.path, rq.body, append([]string{"Content-Type", rq.ct}, h...)...)
				if r.Status != http.StatusUnauthorized {
					t.Errorf("%s with %v: %d %q, want 401", rq.path, h, r.Status, r.Body)
					continue
				}
				if rq.reply == "xml" {
					if !xmlError.MatchString(r.Body) || r.Comp != wire.Zlib {
						t.Errorf("%s with %v: reply %s %q", rq.path, h, r.Comp, r.Body)
					}
					if got := r.Header.Get("WWW-Authenticate"); got != `Basic realm="parc"` {
						t.Errorf("%s: WWW-Authenticate %q", rq.path, got)
					}
				} else {
					var got map[string]any
					if json.Unmarshal([]byte(r.Body), &got) != nil || got["status"] != "error" {
						t.Errorf("%s with %v: reply %q", rq.path, h, r.Body)
					}
				}
				if after := e.rows(); fmt.Sprint(after) != fmt.Sprint(before) {
					t.Errorf("%s with %v: rows %v -> %v", rq.path, h, before, after)
				}
			}
		}
		if !strings.Contains(e.log.String(), "wrong agent token") || !strings.Contains(e.log.String(), "remote=127.0.0.1") {
			t.Errorf("refusals not logged:\n%s", e.log)
		}
		// Accepted: FusionInventory, OCS and GLPI Agent give the token as their
		// password (any user name), parc's agent as a bearer token or its header.
		accepted := [][]string{
			basic("agent", testToken),
			basic("", testToken),
			basic("other-user", testToken),
			{"Authorization", "Bearer " + testToken},
		}
		for i, rq := range requests {
			h := accepted[i]
			r := e.post(rq.path, rq.body, append([]string{"Content-Type", rq.ct}, h...)...)
			if r.Status != http.StatusOK || !strings.Contains(r.Body, rq.ok) {
				t.Errorf("%s with the token: %d %q", rq.path, r.Status, r.Body)
			}
		}
		r := e.post(PathParc, parcDoc, "Content-Type", "application/json", "X-Parc-Agent-Token", testToken)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, `"created":false`) {
			t.Errorf("parc agent with X-Parc-Agent-Token: %d %q", r.Status, r.Body)
		}
		if r := e.fusion(PathGLPI, inventorytest.Read(t, "wire/fusioninventory-2.6-prolog.xml"), basic("x", testToken)...); r.Body != replySend {
			t.Errorf("PROLOG with the token: %d %q", r.Status, r.Body)
		}
	})
}

// TestNoTokenAcceptsAnyAgent: by default, credentials are not checked (like GLPI).
func TestNoTokenAcceptsAnyAgent(t *testing.T) {
	_, e := newFake(t, Options{})
	prolog := inventorytest.Read(t, "wire/fusioninventory-2.6-prolog.zlib")
	for _, h := range [][]string{nil, {"Authorization", "Bearer anything"}, {"Authorization", "Basic Zm9vOmJhcg=="}} {
		if r := e.post(PathGLPI, prolog, append([]string{"Content-Type", ctFusion}, h...)...); r.Status != 200 || r.Body != replySend {
			t.Errorf("%v: %d %q", h, r.Status, r.Body)
		}
	}
}
