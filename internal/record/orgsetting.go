package record

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"parc/internal/store"
)

// An organisation's setting (a naming plan, the priority matrix) is stored under
// "<key>@<organisation id>"; the root organisation's is the instance-wide "<key>".
// A sub-organisation without its own value inherits the nearest one up its
// ancestors, so a client sets its plan once for all its subsidiaries.

// OrgSettingKey is the key of org's own value of a setting; root is the root
// organisation, whose value is the instance-wide one.
func OrgSettingKey(key string, org, root int64) string {
	if org == 0 || org == root {
		return key
	}
	return key + "@" + strconv.FormatInt(org, 10)
}

// OrgValue is a setting's value in force for an organisation.
type OrgValue struct {
	Value string
	// Set is false when no organisation up the tree has a value: the default applies.
	Set bool
	// From is the organisation whose own value this is (the root for the
	// instance-wide value); it is the asked organisation when the value is its own.
	From int64
}

// ReadOrgSetting is OrgSetting on committed data, from the store's readers.
func (s *Service) ReadOrgSetting(ctx context.Context, key string, org int64) (OrgValue, error) {
	return s.OrgSetting(ctx, s.DB, key, org)
}

// OrgSetting reads the value of a setting in force for an organisation: its own, or
// the nearest ancestor's, or the instance-wide one. An unknown organisation (or 0,
// for records shared by all) gets the instance-wide value.
func (s *Service) OrgSetting(ctx context.Context, q store.Querier, key string, org int64) (OrgValue, error) {
	var chain []int64 // the organisation, then its ancestors up to the root
	if org != 0 {
		var path string
		err := q.QueryRowContext(ctx, "SELECT path FROM organizations WHERE id = ?", org).Scan(&path)
		if err != nil && err != sql.ErrNoRows {
			return OrgValue{}, err
		}
		for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
			if id, err := strconv.ParseInt(p, 10, 64); err == nil {
				chain = append([]int64{id}, chain...)
			}
		}
	}
	var root int64
	if len(chain) > 0 {
		root = chain[len(chain)-1]
	}
	keys := []any{key}
	for _, id := range chain {
		if id != root {
			keys = append(keys, OrgSettingKey(key, id, root))
		}
	}
	rows, err := q.QueryContext(ctx, "SELECT key, value FROM settings WHERE key IN ("+store.Placeholders(len(keys))+")", keys...)
	if err != nil {
		return OrgValue{}, err
	}
	defer rows.Close()
	found := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return OrgValue{}, err
		}
		found[k] = v
	}
	if err := rows.Err(); err != nil {
		return OrgValue{}, err
	}
	for _, id := range chain {
		if v, ok := found[OrgSettingKey(key, id, root)]; ok {
			return OrgValue{Value: v, Set: true, From: id}, nil
		}
	}
	if v, ok := found[key]; ok {
		return OrgValue{Value: v, Set: true, From: root}, nil
	}
	return OrgValue{}, nil
}

// DeleteSetting removes one setting, so that what it overrode applies again.
func (s *Service) DeleteSetting(ctx context.Context, key string) error {
	_, err := s.DB.Exec(ctx, "DELETE FROM settings WHERE key = ?", key)
	return err
}
