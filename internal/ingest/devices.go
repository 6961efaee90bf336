package ingest

import (
	"slices"
	"strings"

	"parc/internal/inventory"
	"parc/internal/record"
)

// device is where the inventory of something other than a computer is stored.
type device struct {
	typ      string // record type
	category string // category of its models (asset.Categories)
}

// deviceTypes are the item types stored besides computers. Unmanaged devices are not.
var deviceTypes = map[inventory.ItemType]device{
	inventory.ItemNetworkEquipment: {"network-equipment", "network-equipment"},
	inventory.ItemPrinter:          {"printers", "printer"},
	inventory.ItemPhone:            {"phones", "phone"},
}

// applyDevice stores the inventory of a network equipment, printer or phone: the
// record is found by serial, then MAC address, then name within the organisation
// (dummy serials never match), created where the assignment rules put it, and
// updated through the record framework, which writes history (origin inventory)
// for the fields that changed and nothing at all for an unchanged re-inventory.
// Devices keep no section hashes, components or raw document: their few fields are
// compared directly.
func (r *run) applyDevice(d device) error {
	if err := r.lock(); err != nil {
		return err
	}
	t := r.s.App.Reg.MustType(d.typ)
	org, loc, err := r.target()
	if err != nil {
		return err
	}
	id, err := r.matchDevice(t, org)
	if err != nil {
		return err
	}
	r.res.Type = d.typ
	if id == 0 {
		in, err := r.deviceInput(t, d, nil)
		if err != nil {
			return err
		}
		in["organization_id"] = org
		if loc != 0 {
			in["location_id"] = loc
		}
		if err := r.setDefaultState(in); err != nil {
			return err
		}
		rec, err := r.s.App.Records.CreateTx(r.ctx, r.tx, r.actor, t, in)
		if err != nil {
			return err
		}
		r.res.ID, r.res.Created, r.res.Changed = rec.ID, true, r.inv.Sections
		if _, err := r.applyPorts(d, rec.ID); err != nil {
			return err
		}
		return r.touchAgent()
	}
	old, err := r.s.App.Records.GetTx(r.ctx, r.tx, r.actor, t, id)
	if err != nil {
		return err
	}
	in, err := r.deviceInput(t, d, old)
	if err != nil {
		return err
	}
	rec, err := r.s.App.Records.UpdateTx(r.ctx, r.tx, r.actor, t, id, unlocked(old, in))
	if err != nil {
		return err
	}
	r.res.ID = id
	portsChanged, err := r.applyPorts(d, id)
	if err != nil {
		return err
	}
	if rec.Version != old.Version || portsChanged {
		r.res.Changed = r.inv.Sections
	}
	return r.touchAgent()
}

// devicePort is one row of network_equipment_ports.
type devicePort struct {
	Number                         int
	Name, Description, Alias       string
	MAC                            string
	IfType, SpeedMbps, MTU, Status int
	IPs                            string
}

// applyPorts keeps the ports a network equipment's inventory reports: when the
// reported list differs from the stored one, it replaces it (ports come and go with
// modules, and have no identity of their own beyond their index); an unchanged list
// writes nothing. It reports whether it wrote.
func (r *run) applyPorts(d device, id int64) (bool, error) {
	if d.typ != "network-equipment" || !r.inv.Has(inventory.SectionPorts) {
		return false, nil
	}
	want := make([]devicePort, 0, len(r.inv.Ports))
	for _, p := range r.inv.Ports {
		ips := slices.Clone(p.IPs)
		slices.Sort(ips)
		want = append(want, devicePort{Number: p.Number, Name: clip(p.Name, 255), Description: clip(p.Description, 255), Alias: clip(p.Alias, 255),
			MAC: p.MAC, IfType: p.IfType, SpeedMbps: p.SpeedMbps, MTU: p.MTU, Status: p.Status, IPs: clip(strings.Join(ips, ","), 4000)})
	}
	slices.SortStableFunc(want, comparePorts)
	rows, err := r.tx.QueryContext(r.ctx, `SELECT number, name, description, alias, mac, if_type, speed_mbps, mtu, status, ips
		FROM network_equipment_ports WHERE network_equipment_id = ?`, id)
	if err != nil {
		return false, err
	}
	var have []devicePort
	for rows.Next() {
		var p devicePort
		if err := rows.Scan(&p.Number, &p.Name, &p.Description, &p.Alias, &p.MAC, &p.IfType, &p.SpeedMbps, &p.MTU, &p.Status, &p.IPs); err != nil {
			rows.Close()
			return false, err
		}
		have = append(have, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	slices.SortStableFunc(have, comparePorts)
	if slices.Equal(have, want) {
		return false, nil
	}
	if _, err := r.tx.ExecContext(r.ctx, "DELETE FROM network_equipment_ports WHERE network_equipment_id = ?", id); err != nil {
		return false, err
	}
	for _, p := range want {
		if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO network_equipment_ports (network_equipment_id, number, name, description, alias, mac, if_type, speed_mbps, mtu, status, ips)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, p.Number, p.Name, p.Description, p.Alias, p.MAC, p.IfType, p.SpeedMbps, p.MTU, p.Status, p.IPs); err != nil {
			return false, err
		}
	}
	return true, nil
}

func comparePorts(a, b devicePort) int {
	if a.Number != b.Number {
		return a.Number - b.Number
	}
	return strings.Compare(a.Name+"\x00"+a.MAC, b.Name+"\x00"+b.MAC)
}

// deviceInput lists the fields the inventory reports, for the fields type t has.
// Values the document lacks are left out, so they are never cleared; the name is
// given only to a new record (old nil), as for computers.
func (r *run) deviceInput(t *record.Type, d device, old *record.Record) (record.Input, error) {
	inv := r.inv
	in := record.Input{}
	set := func(field string, v any) {
		if t.Field(field) != nil {
			in[field] = v
		}
	}
	id := inv.Identity()
	if old == nil {
		set("name", clip(firstOf(id.Name, id.Serial, inv.PrimaryIP(), inv.DeviceID), 255))
	}
	if id.Serial != "" {
		set("serial", clip(id.Serial, 128))
	}
	if inv.Has(inventory.SectionBIOS) || inv.Has(inventory.SectionNetworkDevice) {
		var locked map[string]bool
		if old != nil {
			locked = locks(old)
		}
		if err := r.setMakeModel(in, locked, d.category, inv.Manufacturer(), inv.Model()); err != nil {
			return nil, err
		}
	}
	if ip := inv.PrimaryIP(); ip != "" {
		set("ip_address", ip)
	}
	if mac := deviceMAC(inv, id); mac != "" {
		set("mac_address", mac)
	}
	if fw := firmware(inv); fw != "" {
		set("firmware", clip(fw, 255))
	}
	if inv.Has(inventory.SectionPorts) {
		set("ports", int64(physicalPorts(inv.Ports)))
	}
	return in, nil
}

// deviceMAC is the device's own MAC address: the SNMP one, else that of the interface
// holding the primary address, else the first one.
func deviceMAC(inv *inventory.Inventory, id inventory.Identity) string {
	if len(id.MACs) == 0 {
		return ""
	}
	if inv.Device != nil && slices.Contains(id.MACs, inv.Device.MAC) {
		return inv.Device.MAC
	}
	primary := inv.PrimaryIP()
	for _, n := range inv.Networks {
		for _, a := range n.IPv4 {
			if a.Address == primary && slices.Contains(id.MACs, n.MAC) {
				return n.MAC
			}
		}
	}
	return id.MACs[0]
}

// firmware is the device's firmware version: the SNMP one, else the device firmware
// of the FIRMWARES section.
func firmware(inv *inventory.Inventory) string {
	if inv.Device != nil && strings.TrimSpace(inv.Device.Firmware) != "" {
		return strings.TrimSpace(inv.Device.Firmware)
	}
	for _, f := range inv.Firmwares {
		if strings.EqualFold(f.Type, "device") && f.Version != "" {
			return f.Version
		}
	}
	return ""
}

// virtualIfTypes are IANA ifTypes that are not sockets one plugs a cable in:
// loopback, proprietary virtual (VLAN interfaces, port channels on Cisco), tunnels,
// VLAN sub-interfaces and link aggregates.
var virtualIfTypes = map[int]bool{24: true, 53: true, 131: true, 135: true, 136: true, 161: true}

// physicalPorts counts the ports of a device that are not virtual.
func physicalPorts(ports []inventory.Port) int {
	n := 0
	for _, p := range ports {
		if !virtualIfTypes[p.IfType] {
			n++
		}
	}
	return n
}

// matchDevice finds the stored device: by serial, then by MAC address, then by name
// within the organisation new devices go to.
func (r *run) matchDevice(t *record.Type, org int64) (int64, error) {
	id := r.inv.Identity()
	find := func(cond string, args ...any) (int64, error) {
		return r.findOne("SELECT id FROM "+t.Table+" WHERE deleted_at IS NULL AND "+cond+" ORDER BY id LIMIT 1", args...)
	}
	if id.Serial != "" {
		if found, err := find("serial = ?", id.Serial); found != 0 || err != nil {
			return found, err
		}
	}
	for _, m := range id.MACs {
		if found, err := find("mac_address = ?", m); found != 0 || err != nil {
			return found, err
		}
	}
	if id.Name == "" {
		return 0, nil
	}
	return find("lower(name) = lower(?) AND organization_id = ?", id.Name, org)
}

// touchAgent notes the contact of a known agent. Agent rows link an installation to
// its computer: the agent that sent a device's inventory (often the one that queried
// it over SNMP) gets no row for it.
func (r *run) touchAgent() error {
	id, _, err := agentRow(r.ctx, r.tx, r.inv.DeviceID, r.meta.AgentID)
	if err != nil || id == 0 {
		return err
	}
	_, err = r.tx.ExecContext(r.ctx, "UPDATE agents SET last_contact_at = ? WHERE id = ?", r.now, id)
	return err
}
