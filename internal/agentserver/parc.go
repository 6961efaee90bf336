package agentserver

import (
	"net/http"

	"parc/internal/inventory"
	"parc/internal/inventory/parcdoc"
)

type parcReply struct {
	Status     string   `json:"status"`
	ComputerID int64    `json:"computer_id"`
	Created    bool     `json:"created"`
	Changed    []string `json:"changed"`
}

type parcError struct {
	Status   string              `json:"status"`
	Message  string              `json:"message"`
	Problems []inventory.Problem `json:"problems,omitempty"`
}

// serveParc answers parc's own agent.
func (s *Server) serveParc(w http.ResponseWriter, r *http.Request) {
	x := s.begin(w, r, protoParc)
	if f := x.authorize(); f != nil {
		x.fail(f)
		return
	}
	if f := x.read(); f != nil {
		x.fail(f)
		return
	}
	inv, f := parseBusy(x, parcdoc.Decode)
	if f != nil {
		x.fail(f)
		return
	}
	res, f := x.store(inv)
	if f != nil {
		x.fail(f)
		return
	}
	reply := parcReply{Status: "ok", ComputerID: res.ComputerID, Created: res.Created, Changed: []string{}}
	for _, sec := range res.Changed {
		reply.Changed = append(reply.Changed, string(sec))
	}
	x.sendJSON(http.StatusOK, reply)
}
