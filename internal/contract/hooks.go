package contract

import (
	"parc/internal/helpdesk"
	"parc/internal/record"
)

// contractBeforeWrite derives the end and notice dates and checks what a client
// service contract needs.
func contractBeforeWrite(w *record.Write) error {
	v := w.New.Values
	start, ok := parseDay(w.New.String("start_date"))
	months := w.New.Int("duration_months")
	if !ok || months <= 0 {
		return nil // reported by the field checks
	}
	d := Derive(start, int(months), int(w.New.Int("renewals")), int(w.New.Int("notice_months")))
	v["end_date"] = d.End.Format(DateLayout)
	v["notice_date"] = nil
	if d.HasNotice {
		if d.Notice.Before(start) {
			w.Errors.Add("notice_months", "err.contract_notice_too_long")
		}
		v["notice_date"] = d.Notice.Format(DateLayout)
	}
	if w.New.String("kind") != ClientService && v["hours_sold"] != nil && w.New.Int("hours_sold") > 0 {
		w.Errors.Add("hours_sold", "err.contract_hours_client_only")
	}
	if v["cost"] != nil && v["cost_period"] == nil {
		v["cost_period"] = "yearly"
	}
	return nil
}

// coveredBeforeWrite checks a covered asset: the contract is one the actor may
// change (its organisation is the link's), the asset exists, is live, and
// belongs to the contract's organisation, one below it or one above it; an
// asset is covered once per contract.
func coveredBeforeWrite(w *record.Write) error {
	id, ok := w.New.Values["contract_id"].(int64)
	if !ok {
		return nil
	}
	if w.Old != nil && w.Old.Int("contract_id") != id {
		w.Errors.Add("contract_id", "err.contract_moved")
		return nil
	}
	if m, bad := w.Errors["contract_id"]; bad && m.Key != "err.reference_other_org" {
		return nil
	}
	ct, err := w.Service.GetTx(w.Ctx, w.Tx, w.Actor, w.Service.Reg.MustType("contracts"), id)
	if err != nil {
		if e, ok := record.AsError(err); ok && e.Code == record.CodeNotFound {
			w.Errors.Add("contract_id", "err.bad_reference")
			return nil
		}
		return err
	}
	if m, bad := w.Errors["organization_id"]; bad && m.Key == "err.required" {
		delete(w.Errors, "organization_id")
	}
	if m, bad := w.Errors["contract_id"]; bad && m.Key == "err.reference_other_org" {
		delete(w.Errors, "contract_id")
	}
	w.New.OrgID = ct.OrgID
	action := record.Update
	if w.Create {
		action = record.Create
	}
	if !w.Actor.CanIn(w.Type, action, ct.OrgID) {
		w.Errors.Add("organization_id", "err.org_not_allowed")
	}
	if ct.DeletedAt != nil {
		w.Errors.Add("contract_id", "err.bad_reference")
	}
	return helpdesk.CheckLinkedItem(w, ct.OrgID, "contract_assets", "contract_id", ct.ID, "err.contract_asset_duplicate")
}
