package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"parc/internal/asset"
	"parc/internal/record"
)

// demoLicense is a software licence of the demo, on software its inventories
// report: one over-deployed, one expiring soon, one compliant.
type demoLicense struct {
	org, name, software, kind string
	seats                     any
	min, max                  string
	purchased, expires        int // days from now (0: none)
	cost                      float64
	supplier, key             string
}

var demoLicenses = []demoLicense{
	// Bought for two accountants; the inventories see it on more machines.
	{"bm", "Sage 100cloud Comptabilité — 2 postes", "Sage 100cloud Comptabilité", "per_device", 2, "9", "9", -400, 330, 1890, "Inmac Wstore", "S100C-7Q4M2-XK9PL-3HT8R"},
	// The Microsoft 365 subscription, renewed each year: due in three weeks.
	{"bm", "Microsoft 365 Apps for business", "Microsoft 365 Apps for business", "subscription", 60, "16", "16", -345, 20, 4680, "Inmac Wstore", "M365-BM-TENANT-0042"},
	{"igs", "Remote Desktop Manager Team", "Remote Desktop Manager", "per_user", 20, "2024", "", -200, 165, 2250, "Bechtle France", "RDM-TEAM-1F7C-99A0-4D21"},
	{"cda", "Dragon Professional Individual 15", "Dragon Professional Individual", "per_device", 10, "15", "15", -700, 0, 3960, "", "DPI15-3344-8812-7766-1029"},
}

// loadLicenses records the demo's licences once the inventories are in, and
// counts them.
func loadLicenses(ctx context.Context, a *Services, orgs map[string]int64, now time.Time) (int, error) {
	if a.Licenses == nil {
		return 0, nil
	}
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		return 0, err
	}
	lt := a.Reg.MustType("licenses")
	n := 0
	var ids []int64
	for _, l := range demoLicenses {
		var sw int64
		err := a.DB.QueryRowContext(ctx, "SELECT id FROM software WHERE name_key LIKE ? ORDER BY install_count DESC, id LIMIT 1", asset.SoftwareKey(l.software)+"%").Scan(&sw)
		if errors.Is(err, sql.ErrNoRows) {
			continue // the demo's inventories did not report it
		}
		if err != nil {
			return n, err
		}
		in := record.Input{"organization_id": orgs[l.org], "name": l.name, "software_id": sw, "license_type": l.kind, "seats": l.seats,
			"version_min": l.min, "version_max": l.max, "cost": l.cost, "license_key": l.key,
			"purchase_date": now.AddDate(0, 0, l.purchased).Format("2006-01-02")}
		if l.expires != 0 {
			in["expiry_date"] = now.AddDate(0, 0, l.expires).Format("2006-01-02")
		}
		if l.supplier != "" {
			var id int64
			if err := a.DB.QueryRowContext(ctx, "SELECT id FROM suppliers WHERE name = ? AND deleted_at IS NULL", l.supplier).Scan(&id); err == nil {
				in["supplier_id"] = id
			}
		}
		r, err := a.Records.Create(ctx, sys, lt, in)
		if err != nil {
			return n, describe("licenses", l.name, err)
		}
		ids = append(ids, r.ID)
		n++
	}
	// What the jobs do in `parc serve`: fold the installations, count the
	// licences, send the alerts due.
	if _, err := a.Inventory.FoldInstallCounts(ctx); err != nil {
		return n, err
	}
	if _, err := a.Licenses.RecountStale(ctx, 1000); err != nil {
		return n, err
	}
	if _, err := a.Licenses.RunAlerts(ctx); err != nil {
		return n, fmt.Errorf("demo: licence alerts: %w", err)
	}
	// The first licence's two seats are given to the first two machines it counts.
	if len(ids) > 0 {
		pcs, _, err := a.Licenses.Counted(ctx, sys, ids[0], 0)
		if err != nil {
			return n, err
		}
		for _, pc := range pcs[:min(2, len(pcs))] {
			if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("license-assignments"), record.Input{"license_id": ids[0], "computer_id": pc.ID, "comment": "Poste comptabilité"}); err != nil {
				return n, describe("license-assignments", pc.Name, err)
			}
		}
	}
	return n, nil
}
