package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"parc/internal/asset"
	"parc/internal/record"
)

// Component is a computer component as shown to users.
type Component struct {
	Kind         string          `json:"kind"`
	Designation  string          `json:"designation"`
	Manufacturer string          `json:"manufacturer,omitempty"`
	Serial       string          `json:"serial,omitempty"`
	SizeMB       int64           `json:"size_mb,omitempty"`
	Details      json.RawMessage `json:"details"`
}

// Installation is one installed software of a computer.
type Installation struct {
	SoftwareID  int64  `json:"software_id"`
	Name        string `json:"name"`
	Publisher   string `json:"publisher,omitempty"`
	Version     string `json:"version,omitempty"`
	Arch        string `json:"arch,omitempty"`
	InstallDate string `json:"install_date,omitempty"`
}

// Components lists a computer's components, for an actor who may read the computer.
func (s *Service) Components(ctx context.Context, a *record.Actor, computerID int64) ([]Component, error) {
	if _, err := s.App.Records.Get(ctx, a, s.App.Reg.MustType("computers"), computerID); err != nil {
		return nil, err
	}
	rows, err := s.App.DB.QueryContext(ctx, `SELECT kind, designation, COALESCE(manufacturer, ''), COALESCE(serial, ''), COALESCE(size_mb, 0), details
		FROM computer_components WHERE computer_id = ? ORDER BY kind, designation, id`, computerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Component{}
	for rows.Next() {
		var c Component
		var d string
		if err := rows.Scan(&c.Kind, &c.Designation, &c.Manufacturer, &c.Serial, &c.SizeMB, &d); err != nil {
			return nil, err
		}
		c.Details = json.RawMessage(d)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Installations lists a computer's installed software by name.
func (s *Service) Installations(ctx context.Context, a *record.Actor, computerID int64) ([]Installation, error) {
	if _, err := s.App.Records.Get(ctx, a, s.App.Reg.MustType("computers"), computerID); err != nil {
		return nil, err
	}
	rows, err := s.App.DB.QueryContext(ctx, `SELECT s.id, s.name, COALESCE(s.publisher, ''), i.version, i.arch, i.install_date
		FROM software_installations i JOIN software s ON s.id = i.software_id WHERE i.computer_id = ? ORDER BY s.name_key, i.version_key`, computerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Installation{}
	dateField := &record.Field{Kind: record.Date}
	for rows.Next() {
		var in Installation
		var date any
		if err := rows.Scan(&in.SoftwareID, &in.Name, &in.Publisher, &in.Version, &in.Arch, &date); err != nil {
			return nil, err
		}
		in.InstallDate = record.Format(dateField.FromDB(date))
		out = append(out, in)
	}
	return out, rows.Err()
}

// HasInventory reports whether a computer has inventory data to show: a received
// inventory, installed software or components. The computer is one the caller read
// under the actor's rights.
func (s *Service) HasInventory(ctx context.Context, computer *record.Record) (bool, error) {
	if computer.Get("last_inventory_at") != nil || computer.Int("software_count") > 0 {
		return true, nil
	}
	var n int
	err := s.App.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM computer_components WHERE computer_id = ?", computer.ID).Scan(&n)
	return n > 0, err
}

// InstalledVersions gives the versions of a software (by catalogue name, as the
// computers' software filter matches it) installed on each of the given computers,
// which the caller listed under the actor's rights.
func (s *Service) InstalledVersions(ctx context.Context, software string, computers []*record.Record) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(computers) == 0 {
		return out, nil
	}
	args := []any{asset.SoftwareKey(software)}
	marks := make([]string, len(computers))
	for i, c := range computers {
		marks[i] = "?"
		args = append(args, c.ID)
	}
	rows, err := s.App.DB.QueryContext(ctx, `SELECT i.computer_id, i.version FROM software_installations i
		JOIN software s ON s.id = i.software_id WHERE s.name_key = ? AND i.computer_id IN (`+strings.Join(marks, ", ")+`) ORDER BY i.computer_id, i.version_key`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return nil, err
		}
		if v != "" && !slices.Contains(out[id], v) {
			out[id] = append(out[id], v)
		}
	}
	return out, rows.Err()
}

// VirtualMachines lists the computers that run on a host (host_id), by name, those the
// actor may read; a host has far fewer than the list limit.
func (s *Service) VirtualMachines(ctx context.Context, a *record.Actor, hostID int64) ([]*record.Record, error) {
	t := s.App.Reg.MustType("computers")
	if _, err := s.App.Records.Get(ctx, a, t, hostID); err != nil {
		return nil, err
	}
	page, err := s.App.Records.List(ctx, a, t, record.ListQuery{Sort: "name", Limit: record.MaxLimit,
		Filters: []record.Filter{{Field: "host_id", Op: record.OpEq, Value: strconv.FormatInt(hostID, 10)}}})
	if err != nil {
		return nil, err
	}
	return page.Records, nil
}

// Raw returns the last inventory document received for a computer, as received.
func (s *Service) Raw(ctx context.Context, a *record.Actor, computerID int64) (doc []byte, format string, at time.Time, err error) {
	if _, err := s.App.Records.Get(ctx, a, s.App.Reg.MustType("computers"), computerID); err != nil {
		return nil, "", at, err
	}
	var raw []byte
	var received any
	err = s.App.DB.QueryRowContext(ctx, "SELECT raw, format, received_at FROM inventory_state WHERE computer_id = ?", computerID).Scan(&raw, &format, &received)
	if errors.Is(err, sql.ErrNoRows) || err == nil && len(raw) == 0 {
		return nil, "", at, record.E(record.CodeNotFound, "err.no_inventory")
	}
	if err != nil {
		return nil, "", at, err
	}
	at, _ = (&record.Field{Kind: record.DateTime}).FromDB(received).(time.Time)
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, "", at, err
	}
	doc, err = io.ReadAll(zr)
	return doc, format, at, err
}

// Contact notes that a known agent called in (a PROLOG or a GLPI Agent contact), so that
// stale agents are told apart from agents that call but have nothing new to send.
// Unknown agents are ignored: an agent exists once it has sent an inventory. GLPI
// Agent is known by its own id (agentID, its GLPI-Agent-ID) when it has one.
func (s *Service) Contact(ctx context.Context, deviceID, agentID, remoteIP string) error {
	if deviceID == "" && agentID == "" {
		return nil
	}
	var ip any
	if remoteIP != "" {
		ip = remoteIP
	}
	db := s.App.DB
	id, _, err := agentRow(ctx, db, deviceID, agentID)
	if err != nil || id == 0 {
		return err
	}
	_, err = db.Exec(ctx, "UPDATE agents SET last_contact_at = ?, remote_ip = COALESCE(?, remote_ip) WHERE id = ?", s.Now(), ip, id)
	return err
}

// Ports lists a network equipment's ports, by number, as components of kind "port"
// (designation the port's name, serial its MAC address), for an actor who may read
// the equipment.
func (s *Service) Ports(ctx context.Context, a *record.Actor, id int64) ([]Component, error) {
	if _, err := s.App.Records.Get(ctx, a, s.App.Reg.MustType("network-equipment"), id); err != nil {
		return nil, err
	}
	rows, err := s.App.DB.QueryContext(ctx, `SELECT number, name, description, alias, mac, if_type, speed_mbps, mtu, status, ips
		FROM network_equipment_ports WHERE network_equipment_id = ? ORDER BY number, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Component{}
	for rows.Next() {
		var p devicePort
		if err := rows.Scan(&p.Number, &p.Name, &p.Description, &p.Alias, &p.MAC, &p.IfType, &p.SpeedMbps, &p.MTU, &p.Status, &p.IPs); err != nil {
			return nil, err
		}
		var ips []string
		if p.IPs != "" {
			ips = strings.Split(p.IPs, ",")
		}
		status := map[int]string{1: "up", 2: "down"}[p.Status]
		d, _ := json.Marshal(map[string]any{"number": p.Number, "description": firstOf(p.Alias, p.Description), "mac": p.MAC, "ips": ips,
			"speed_mbps": p.SpeedMbps, "status": status, "virtual": virtualIfTypes[p.IfType]})
		out = append(out, Component{Kind: "port", Designation: firstOf(p.Name, p.Description, strconv.Itoa(p.Number)), Serial: p.MAC, Details: d})
	}
	return out, rows.Err()
}
