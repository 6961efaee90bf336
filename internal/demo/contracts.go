package demo

import (
	"context"
	"strings"
	"time"

	"parc/internal/record"
)

// contractSpec is a demo contract; its dates follow the day of the load.
type contractSpec struct {
	org, number, name, kind, supplier string
	start                             func(today time.Time) time.Time
	months, notice                    int64
	renewal                           string
	cost                              float64
	period, coverage                  string
	response, repair, hoursSold       int64
	responsible, group                string
	comment                           string
	// covers selects the assets covered: SQL over contract-assets' item types,
	// returning (type, id) rows, with the organisation's id as its argument.
	covers string
}

// monthStart is the first day of the month months from today's.
func monthStart(months int) func(time.Time) time.Time {
	return func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month()+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	}
}

var contractSpecs = []contractSpec{
	{org: "bm", number: "IGS-BM-2026", name: "Infogérance Boulangeries Martin", kind: "client_service",
		start: monthStart(-5), months: 12, notice: 2, renewal: "tacit", cost: 1450, period: "monthly", coverage: "business_hours",
		response: 4, repair: 24, hoursSold: 120, responsible: "tech.paris", group: "Support N2",
		comment: "Support utilisateurs, maintenance des postes et du réseau du siège et des boutiques. Heures au-delà du forfait facturées au réel.",
		// The assets of the client's tickets, and its first computers.
		covers: `SELECT DISTINCT i.item_type, i.item_id FROM ticket_items i JOIN tickets t ON t.id = i.ticket_id
			WHERE t.organization_id = ? AND i.deleted_at IS NULL AND t.deleted_at IS NULL
			UNION SELECT 'computers', c.id FROM (SELECT id FROM computers WHERE organization_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 8) c`},
	// Near its notice deadline: notice is due in about three weeks.
	{org: "bm", number: "LDLC-MNT-0457", name: "Maintenance des imprimantes", kind: "maintenance", supplier: "LDLC Pro",
		start:  func(t time.Time) time.Time { return time.Date(t.Year(), t.Month()-9, t.Day()+21, 0, 0, 0, 0, time.UTC) },
		months: 12, notice: 3, renewal: "tacit", cost: 780, period: "quarterly", coverage: "business_hours",
		response: 8, repair: 48, responsible: "resp.martin",
		comment: "Pièces et main-d'œuvre, toner exclu. Résiliation par lettre recommandée.",
		covers:  `SELECT 'printers', id FROM printers WHERE organization_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 6`},
	{org: "bm", number: "BM-CAISSE-2022", name: "Support des caisses (ancien contrat)", kind: "support", supplier: "Fournil Équipement Nantes",
		start: monthStart(-40), months: 36, notice: 3, renewal: "explicit", cost: 2400, period: "yearly", coverage: "extended_hours",
		response: 24, responsible: "resp.martin",
		comment: "Remplacé par le contrat d'infogérance ; gardé pour mémoire."},
	{org: "cda", number: "INM-EXT-2291", name: "Extension de garantie des portables", kind: "warranty_extension", supplier: "Inmac Wstore",
		start: monthStart(-14), months: 36, notice: 0, renewal: "explicit", cost: 3960, period: "yearly", coverage: "business_hours",
		response: 24, repair: 72, group: "Support N2",
		comment: "Garantie constructeur portée à 5 ans, intervention sur site J+1.",
		covers:  `SELECT 'computers', id FROM computers WHERE organization_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 8`},
	{org: "igs", number: "OBS-NET-7781", name: "Support du réseau du siège", kind: "subscription", supplier: "Orange Business",
		start: monthStart(-3), months: 24, notice: 1, renewal: "tacit", cost: 690, period: "monthly", coverage: "always",
		response: 2, repair: 8, responsible: "chef.support", group: "Support N2",
		covers: `SELECT 'network-equipment', id FROM network_equipment WHERE organization_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 10`},
}

// supplierItemSpecs are what the demo suppliers supply, with their promised lead times.
var supplierItemSpecs = []struct {
	supplier, reference, label, category string
	price                                float64
	lead                                 int64
}{
	{"LDLC Pro", "HP-W2410A", "Toner HP 216A noir", "Consommables", 62.90, 2},
	{"LDLC Pro", "HP-F6V24AE", "Cartouche HP 652 couleur", "Consommables", 18.50, 2},
	{"LDLC Pro", "SSD-CR-500", "SSD Crucial MX500 500 Go", "Stockage", 49.90, 3},
	{"Bechtle France", "DELL-PSU-240", "Alimentation Dell OptiPlex 240 W", "Alimentations", 74.00, 7},
	{"Bechtle France", "KBD-DELL-FR", "Clavier Dell KB216 AZERTY", "Périphériques", 17.90, 4},
	{"Inmac Wstore", "LEN-RAM-16", "Mémoire 16 Go DDR4 SO-DIMM", "Mémoire", 54.00, 5},
	{"Econocom", "CBL-RJ45-3", "Câble réseau RJ45 cat. 6, 3 m", "Câbles", 3.20, 10},
}

// loadContracts adds the demo contracts, what they cover, and supplier items.
func loadContracts(ctx context.Context, a *Services, orgs map[string]int64) (int, error) {
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		return 0, err
	}
	id := func(q string, args ...any) int64 {
		var n int64
		a.DB.QueryRowContext(ctx, q, args...).Scan(&n)
		return n
	}
	n := 0
	today := a.Records.Now().UTC()
	for _, c := range contractSpecs {
		in := record.Input{"organization_id": orgs[c.org], "number": c.number, "name": c.name, "kind": c.kind,
			"start_date": c.start(today).Format("2006-01-02"), "duration_months": c.months, "notice_months": c.notice,
			"renewal": c.renewal, "cost": c.cost, "cost_period": c.period, "coverage": c.coverage, "comment": c.comment}
		if c.supplier != "" {
			in["supplier_id"] = id("SELECT id FROM suppliers WHERE name = ? AND deleted_at IS NULL", c.supplier)
		}
		for k, v := range map[string]int64{"response_hours": c.response, "repair_hours": c.repair, "hours_sold": c.hoursSold} {
			if v > 0 {
				in[k] = v
			}
		}
		if c.responsible != "" {
			in["responsible_user_id"] = id("SELECT id FROM users WHERE login = ?", c.responsible)
		}
		if c.group != "" {
			in["responsible_group_id"] = id("SELECT id FROM groups WHERE name = ? AND deleted_at IS NULL", c.group)
		}
		ct, err := a.Records.Create(ctx, sys, a.Reg.MustType("contracts"), in)
		if err != nil {
			return n, describe("contracts", c.name, err)
		}
		n++
		if c.covers == "" {
			continue
		}
		args := make([]any, strings.Count(c.covers, "?"))
		for i := range args {
			args[i] = orgs[c.org]
		}
		rows, err := a.DB.QueryContext(ctx, c.covers, args...)
		if err != nil {
			return n, err
		}
		type item struct {
			typ string
			id  int64
		}
		var items []item
		for rows.Next() {
			var it item
			if err := rows.Scan(&it.typ, &it.id); err != nil {
				rows.Close()
				return n, err
			}
			items = append(items, it)
		}
		rows.Close()
		for _, it := range items {
			if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("contract-assets"), record.Input{"contract_id": ct.ID, "item_type": it.typ, "item_id": it.id}); err != nil {
				return n, describe("contract-assets", c.name, err)
			}
			n++
		}
	}
	for _, s := range supplierItemSpecs {
		in := record.Input{"supplier_id": id("SELECT id FROM suppliers WHERE name = ? AND deleted_at IS NULL", s.supplier), "reference": s.reference,
			"label": s.label, "category": s.category, "unit_price": s.price, "lead_time_days": s.lead}
		if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("supplier-items"), in); err != nil {
			return n, describe("supplier-items", s.label, err)
		}
		n++
	}
	return n, nil
}
