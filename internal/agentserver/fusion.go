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
