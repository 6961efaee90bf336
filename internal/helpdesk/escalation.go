package helpdesk

import (
	"parc/internal/record"
)

// Due names which due time an escalation level watches.
const (
	DueTTO = "tto"
	DueTTR = "ttr"
)

// HistorySLALevel is the history action written when a level fires.
const HistorySLALevel = "sla_level"

// EscalationTypes returns the record types of escalation: the levels of an SLA.
func EscalationTypes() []*record.Type {
	return []*record.Type{
		{Name: "sla-levels", Table: "sla_levels", Singular: "sla_level", Area: Area, Scope: record.OrgScoped, NameField: "name",
			OrgFrom: "sla_id",
			Fields: []*record.Field{
				{Name: "sla_id", Kind: record.Ref, Ref: "slas", Required: true, Sort: true, List: true},
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "due", Kind: record.Enum, Options: []string{DueTTO, DueTTR}, Required: true, Default: DueTTR, Sort: true, List: true},
				// Negative: before the due time (a warning); zero or positive: after it.
				{Name: "offset_minutes", Kind: record.Int, Required: true, Default: int64(0), Min: f64(-1e6), MaxNum: f64(1e6), Sort: true, List: true},
				{Name: "notify", Kind: record.Bool, Default: true, List: true},
				{Name: "group_id", Kind: record.Ref, Ref: "groups", Sort: true, List: true},
				{Name: "raise_priority", Kind: record.Bool, Default: false, List: true},
				{Name: "active", Kind: record.Bool, Default: true, Sort: true, List: true},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: levelBeforeWrite}},
	}
}

// levelBeforeWrite files a level in its SLA's organisation, whatever the caller's
// default one, so that the SLA's managers see and edit its levels with it.
func levelBeforeWrite(w *record.Write) error {
	id, ok := w.New.Values["sla_id"].(int64)
	if !ok {
		return nil
	}
	if m, bad := w.Errors["sla_id"]; bad && m.Key != "err.reference_other_org" {
		return nil
	}
	var org int64
	if err := w.Tx.QueryRowContext(w.Ctx, "SELECT organization_id FROM slas WHERE id = ? AND deleted_at IS NULL", id).Scan(&org); err != nil {
		w.Errors.Add("sla_id", "err.bad_reference")
		return nil
	}
	if !w.Actor.System && !w.Actor.CanIn(w.Service.Reg.MustType("slas"), record.Read, org) {
		w.Errors.Add("sla_id", "err.bad_reference")
		return nil
	}
	for _, f := range []string{"organization_id", "sla_id"} {
		if m, bad := w.Errors[f]; bad && (m.Key == "err.required" || m.Key == "err.reference_other_org") {
			delete(w.Errors, f)
		}
	}
	w.New.OrgID = org
	action := record.Update
	if w.Create {
		action = record.Create
	}
	if !w.Actor.CanIn(w.Type, action, org) {
		w.Errors.Add("organization_id", "err.org_not_allowed")
	}
	if w.New.Values["notify"] != true && w.New.Values["raise_priority"] != true && w.New.Values["group_id"] == nil {
		w.Errors.Add("notify", "err.sla_level_no_action")
	}
	return nil
}
