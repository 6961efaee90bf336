// Package lifecycle is the end of an asset's life and what it costs: disposals
// (DEEE), reconditionings (a recorded data wipe, then back to stock), the
// depreciation of purchase prices, budgets per organisation and year, and the
// renewal plan (which assets to replace, why, and a yearly forecast of count and
// cost). docs/lifecycle.md describes the rules.
package lifecycle

import (
	"context"

	"parc/internal/record"
	"parc/internal/store"
)

// Area is the menu area of the lifecycle types.
const Area = record.AreaMaintenance

// Outcomes are what became of a disposed asset.
var Outcomes = []string{"reuse", "recycling", "destruction"}

// WipeMethods are the recognised ways to wipe an asset's data (NIST SP 800-88
// levels, as the ANSSI also recommends them).
var WipeMethods = []string{"nist_clear", "nist_purge", "crypto_erase", "destruction", "other"}

func f64(x float64) *float64 { return &x }

// assetFields name the asset a lifecycle record is about, as a ticket's items do:
// its type (a fleet type) and id; the name is kept for the record.
func assetFields() []*record.Field {
	return []*record.Field{
		{Name: "asset_name", Kind: record.Text, ReadOnly: true, Search: true, Sort: true, List: true, Label: "field.asset"},
		{Name: "asset_type", Kind: record.Enum, Options: FleetTypes, Required: true, Sort: true, List: true},
		{Name: "asset_id", Kind: record.Int, Required: true, Min: f64(1), Label: "field.asset_number"},
	}
}

// FleetTypes are the asset types that depreciate, are disposed of and renewed.
var FleetTypes = []string{"computers", "monitors", "network-equipment", "printers", "phones", "peripherals"}

// Types returns the lifecycle record types; reg gives the registry they end up
// in (a disposal put in the trash finds its asset's type there).
func Types(reg func() *record.Registry) []*record.Type {
	disposalDelete := func(ctx context.Context, tx *store.Tx, db *store.DB, r *record.Record, purge bool) error {
		return undispose(ctx, tx, reg(), r)
	}
	return []*record.Type{
		{Name: "disposals", Table: "disposals", Singular: "disposal", Area: Area, Scope: record.OrgScoped, NameField: "asset_name",
			DefaultSort: "-disposed_on", OrgFrom: "asset_id",
			Fields: append(assetFields(),
				&record.Field{Name: "disposed_on", Kind: record.Date, Required: true, Sort: true, List: true},
				&record.Field{Name: "recycler_id", Kind: record.Ref, Ref: "suppliers", Sort: true, List: true},
				&record.Field{Name: "outcome", Kind: record.Enum, Options: Outcomes, Required: true, Default: "recycling", Sort: true, List: true},
				&record.Field{Name: "weight_kg", Kind: record.Decimal, Min: f64(0), MaxNum: f64(100000), Sort: true, List: true},
				&record.Field{Name: "data_wiped", Kind: record.Bool, Default: false, List: true},
				&record.Field{Name: "certificate_number", Kind: record.Text, Max: 100, Search: true, List: true},
				&record.Field{Name: "certificate_url", Kind: record.URL},
				&record.Field{Name: "comment", Kind: record.LongText},
			),
			Hooks: record.Hooks{BeforeWrite: disposalBefore, AfterWrite: disposalAfter, BeforeDelete: disposalDelete, BeforeRestore: disposalRestore}},
		{Name: "reconditionings", Table: "reconditionings", Singular: "reconditioning", Area: Area, Scope: record.OrgScoped, NameField: "asset_name",
			DefaultSort: "-wiped_on", OrgFrom: "asset_id",
			Fields: append(assetFields(),
				&record.Field{Name: "wiped_on", Kind: record.Date, Required: true, Sort: true, List: true},
				&record.Field{Name: "method", Kind: record.Enum, Options: WipeMethods, Required: true, Default: "nist_purge", Sort: true, List: true},
				&record.Field{Name: "tool", Kind: record.Text, Max: 200, Search: true, List: true},
				&record.Field{Name: "proof", Kind: record.LongText},
				&record.Field{Name: "proof_url", Kind: record.URL},
				&record.Field{Name: "checks", Kind: record.LongText},
				&record.Field{Name: "technician_id", Kind: record.Ref, Ref: "users", Sort: true, List: true},
				&record.Field{Name: "comment", Kind: record.LongText},
			),
			Hooks: record.Hooks{BeforeWrite: reconditionBefore, AfterWrite: reconditionAfter}},
		{Name: "budgets", Table: "budgets", Singular: "budget", Area: Area, Scope: record.OrgScoped, NameField: "name",
			DefaultSort: "-year",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Max: 200, Search: true, Sort: true, List: true},
				{Name: "year", Kind: record.Int, Required: true, Min: f64(2000), MaxNum: f64(2100), Sort: true, List: true},
				{Name: "amount", Kind: record.Money, Required: true, Min: f64(0), MaxNum: f64(1e12), Sort: true, List: true},
				{Name: "comment", Kind: record.LongText},
			}},
	}
}

// assetOf reads the asset a lifecycle record names, as the writer may read it,
// and files the record in the asset's organisation. nil when the reference is
// already reported as wrong.
func assetOf(w *record.Write) (*record.Record, error) {
	typ, id := w.New.String("asset_type"), w.New.Int("asset_id")
	if typ == "" || id <= 0 {
		return nil, nil
	}
	if w.Old != nil && (w.Old.String("asset_type") != typ || w.Old.Int("asset_id") != id) {
		w.Errors.Add("asset_id", "err.lifecycle_asset_moved")
		return nil, nil
	}
	t, ok := w.Service.Reg.Type(typ)
	if !ok || t.DisposedField == "" {
		w.Errors.Add("asset_type", "err.bad_reference")
		return nil, nil
	}
	a, err := w.Service.GetTx(w.Ctx, w.Tx, w.Actor, t, id)
	if err != nil {
		if e, ok := record.AsError(err); ok && e.Code == record.CodeNotFound {
			w.Errors.Add("asset_id", "err.bad_reference")
			return nil, nil
		}
		return nil, err
	}
	if a.DeletedAt != nil {
		w.Errors.Add("asset_id", "err.bad_reference")
		return nil, nil
	}
	if m, bad := w.Errors["organization_id"]; bad && m.Key == "err.required" {
		delete(w.Errors, "organization_id")
	}
	w.New.OrgID = a.OrgID
	w.New.Values["asset_name"] = a.Label()
	action := record.Update
	if w.Create {
		action = record.Create
	}
	if !w.Actor.CanIn(w.Type, action, a.OrgID) {
		w.Errors.Add("organization_id", "err.org_not_allowed")
	}
	// Recording what happened to an asset changes it: its state, its disposal date.
	if !w.Actor.CanRecord(a, record.Update) {
		w.Errors.Add("asset_id", "err.lifecycle_asset_readonly")
	}
	return a, nil
}

func disposalBefore(w *record.Write) error {
	a, err := assetOf(w)
	if err != nil || a == nil {
		return err
	}
	if w.Create && a.Get(a.Type.DisposedField) != nil {
		w.Errors.Add("asset_id", "err.lifecycle_already_disposed")
	}
	return nil
}

// disposalAfter writes the disposal onto the asset: the day it left the fleet
// and the "disposed" state. The asset's history says so, by the disposal's writer.
func disposalAfter(w *record.Write) error {
	if len(w.Errors) > 0 {
		return nil
	}
	if !w.Create && w.Old.String("disposed_on") == w.New.String("disposed_on") {
		return nil
	}
	in := record.Input{"disposed_at": w.New.String("disposed_on")}
	if w.Create {
		st, err := stateByCode(w.Ctx, w.Tx, "disposed")
		if err != nil {
			return err
		}
		if st != 0 {
			in["state_id"] = st
		}
	}
	return setAsset(w.Ctx, w.Tx, w.Service, w.Actor, w.New, in)
}

// undispose: a disposal put in the trash puts its asset back in the fleet.
func undispose(ctx context.Context, tx *store.Tx, reg *record.Registry, r *record.Record) error {
	if r.DeletedAt != nil {
		return nil // purged from the trash: its trashing already did it
	}
	t, ok := reg.Type(r.String("asset_type"))
	if !ok {
		return nil
	}
	_, err := tx.ExecContext(ctx, "UPDATE "+t.Table+" SET "+t.DisposedField+" = NULL WHERE id = ?", r.Int("asset_id"))
	return err
}

// disposalRestore: a disposal taken out of the trash disposes of its asset again,
// unless another disposal did meanwhile.
func disposalRestore(w *record.Write) error {
	a, err := assetOf(w)
	if err != nil || a == nil {
		return err
	}
	if a.Get(a.Type.DisposedField) != nil {
		w.Errors.Add("asset_id", "err.lifecycle_already_disposed")
		return nil
	}
	return setAsset(w.Ctx, w.Tx, w.Service, w.Actor, w.New, record.Input{"disposed_at": w.New.String("disposed_on")})
}

func reconditionBefore(w *record.Write) error {
	if w.Create && w.New.Values["technician_id"] == nil && w.Actor.UserID != 0 {
		w.New.Values["technician_id"] = w.Actor.UserID
	}
	a, err := assetOf(w)
	if err != nil || a == nil {
		return err
	}
	if a.Get(a.Type.DisposedField) != nil {
		w.Errors.Add("asset_id", "err.lifecycle_disposed")
	}
	return nil
}

// reconditionAfter puts a wiped asset back in stock, with no user.
func reconditionAfter(w *record.Write) error {
	if !w.Create || len(w.Errors) > 0 {
		return nil
	}
	in := record.Input{"user_id": nil}
	st, err := stateByCode(w.Ctx, w.Tx, "stock")
	if err != nil {
		return err
	}
	if st != 0 {
		in["state_id"] = st
	}
	return setAsset(w.Ctx, w.Tx, w.Service, w.Actor, w.New, in)
}

// setAsset changes the asset a lifecycle record names, through the record
// framework (history by the same user), on the rights the record's own write
// was allowed on.
func setAsset(ctx context.Context, tx *store.Tx, rec *record.Service, a *record.Actor, r *record.Record, in record.Input) error {
	t, ok := rec.Reg.Type(r.String("asset_type"))
	if !ok {
		return nil
	}
	_, err := rec.UpdateTx(ctx, tx, a.Elevated("lifecycle"), t, r.Int("asset_id"), in)
	return err
}

// stateByCode finds the shared asset state of a code (the default states of
// asset.DefaultStates); 0 when there is none.
func stateByCode(ctx context.Context, q store.Querier, code string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT COALESCE(MIN(id), 0) FROM states WHERE code = ? AND organization_id IS NULL AND deleted_at IS NULL", code).Scan(&id)
	return id, err
}
