package agentserver

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"parc/internal/inventory/fusion"
	"parc/internal/inventory/glpi"
	"parc/internal/inventory/parcdoc"
	"parc/internal/inventory/wire"
)

// glpiFormatVersion is the GLPI version whose native inventory format parc reads; GLPI
// Agent is told it in the contact reply (tasks.inventory.version) and builds its
// inventories for it.
const glpiFormatVersion = "10.0"

// serveFusion answers FusionInventory agent and GLPI Agent on GLPI's URLs: XML (PROLOG,
// then INVENTORY) or GLPI Agent's native JSON (contact, then inventory), told apart by
// the body.
func (s *Server) serveFusion(w http.ResponseWriter, r *http.Request) {
	x := s.begin(w, r, protoFusion)
	if x.sniff() == wire.JSON {
		x.proto = protoGLPI
	}
	s.fusion(x)
}

// serveRoot answers a POST to the root URL: an inventory exchange when it carries an
// agent document, told by the body's compression and first bytes, its Content-Type or
// GLPI Agent's header, as on GLPI's URLs; anything else gets the web interface's
// answer to a POST there (405, nothing reads it), and no token challenge.
func (s *Server) serveRoot(w http.ResponseWriter, r *http.Request) {
	x := s.begin(w, r, protoFusion)
	syn := x.sniff()
	if syn == wire.Unknown && x.comp == wire.None && !agentMediaType(mediaType(r)) && agentID(r) == "" {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	if syn == wire.JSON {
		x.proto = protoGLPI
	}
	s.fusion(x)
}

// agentMediaType reports whether a Content-Type is one agents label their documents
// with (a browser's form posts are not).
func agentMediaType(ct string) bool {
	return strings.HasPrefix(ct, "application/x-compress") || strings.HasPrefix(ct, "application/x-zlib") ||
		strings.HasPrefix(ct, "application/x-deflate") || strings.HasPrefix(ct, "application/x-gzip") ||
		ct == "application/json" || ct == "application/xml" || ct == "text/xml"
}

// fusion reads, then answers, a request of FusionInventory or GLPI Agent.
func (s *Server) fusion(x *exchange) {
	r := x.r
	if f := x.authorize(); f != nil {
		x.fail(f)
		return
	}
	if f := x.read(); f != nil {
		x.fail(f)
		return
	}
	switch syntaxOf(r, x.body) {
	case wire.JSON:
		x.proto = protoGLPI
		s.glpiJSON(x)
	case wire.XML:
		x.proto = protoFusion
		s.fusionXML(x)
	default:
		x.fail(fail(http.StatusBadRequest, "the body is neither an XML nor a JSON document"))
	}
}

func (s *Server) fusionXML(x *exchange) {
	m, f := parseBusy(x, fusion.ParseWithLimits)
	if f != nil {
		x.fail(f)
		return
	}
	x.device = m.DeviceID
	if m.Query == fusion.QueryProlog {
		x.contacted()
		if agentID(x.r) != "" {
			// GLPI Agent says it speaks its JSON protocol: a JSON answer, as GLPI 10
			// gives, moves it to that protocol (CONTACT, then JSON inventories).
			x.sendJSON(http.StatusOK, statusReply{Status: "ok", Expiration: s.opt.Freq})
			return
		}
		x.send(http.StatusOK, wire.XML, s.prologReply())
		return
	}
	if _, f := x.store(m.Inventory); f != nil {
		x.fail(f)
		return
	}
	x.send(http.StatusOK, wire.XML, []byte("<REPLY><RESPONSE>no_update</RESPONSE></REPLY>"))
}

// prologReply asks the agent for its inventory now and to come back in Freq hours.
func (s *Server) prologReply() []byte {
	return []byte("<REPLY><RESPONSE>SEND</RESPONSE><PROLOG_FREQ>" + strconv.Itoa(s.opt.Freq) + "</PROLOG_FREQ></REPLY>")
}

// contactReply answers GLPI Agent's contact: run the inventory task, for a server that
// reads GLPI's native format, and come back in Freq hours. The other tasks the agent
// has enabled (deploy, collect, network discovery...) need jobs parc does not
// schedule: they are disabled, so the agent does not run them for nothing.
type contactReply struct {
	Status     string              `json:"status"`
	Expiration int                 `json:"expiration"`
	Tasks      map[string]taskInfo `json:"tasks"`
	Disabled   []string            `json:"disabled,omitempty"`
}

type taskInfo struct {
	Server  string `json:"server"`
	Version string `json:"version"`
}

type statusReply struct {
	Status     string `json:"status"`
	Message    string `json:"message,omitempty"`
	Expiration int    `json:"expiration"`
}

func (s *Server) glpiJSON(x *exchange) {
	if !utf8.Valid(x.body) {
		x.fail(fail(http.StatusBadRequest, "the JSON document is not valid UTF-8"))
		return
	}
	m, f := parseBusy(x, glpi.ParseWithLimits)
	if f != nil {
		x.fail(f)
		return
	}
	x.device = m.DeviceID
	if m.Action == glpi.ActionContact {
		if strings.TrimSpace(m.DeviceID) == "" {
			x.fail(fail(http.StatusBadRequest, "the contact request has no deviceid: the agent must send its device id"))
			return
		}
		reply := contactReply{Status: "ok", Expiration: s.opt.Freq,
			Tasks: map[string]taskInfo{"inventory": {Server: "glpi", Version: glpiFormatVersion}}}
		for _, t := range append(m.Contact.EnabledTasks, m.Contact.InstalledTasks...) {
			t = strings.ToLower(t)
			if t != "inventory" && t != "remoteinventory" && !slices.Contains(reply.Disabled, t) {
				reply.Disabled = append(reply.Disabled, t)
			}
		}
		x.contacted()
		x.sendJSON(http.StatusOK, reply)
		return
	}
	if _, f := x.store(m.Inventory); f != nil {
		x.fail(f)
		return
	}
	x.sendJSON(http.StatusOK, statusReply{Status: "ok", Expiration: s.opt.Freq})
}

// serveStatus answers the GET requests of the agents' protocols: GLPI Agent asks with
// a GLPI-Request-ID header how a request the server left pending went, and
// FusionInventory's task modules ask for their configuration (action=getConfig).
// parc answers every request once it is done, never "pending", so no status is ever
// waiting; it runs no task beyond the inventory, so there is no configuration.
func (s *Server) serveStatus(w http.ResponseWriter, r *http.Request) {
	x := s.begin(w, r, protoGLPI)
	if f := x.authorize(); f != nil {
		x.fail(f)
		return
	}
	switch {
	case r.URL.Query().Get("action") == "getConfig":
		x.send(http.StatusOK, wire.JSON, []byte("{}"))
	case r.Header.Get("GLPI-Request-ID") != "":
		x.fail(fail(http.StatusNotFound, "no request %s is pending: this server answers each request once it is done", parcdoc.ClipValue(r.Header.Get("GLPI-Request-ID"))))
	default:
		x.w.Header().Set("Allow", "POST")
		x.fail(fail(http.StatusMethodNotAllowed, "agents send their requests to this URL with POST"))
	}
}

// isStatusRequest reports whether a GET is one of serveStatus's.
func isStatusRequest(r *http.Request) bool {
	return r.Header.Get("GLPI-Request-ID") != "" || r.URL.Query().Get("action") == "getConfig"
}

// agentID reads GLPI Agent's GLPI-Agent-ID header: a UUID, returned in lower case;
// anything else is no agent id.
func agentID(r *http.Request) string {
	v := strings.ToLower(strings.TrimSpace(r.Header.Get("GLPI-Agent-ID")))
	if len(v) != 36 {
		return ""
	}
	for i, c := range v {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return ""
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return ""
			}
		}
	}
	return v
}

func (x *exchange) sendJSON(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		x.fail(&failure{status: http.StatusInternalServerError, message: "internal error", cause: err})
		return
	}
	x.send(status, wire.JSON, b)
}

// fail logs a refusal and answers it in the protocol's own error reply.
func (x *exchange) fail(f *failure) {
	x.refuse(f)
	msg := clip(f.message)
	switch x.proto {
	case protoGLPI:
		x.sendJSON(f.status, statusReply{Status: "error", Message: msg, Expiration: x.s.opt.Freq})
	case protoParc:
		x.sendJSON(f.status, parcError{Status: "error", Message: msg, Problems: f.problems})
	default:
		x.send(f.status, wire.XML, errorXML(msg))
	}
}

// errorXML is the error reply of the XML protocols.
func errorXML(msg string) []byte {
	var b strings.Builder
	b.WriteString("<REPLY><ERROR>")
	xml.EscapeText(&b, []byte(msg))
	b.WriteString("</ERROR></REPLY>")
	return []byte(b.String())
}
