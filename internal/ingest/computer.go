package ingest

import (
	"database/sql"
	"errors"
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"

	"parc/internal/inventory"
	"parc/internal/record"
	"parc/internal/store"
)

// applyComputer updates the computer's own fields from the changed sections. Identity
// values (serial, UUID, manufacturer, model) are never cleared by an inventory that
// lacks them, and fields a technician locked are left alone.
func (r *run) applyComputer(changed []inventory.Section) error {
	inv := r.inv
	has := func(s inventory.Section) bool { return slices.Contains(changed, s) }
	in := record.Input{}
	set := func(field string, v any) {
		if !r.locked[field] {
			in[field] = v
		}
	}
	setIdentity := func(field, v string) {
		if strings.TrimSpace(v) != "" {
			set(field, clip(v, 255))
		}
	}
	id := inv.Identity()
	if has(inventory.SectionHardware) {
		set("hostname", clip(inv.Hardware.Name, 255))
		set("domain", clip(firstOf(inv.OS.DNSDomain, inv.Hardware.Workgroup), 255))
		set("last_user", clip(inv.Hardware.LastLoggedUser, 255))
		virtual, _ := inv.Virtualization()
		set("is_virtual", virtual)
		setIdentity("uuid", id.UUID)
		if !inv.Has(inventory.SectionMemories) && inv.Hardware.MemoryMB > 0 {
			set("memory_mb", int64(inv.Hardware.MemoryMB))
		}
	}
	if has(inventory.SectionBIOS) {
		setIdentity("serial", id.Serial)
		set("bios_version", clip(inv.BIOS.Version, 255))
		if err := r.setMakeModel(in, r.locked, "computer", inv.Manufacturer(), inv.Model()); err != nil {
			return err
		}
	}
	if has(inventory.SectionOS) {
		set("os_name", clip(inv.OSName(), 255))
		set("os_version", clip(inv.OS.Version, 255))
		set("os_kernel", clip(inv.OS.Kernel, 255))
		set("os_arch", clip(inv.OS.Arch, 255))
	}
	if has(inventory.SectionCPUs) {
		set("processor", clip(inv.Processor(), 255))
		cores := 0
		for _, c := range inv.CPUs {
			cores += c.Cores
		}
		set("cpu_cores", int64(cores))
	}
	if has(inventory.SectionMemories) {
		set("memory_mb", int64(inv.TotalMemoryMB()))
	}
	if has(inventory.SectionStorages) || has(inventory.SectionVolumes) {
		set("disk_mb", int64(inv.TotalDiskMB()))
	}
	if has(inventory.SectionNetworks) {
		set("primary_ip", inv.PrimaryIP())
		set("ip_addresses", clip(strings.Join(addresses(inv), ", "), 4000))
		set("mac_addresses", clip(strings.Join(id.MACs, ", "), 4000))
	}
	if len(in) == 0 {
		return nil
	}
	c, err := r.s.App.Records.UpdateTx(r.ctx, r.tx, r.actor, r.s.App.Reg.MustType("computers"), r.comp.ID, in)
	if err != nil {
		return err
	}
	r.comp = c
	return nil
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// addresses lists the routable addresses of the interfaces, sorted.
func addresses(inv *inventory.Inventory) []string {
	var out []string
	for _, n := range inv.Networks {
		for _, list := range [][]inventory.IPAddress{n.IPv4, n.IPv6} {
			for _, a := range list {
				ip, err := netip.ParseAddr(a.Address)
				if err != nil || ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() {
					continue
				}
				out = append(out, ip.String())
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// normaliseMaker turns the usual SMBIOS spellings into one catalogue name.
func normaliseMaker(m string) string {
	m = strings.TrimSpace(m)
	low := strings.ToLower(m)
	switch {
	case low == "" || inventory.IsDummySerial(m):
		return ""
	case strings.HasPrefix(low, "dell"):
		return "Dell"
	case strings.HasPrefix(low, "hewlett-packard") || low == "hp" || strings.HasPrefix(low, "hp "):
		return "HP"
	case strings.HasPrefix(low, "lenovo"):
		return "Lenovo"
	case strings.HasPrefix(low, "asustek"):
		return "ASUS"
	case strings.HasPrefix(low, "microsoft"):
		return "Microsoft"
	case strings.HasPrefix(low, "apple"):
		return "Apple"
	}
	for _, suffix := range []string{", inc.", " inc.", " inc", " corporation", " corp.", " co., ltd.", " gmbh", " ltd."} {
		if strings.HasSuffix(low, suffix) {
			return strings.TrimSpace(m[:len(m)-len(suffix)])
		}
	}
	return m
}

// lockName serialises, on PostgreSQL, the find-or-create of one catalogue entry by
// concurrent inventories, which would otherwise both create it.
func (r *run) lockName(kind, name string) error {
	if r.db.Dialect != store.Postgres {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte(kind + ":" + strings.ToLower(name)))
	_, err := r.tx.ExecContext(r.ctx, "SELECT pg_advisory_xact_lock($1)", int64(h.Sum64()))
	return err
}

// setMakeModel puts in the catalogue entries of a reported manufacturer and model
// (found or created), unless they are unknown or locked.
func (r *run) setMakeModel(in record.Input, locked map[string]bool, category, maker, model string) error {
	if locked["manufacturer_id"] {
		return nil
	}
	mid, modelID, err := r.makeModel(category, maker, model)
	if err != nil {
		return err
	}
	if mid != 0 {
		in["manufacturer_id"] = mid
	}
	if modelID != 0 && !locked["model_id"] {
		in["model_id"] = modelID
	}
	return nil
}

// makeModel finds or creates the catalogue entries of a reported manufacturer and
// model; 0 when not reported (or a placeholder).
func (r *run) makeModel(category, maker, model string) (mid, modelID int64, err error) {
	// Looked up as they will be stored.
	m := clip(normaliseMaker(maker), 255)
	if m == "" {
		return 0, 0, nil
	}
	if mid, err = r.manufacturer(m); err != nil {
		return 0, 0, err
	}
	if model = clip(strings.TrimSpace(model), 255); model != "" {
		modelID, err = r.model(category, model, mid)
	}
	return mid, modelID, err
}

// manufacturer finds or creates a manufacturer by name (case does not matter).
func (r *run) manufacturer(name string) (int64, error) {
	if err := r.lockName("manufacturer", name); err != nil {
		return 0, err
	}
	var id int64
	err := r.tx.QueryRowContext(r.ctx, "SELECT id FROM manufacturers WHERE lower(name) = lower(?) AND deleted_at IS NULL ORDER BY id LIMIT 1", name).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	m, err := r.s.App.Records.CreateTx(r.ctx, r.tx, r.actor, r.s.App.Reg.MustType("manufacturers"), record.Input{"name": clip(name, 255)})
	if err != nil {
		return 0, err
	}
	return m.ID, nil
}

// model finds or creates a model of a manufacturer in an asset category
// (asset.Categories: computer, monitor, printer...).
func (r *run) model(category, name string, manufacturer int64) (int64, error) {
	if err := r.lockName("model:"+category, name); err != nil {
		return 0, err
	}
	var id int64
	err := r.tx.QueryRowContext(r.ctx, "SELECT id FROM models WHERE lower(name) = lower(?) AND category = ? AND manufacturer_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1", name, category, manufacturer).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	m, err := r.s.App.Records.CreateTx(r.ctx, r.tx, r.actor, r.s.App.Reg.MustType("models"), record.Input{"name": clip(name, 255), "category": category, "manufacturer_id": manufacturer})
	if err != nil {
		return 0, err
	}
	return m.ID, nil
}
