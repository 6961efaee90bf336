package demo

import (
	"context"
	"fmt"
	"strconv"

	"parc/internal/record"
)

// Lifecycle demo data (internal/lifecycle): replacement costs on the computer
// models, a few network devices depreciated on a declining balance, budgets for
// the client organisations this year and last, and an old computer of
// Boulangeries Martin wiped and then disposed of with its collection
// certificate (it has left the fleet: lists and counts leave it out).
func loadLifecycle(ctx context.Context, a *Services, orgs map[string]int64) error {
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		return err
	}
	rec, reg := a.Records, a.Reg
	costs := map[string]float64{"Latitude 5440": 1250, "OptiPlex 7010 SFF": 820, "EliteBook 840 G10": 1400, "ProDesk 400 G9 SFF": 720,
		"ThinkPad T14 Gen 4": 1300, "ThinkCentre M70q Gen 4": 790}
	for name, cost := range costs {
		var id int64
		if err := a.DB.QueryRowContext(ctx, "SELECT COALESCE(MIN(id), 0) FROM models WHERE name = ? AND deleted_at IS NULL", name).Scan(&id); err != nil {
			return err
		}
		if id == 0 {
			continue
		}
		if _, err := rec.Update(ctx, sys, reg.MustType("models"), id, record.Input{"replacement_cost": cost}); err != nil {
			return describe("models", name, err)
		}
	}
	// Network equipment depreciates over 5 years, declining.
	rows, err := a.DB.QueryContext(ctx, "SELECT id FROM network_equipment WHERE deleted_at IS NULL AND purchase_price IS NOT NULL ORDER BY id")
	if err != nil {
		return err
	}
	var net []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		net = append(net, id)
	}
	rows.Close()
	for _, id := range net {
		if _, err := rec.Update(ctx, sys, reg.MustType("network-equipment"), id, record.Input{"depreciation_method": "declining", "depreciation_years": 5}); err != nil {
			return describe("network-equipment", strconv.FormatInt(id, 10), err)
		}
	}
	year := rec.Now().Year()
	budgets := []struct {
		org, name string
		amount    float64
	}{
		{"bm", "Renouvellement du parc informatique", 60000}, {"mtr", "Équipement du laboratoire traiteur", 15000},
		{"cda", "Postes et impression du cabinet", 35000}, {"igs", "Matériel interne et outillage", 25000},
	}
	for _, b := range budgets {
		for _, y := range []int{year - 1, year} {
			if _, err := rec.Create(ctx, sys, reg.MustType("budgets"), record.Input{"organization_id": orgs[b.org], "name": b.name,
				"year": y, "amount": b.amount}); err != nil {
				return describe("budgets", b.name, err)
			}
		}
	}
	recycler, err := rec.Create(ctx, sys, reg.MustType("suppliers"), record.Input{"name": "Atlantique Recyclage DEEE",
		"email": "collecte@atlantique-recyclage.fr", "phone": "+33 2 40 00 12 34",
		"comment": "Collecte et traitement des déchets d'équipements électriques et électroniques, certificats de destruction."})
	if err != nil {
		return describe("suppliers", "Atlantique Recyclage DEEE", err)
	}
	old, err := rec.Create(ctx, sys, reg.MustType("computers"), record.Input{"organization_id": orgs["bm"], "name": "BM-FIXE-2017",
		"serial": "5CG7301XYZ", "purchase_date": "2017-03-14", "purchase_price": 640, "warranty_end": "2020-03-13",
		"comment": "Ancien poste de la comptabilité, remplacé."})
	if err != nil {
		return describe("computers", "BM-FIXE-2017", err)
	}
	id := strconv.FormatInt(old.ID, 10)
	var techUser int64
	if err := a.DB.QueryRowContext(ctx, "SELECT COALESCE(MIN(id), 0) FROM users WHERE login = ?", "tech.paris").Scan(&techUser); err != nil {
		return err
	}
	wipe := record.Input{"asset_type": "computers", "asset_id": id, "wiped_on": fmt.Sprintf("%d-01-20", year),
		"method": "nist_purge", "tool": "Blancco Drive Eraser 7", "proof": "Rapport Blancco n° BL-2025-0412 : effacement réussi, 1 disque SSD 256 Go, vérification 100 %.",
		"checks": "Démarrage sans disque système, aucun volume lisible, étiquettes d'inventaire retirées."}
	if techUser != 0 {
		wipe["technician_id"] = techUser
	}
	if _, err := rec.Create(ctx, sys, reg.MustType("reconditionings"), wipe); err != nil {
		return describe("reconditionings", "BM-FIXE-2017", err)
	}
	if _, err := rec.Create(ctx, sys, reg.MustType("disposals"), record.Input{"asset_type": "computers", "asset_id": id,
		"disposed_on": fmt.Sprintf("%d-02-03", year), "recycler_id": recycler.ID, "outcome": "recycling", "weight_kg": 7.5,
		"data_wiped": true, "certificate_number": "ARD-" + strconv.Itoa(year) + "-00871",
		"certificate_url": "https://atlantique-recyclage.fr/certificats/ARD-" + strconv.Itoa(year) + "-00871.pdf",
		"comment":         "Collecte groupée au siège de Nantes (unité centrale seule)."}); err != nil {
		return describe("disposals", "BM-FIXE-2017", err)
	}
	return nil
}
