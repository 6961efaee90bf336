package agentserver

import (
	"net/http"

	"parc/internal/inventory/ocs"
	"parc/internal/inventory/wire"
)

// serveOCS answers the OCS Inventory agent: a PROLOG (skipped with --force), then the
// INVENTORY. The agent reads only zlib replies, which it gets since it sends zlib.
func (s *Server) serveOCS(w http.ResponseWriter, r *http.Request) {
	x := s.begin(w, r, protoOCS)
	if f := x.authorize(); f != nil {
		x.fail(f)
		return
	}
	if f := x.read(); f != nil {
		x.fail(f)
		return
	}
	if syntaxOf(r, x.body) == wire.JSON {
		x.fail(fail(http.StatusUnsupportedMediaType, "this URL reads the OCS Inventory agent's XML; send GLPI Agent JSON to %s", PathGLPI))
		return
	}
	m, f := parseBusy(x, ocs.ParseWithLimits)
	if f != nil {
		x.fail(f)
		return
	}
	x.device = m.DeviceID
	if m.Query == ocs.QueryProlog {
		x.contacted()
		x.send(http.StatusOK, wire.XML, s.prologReply())
		return
	}
	if _, f := x.store(m.Inventory); f != nil {
		x.fail(f)
		return
	}
	x.send(http.StatusOK, wire.XML, []byte("<REPLY><RESPONSE>no_account_update</RESPONSE></REPLY>"))
}
