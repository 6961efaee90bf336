// Package remote is remote intervention (prise en main à distance): the launch
// links of a computer, from its address in the inventory (RDP, SSH, VNC) and from
// the identifiers its agent reported for remote-control tools (TeamViewer,
// AnyDesk, RustDesk, MeshCentral), and the record of each launch in the
// computer's history and, when opened from a ticket, in the ticket's.
package remote

import (
	"context"
	"encoding/json"
	"net"
	"net/url"
	"slices"
	"strings"

	"parc/internal/ingest"
	"parc/internal/record"
	"parc/internal/store"
)

// Tools are the remote-control tools parc makes links for, in the order offered.
var Tools = []string{"rdp", "ssh", "vnc", "teamviewer", "anydesk", "rustdesk", "meshcentral"}

// Launch is one way to reach a computer: the tool, what it connects to (an
// address or the tool's identifier) and the link the browser opens.
type Launch struct {
	Tool, Target, URL string
}

// Service lists and records launches.
type Service struct {
	Rec *record.Service
	Inv *ingest.Service
}

// NewService makes the remote intervention service.
func NewService(rec *record.Service, inv *ingest.Service) *Service {
	return &Service{Rec: rec, Inv: inv}
}

func (s *Service) computers() *record.Type { return s.Rec.Reg.MustType("computers") }

// Launches lists the links to reach a computer the actor may work on (update);
// none for one they only read.
func (s *Service) Launches(ctx context.Context, a *record.Actor, computerID int64) ([]Launch, error) {
	pc, err := s.Rec.Get(ctx, a, s.computers(), computerID)
	if err != nil {
		return nil, err
	}
	if pc.DeletedAt != nil || !a.CanIn(pc.Type, record.Update, pc.OrgID) {
		return nil, nil
	}
	comps, err := s.Inv.Components(ctx, a, computerID)
	if err != nil {
		return nil, err
	}
	return Links(pc.String("primary_ip"), pc.String("hostname"), comps), nil
}

// Links are the launches a computer offers: RDP, SSH and VNC to its address (the
// primary IP, else its host name), and each remote-control tool its agent
// reported with an identifier.
func Links(ip, hostname string, comps []ingest.Component) []Launch {
	var out []Launch
	addr := strings.TrimSpace(ip)
	if net.ParseIP(addr) == nil {
		addr = ""
	}
	if addr == "" && validHost(hostname) {
		addr = strings.TrimSpace(hostname)
	}
	if addr != "" {
		host := addr
		if strings.Contains(addr, ":") { // IPv6 in a URL
			host = "[" + addr + "]"
		}
		out = append(out,
			Launch{Tool: "rdp", Target: addr, URL: "rdp://full%20address=s:" + url.PathEscape(host)},
			Launch{Tool: "ssh", Target: addr, URL: "ssh://" + host},
			Launch{Tool: "vnc", Target: addr, URL: "vnc://" + host})
	}
	for _, c := range comps {
		if c.Kind != "remote_mgmt" {
			continue
		}
		var d struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(c.Details, &d)
		if l, ok := toolLink(strings.ToLower(strings.TrimSpace(d.Type)), strings.TrimSpace(c.Designation)); ok {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(x, y Launch) int { return slices.Index(Tools, x.Tool) - slices.Index(Tools, y.Tool) })
	return out
}

// toolLink is the link of a remote-control tool to the identifier its agent
// reported; MeshCentral's only when the agent gave its server's address.
func toolLink(tool, id string) (Launch, bool) {
	if id == "" || strings.ContainsAny(id, " \t\r\n") && tool != "meshcentral" {
		return Launch{}, false
	}
	l := Launch{Tool: tool, Target: id}
	switch tool {
	case "teamviewer":
		l.URL = "https://start.teamviewer.com/" + url.PathEscape(id)
	case "anydesk":
		l.URL = "anydesk:" + url.PathEscape(id)
	case "rustdesk":
		l.URL = "rustdesk://" + url.PathEscape(id)
	case "meshcentral":
		u, err := url.Parse(id)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return Launch{}, false
		}
		l.URL = u.String()
	default:
		return Launch{}, false
	}
	return l, true
}

func validHost(h string) bool {
	h = strings.TrimSpace(h)
	if h == "" || len(h) > 253 {
		return false
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// Open records a launch of tool on a computer and returns the link to open: a
// line of the computer's history and, when ticketID is not 0, of the ticket's
// (the computer must be linked to it), both in one transaction. The actor must
// be allowed to work on the computer, and on the ticket when one is given.
func (s *Service) Open(ctx context.Context, a *record.Actor, computerID int64, tool string, ticketID int64) (*Launch, error) {
	pc, err := s.Rec.Get(ctx, a, s.computers(), computerID)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(pc.Type, record.Update, pc.OrgID) {
		return nil, record.ErrForbidden()
	}
	links, err := s.Launches(ctx, a, computerID)
	if err != nil {
		return nil, err
	}
	var l *Launch
	for i := range links {
		if links[i].Tool == tool {
			l = &links[i]
		}
	}
	if l == nil {
		return nil, record.E(record.CodeNotFound, "err.remote_unavailable")
	}
	tickets := s.Rec.Reg.MustType("tickets")
	err = s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		pc, err := s.Rec.GetTx(ctx, tx, a, s.computers(), computerID)
		if err != nil {
			return err
		}
		if err := s.Rec.AddHistoryTx(ctx, tx, a, pc, "update", []record.Change{{Field: "remote", New: l.Tool + ": " + l.Target}}); err != nil {
			return err
		}
		if ticketID == 0 {
			return nil
		}
		tk, err := s.Rec.GetTx(ctx, tx, a, tickets, ticketID)
		if err != nil {
			return err
		}
		if !a.CanIn(tickets, record.Update, tk.OrgID) {
			return record.ErrForbidden()
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM ticket_items WHERE ticket_id = ? AND item_type = 'computers' AND item_id = ? AND deleted_at IS NULL",
			ticketID, computerID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return record.E(record.CodeNotFound, "err.remote_not_linked")
		}
		return s.Rec.AddHistoryTx(ctx, tx, a, tk, "update", []record.Change{{Field: "remote", New: l.Tool + ": " + pc.Label()}})
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}
