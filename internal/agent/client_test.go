package agent

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"parc/internal/inventory"
	"parc/internal/inventory/parcdoc"
)

func sampleInventory() *inventory.Inventory {
	inv := &inventory.Inventory{
		Format: FormatParc, Action: inventory.ActionInventory, ItemType: inventory.ItemComputer,
		DeviceID: "pc42-2026-01-05-09-12-44", Agent: inventory.Agent{Name: AgentName, Version: "9.9"}, Tag: "site-lyon",
		Hardware: inventory.Hardware{Name: "pc42", MemoryMB: 16384},
		OS:       inventory.OS{Name: "Debian GNU/Linux", Version: "12.5"},
		Networks: []inventory.Network{{Name: "eth0", MAC: "8c:ec:4b:aa:bb:cc"}},
	}
	for _, s := range []inventory.Section{inventory.SectionHardware, inventory.SectionOS, inventory.SectionNetworks, inventory.SectionMonitors} {
		inv.MarkPresent(s)
	}
	return inv
}

type recorded struct {
	method, path string
	header       http.Header
	body         []byte
}

// recorder is a server on 127.0.0.1 that keeps the requests and answers as parc does:
// JSON, in the request's compression, with Content-Encoding.
func recorder(t *testing.T, status int, reply string) (*httptest.Server, func() []recorded) {
	var mu sync.Mutex
	var reqs []recorded
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		reqs = append(reqs, recorded{r.Method, r.URL.Path, r.Header.Clone(), body})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(status)
			zw := gzip.NewWriter(w)
			zw.Write([]byte(reply))
			zw.Close()
			return
		}
		w.WriteHeader(status)
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []recorded { mu.Lock(); defer mu.Unlock(); return append([]recorded(nil), reqs...) }
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("body is not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSend(t *testing.T) {
	srv, reqs := recorder(t, 200, `{"status":"ok","computer_id":12,"created":true,"changed":["hardware","networks"]}`)
	inv := sampleInventory()
	doc, err := Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{URL: srv.URL + "/", Token: "s3cret"}
	reply, err := c.Send(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if reply.ComputerID != 12 || !reply.Created || len(reply.Changed) != 2 {
		t.Fatalf("reply %+v", reply)
	}
	got := reqs()
	if len(got) != 1 {
		t.Fatalf("%d requests", len(got))
	}
	r := got[0]
	if r.method != "POST" || r.path != EndpointPath {
		t.Errorf("%s %s", r.method, r.path)
	}
	if r.header.Get("Content-Type") != "application/json" || r.header.Get("Content-Encoding") != "" ||
		r.header.Get("Authorization") != "Bearer s3cret" || !strings.HasPrefix(r.header.Get("User-Agent"), "parc-agent/") {
		t.Errorf("headers %v", r.header)
	}
	body := gunzip(t, r.body)
	var sent map[string]json.RawMessage
	if err := json.Unmarshal(body, &sent); err != nil {
		t.Fatal(err)
	}
	if string(sent["protocol"]) != `"parc-agent/1"` || string(sent["device_id"]) != `"pc42-2026-01-05-09-12-44"` || string(sent["tag"]) != `"site-lyon"` {
		t.Errorf("envelope %s", body)
	}
	var in map[string]json.RawMessage
	json.Unmarshal(sent["inventory"], &in)
	if string(in["sections"]) != `["hardware","monitors","networks","operatingsystem"]` {
		t.Errorf("inventory.sections %s", in["sections"])
	}

	// The server's own reader accepts the document, monitors reported empty.
	back, err := parcdoc.Decode(body, inventory.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if back.DeviceID != inv.DeviceID || back.Tag != "site-lyon" || !back.Has(inventory.SectionMonitors) || back.Has(inventory.SectionSoftwares) ||
		back.Hardware.Name != "pc42" || back.Agent != inv.Agent {
		t.Errorf("decoded %+v", back)
	}

	// Without a token, no Authorization header.
	c.Token = ""
	if _, err := c.Send(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	if h := reqs()[1].header.Get("Authorization"); h != "" {
		t.Errorf("Authorization %q without a token", h)
	}
}

func TestSendErrors(t *testing.T) {
	doc, _ := Marshal(sampleInventory())
	for _, tc := range []struct {
		status int
		reply  string
		want   string
	}{
		{401, `{"status":"error","message":"wrong agent token"}`, "server answered 401 Unauthorized: wrong agent token"},
		{400, `{"status":"error","message":"invalid inventory","problems":[{"field":"hardware","message":"missing"}]}`, "server answered 400 Bad Request: invalid inventory; hardware: missing"},
		{502, "<html><body>Bad gateway</body></html>", "server answered 502 Bad Gateway: <html><body>Bad gateway</body></html>"},
		{401, `{"error":{"code":"unauthorized","message":"unknown API token"}}`, "server answered 401 Unauthorized: unknown API token"},
		{200, "not json", "server answered 200 with something else than JSON: not json"},
		{200, `{"status":"error","message":"nope"}`, `server answered 200 OK: status "error": nope`},
	} {
		srv, _ := recorder(t, tc.status, tc.reply)
		_, err := (&Client{URL: srv.URL}).Send(context.Background(), doc)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%d %s: %v, want %q", tc.status, tc.reply, err, tc.want)
		}
		var se *ServerError
		if tc.status != 200 && (!errors.As(err, &se) || se.StatusCode != tc.status) {
			t.Errorf("%d: not a ServerError: %v", tc.status, err)
		}
	}
	// Nobody listening.
	srv, _ := recorder(t, 200, "{}")
	url := srv.URL
	srv.Close()
	if _, err := (&Client{URL: url}).Send(context.Background(), doc); err == nil || !strings.HasPrefix(err.Error(), "sending to "+url+EndpointPath+": dial tcp") {
		t.Errorf("closed server: %v", err)
	}
}

func TestSendRedirects(t *testing.T) {
	doc, _ := Marshal(sampleInventory())
	other, otherReqs := recorder(t, 200, `{"status":"ok"}`)
	hc, err := NewHTTPClient("")
	if err != nil {
		t.Fatal(err)
	}
	redirect := func(to string) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/moved"+EndpointPath {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Encoding", "gzip")
				zw := gzip.NewWriter(w)
				zw.Write([]byte(`{"status":"ok","computer_id":7}`))
				zw.Close()
				return
			}
			http.Redirect(w, r, to, http.StatusPermanentRedirect)
		}))
		t.Cleanup(s.Close)
		return s
	}
	// To another server (another port of 127.0.0.1): refused, nothing sent there.
	away := redirect(other.URL + EndpointPath)
	if _, err := (&Client{URL: away.URL, Token: "t", HTTP: hc}).Send(context.Background(), doc); err == nil || !strings.Contains(err.Error(), "redirect to another host") {
		t.Errorf("redirect elsewhere: %v", err)
	}
	if n := len(otherReqs()); n != 0 {
		t.Errorf("%d requests reached the other host", n)
	}
	// On the same server: followed, with the body.
	local := redirect("/moved" + EndpointPath)
	reply, err := (&Client{URL: local.URL, HTTP: hc}).Send(context.Background(), doc)
	if err != nil || reply.ComputerID != 7 {
		t.Errorf("redirect on the same host: %+v %v", reply, err)
	}
}

func TestEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:8080":                    "http://127.0.0.1:8080/api/v1/agent/inventory",
		"https://parc.example.org/":                "https://parc.example.org/api/v1/agent/inventory",
		"https://example.org/parc":                 "https://example.org/parc/api/v1/agent/inventory",
		"http://h:1/api/v1/agent/inventory":        "http://h:1/api/v1/agent/inventory",
		"http://h:1/api/v1/agent/inventory/?x=1#f": "http://h:1/api/v1/agent/inventory",
	} {
		if got, err := Endpoint(in); err != nil || got != want {
			t.Errorf("Endpoint(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "parc.example.org", "ftp://h/", "http://"} {
		if _, err := Endpoint(bad); err == nil {
			t.Errorf("Endpoint(%q) accepted", bad)
		}
	}
}
