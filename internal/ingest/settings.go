package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"parc/internal/record"
	"parc/internal/store"
)

// DefaultStateSetting names the setting holding the state (id) machines created by
// an inventory start in; none when unset.
const DefaultStateSetting = "inventory.default_state"

// Settings are the inventory settings that hold across organisations: where a new
// machine that no assignment rule places goes (0: the root organisation, as GLPI
// does; a quarantine organisation to review unknown agents), and the state new
// machines start in (0: none).
type Settings struct {
	DefaultOrgID   int64 `json:"default_organization_id"`
	DefaultStateID int64 `json:"default_state_id"`
}

// settingsFields read the settings' input as the record framework reads any
// integer field (JSON numbers or numeric strings; null or "" for 0).
var settingsFields = map[string]*record.Field{
	"default_organization_id": {Name: "default_organization_id", Kind: record.Int, Min: new(0.0)},
	"default_state_id":        {Name: "default_state_id", Kind: record.Int, Min: new(0.0)},
}

// SettingsInput reads the settings sent by the API or a form. Both ids are read; an
// absent one is 0. Unknown members are refused, so that a misspelt name never
// clears a setting.
func SettingsInput(in map[string]any) (Settings, error) {
	var out Settings
	errs := record.FieldErrors{}
	into := map[string]*int64{"default_organization_id": &out.DefaultOrgID, "default_state_id": &out.DefaultStateID}
	for name, v := range in {
		f, ok := settingsFields[name]
		if !ok {
			errs.Add(name, "err.unknown_field")
			continue
		}
		val, msg := f.Parse(v)
		if msg != nil {
			errs.Add(name, msg.Key, msg.Args...)
			continue
		}
		if n, ok := val.(int64); ok {
			*into[name] = n
		}
	}
	return out, errs.Err()
}

// mayManage: whoever may change the inventory rules of every organisation may change
// where unplaced machines go.
func (s *Service) mayManage(a *record.Actor, action record.Action) bool {
	return a.Scope(s.App.Reg.MustType("inventory-rules"), action).All
}

// Settings reads the inventory settings.
func (s *Service) Settings(ctx context.Context, a *record.Actor) (Settings, error) {
	if !s.mayManage(a, record.Read) {
		return Settings{}, record.ErrForbidden()
	}
	var out Settings
	for key, into := range map[string]*int64{DefaultOrgSetting: &out.DefaultOrgID, DefaultStateSetting: &out.DefaultStateID} {
		v, err := s.App.Records.Setting(ctx, s.App.DB, key)
		if err != nil {
			return Settings{}, err
		}
		*into = record.ParseID(v)
	}
	return out, nil
}

// MayManage reports whether the actor may read and change the inventory settings.
func (s *Service) MayManage(a *record.Actor) bool { return s.mayManage(a, record.Update) }

// SetSettings checks and writes the inventory settings, and records who changed them,
// from where (ip), in the audit trail.
func (s *Service) SetSettings(ctx context.Context, a *record.Actor, in Settings, ip string) (Settings, error) {
	if !s.mayManage(a, record.Update) {
		return Settings{}, record.ErrForbidden()
	}
	errs := record.FieldErrors{}
	if in.DefaultOrgID != 0 && a.Tree.Get(in.DefaultOrgID) == nil {
		errs.Add("default_organization_id", "err.bad_reference")
	}
	if in.DefaultStateID != 0 {
		if ok, err := liveState(ctx, s.App.DB, s.App.DB, in.DefaultStateID); err != nil {
			return Settings{}, err
		} else if !ok {
			errs.Add("default_state_id", "err.bad_reference")
		}
	}
	if err := errs.Err(); err != nil {
		return Settings{}, err
	}
	value := func(id int64) string {
		if id == 0 {
			return ""
		}
		return record.Format(id)
	}
	err := s.App.DB.Tx(ctx, func(tx *store.Tx) error {
		for key, v := range map[string]string{DefaultOrgSetting: value(in.DefaultOrgID), DefaultStateSetting: value(in.DefaultStateID)} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, v); err != nil {
				return err
			}
		}
		return s.App.Auth.AuditTx(ctx, tx, "inventory_settings", a.UserID, a.Login, ip,
			fmt.Sprintf("default_organization_id=%d default_state_id=%d", in.DefaultOrgID, in.DefaultStateID))
	})
	if err != nil {
		return Settings{}, err
	}
	return in, nil
}

// liveState reports whether a state exists and is not in the trash.
func liveState(ctx context.Context, q store.Querier, db *store.DB, id int64) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM states WHERE id = ? AND organization_id IS NULL AND deleted_at IS NULL", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// setDefaultState gives a machine this inventory creates the settings' state, unless
// that state was trashed since (the machine then has none, rather than the inventory
// failing).
func (r *run) setDefaultState(in record.Input) error {
	v, err := r.s.App.Records.Setting(r.ctx, r.tx, DefaultStateSetting)
	if err != nil || v == "" {
		return err
	}
	id := record.ParseID(v)
	if ok, err := liveState(r.ctx, r.tx, r.db, id); err != nil || !ok {
		return err
	}
	in["state_id"] = id
	return nil
}
