// Package license is software licences: what was bought (type, seats, dates,
// cost, supplier, key), to whom it is given (computers and users), and whether
// the fleet complies, counted from the installations inventories saw and kept up
// to date by a job beside the install-count fold (docs/licenses.md). Keys are
// stored encrypted (internal/secret) and given only to profiles with the right
// read_key on licences.
package license

import (
	"context"
	"errors"
	"strings"

	"parc/internal/record"
	"parc/internal/softver"
	"parc/internal/store"
)

// Kinds of licence, in the order forms offer them.
const (
	PerDevice    = "per_device"
	PerUser      = "per_user"
	PerCore      = "per_core"
	Site         = "site"
	Subscription = "subscription"
	OEM          = "oem"
	Volume       = "volume"
)

// Kinds lists the licence types.
var Kinds = []string{PerDevice, PerUser, PerCore, Site, Subscription, OEM, Volume}

// ReadKey is the right to read licence keys, granted by name in a profile's
// entry for licences ("licenses": ["read", ..., "read_key"]); "*" never gives it.
const ReadKey record.Action = "read_key"

// KeyField is the input that sets a licence's key (an empty string removes it);
// the key is stored sealed in key_cipher, a hidden field.
const KeyField = "license_key"

// keyContext binds sealed keys to their column.
const keyContext = "licenses.key_cipher"

func f64(x float64) *float64 { return &x }

// Types are the licence record types. Keys are sealed by the record service's
// Sealer.
func Types() []*record.Type {
	return []*record.Type{
		{Name: "licenses", Table: "licenses", Singular: "license", Area: record.AreaMaintenance, Scope: record.OrgScoped, NameField: "name",
			Extras: []string{KeyField}, ExtraActions: []record.Action{ReadKey},
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true, Max: 255},
				{Name: "software_id", Kind: record.Ref, Ref: "software", Label: "field.license_software", Sort: true},
				{Name: "publisher", Kind: record.Text, Search: true, Sort: true, Max: 255},
				{Name: "version_min", Label: "field.license_version_min", Kind: record.Text, Max: 64},
				{Name: "version_max", Label: "field.license_version_max", Kind: record.Text, Max: 64},
				{Name: "license_type", Label: "field.license_type", Kind: record.Enum, Options: Kinds, Required: true, Default: PerDevice, Sort: true, List: true},
				{Name: "seats", Label: "field.license_seats", Kind: record.Int, Min: f64(0), MaxNum: f64(1e9), Sort: true, List: true},
				{Name: "installed_count", Label: "field.license_counted", Kind: record.Int, ReadOnly: true, NoHistory: true, Sort: true, List: true, Default: int64(0)},
				{Name: "balance", Label: "field.license_balance", Kind: record.Int, ReadOnly: true, NoHistory: true, Sort: true, List: true},
				{Name: "assigned_count", Label: "field.license_assigned", Kind: record.Int, ReadOnly: true, NoHistory: true, Sort: true, Default: int64(0)},
				{Name: "purchase_date", Kind: record.Date, Sort: true},
				{Name: "expiry_date", Label: "field.license_expiry", Kind: record.Date, Sort: true, List: true},
				{Name: "cost", Label: "field.license_cost", Kind: record.Money, Min: f64(0), Sort: true},
				{Name: "supplier_id", Kind: record.Ref, Ref: "suppliers", Sort: true},
				{Name: "contract_id", Kind: record.Int, Min: f64(1), Label: "field.license_contract"},
				{Name: "key_cipher", Kind: record.Text, Hidden: true, Label: "field.license_key"},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: beforeWrite, AfterWrite: afterWrite}},
		{Name: "license-assignments", Table: "license_assignments", Singular: "license_assignment", Scope: record.OrgScoped, NoTrash: true,
			NameField: "license_id", DefaultSort: "id",
			LabelSQL: "(SELECT name FROM licenses WHERE licenses.id = license_id)",
			OrgFrom:  "license_id",
			Fields: []*record.Field{
				{Name: "license_id", Label: "type.license", Kind: record.Ref, Ref: "licenses", Required: true, Sort: true, List: true},
				{Name: "computer_id", Kind: record.Ref, Ref: "computers", Sort: true, List: true},
				{Name: "assigned_user_id", Label: "field.license_user", Kind: record.Ref, Ref: "users", Sort: true, List: true},
				{Name: "comment", Kind: record.Text, Max: 255, List: true},
			},
			Hooks: record.Hooks{BeforeWrite: assignmentBeforeWrite, AfterWrite: assignmentAfterWrite, BeforeDelete: assignmentBeforeDelete}},
	}
}

// beforeWrite seals a key given, checks the version range and seats.
func beforeWrite(w *record.Write) error {
	if raw, ok := w.Extra[KeyField]; ok {
		switch v := raw.(type) {
		case nil:
			w.New.Values["key_cipher"] = nil
		case string:
			v = strings.TrimSpace(v)
			if v == "" {
				w.New.Values["key_cipher"] = nil
				break
			}
			if len(v) > 4096 {
				w.Errors.Add(KeyField, "err.too_long", 4096)
				break
			}
			if w.Service == nil || w.Service.Sealer == nil {
				return errors.New("licence keys: no secret key configured")
			}
			sealed, err := w.Service.Sealer.Seal(v, keyContext)
			if err != nil {
				return err
			}
			w.New.Values["key_cipher"] = sealed
		default:
			w.Errors.Add(KeyField, "err.not_text")
		}
	}
	lo, hi := strings.TrimSpace(w.New.String("version_min")), strings.TrimSpace(w.New.String("version_max"))
	if lo != "" && hi != "" && softver.Key(lo) > softver.Key(hi) {
		w.Errors.Add("version_max", "err.license_version_range")
	}
	if w.New.String("license_type") != Site && w.New.Values["seats"] == nil {
		w.Errors.Add("seats", "err.license_seats_required")
	}
	return nil
}

// afterWrite keeps the version keys and marks the counts stale when what they
// depend on changed.
func afterWrite(w *record.Write) error {
	changed := w.Old == nil
	if !changed {
		for _, f := range []string{"software_id", "publisher", "version_min", "version_max", "license_type"} {
			if !record.Equal(w.Old.Values[f], w.New.Values[f]) {
				changed = true
			}
		}
		changed = changed || w.Old.OrgID != w.New.OrgID
	}
	if !changed {
		if record.Equal(w.Old.Values["seats"], w.New.Values["seats"]) {
			return nil
		}
		_, err := w.Tx.ExecContext(w.Ctx, "UPDATE licenses SET balance = seats - installed_count WHERE id = ?", w.New.ID)
		return err
	}
	_, err := w.Tx.ExecContext(w.Ctx, "UPDATE licenses SET version_min_key = ?, version_max_key = ?, counts_stale = ?, balance = seats - installed_count WHERE id = ?",
		softver.Key(w.New.String("version_min")), maxKey(w.New.String("version_max")), true, w.New.ID)
	return err
}

// maxKey is the upper bound of a range's keys: "16" takes in 16, 16.0.1234 and
// 16-beta (every key that starts with 16's followed by a separator below '/'),
// and leaves out 17 and 16a. Empty: no upper bound.
func maxKey(v string) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	return softver.Key(v) + "/"
}

// assignmentBeforeWrite: an assignment names a computer or a user, not both.
// It takes its licence's organisation; the computer or user must be of that
// organisation or below it (a licence of a client covers its sites).
func assignmentBeforeWrite(w *record.Write) error {
	pc, user := w.New.Values["computer_id"] != nil, w.New.Values["assigned_user_id"] != nil
	if pc == user {
		w.Errors.Add("computer_id", "err.license_assign_one")
	}
	lid, ok := w.New.Values["license_id"].(int64)
	if !ok {
		return nil
	}
	if w.Old != nil && w.Old.Int("license_id") != lid {
		w.Errors.Add("license_id", "err.read_only")
		return nil
	}
	for _, f := range []string{"license_id", "computer_id", "assigned_user_id"} {
		if m, bad := w.Errors[f]; bad && m.Key != "err.reference_other_org" {
			return nil
		}
	}
	sys := record.SystemActor(w.Actor.Tree, w.Actor.Origin)
	lic, err := w.Service.GetTx(w.Ctx, w.Tx, sys, w.Service.Reg.MustType("licenses"), lid)
	if err != nil {
		return err
	}
	if m, bad := w.Errors["organization_id"]; bad && m.Key == "err.required" {
		delete(w.Errors, "organization_id")
	}
	delete(w.Errors, "license_id")
	w.New.OrgID = lic.OrgID
	if !w.Actor.CanIn(w.Type, record.Create, lic.OrgID) {
		w.Errors.Add("organization_id", "err.org_not_allowed")
	}
	for f, typ := range map[string]string{"computer_id": "computers", "assigned_user_id": "users"} {
		id, ok := w.New.Values[f].(int64)
		if !ok {
			continue
		}
		delete(w.Errors, f)
		target, err := w.Service.GetTx(w.Ctx, w.Tx, sys, w.Service.Reg.MustType(typ), id)
		if err != nil {
			return err
		}
		if !w.Actor.Tree.IsAncestorOrSelf(lic.OrgID, target.OrgID) {
			w.Errors.Add(f, "err.reference_other_org")
			continue
		}
		var n int
		if err := w.Tx.QueryRowContext(w.Ctx, "SELECT COUNT(*) FROM license_assignments WHERE license_id = ? AND "+f+" = ? AND id <> ?", lid, id, w.New.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			w.Errors.Add(f, "err.duplicate")
		}
	}
	return nil
}

func assignmentAfterWrite(w *record.Write) error {
	return recountAssigned(w, w.New.Int("license_id"), 0)
}

func recountAssigned(w *record.Write, license, without int64) error {
	_, err := w.Tx.ExecContext(w.Ctx, `UPDATE licenses SET assigned_count =
		(SELECT COUNT(*) FROM license_assignments WHERE license_id = ? AND deleted_at IS NULL AND id <> ?) WHERE id = ?`, license, without, license)
	return err
}

func assignmentBeforeDelete(ctx context.Context, tx *store.Tx, _ *store.DB, r *record.Record, _ bool) error {
	_, err := tx.ExecContext(ctx, `UPDATE licenses SET assigned_count =
		(SELECT COUNT(*) FROM license_assignments WHERE license_id = ? AND deleted_at IS NULL AND id <> ?) WHERE id = ?`, r.Int("license_id"), r.ID, r.Int("license_id"))
	return err
}
