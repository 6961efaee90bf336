package ingest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"parc/internal/inventory"
	"parc/internal/record"
)

// component is one row of computer_components.
type component struct {
	ID           int64
	Kind         string
	Key          string
	Designation  string
	Manufacturer string
	Serial       string
	SizeMB       int64
	Details      string
}

// same reports whether two components look the same to a technician; details such as
// free space change on every inventory and are updated without history.
func (c component) same(o component) bool {
	return c.Designation == o.Designation && c.Manufacturer == o.Manufacturer && c.Serial == o.Serial && c.SizeMB == o.SizeMB
}

func (c component) label() string {
	s := c.Designation
	if c.SizeMB > 0 {
		s += " (" + sizeLabel(c.SizeMB) + ")"
	}
	if c.Serial != "" {
		s += " [" + c.Serial + "]"
	}
	return s
}

func sizeLabel(mb int64) string {
	if mb >= 1024 && mb%1024 == 0 || mb >= 10240 {
		return strconv.FormatInt((mb+512)/1024, 10) + " GB"
	}
	return strconv.FormatInt(mb, 10) + " MB"
}

// componentSections maps the sections kept as components to their kind.
var componentSections = map[inventory.Section]string{
	inventory.SectionCPUs:            "cpu",
	inventory.SectionMemories:        "memory",
	inventory.SectionStorages:        "storage",
	inventory.SectionVolumes:         "volume",
	inventory.SectionNetworks:        "network",
	inventory.SectionVideos:          "video",
	inventory.SectionControllers:     "controller",
	inventory.SectionBatteries:       "battery",
	inventory.SectionMonitors:        "monitor",
	inventory.SectionAntivirus:       "antivirus",
	inventory.SectionVirtualMachines: "vm",
	inventory.SectionFirmwares:       "firmware",
	inventory.SectionRemoteMgmt:      "remote_mgmt",
	inventory.SectionPowerSupplies:   "powersupply",
}

func details(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// wanted lists the components a section describes, with keys unique within the kind.
func wanted(inv *inventory.Inventory, sec inventory.Section) []component {
	kind := componentSections[sec]
	var out []component
	add := func(key string, c component) {
		c.Kind = kind
		c.Designation = clip(strings.TrimSpace(c.Designation), 255)
		if c.Designation == "" {
			c.Designation = kind
		}
		if inventory.IsDummySerial(c.Serial) {
			c.Serial = ""
		}
		c.Key = clip(key, 500)
		out = append(out, c)
	}
	switch sec {
	case inventory.SectionCPUs:
		for _, c := range inv.CPUs {
			add(c.Model, component{Designation: c.Model, Manufacturer: c.Manufacturer, Serial: c.Serial,
				Details: details(map[string]any{"cores": c.Cores, "threads": c.Threads, "speed_mhz": c.SpeedMHz, "arch": c.Arch})})
		}
	case inventory.SectionMemories:
		for _, m := range inv.Memories {
			key := m.Serial
			if key == "" || inventory.IsDummySerial(key) {
				key = fmt.Sprintf("slot %d", m.Slot)
			}
			d := strings.TrimSpace(m.Type + " " + m.Caption)
			if d == "" {
				d = "Memory"
			}
			add(key, component{Designation: d, Manufacturer: m.Manufacturer, Serial: m.Serial, SizeMB: int64(m.CapacityMB),
				Details: details(map[string]any{"speed_mhz": m.SpeedMHz, "slot": m.Slot, "type": m.Type})})
		}
	case inventory.SectionStorages:
		for _, s := range inv.Storages {
			key := s.Serial
			if key == "" || inventory.IsDummySerial(key) {
				key = s.Name + "|" + s.Model
			}
			add(key, component{Designation: firstOf(s.Model, s.Name, s.Description), Manufacturer: s.Manufacturer, Serial: s.Serial, SizeMB: int64(s.SizeMB),
				Details: details(map[string]any{"name": s.Name, "interface": s.Interface, "type": s.Type, "firmware": s.Firmware})})
		}
	case inventory.SectionVolumes:
		for _, v := range inv.Volumes {
			where := firstOf(v.Mount, v.Letter, v.Device)
			add(where+"|"+v.Device, component{Designation: strings.TrimSpace(where + " " + v.FSType), SizeMB: int64(v.TotalMB), Serial: v.Serial,
				Details: details(map[string]any{"device": v.Device, "fs_type": v.FSType, "free_mb": v.FreeMB, "label": v.Label, "encryption": v.Encryption})})
		}
	case inventory.SectionNetworks:
		for _, n := range inv.Networks {
			var ips []string
			for _, a := range append(append([]inventory.IPAddress{}, n.IPv4...), n.IPv6...) {
				ips = append(ips, a.Address)
			}
			slices.Sort(ips)
			add(n.Name+"|"+n.MAC, component{Designation: firstOf(n.Name, n.MAC), Serial: n.MAC,
				Details: details(map[string]any{"mac": n.MAC, "ips": ips, "type": n.Type, "speed_mbps": n.SpeedMbps, "virtual": n.Virtual, "gateway": n.Gateway, "status": n.Status})})
		}
	case inventory.SectionVideos:
		for _, v := range inv.Videos {
			add(v.Name+"|"+v.PCISlot, component{Designation: firstOf(v.Name, v.Chipset), SizeMB: int64(v.MemoryMB),
				Details: details(map[string]any{"chipset": v.Chipset, "resolution": v.Resolution})})
		}
	case inventory.SectionControllers:
		for _, c := range inv.Controllers {
			add(c.PCISlot+"|"+c.Name, component{Designation: c.Name, Manufacturer: c.Manufacturer,
				Details: details(map[string]any{"type": c.Type, "driver": c.Driver, "pci_slot": c.PCISlot, "vendor_id": c.VendorID, "product_id": c.ProductID})})
		}
	case inventory.SectionBatteries:
		for _, b := range inv.Batteries {
			add(b.Serial+"|"+b.Name, component{Designation: b.Name, Manufacturer: b.Manufacturer, Serial: b.Serial,
				Details: details(map[string]any{"chemistry": b.Chemistry, "capacity_mwh": b.CapacityMWh, "real_capacity_mwh": b.RealCapacityMWh})})
		}
	case inventory.SectionMonitors:
		for _, m := range inv.Monitors {
			add(m.Serial+"|"+m.Name, component{Designation: firstOf(m.Name, m.Model, m.Description), Manufacturer: m.Manufacturer, Serial: m.Serial,
				Details: details(map[string]any{"model": m.Model, "port": m.Port})})
		}
	case inventory.SectionAntivirus:
		for _, a := range inv.Antivirus {
			add(a.Name, component{Designation: strings.TrimSpace(a.Name + " " + a.Version), Manufacturer: a.Company,
				Details: details(map[string]any{"enabled": a.Enabled, "uptodate": a.UpToDate, "version": a.Version, "base_version": a.BaseVersion})})
		}
	case inventory.SectionVirtualMachines:
		for _, v := range inv.VirtualMachines {
			add(firstOf(v.UUID, v.Name), component{Designation: v.Name, SizeMB: int64(v.MemoryMB),
				Details: details(map[string]any{"uuid": v.UUID, "status": v.Status, "vmtype": v.VMType, "vcpus": v.VCPUs})})
		}
	case inventory.SectionFirmwares:
		for _, f := range inv.Firmwares {
			add(f.Type+"|"+f.Name, component{Designation: firstOf(f.Name, f.Description, f.Type), Manufacturer: f.Manufacturer,
				Details: details(map[string]any{"version": f.Version, "type": f.Type, "date": f.Date})})
		}
	case inventory.SectionRemoteMgmt:
		// The identifier is what a technician connects with: it is the designation.
		for _, m := range inv.RemoteMgmt {
			add(m.Type+"|"+m.ID, component{Designation: m.ID,
				Details: details(map[string]any{"type": m.Type, "version": m.Version})})
		}
	case inventory.SectionPowerSupplies:
		for _, p := range inv.PowerSupplies {
			key := p.Serial
			if key == "" || inventory.IsDummySerial(key) {
				key = p.Location + "|" + p.Name + "|" + p.PartNumber
			}
			add(key, component{Designation: firstOf(p.Name, p.Model, p.PartNumber), Manufacturer: p.Manufacturer, Serial: p.Serial,
				Details: details(map[string]any{"model": p.Model, "part_number": p.PartNumber, "power_max_w": p.PowerMaxW,
					"hot_replaceable": p.HotReplaceable, "plugged": p.Plugged, "status": p.Status, "location": p.Location})})
		}
	}
	// Identical keys (two DIMMs without serial in unnamed slots...) get a rank.
	seen := map[string]int{}
	for i := range out {
		k := out[i].Key
		seen[k]++
		if n := seen[k]; n > 1 {
			out[i].Key = fmt.Sprintf("%s#%d", k, n)
		}
	}
	return out
}

// applyComponents replaces, kind by kind, the components of the changed sections and
// writes one history entry per component added, removed or changed.
func (r *run) applyComponents(changed []inventory.Section) error {
	var hist []record.Change
	for _, sec := range changed {
		kind, ok := componentSections[sec]
		if !ok {
			continue
		}
		have, err := r.components(kind)
		if err != nil {
			return err
		}
		byKey := map[string]component{}
		for _, c := range have {
			byKey[c.Key] = c
		}
		want := wanted(r.inv, sec)
		keep := map[string]bool{}
		for _, w := range want {
			keep[w.Key] = true
			old, found := byKey[w.Key]
			switch {
			case !found:
				if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO computer_components (computer_id, kind, item_key, designation, manufacturer, serial, size_mb, details)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.comp.ID, kind, w.Key, w.Designation, nullable(w.Manufacturer), nullable(w.Serial), w.SizeMB, w.Details); err != nil {
					return err
				}
				hist = append(hist, record.Change{Field: "component." + kind, New: w.label()})
			case !old.same(w) || old.Details != w.Details:
				if _, err := r.tx.ExecContext(r.ctx, `UPDATE computer_components SET designation = ?, manufacturer = ?, serial = ?, size_mb = ?, details = ? WHERE id = ?`,
					w.Designation, nullable(w.Manufacturer), nullable(w.Serial), w.SizeMB, w.Details, old.ID); err != nil {
					return err
				}
				if !old.same(w) {
					hist = append(hist, record.Change{Field: "component." + kind, Old: old.label(), New: w.label()})
				}
			}
		}
		for _, c := range have {
			if keep[c.Key] {
				continue
			}
			if _, err := r.tx.ExecContext(r.ctx, "DELETE FROM computer_components WHERE id = ?", c.ID); err != nil {
				return err
			}
			hist = append(hist, record.Change{Field: "component." + kind, Old: c.label()})
		}
	}
	if len(hist) == 0 || r.res.Created {
		return nil
	}
	return r.s.App.Records.AddHistoryTx(r.ctx, r.tx, r.actor, r.comp, "components", hist)
}

func (r *run) components(kind string) ([]component, error) {
	rows, err := r.tx.QueryContext(r.ctx, "SELECT id, item_key, designation, COALESCE(manufacturer, ''), COALESCE(serial, ''), COALESCE(size_mb, 0), details FROM computer_components WHERE computer_id = ? AND kind = ?", r.comp.ID, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []component
	for rows.Next() {
		c := component{Kind: kind}
		if err := rows.Scan(&c.ID, &c.Key, &c.Designation, &c.Manufacturer, &c.Serial, &c.SizeMB, &c.Details); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
