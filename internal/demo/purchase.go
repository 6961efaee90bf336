package demo

import (
	"context"
	"fmt"
	"time"

	"parc/internal/purchase"
	"parc/internal/record"
)

// Purchasing demo data (internal/purchase): the ESN's technicians asked for a
// laptop battery for the ticket "Le portable ne charge plus" (the ticket waits
// for it; ordered from Inmac Wstore today, expected in six days), for toner
// from the reorder suggestions (awaiting approval) and for two screens by hand
// (approved, not ordered yet); an order to LDLC Pro is partly received (the SSDs
// came, the memory did not) and one to Bechtle France came late, which the
// supplier's page tells.
func loadPurchasing(ctx context.Context, a *Services, orgs map[string]int64) error {
	p := a.Purchase
	if p == nil || a.Stock == nil {
		return nil
	}
	now := a.Records.Now()
	clock := now
	real := a.Records.Now
	defer func() { a.Records.Now = real }()
	a.Records.Now = func() time.Time { return clock.UTC().Truncate(time.Microsecond) }
	at := func(days int, hour int) time.Time {
		d := now.AddDate(0, 0, -days)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, time.Local)
	}
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		return err
	}
	actor := func(login string) (*record.Actor, error) {
		var id int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = ?", login).Scan(&id); err != nil {
			return nil, fmt.Errorf("demo purchasing: %s: %w", login, err)
		}
		return a.Auth.Actor(ctx, id, record.OriginWeb)
	}
	tech, err := actor("tech.paris")
	if err != nil {
		return err
	}
	lyon, err := actor("tech.lyon")
	if err != nil {
		return err
	}
	chef, err := actor("chef.support")
	if err != nil {
		return err
	}
	id := func(q string, args ...any) (int64, error) {
		var n int64
		err := a.DB.QueryRowContext(ctx, q, args...).Scan(&n)
		if err != nil {
			err = fmt.Errorf("demo purchasing: %s %v: %w", q, args, err)
		}
		return n, err
	}
	supplier := func(name string) (int64, error) {
		return id("SELECT id FROM suppliers WHERE name = ? AND deleted_at IS NULL", name)
	}
	item := func(name string) (int64, error) {
		return id("SELECT id FROM stock_items WHERE name = ? AND deleted_at IS NULL", name)
	}
	igs := orgs["igs"]
	inmac, err := supplier("Inmac Wstore")
	if err != nil {
		return err
	}
	ldlc, err := supplier("LDLC Pro")
	if err != nil {
		return err
	}
	bechtle, err := supplier("Bechtle France")
	if err != nil {
		return err
	}
	// The suppliers' catalogue entries the orders take their prices and lead times from.
	for _, s := range []struct {
		sup        int64
		ref, label string
		price      float64
		lead       int64
	}{
		{inmac, "BAT-LAT-5440", "Batterie Dell Latitude 5440 4 cellules 54 Wh", 89.00, 6},
		{ldlc, "MZ-77E500B", "SSD Samsung 870 EVO 500 Go", 52.90, 5},
		{ldlc, "KVR32S22S8/8", "Mémoire Kingston 8 Go DDR4 SO-DIMM 3200", 21.90, 5},
		{bechtle, "920-002488", "Clavier Logitech K120 AZERTY", 14.20, 4},
	} {
		if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("supplier-items"), record.Input{"supplier_id": s.sup, "reference": s.ref,
			"label": s.label, "unit_price": s.price, "lead_time_days": s.lead, "category": "Pièces détachées"}); err != nil {
			return describe("supplier-items", s.label, err)
		}
	}
	ot := a.Reg.MustType(purchase.OrdersType)
	request := func(who *record.Actor, in record.Input) (int64, error) {
		r, err := p.Request(ctx, who, in)
		if err != nil {
			return 0, describe(purchase.RequestsType, fmt.Sprint(in["item_label"], in["stock_item_id"]), err)
		}
		return r.ID, nil
	}
	approve := func(reqID int64) error {
		_, err := p.Decide(ctx, chef, reqID, true, "")
		return err
	}
	send := func(orderID int64, days int) error {
		clock = at(days, 11)
		_, err := a.Records.Update(ctx, tech, ot, orderID, record.Input{"status": purchase.OrderOrdered})
		return err
	}

	// The ticket waiting for a battery.
	ticket, err := id("SELECT id FROM tickets WHERE title = ? AND deleted_at IS NULL", "Le portable ne charge plus")
	if err != nil {
		return err
	}
	clock = now.Add(-3 * time.Hour)
	battery, err := request(lyon, record.Input{"item_label": "Batterie Dell Latitude 5440 4 cellules 54 Wh", "quantity": 1, "supplier_id": inmac,
		"organization_id": igs, "ticket_id": ticket, "ticket_waits": true, "reason": "La batterie ne se charge plus : diagnostic fait avec le chargeur de prêt.",
		"pending_reason": "En attente d'une pièce : 1 × Batterie Dell Latitude 5440"})
	if err != nil {
		return err
	}
	clock = now.Add(-2 * time.Hour)
	if err := approve(battery); err != nil {
		return err
	}
	o, err := p.OrderRequests(ctx, tech, igs, inmac, 0, []int64{battery})
	if err != nil {
		return err
	}
	// The battery is the supplier's catalogue entry: its price and six days.
	line, err := id("SELECT id FROM purchase_order_lines WHERE order_id = ?", o.ID)
	if err != nil {
		return err
	}
	entry, err := id("SELECT id FROM supplier_items WHERE reference = 'BAT-LAT-5440'")
	if err != nil {
		return err
	}
	if _, err := a.Records.Update(ctx, tech, a.Reg.MustType(purchase.LinesType), line, record.Input{"supplier_item_id": entry}); err != nil {
		return describe(purchase.LinesType, "battery", err)
	}
	clock = now.Add(-time.Hour)
	if _, err := a.Records.Update(ctx, tech, ot, o.ID, record.Input{"status": purchase.OrderOrdered}); err != nil {
		return err
	}

	// From the reorder suggestions: the HP toner, awaiting approval.
	toner, err := item("Toner HP 220A noir")
	if err != nil {
		return err
	}
	clock = at(1, 10)
	if _, err := request(tech, record.Input{"stock_item_id": toner, "quantity": 4, "reason": "Suggestion de réapprovisionnement : sous le minimum à l'atelier de Paris."}); err != nil {
		return err
	}
	// By hand: two screens, approved, to be ordered.
	screens, err := request(tech, record.Input{"item_label": "Écran Dell P2422H 24 pouces", "quantity": 2, "organization_id": igs,
		"reason": "Postes des deux nouveaux arrivants du 1er du mois."})
	if err != nil {
		return err
	}
	clock = at(1, 14)
	if err := approve(screens); err != nil {
		return err
	}

	// An order to LDLC Pro, partly received.
	paris, err := id("SELECT id FROM locations WHERE name = 'Atelier technique' AND code LIKE 'PAR-%' AND organization_id = ?", igs)
	if err != nil {
		return err
	}
	lines := func(order int64, items map[string]int64) error {
		for name, q := range items {
			it, err := item(name)
			if err != nil {
				return err
			}
			if _, err := a.Records.Create(ctx, tech, a.Reg.MustType(purchase.LinesType), record.Input{"order_id": order, "stock_item_id": it, "quantity": q}); err != nil {
				return describe(purchase.LinesType, name, err)
			}
		}
		return nil
	}
	clock = at(9, 10)
	ld, err := a.Records.Create(ctx, tech, ot, record.Input{"supplier_id": ldlc, "organization_id": igs, "location_id": paris, "comment": "Réassort disques et mémoire"})
	if err != nil {
		return describe(purchase.OrdersType, "LDLC", err)
	}
	if err := lines(ld.ID, map[string]int64{"SSD Samsung 870 EVO 500 Go": 6, "Mémoire DDR4 SO-DIMM 8 Go 3200": 8}); err != nil {
		return err
	}
	if err := send(ld.ID, 9); err != nil {
		return err
	}
	clock = at(3, 16)
	ssd, err := id("SELECT l.id FROM purchase_order_lines l JOIN stock_items i ON i.id = l.stock_item_id WHERE l.order_id = ? AND i.name = ?", ld.ID, "SSD Samsung 870 EVO 500 Go")
	if err != nil {
		return err
	}
	if _, err := p.Receive(ctx, tech, ssd, 6, 0, "Bon de livraison 48213"); err != nil {
		return err
	}

	// An order to Bechtle France, received four days late.
	clock = at(21, 10)
	bc, err := a.Records.Create(ctx, tech, ot, record.Input{"supplier_id": bechtle, "organization_id": igs, "location_id": paris})
	if err != nil {
		return describe(purchase.OrdersType, "Bechtle", err)
	}
	if err := lines(bc.ID, map[string]int64{"Clavier Logitech K120 AZERTY": 5}); err != nil {
		return err
	}
	if err := send(bc.ID, 21); err != nil {
		return err
	}
	clock = at(13, 15)
	kbd, err := id("SELECT id FROM purchase_order_lines WHERE order_id = ?", bc.ID)
	if err != nil {
		return err
	}
	if _, err := p.Receive(ctx, tech, kbd, 5, 0, ""); err != nil {
		return err
	}
	return nil
}
