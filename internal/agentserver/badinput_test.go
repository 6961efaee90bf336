package agentserver

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"parc/internal/inventory/inventorytest"
	"parc/internal/inventory/parcdoc"
	"parc/internal/inventory/wire"
	"parc/internal/storetest"
)

// bomb compresses n zero bytes as zlib or gzip, streaming: 200 MB give about 200 kB.
func bomb(t testing.TB, n int64, gz bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	if gz {
		w, _ = gzip.NewWriterLevel(&buf, gzip.BestCompression)
	} else {
		w, _ = zlib.NewWriterLevel(&buf, zlib.BestCompression)
	}
	if _, err := io.Copy(w, io.LimitReader(zeros{}, n)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return buf.Bytes()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func nested(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

var xmlError = regexp.MustCompile(`^<REPLY><ERROR>[^<]+</ERROR></REPLY>$`)

// TestBadInputIsRefused: each bad request gets its status, the protocol's error reply
// (in the request's compression), a log line, and writes nothing.
func TestBadInputIsRefused(t *testing.T) {
	fusionInv := inventorytest.Read(t, "fusioninventory-2.6-debian12-vm.xml")
	ocsInv := inventorytest.Read(t, "ocsinventory-2.10-debian12-vm.xml")
	glpiInv := inventorytest.Read(t, "glpi-inventory-format/computer_1.json")
	noDeviceXML := regexp.MustCompile(`<DEVICEID>[^<]*</DEVICEID>`).ReplaceAll(fusionInv, nil)
	noDeviceOCS := regexp.MustCompile(`<DEVICEID>[^<]*</DEVICEID>`).ReplaceAll(ocsInv, nil)
	var glpiDoc map[string]any
	if err := json.Unmarshal(glpiInv, &glpiDoc); err != nil {
		t.Fatal(err)
	}
	delete(glpiDoc, "deviceid")
	noDeviceJSON, _ := json.Marshal(glpiDoc)
	parcDoc := func(protocol, device, inv string) []byte {
		return []byte(fmt.Sprintf(`{"protocol":%q,"device_id":%q,"agent":{"name":"parc-agent","version":"1"},"inventory":%s}`, protocol, device, inv))
	}
	goodParcInv := `{"sections":["hardware"],"hardware":{"name":"pc1","uuid":"1e3f5a00-0000-4000-8000-000000000001"}}`
	bigBomb, gzBomb := bomb(t, 200<<20, false), bomb(t, 200<<20, true)
	badUTF8JSON := bytes.Replace(glpiInv, []byte(`"glpixps"`), []byte("\"glpi\xff\xfexps\""), 1)
	truncated := zlibBytes(t, fusionInv)
	truncated = truncated[:len(truncated)/2]
	corrupt := zlibBytes(t, fusionInv)
	corrupt[len(corrupt)/2] ^= 0xff
	corrupt[len(corrupt)/2+1] ^= 0xff
	network := inventorytest.Read(t, "glpi-inventory-format/fusion-10.xml")

	type tc struct {
		name   string
		path   string
		body   []byte
		ct     string
		status int
		reply  string // "xml", "glpi" or "parc"
		want   string // in the message
	}
	cases := []tc{
		{"malformed XML", PathGLPI, zlibBytes(t, fusionInv[:len(fusionInv)/2]), ctFusion, 400, "xml", "XML"},
		{"XML not a REQUEST", PathGLPI, zlibBytes(t, []byte(`<HTML><BODY/></HTML>`)), ctFusion, 400, "xml", "REQUEST"},
		{"malformed JSON", PathGLPI, []byte(`{"action":"inventory","deviceid":"x","content":{"hardware":`), "application/json", 400, "glpi", "JSON"},
		{"neither XML nor JSON", PathGLPI, zlibBytes(t, []byte("hello")), ctFusion, 400, "xml", "neither"},
		{"empty body", PathGLPI, nil, ctFusion, 400, "xml", "no body"},
		{"XML in EBCDIC", PathGLPI, zlibBytes(t, []byte(`<?xml version="1.0" encoding="EBCDIC-US"?><REQUEST><QUERY>PROLOG</QUERY></REQUEST>`)), ctFusion, 415, "xml", "EBCDIC"},
		{"XML in UTF-16", PathGLPI, []byte("\xff\xfe<\x00R\x00"), "application/xml", 415, "xml", "UTF-16"},
		{"brotli", PathGLPI, []byte("\x1b\x00\xf8\xa5"), "application/x-br", 415, "xml", "x-br"},
		{"unknown query", PathGLPI, zlibBytes(t, []byte(`<REQUEST><DEVICEID>a</DEVICEID><QUERY>UPDATE</QUERY></REQUEST>`)), ctFusion, 415, "xml", "UPDATE"},
		{"unknown JSON action", PathGLPI, []byte(`{"action":"register","deviceid":"a"}`), "application/json", 415, "glpi", "register"},
		{"invalid UTF-8 in JSON", PathGLPI, badUTF8JSON, "application/json", 400, "glpi", "UTF-8"},
		{"missing DEVICEID, XML", PathGLPI, zlibBytes(t, noDeviceXML), ctFusion, 400, "xml", "DEVICEID"},
		{"missing DEVICEID, OCS", PathOCS, zlibBytes(t, noDeviceOCS), ctOCS, 400, "xml", "DEVICEID"},
		{"missing deviceid, JSON", PathGLPI, noDeviceJSON, "application/json", 400, "glpi", "deviceid"},
		{"JSON to OCS", PathOCS, glpiInv, "application/json", 415, "xml", "OCS"},
		{"deep XML", PathGLPI, zlibBytes(t, []byte("<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>a</DEVICEID><CONTENT>"+nested("<A>", "</A>", 100)+"</CONTENT></REQUEST>")), ctFusion, 400, "xml", "deeper"},
		{"very deep XML", PathOCS, zlibBytes(t, []byte("<REQUEST>"+nested("<A>", "</A>", 100000)+"</REQUEST>")), ctOCS, 400, "xml", "deeper"},
		{"deep JSON", PathGLPI, []byte(`{"action":"inventory","deviceid":"a","content":{"x":` + nested("[", "]", 100) + `}}`), "application/json", 400, "glpi", "deeper"},
		{"zlib bomb", PathGLPI, bigBomb, ctFusion, 413, "xml", "decompresses to more than"},
		{"zlib bomb, OCS", PathOCS, bigBomb, ctOCS, 413, "xml", "decompresses to more than"},
		{"gzip bomb, parc", PathParc, gzBomb, "application/json", 413, "parc", "decompresses to more than"},
		{"gzip bomb, GLPI", PathGLPI, gzBomb, "application/x-compress-gzip", 413, "xml", "decompresses to more than"},
		{"truncated zlib", PathGLPI, truncated, ctFusion, 400, "xml", "corrupt"},
		{"corrupt zlib", PathOCS, corrupt, ctOCS, 400, "xml", "corrupt"},
		{"network device", PathGLPI, zlibBytes(t, network), ctFusion, 400, "xml", "NetworkEquipment"},
		{"root: contact without deviceid", PathRoot, zlibBytes(t, []byte(`{"action":"contact","name":"GLPI-Agent","installed-tasks":["inventory"]}`)), ctFusion, 400, "glpi", "deviceid"},
		{"root: unknown action", PathRoot, []byte(`{"action":"register","deviceid":"a"}`), "application/json", 415, "glpi", "register"},
		{"root: malformed JSON", PathRoot, zlibBytes(t, []byte(`{"action":"inventory","deviceid":"x","content":{"hardware":`)), ctFusion, 400, "glpi", "JSON"},
		{"root: missing deviceid", PathRoot, noDeviceJSON, "application/json", 400, "glpi", "deviceid"},
		{"root: inventory without content", PathRoot, []byte(`{"action":"inventory","deviceid":"a"}`), "application/json", 400, "glpi", "content"},
		{"root: deep JSON", PathRoot, []byte(`{"action":"inventory","deviceid":"a","content":{"x":` + nested("[", "]", 100) + `}}`), "application/json", 400, "glpi", "deeper"},
		{"root: gzip bomb", PathRoot, gzBomb, "application/json", 413, "glpi", "decompresses to more than"},
		{"root: zlib bomb", PathRoot, bigBomb, ctFusion, 413, "xml", "decompresses to more than"},
		{"parc: no protocol", PathParc, []byte(`{"device_id":"a","inventory":{}}`), "application/json", 400, "parc", "protocol"},
		{"parc: future version", PathParc, parcDoc("parc-agent/2", "a", goodParcInv), "application/json", 400, "parc", `"parc-agent/2" is not supported`},
		{"parc: other protocol", PathParc, parcDoc("glpi", "a", goodParcInv), "application/json", 400, "parc", "unknown protocol"},
		{"parc: missing device_id", PathParc, parcDoc(parcdoc.ProtocolV1, "", goodParcInv), "application/json", 400, "parc", "deviceid"},
		{"parc: unknown section", PathParc, parcDoc(parcdoc.ProtocolV1, "a", `{"sections":["hardware","gpus"],"hardware":{"name":"pc1"}}`), "application/json", 400, "parc", `"gpus"`},
		{"parc: unknown member", PathParc, parcDoc(parcdoc.ProtocolV1, "a", `{"hardware":{"name":"pc1"},"gpus":[]}`), "application/json", 400, "parc", "inventory.gpus"},
		{"parc: unknown field", PathParc, parcDoc(parcdoc.ProtocolV1, "a", `{"hardware":{"name":"pc1","colour":"red"}}`), "application/json", 400, "parc", "colour"},
		{"parc: unknown envelope field", PathParc, []byte(`{"protocol":"parc-agent/1","device_id":"a","inventroy":{}}`), "application/json", 400, "parc", "inventroy"},
		{"parc: unlisted section", PathParc, parcDoc(parcdoc.ProtocolV1, "a", `{"sections":["hardware"],"hardware":{"name":"pc1"},"cpus":[{"model":"x"}]}`), "application/json", 400, "parc", "not listed"},
		{"parc: wrong type", PathParc, parcDoc(parcdoc.ProtocolV1, "a", `{"hardware":{"name":"pc1","memory_mb":"lots"}}`), "application/json", 400, "parc", "memory_mb"},
		{"parc: no inventory", PathParc, []byte(`{"protocol":"parc-agent/1","device_id":"a"}`), "application/json", 400, "parc", "missing"},
		{"parc: no hardware", PathParc, parcDoc(parcdoc.ProtocolV1, "a", `{"cpus":[]}`), "application/json", 400, "parc", "HARDWARE"},
		{"parc: invalid UTF-8", PathParc, parcDoc(parcdoc.ProtocolV1, "a", "{\"hardware\":{\"name\":\"pc\xff\"}}"), "application/json", 400, "parc", "UTF-8"},
		{"parc: deep", PathParc, parcDoc(parcdoc.ProtocolV1, "a", `{"hardware":{"name":"pc1"},"warnings":`+nested("[", "]", 100)+`}`), "application/json", 400, "parc", "deeper"},
		{"parc: trailing data", PathParc, append(parcDoc(parcdoc.ProtocolV1, "a", goodParcInv), []byte(`{}`)...), "application/json", 400, "parc", "after the end"},
		{"parc: not an object", PathParc, []byte(`[1,2]`), "application/json", 400, "parc", "object"},
		{"parc: corrupt gzip", PathParc, gzipBytes(t, parcDoc(parcdoc.ProtocolV1, "a", goodParcInv))[:30], "application/json", 400, "parc", "corrupt"},
	}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, Options{})
		// Something stored already, so that "nothing written" also means nothing updated.
		if r := e.fusion(PathGLPI, fusionInv); r.Status != 200 {
			t.Fatalf("setup: %d %q", r.Status, r.Body)
		}
		for _, c := range cases {
			before, logs := e.rows(), strings.Count(e.log.String(), "agent request refused")
			stamp := e.count("SELECT COUNT(*) FROM history")
			r := e.post(c.path, c.body, "Content-Type", c.ct, "User-Agent", "test-agent")
			if r.Status != c.status {
				t.Errorf("%s: status %d, want %d (%q)", c.name, r.Status, c.status, r.Body)
			}
			if want := wire.Detect(c.body); want != wire.None && r.Comp != want {
				t.Errorf("%s: a %s request got a %s reply", c.name, want, r.Comp)
			}
			msg := ""
			switch c.reply {
			case "xml":
				if !xmlError.MatchString(r.Body) {
					t.Errorf("%s: reply %q is not an XML error reply", c.name, r.Body)
				}
				msg = r.Body
			default:
				var got struct {
					Status     string `json:"status"`
					Message    string `json:"message"`
					Expiration *int   `json:"expiration"`
				}
				if err := json.Unmarshal([]byte(r.Body), &got); err != nil || got.Status != "error" || got.Message == "" {
					t.Errorf("%s: reply %q is not a JSON error reply", c.name, r.Body)
				}
				if c.reply == "glpi" && (got.Expiration == nil || *got.Expiration <= 0) {
					t.Errorf("%s: GLPI error reply without expiration: %q", c.name, r.Body)
				}
				msg = got.Message
			}
			if !strings.Contains(msg, c.want) {
				t.Errorf("%s: message %q does not say %q", c.name, msg, c.want)
			}
			if after := e.rows(); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("%s: rows %v -> %v", c.name, before, after)
			}
			if n := e.count("SELECT COUNT(*) FROM history"); n != stamp {
				t.Errorf("%s: history %d -> %d", c.name, stamp, n)
			}
			lines := strings.Count(e.log.String(), "agent request refused")
			if lines != logs+1 {
				t.Errorf("%s: %d log lines for the refusal", c.name, lines-logs)
			}
		}
		last := e.log.String()
		if !strings.Contains(last, "remote=127.0.0.1") || !strings.Contains(last, `reason="the body decompresses to more than`) {
			t.Errorf("refusals are not logged with the address and the reason:\n%s", last)
		}
	})
}

// TestOversizedBodies: a body over the cap is refused with 413 before it is read
// whole, whether its length is announced or not.
func TestOversizedBodies(t *testing.T) {
	f, e := newFake(t, Options{Limits: wire.Limits{MaxCompressed: 1 << 20, MaxDecompressed: 2 << 20}})
	big := bytes.Repeat([]byte("<A>x</A>"), (2<<20)/8+1)
	for _, c := range []struct {
		name    string
		body    io.Reader
		length  int64
		path    string
		comp    wire.Compression
		message string
	}{
		{"announced", bytes.NewReader(big), int64(len(big)), PathGLPI, wire.None, "more than the 1048576"},
		{"announced, root", bytes.NewReader(big), int64(len(big)), PathRoot, wire.None, "more than the 1048576"},
		{"chunked, root", io.MultiReader(bytes.NewReader(big)), -1, PathRoot, wire.None, "larger than the 1048576"},
		{"chunked", io.MultiReader(bytes.NewReader(big)), -1, PathOCS, wire.None, "larger than the 1048576"},
		{"plain, under the caps", bytes.NewReader(big[:(1<<20)-10]), int64((1 << 20) - 10), PathParc, wire.None, ""},
		{"zlib", bytes.NewReader(zlibBytes(t, big)), -1, PathGLPI, wire.Zlib, "decompresses to more than the 2097152"},
	} {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+c.path, c.body)
		req.ContentLength = c.length
		req.Header.Set("Content-Type", "application/xml")
		r := do(t, req)
		if c.message == "" { // under both caps: read, then refused as a document
			if r.Status == http.StatusRequestEntityTooLarge {
				t.Errorf("%s: 413 for a body under the caps", c.name)
			}
			continue
		}
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, c.message) || r.Comp != c.comp {
			t.Errorf("%s: %d %s %q", c.name, r.Status, r.Comp, r.Body)
		}
	}
	if f.count() != 0 {
		t.Errorf("%d inventories stored", f.count())
	}
}
