package demo

import (
	"context"
	"fmt"
	"time"

	"parc/internal/loan"
	"parc/internal/record"
)

// Loans of Boulangeries Martin: two spare laptops of the Angers shop and two new
// video projectors of the Nantes head office are loan equipment; one laptop is
// overdue, one is reserved for next week, one projector is on loan to
// resp.martin (acknowledged), the other was lent and returned, then handed over
// to marie.dupont this morning, waiting for her acknowledgement on the portal.
// Everything goes through the loan service, each action at its own time.
func loadLoans(ctx context.Context, a *Services, orgs map[string]int64) (map[string]int, error) {
	if a.Loans == nil {
		return nil, nil
	}
	counts := map[string]int{}
	now := a.Records.Now()
	clock := now
	real := a.Records.Now
	defer func() { a.Records.Now = real }()
	a.Records.Now = func() time.Time { return clock.UTC().Truncate(time.Microsecond) }
	at := func(days int, hour int) time.Time {
		d := now.AddDate(0, 0, -days)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, time.UTC)
	}
	date := func(days int) string { return now.AddDate(0, 0, -days).Format("2006-01-02") }

	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		return nil, err
	}
	actor := func(login string) (*record.Actor, error) {
		var id int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = ?", login).Scan(&id); err != nil {
			return nil, fmt.Errorf("demo loans: %s: %w", login, err)
		}
		return a.Auth.Actor(ctx, id, record.OriginWeb)
	}
	tech, err := actor("tech.paris")
	if err != nil {
		return nil, err
	}
	marie, err := actor("marie.dupont")
	if err != nil {
		return nil, err
	}
	resp, err := actor("resp.martin")
	if err != nil {
		return nil, err
	}
	bm := orgs["bm"]
	var employee int64 // someone of the Angers shop borrows the overdue laptop
	if err := a.DB.QueryRowContext(ctx, `SELECT u.id FROM users u WHERE u.organization_id = ? AND u.deleted_at IS NULL AND u.login NOT IN ('resp.martin', 'marie.dupont')
ORDER BY u.lastname, u.firstname, u.id LIMIT 1`, bm).Scan(&employee); err != nil {
		return nil, fmt.Errorf("demo loans: a borrower: %w", err)
	}
	find := func(table, name string) (int64, error) {
		var id int64
		err := a.DB.QueryRowContext(ctx, "SELECT id FROM "+table+" WHERE name = ? AND organization_id = ?", name, bm).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("demo loans: %s %s: %w", table, name, err)
		}
		return id, nil
	}
	state := func(name string) int64 {
		var id int64
		a.DB.QueryRowContext(ctx, "SELECT id FROM states WHERE name = ? AND organization_id IS NULL", name).Scan(&id)
		return id
	}
	stock, lent := state("En stock"), state("En service")

	lap1, err := find("computers", "PC-ANG-0005")
	if err != nil {
		return nil, err
	}
	lap2, err := find("computers", "PC-ANG-0016")
	if err != nil {
		return nil, err
	}
	var location int64
	a.DB.QueryRowContext(ctx, "SELECT id FROM locations WHERE name = ? AND organization_id = ? ORDER BY id LIMIT 1", "Local technique", bm).Scan(&location)
	clock = at(40, 9)
	var projs []int64
	for i, serial := range []string{"EPS-X49-77120", "EPS-X49-77121"} {
		in := record.Input{"name": fmt.Sprintf("PROJ-NTE-%02d", i+1), "serial": serial, "organization_id": bm,
			"comment": "Vidéoprojecteur Epson EB-X49 avec housse, télécommande et câble HDMI.", "purchase_date": date(40)}
		if stock != 0 {
			in["state_id"] = stock
		}
		if location != 0 {
			in["location_id"] = location
		}
		p, err := a.Records.Create(ctx, sys, a.Reg.MustType("peripherals"), in)
		if err != nil {
			return nil, describe("peripherals", in["name"].(string), err)
		}
		projs = append(projs, p.ID)
		counts["peripherals"]++
	}
	items := []struct {
		pool, typ string
		id        int64
	}{
		{"Portables de prêt", "computers", lap1}, {"Portables de prêt", "computers", lap2},
		{"Vidéoprojecteurs", "peripherals", projs[0]}, {"Vidéoprojecteurs", "peripherals", projs[1]},
	}
	for _, it := range items {
		if _, err := a.Records.Create(ctx, tech, a.Reg.MustType("loan-items"), record.Input{"pool": it.pool, "asset_type": it.typ, "asset_id": it.id}); err != nil {
			return nil, describe("loan-items", it.pool, err)
		}
		counts["loan-items"]++
	}
	reserve := func(typ string, id, user int64, from, to int, comment string) (int64, error) {
		r, err := a.Records.Create(ctx, tech, a.Reg.MustType("reservations"), record.Input{"asset_type": typ, "asset_id": id, "user_id": user,
			"start_date": date(from), "end_date": date(to), "comment": comment})
		if err != nil {
			return 0, describe("reservations", comment, err)
		}
		counts["reservations"]++
		return r.ID, nil
	}
	checkOut := func(typ string, id, user, res int64, acc, comment string, st int64) (int64, error) {
		in := record.Input{"asset_type": typ, "asset_id": id, "user_id": user, "accessories": acc, "comment": comment}
		if res != 0 {
			in["reservation_id"] = res
		}
		if st != 0 {
			in["state_id"] = st
		}
		h, err := a.Loans.CheckOut(ctx, tech, in)
		if err != nil {
			return 0, describe("handovers", comment, err)
		}
		counts["handovers"]++
		return h.ID, nil
	}

	// A projector lent three weeks ago for a trade fair, and returned.
	clock = at(22, 10)
	r, err := reserve("peripherals", projs[1], resp.UserID, 21, 19, "Salon de la boulangerie, Angers")
	if err != nil {
		return nil, err
	}
	clock = at(21, 9)
	h, err := checkOut("peripherals", projs[1], resp.UserID, r, "housse, télécommande, câble HDMI", "Pour le salon.", lent)
	if err != nil {
		return nil, err
	}
	clock = at(21, 11)
	if _, err := a.Loans.Acknowledge(ctx, resp, h, "192.0.2.41"); err != nil {
		return nil, err
	}
	clock = at(19, 17)
	if _, err := a.Loans.CheckIn(ctx, tech, h, loan.CheckInInput{StateID: stock, Accessories: "housse, télécommande", Comment: "Câble HDMI non rendu."}); err != nil {
		return nil, err
	}

	// The Angers laptop lent for an inventory: due back three days ago, not returned.
	clock = at(11, 9)
	r, err = reserve("computers", lap1, employee, 10, 3, "Inventaire de fin d'année de la boutique")
	if err != nil {
		return nil, err
	}
	clock = at(10, 9)
	if _, err := checkOut("computers", lap1, employee, r, "chargeur, sacoche", "", lent); err != nil {
		return nil, err
	}

	// The other laptop is reserved by marie.dupont for next week.
	clock = at(2, 15)
	if _, err := reserve("computers", lap2, marie.UserID, -7, -11, "Formation comptabilité à Angers"); err != nil {
		return nil, err
	}

	// The first projector: on loan to resp.martin until tomorrow, acknowledged.
	r, err = reserve("peripherals", projs[0], resp.UserID, 1, -1, "Réunion des responsables de boutique")
	if err != nil {
		return nil, err
	}
	clock = at(1, 8)
	h, err = checkOut("peripherals", projs[0], resp.UserID, r, "housse, télécommande, câble HDMI", "", lent)
	if err != nil {
		return nil, err
	}
	clock = at(1, 9)
	if _, err := a.Loans.Acknowledge(ctx, resp, h, "192.0.2.41"); err != nil {
		return nil, err
	}

	// The second projector goes to marie.dupont this morning for two days: she
	// has not acknowledged it yet.
	clock = now.Add(-30 * time.Minute)
	r, err = reserve("peripherals", projs[1], marie.UserID, 0, -1, "Présentation des nouveaux produits")
	if err != nil {
		return nil, err
	}
	if _, err := checkOut("peripherals", projs[1], marie.UserID, r, "housse, télécommande, câble HDMI neuf",
		"Câble HDMI remplacé après le salon.", lent); err != nil {
		return nil, err
	}
	return counts, nil
}
