package license

import (
	"context"
	"time"

	"parc/internal/notify"
	"parc/internal/record"
	"parc/internal/store"
)

// Alert kinds: a licence's expiry date is within the notice (expiring), or has
// passed (expired); more is installed than its seats (over).
const (
	AlertExpiring = "license_expiring"
	AlertExpired  = "license_expired"
	AlertOver     = "license_over"
)

// RunAlerts sends the alerts due at s.Now(), each once per licence, kind and
// date it is about (an expiry date moved later is announced again), to the
// users who may change the licence, in-app (notify.Record). An over-deployment announced is
// forgotten when the licence complies again, so a new one is announced. It
// reports how many alerts it sent.
func (s *Service) RunAlerts(ctx context.Context) (int, error) {
	now := s.Now()
	today := now.Format("2006-01-02")
	notice := now.Add(s.ExpiryNotice).Format("2006-01-02")
	rows, err := s.Rec.DB.QueryContext(ctx, `SELECT l.id, l.organization_id, o.path, l.name, l.expiry_date, l.balance FROM licenses l
		JOIN organizations o ON o.id = l.organization_id
		WHERE l.deleted_at IS NULL AND (l.expiry_date IS NOT NULL OR l.balance IS NOT NULL) ORDER BY l.id`)
	if err != nil {
		return 0, err
	}
	type due struct {
		id, org     int64
		path, name  string
		kind, about string
		detail      string
		clearOver   bool
	}
	var list []due
	for rows.Next() {
		var id, org int64
		var path, name string
		var expiry, balance any
		if err := rows.Scan(&id, &org, &path, &name, &expiry, &balance); err != nil {
			rows.Close()
			return 0, err
		}
		if e := record.Format(dateField.FromDB(expiry)); e != "" {
			switch {
			case e < today:
				list = append(list, due{id: id, org: org, path: path, name: name, kind: AlertExpired, about: e, detail: e})
			case e <= notice:
				list = append(list, due{id: id, org: org, path: path, name: name, kind: AlertExpiring, about: e, detail: e})
			}
		}
		if b, ok := intField.FromDB(balance).(int64); ok {
			if b < 0 {
				list = append(list, due{id: id, org: org, path: path, name: name, kind: AlertOver, about: "", detail: record.Format(-b)})
			} else {
				list = append(list, due{id: id, kind: AlertOver, clearOver: true})
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range list {
		if d.clearOver {
			if _, err := s.Rec.DB.Exec(ctx, "DELETE FROM license_alerts WHERE license_id = ? AND kind = ?", d.id, AlertOver); err != nil {
				return sent, err
			}
			continue
		}
		fresh := false
		err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
			fresh = false
			res, err := tx.ExecContext(ctx, "INSERT INTO license_alerts (license_id, kind, about, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", d.id, d.kind, d.about, now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			fresh = true
			users, err := s.audience(ctx, tx, d.org, d.path)
			if err != nil || s.Notify == nil {
				return err
			}
			key := d.kind + ":" + d.about
			if d.kind == AlertOver {
				key += today // a later over-deployment is a new one
			}
			_, err = s.Notify.Record(ctx, tx, users, notify.Note{Type: "licenses", ID: d.id, Org: d.org, Event: d.kind, Key: key, Detail: d.detail})
			return err
		})
		if err != nil {
			return sent, err
		}
		if fresh {
			sent++
		}
	}
	return sent, nil
}

var (
	dateField = &record.Field{Name: "d", Kind: record.Date}
	intField  = &record.Field{Name: "n", Kind: record.Int}
)

// audience is the active users who may change licences in an organisation (a
// grant there, or a recursive one above it, whose profile allows update on
// licences).
func (s *Service) audience(ctx context.Context, tx *store.Tx, org int64, path string) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.user_id, a.organization_id, a.recursive, o.path, p.rights FROM authorizations a
		JOIN users u ON u.id = a.user_id JOIN profiles p ON p.id = a.profile_id JOIN organizations o ON o.id = a.organization_id
		WHERE a.deleted_at IS NULL AND u.deleted_at IS NULL AND u.active = ? AND p.deleted_at IS NULL ORDER BY a.user_id`, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[int64]bool{}
	var out []int64
	lic := s.licenses()
	for rows.Next() {
		var user, grantOrg int64
		var rec any
		var grantPath, rights string
		if err := rows.Scan(&user, &grantOrg, &rec, &grantPath, &rights); err != nil {
			return nil, err
		}
		if seen[user] {
			continue
		}
		covers := grantOrg == org || truthy(boolField.FromDB(rec)) && len(path) > len(grantPath) && path[:len(grantPath)] == grantPath
		if !covers {
			continue
		}
		r, err := record.ParseRights(rights, nil)
		if err != nil || !r.Allows(lic.Name, record.Update) {
			continue
		}
		seen[user] = true
		out = append(out, user)
	}
	return out, rows.Err()
}

var boolField = &record.Field{Name: "b", Kind: record.Bool}

// Alerted lists the alerts sent about a licence (kind and when).
func (s *Service) Alerted(ctx context.Context, id int64) (map[string]time.Time, error) {
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT kind, created_at FROM license_alerts WHERE license_id = ?", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var k string
		var at any
		if err := rows.Scan(&k, &at); err != nil {
			return nil, err
		}
		out[k], _ = tsField.FromDB(at).(time.Time)
	}
	return out, rows.Err()
}
