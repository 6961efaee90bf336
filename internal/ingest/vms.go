package ingest

import (
	"strings"

	"parc/internal/inventory"
	"parc/internal/record"
)

// containerTypes are guests that are not machines: a Docker host's containers would
// otherwise fill the computer list. They stay components of their host.
var containerTypes = map[string]bool{"docker": true, "podman": true, "lxc": true, "lxd": true,
	"openvz": true, "jail": true, "solaris zone": true, "systemd-nspawn": true, "wsl": true}

// applyVMs links the virtual machines a host reports to computers records (host_id),
// besides the vm components. A VM is recognised by the UUID its hypervisor gave it
// (which its own agent later reports as the machine's UUID: see matchHostedVM), else,
// without UUID, by its name among the host's VMs; an unknown one is created in the
// host's organisation. One no longer reported is unlinked, never deleted (it may
// have moved to another host, which links it when it reports it). It runs only when
// the virtualmachines section is reported and changed.
func (r *run) applyVMs() error {
	t := r.s.App.Reg.MustType("computers")
	host := r.comp
	kept := map[int64]bool{}
	for _, vm := range r.inv.VirtualMachines {
		name := strings.TrimSpace(vm.Name)
		uuid := strings.ToLower(strings.TrimSpace(vm.UUID))
		if inventory.IsDummyUUID(uuid) {
			uuid = ""
		}
		if containerTypes[strings.ToLower(vm.VMType)] || uuid != "" && !isUUID(uuid) || uuid == "" && name == "" {
			continue // a container (Docker ids are 12 or 64 hex digits), or nothing to know it by
		}
		if uuid != "" {
			// The keys the VM's own inventory locks (see lock): a host and the guest's
			// agent, or two hosts, reporting it at once make one computer.
			for _, u := range []string{uuid, swapUUID(uuid)} {
				if err := r.lockName("uuid", u); err != nil {
					return err
				}
			}
		}
		id, err := r.findVM(uuid, name)
		if err != nil {
			return err
		}
		if id == host.ID {
			continue // a machine that lists itself
		}
		in := record.Input{"host_id": host.ID, "vm_state": clip(vm.Status, 64)}
		sizes := func() {
			if vm.MemoryMB > 0 {
				in["memory_mb"] = int64(vm.MemoryMB)
			}
			if vm.VCPUs > 0 {
				in["cpu_cores"] = int64(vm.VCPUs)
			}
		}
		if id == 0 {
			in["name"], in["organization_id"], in["is_virtual"] = clip(firstOf(name, uuid), 255), host.OrgID, true
			if uuid != "" {
				in["uuid"] = uuid
			}
			if inventory.IsUsableMAC(vm.MAC) {
				in["mac_addresses"] = vm.MAC
			}
			sizes()
			rec, err := r.s.App.Records.CreateTx(r.ctx, r.tx, r.actor, t, in)
			if err != nil {
				return err
			}
			kept[rec.ID] = true
			continue
		}
		kept[id] = true
		old, err := r.s.App.Records.GetTx(r.ctx, r.tx, r.actor, t, id)
		if err != nil {
			return err
		}
		if old.Get("last_inventory_at") == nil {
			sizes() // its own agent, once it reports, knows better
		}
		if !r.actor.Tree.IsAncestorOrSelf(host.OrgID, old.OrgID) {
			// A reference must point at the record's organisation or an ancestor.
			r.s.Log.Warn("inventory: virtual machine not linked to its host, in an organisation outside the host's",
				"host", host.ID, "vm", id)
			delete(in, "host_id")
		}
		if _, err := r.s.App.Records.UpdateTx(r.ctx, r.tx, r.actor, t, id, unlocked(old, in)); err != nil {
			return err
		}
	}
	return r.unlinkVMs(kept)
}

// findVM finds a reported VM's computer: by UUID (either byte order) anywhere, else
// by name among the host's VMs that have no other UUID.
func (r *run) findVM(uuid, name string) (int64, error) {
	if uuid != "" {
		id, err := r.findComputer("lower(uuid) IN (?, ?)", uuid, swapUUID(uuid))
		if id != 0 || err != nil {
			return id, err
		}
	}
	if name == "" {
		return 0, nil
	}
	return r.findComputer("host_id = ? AND lower(name) = lower(?) AND (uuid IS NULL OR uuid = '' OR lower(uuid) = ?)", r.comp.ID, name, uuid)
}

// unlinkVMs clears the host of the VMs linked to this host that it no longer reports.
func (r *run) unlinkVMs(kept map[int64]bool) error {
	t := r.s.App.Reg.MustType("computers")
	rows, err := r.tx.QueryContext(r.ctx, "SELECT id FROM computers WHERE host_id = ? AND deleted_at IS NULL", r.comp.ID)
	if err != nil {
		return err
	}
	var gone []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if !kept[id] {
			gone = append(gone, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range gone {
		old, err := r.s.App.Records.GetTx(r.ctx, r.tx, r.actor, t, id)
		if err != nil {
			return err
		}
		if _, err := r.s.App.Records.UpdateTx(r.ctx, r.tx, r.actor, t, id, unlocked(old, record.Input{"host_id": nil})); err != nil {
			return err
		}
	}
	return nil
}

// matchHostedVM recognises a virtual machine that its host reported, when its own
// agent inventories it: by the UUID the hypervisor gave it, which is the guest's
// system UUID. The record has no serial yet (or the same), so the serial rules
// cannot find it.
func (r *run) matchHostedVM(id inventory.Identity) (int64, error) {
	if id.UUID == "" {
		return 0, nil
	}
	return r.findComputer("host_id IS NOT NULL AND lower(uuid) IN (?, ?) AND (serial IS NULL OR serial = '' OR serial = ?)",
		id.UUID, swapUUID(id.UUID), id.Serial)
}

// isUUID reports whether s is 32 hexadecimal digits, dashes aside.
func isUUID(s string) bool {
	n := 0
	for _, c := range s {
		switch {
		case c == '-':
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			n++
		default:
			return false
		}
	}
	return n == 32
}

// swapUUID gives a UUID with its first three fields in the other byte order: SMBIOS
// 2.6 made them little-endian, and VMware reports a guest's UUID in one order while
// older guests read the other.
func swapUUID(u string) string {
	p := strings.Split(u, "-")
	if len(p) != 5 || len(p[0]) != 8 || len(p[1]) != 4 || len(p[2]) != 4 {
		return u
	}
	rev := func(s string) string {
		var b strings.Builder
		for i := len(s) - 2; i >= 0; i -= 2 {
			b.WriteString(s[i : i+2])
		}
		return b.String()
	}
	return strings.Join([]string{rev(p[0]), rev(p[1]), rev(p[2]), p[3], p[4]}, "-")
}
