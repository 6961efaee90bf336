package demo

import (
	"errors"
	"fmt"
	"time"

	"parc/internal/record"
	"parc/internal/stock"
)

// The demo's stock of spare parts and consumables: the ESN keeps toner for the
// printer models its clients use, disks, memory, keyboards and power supplies in
// its Paris workshop and its Lyon technical room. Parts were received a few weeks
// ago, some issued to tickets since; the HP toner is below its minimum in Paris.

type stockSpec struct {
	name, ref, category, supplier string
	cost                          float64
	models                        string
	threshold                     int64
	paris, lyon                   int64 // received at each site
}

var stockSpecs = []stockSpec{
	{"Toner Brother TN-821XL noir", "TN821XLBK", "toner", "Bechtle France", 89.90, "Brother MFC-L8900CDW", 2, 4, 2},
	{"Toner Brother TN-3600XL", "TN3600XL", "toner", "Bechtle France", 62.50, "Brother HL-L5210DN", 2, 3, 2},
	{"Toner HP 220A noir", "W2200A", "toner", "Inmac Wstore", 96.00, "HP Color LaserJet Pro MFP 4302fdw", 3, 3, 0},
	{"Toner Canon 057H", "3010C002", "toner", "Inmac Wstore", 119.00, "Canon i-SENSYS MF455dw", 1, 2, 1},
	{"SSD Samsung 870 EVO 500 Go", "MZ-77E500B", "disk", "LDLC Pro", 54.90, "Postes fixes et portables (SATA 2,5\")", 2, 5, 3},
	{"SSD NVMe Crucial P3 1 To", "CT1000P3SSD8", "disk", "LDLC Pro", 69.90, "Portables et mini-PC (M.2 2280)", 2, 4, 2},
	{"Mémoire DDR4 SO-DIMM 8 Go 3200", "KVR32S22S8/8", "memory", "LDLC Pro", 22.50, "Portables Dell Latitude, HP ProBook, Lenovo ThinkPad", 4, 8, 6},
	{"Mémoire DDR4 DIMM 16 Go 3200", "KVR32N22D8/16", "memory", "LDLC Pro", 39.90, "Postes fixes Dell OptiPlex, HP ProDesk", 2, 4, 2},
	{"Clavier Logitech K120 AZERTY", "920-002488", "keyboard", "Bechtle France", 14.90, "", 3, 6, 4},
	{"Chargeur USB-C 90 W universel", "PA-1900-USBC", "power_supply", "Inmac Wstore", 34.90, "Portables USB-C (Dell, HP, Lenovo)", 2, 4, 3},
	{"Alimentation ATX 450 W", "BN-450-ATX", "power_supply", "LDLC Pro", 49.90, "Postes fixes tour (ATX)", 1, 2, 1},
	{"Câble RJ45 Cat6 3 m", "CAT6-3M-BL", "cable", "Bechtle France", 3.20, "", 10, 40, 20},
	{"Piles alcalines AA (lot de 4)", "LR6-X4", "battery", "Bechtle France", 4.80, "Souris et claviers sans fil", 4, 12, 8},
}

// stockIssue is a part issued: to the ticket of that title, after minutes from
// its opening, or to no ticket (a desk swap), days business days ago.
type stockIssue struct {
	item, site, ticket string
	quantity           int64
	days, after        int
}

var stockIssues = []stockIssue{
	{"Toner HP 220A noir", "paris", "", 1, 28, 0},
	{"Toner HP 220A noir", "paris", "", 1, 12, 0},
	{"SSD Samsung 870 EVO 500 Go", "paris", "Remplacement d'un disque SSD défectueux", 1, 0, 24 * 60}, // closed since: skipped
	{"Clavier Logitech K120 AZERTY", "paris", "", 1, 9, 0},
	{"Toner Brother TN-821XL noir", "paris", "", 1, 20, 0},
	{"Câble RJ45 Cat6 3 m", "paris", "", 6, 15, 0},
	{"Mémoire DDR4 SO-DIMM 8 Go 3200", "lyon", "", 2, 8, 0},
	{"Chargeur USB-C 90 W universel", "lyon", "Le portable ne charge plus", 1, 0, 20},
	{"Piles alcalines AA (lot de 4)", "paris", "Souris sans fil qui ne répond plus", 1, 0, 25},
}

// stock loads the stock, as the ESN's technicians recorded it (after the tickets, whose parts it issues).
func (d *desk) stock() error {
	st := d.a.Stock
	if st == nil {
		return nil
	}
	ctx, db := d.ctx, d.a.DB
	tech, lyon := d.actors["tech.paris"], d.actors["tech.lyon"]
	if tech == nil || lyon == nil {
		return errors.New("demo: stock needs tech.paris and tech.lyon")
	}
	place := map[string]int64{}
	for key, q := range map[string][2]string{"paris": {"Atelier technique", "PAR-%"}, "lyon": {"Local technique", "LYO-%"}} {
		var id int64
		if err := db.QueryRowContext(ctx, "SELECT id FROM locations WHERE name = ? AND code LIKE ? AND organization_id = ?", q[0], q[1], d.orgs["igs"]).Scan(&id); err != nil {
			return fmt.Errorf("demo: stock location %s: %w", q[0], err)
		}
		place[key] = id
	}
	suppliers := map[string]int64{}
	for _, s := range stockSpecs {
		if _, ok := suppliers[s.supplier]; ok {
			continue
		}
		var id int64
		if err := db.QueryRowContext(ctx, "SELECT id FROM suppliers WHERE name = ?", s.supplier).Scan(&id); err != nil {
			return fmt.Errorf("demo: supplier %s: %w", s.supplier, err)
		}
		suppliers[s.supplier] = id
	}
	// Received six weeks ago.
	d.clock = d.at(day(30, "09:15"))
	items := map[string]int64{}
	for _, s := range stockSpecs {
		in := record.Input{"name": s.name, "reference": s.ref, "category": s.category, "supplier_id": suppliers[s.supplier],
			"unit_cost": s.cost, "threshold": s.threshold, "organization_id": d.orgs["igs"]}
		if s.models != "" {
			in["compatible_models"] = s.models
		}
		r, err := d.create(tech, stock.ItemsType, in)
		if err != nil {
			return err
		}
		items[s.name] = r.ID
		for site, q := range map[string]int64{"paris": s.paris, "lyon": s.lyon} {
			if q == 0 {
				continue
			}
			who := tech
			if site == "lyon" {
				who = lyon
			}
			if _, err := d.create(who, stock.MovementsType, record.Input{"stock_item_id": r.ID, "location_id": place[site], "kind": stock.Received,
				"quantity": q, "comment": "Commande " + s.supplier}); err != nil {
				return err
			}
		}
	}
	// A transfer: keyboards from Paris to Lyon.
	d.clock = d.at(day(25, "14:00"))
	if _, err := d.create(tech, stock.MovementsType, record.Input{"stock_item_id": items["Clavier Logitech K120 AZERTY"], "location_id": place["paris"],
		"to_location_id": place["lyon"], "kind": stock.Transferred, "quantity": 1, "comment": "Pour l'agence de Lyon"}); err != nil {
		return err
	}
	for _, is := range stockIssues {
		who := tech
		if is.site == "lyon" {
			who = lyon
		}
		in := record.Input{"stock_item_id": items[is.item], "location_id": place[is.site], "kind": stock.Issued, "quantity": is.quantity}
		d.clock = d.at(day(is.days, "10:30"))
		if is.ticket != "" {
			var id int64
			var status string
			if err := db.QueryRowContext(ctx, "SELECT id, status FROM tickets WHERE title = ?", is.ticket).Scan(&id, &status); err != nil {
				return fmt.Errorf("demo: ticket %q: %w", is.ticket, err)
			}
			if status == "closed" {
				continue // closed tickets take nothing more
			}
			tk, err := d.a.Records.Get(ctx, who, d.a.Reg.MustType("tickets"), id)
			if err != nil {
				return err
			}
			in["ticket_id"] = id
			if t := tk.CreatedAt.Add(time.Duration(is.after) * time.Minute); t.Before(d.now) {
				d.clock = t
			}
		} else {
			in["comment"] = "Remplacement sur poste"
		}
		if _, err := d.create(who, stock.MovementsType, in); err != nil {
			return err
		}
	}
	return nil
}
