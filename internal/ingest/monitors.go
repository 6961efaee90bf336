package ingest

import (
	"strings"

	"parc/internal/inventory"
	"parc/internal/record"
)

// applyMonitors keeps one monitors record per monitor the computer reports, linked to
// it by computer_id, besides the monitor components. A monitor is recognised by its
// serial within the computer's organisation, else among the monitors already linked
// to the computer by manufacturer, model and name. One that is linked but no longer
// reported is unlinked, never deleted: it may be on a shelf or on another desk. It
// runs only when the monitors section is reported and changed.
func (r *run) applyMonitors() error {
	t := r.s.App.Reg.MustType("monitors")
	linked, err := r.linkedMonitors()
	if err != nil {
		return err
	}
	kept := map[int64]bool{}
	for _, m := range r.inv.Monitors {
		serial := monitorSerial(m)
		mid, modelID, err := r.makeModel("monitor", m.Manufacturer, m.Model)
		if err != nil {
			return err
		}
		name := clip(firstOf(m.Name, m.Model, m.Description, "Monitor"), 255)
		if serial != "" {
			// Two computers reporting one new monitor at once make one record.
			if err := r.lockName("monitor", serial); err != nil {
				return err
			}
		}
		id, err := r.findMonitor(serial, name, mid, modelID, linked, kept)
		if err != nil {
			return err
		}
		in := record.Input{"computer_id": r.comp.ID}
		if serial != "" {
			in["serial"] = clip(serial, 128)
		}
		if mid != 0 {
			in["manufacturer_id"] = mid
		}
		if modelID != 0 {
			in["model_id"] = modelID
		}
		if id == 0 {
			in["name"], in["organization_id"] = name, r.comp.OrgID
			if loc := r.comp.Int("location_id"); loc != 0 {
				in["location_id"] = loc
			}
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
		if _, err := r.s.App.Records.UpdateTx(r.ctx, r.tx, r.actor, t, id, unlocked(old, in)); err != nil {
			return err
		}
	}
	for _, old := range linked {
		if kept[old.ID] || locks(old)["computer_id"] {
			continue
		}
		if _, err := r.s.App.Records.UpdateTx(r.ctx, r.tx, r.actor, t, old.ID, record.Input{"computer_id": nil}); err != nil {
			return err
		}
	}
	return nil
}

// monitorSerial is the serial that identifies a monitor: EDID's serial string, else
// its serial number, when not a placeholder ("00000000").
func monitorSerial(m inventory.Monitor) string {
	for _, s := range []string{m.Serial, m.AltSerial} {
		if s = strings.TrimSpace(s); !inventory.IsDummySerial(s) {
			return s
		}
	}
	return ""
}

// linkedMonitors are the live monitors records linked to the computer.
func (r *run) linkedMonitors() ([]*record.Record, error) {
	ids, err := r.db.IDs(r.ctx, r.tx, "SELECT id FROM monitors WHERE computer_id = ? AND deleted_at IS NULL ORDER BY id", r.comp.ID)
	if err != nil {
		return nil, err
	}
	t := r.s.App.Reg.MustType("monitors")
	out := make([]*record.Record, 0, len(ids))
	for _, id := range ids {
		rec, err := r.s.App.Records.GetTx(r.ctx, r.tx, r.actor, t, id)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// findMonitor finds a reported monitor's record: by serial in the computer's
// organisation, else a monitor linked to the computer, not matched yet, with the same
// manufacturer, model and name and no other serial.
func (r *run) findMonitor(serial, name string, mid, modelID int64, linked []*record.Record, kept map[int64]bool) (int64, error) {
	if serial != "" {
		id, err := r.findOne("SELECT id FROM monitors WHERE deleted_at IS NULL AND organization_id = ? AND serial = ? ORDER BY id LIMIT 1", r.comp.OrgID, serial)
		if id != 0 || err != nil {
			return id, err
		}
	}
	for _, m := range linked {
		if kept[m.ID] || m.Int("manufacturer_id") != mid || m.Int("model_id") != modelID || !strings.EqualFold(m.String("name"), name) {
			continue
		}
		if s := m.String("serial"); s == "" || s == serial {
			return m.ID, nil
		}
	}
	return 0, nil
}
