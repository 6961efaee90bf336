package stock

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"parc/internal/record"
	"parc/internal/store"
)

// itemBeforeWrite keeps an item with stock in its organisation: its quantities are
// at locations of that organisation.
func itemBeforeWrite(w *record.Write) error {
	if w.Old != nil && w.Old.OrgID != w.New.OrgID && w.Old.Int("quantity") > 0 {
		w.Errors.Add("organization_id", "err.stock_item_has_stock")
	}
	return nil
}

// movementBeforeDelete: movements are the stock's ledger; a correction is a new
// movement.
func movementBeforeDelete(ctx context.Context, tx *store.Tx, db *store.DB, r *record.Record, purge bool) error {
	return record.E(record.CodeConflict, "err.stock_movement_final")
}

// movementBeforeWrite checks a new movement and applies it to the quantities, in
// the writing transaction: the record's organisation is its item's; the locations
// are of that organisation or above; a ticket or an asset is of the item's
// organisation tree. Then the quantities change with conditional updates: a
// movement that would leave a location with less than nothing is refused (409)
// before anything is written. Movements are never changed once written.
func movementBeforeWrite(w *record.Write) error {
	if !w.Create {
		return record.E(record.CodeConflict, "err.stock_movement_final")
	}
	ctx, tx, errs, tree := w.Ctx, w.Tx, w.Errors, w.Actor.Tree
	itemID, _ := w.New.Values["stock_item_id"].(int64)
	if itemID == 0 {
		return nil // reported as required
	}
	if m, bad := errs["stock_item_id"]; bad && m.Key != "err.reference_other_org" {
		return nil
	}
	// The organisation comes from the item.
	delete(errs, "stock_item_id")
	if m, bad := errs["organization_id"]; bad && m.Key == "err.required" {
		delete(errs, "organization_id")
	}
	item, err := w.Service.GetTx(ctx, tx, w.Actor, w.Service.Reg.MustType(ItemsType), itemID)
	if err != nil {
		if e, ok := record.AsError(err); ok && e.Code == record.CodeNotFound {
			errs.Add("stock_item_id", "err.bad_reference")
			return nil
		}
		return err
	}
	if item.DeletedAt != nil {
		errs.Add("stock_item_id", "err.stock_item_in_trash")
		return nil
	}
	w.New.OrgID = item.OrgID
	if !w.Actor.CanIn(w.Type, record.Create, item.OrgID) {
		errs.Add("organization_id", "err.org_not_allowed")
	}
	if w.Actor.UserID != 0 {
		w.New.Values["user_id"] = w.Actor.UserID
	} else {
		w.New.Values["user_id"] = nil
	}
	w.New.Values["unit_cost"] = item.Values["unit_cost"]

	kind := w.New.String("kind")
	from, _ := w.New.Values["location_id"].(int64)
	to, _ := w.New.Values["to_location_id"].(int64)
	// Locations: of the item's organisation or an ancestor (a shared store room).
	for _, name := range []string{"location_id", "to_location_id"} {
		id, _ := w.New.Values[name].(int64)
		if id == 0 {
			continue
		}
		if m, bad := errs[name]; bad && m.Key != "err.reference_other_org" {
			continue
		}
		delete(errs, name)
		org, ok, err := orgOf(ctx, tx, "locations", id)
		if err != nil {
			return err
		}
		switch {
		case !ok:
			errs.Add(name, "err.bad_reference")
		case !tree.IsAncestorOrSelf(org, item.OrgID):
			errs.Add(name, "err.stock_location_other_org")
		}
	}
	switch {
	case kind == Transferred && to == 0:
		errs.Add("to_location_id", "err.stock_transfer_to")
	case kind == Transferred && to == from && from != 0:
		errs.Add("to_location_id", "err.stock_transfer_same")
	case kind != Transferred && to != 0 && kind != "":
		errs.Add("to_location_id", "err.stock_transfer_only")
	}
	// A ticket: parts issued to it or returned from it.
	if tk, _ := w.New.Values["ticket_id"].(int64); tk != 0 {
		if m, bad := errs["ticket_id"]; !bad || m.Key == "err.reference_other_org" {
			delete(errs, "ticket_id")
			var org int64
			var status string
			err := tx.QueryRowContext(ctx, "SELECT organization_id, status FROM tickets WHERE id = ? AND deleted_at IS NULL", tk).Scan(&org, &status)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			switch {
			case err != nil:
				errs.Add("ticket_id", "err.bad_reference")
			case status == "closed":
				return record.E(record.CodeConflict, "err.ticket_closed_locked")
			case !tree.IsAncestorOrSelf(org, item.OrgID) && !tree.IsAncestorOrSelf(item.OrgID, org):
				errs.Add("ticket_id", "err.stock_other_org")
			case kind != Issued && kind != Returned && kind != "":
				errs.Add("ticket_id", "err.stock_ticket_kind")
			}
		}
	}
	if err := checkAsset(w, item.OrgID, kind); err != nil {
		return err
	}
	if len(errs) > 0 {
		return nil
	}
	q := w.New.Int("quantity")
	switch kind {
	case Received, Returned:
		return add(ctx, tx, itemID, from, q)
	case Issued, Scrapped:
		return take(ctx, tx, item, from, q)
	case Transferred:
		if tx.Dialect() == store.Postgres {
			// Both rows locked in one order: two opposite transfers do not deadlock.
			if _, err := tx.ExecContext(ctx, "SELECT 1 FROM stock_levels WHERE stock_item_id = ? AND location_id IN (?, ?) ORDER BY location_id FOR UPDATE", itemID, from, to); err != nil {
				return err
			}
		}
		if err := take(ctx, tx, item, from, q); err != nil {
			return err
		}
		return add(ctx, tx, itemID, to, q)
	}
	return nil
}

// checkAsset checks an asset a part is issued to (or returned from): both its
// type and id, readable by the actor, of the item's organisation tree.
func checkAsset(w *record.Write, itemOrg int64, kind string) error {
	typ := w.New.String("asset_type")
	id, _ := w.New.Values["asset_id"].(int64)
	switch {
	case typ == "" && id == 0:
		return nil
	case typ == "":
		w.Errors.Add("asset_type", "err.required")
		return nil
	case id == 0:
		w.Errors.Add("asset_id", "err.required")
		return nil
	}
	if kind != Issued && kind != Returned && kind != "" {
		w.Errors.Add("asset_id", "err.stock_asset_kind")
		return nil
	}
	t, ok := w.Service.Reg.Type(typ)
	if !ok {
		return nil // reported by the enum
	}
	r, err := w.Service.GetTx(w.Ctx, w.Tx, w.Actor, t, id)
	if err != nil {
		if e, ok := record.AsError(err); ok && e.Code == record.CodeNotFound {
			w.Errors.Add("asset_id", "err.bad_reference")
			return nil
		}
		return err
	}
	tree := w.Actor.Tree
	if r.DeletedAt != nil {
		w.Errors.Add("asset_id", "err.bad_reference")
	} else if !tree.IsAncestorOrSelf(r.OrgID, itemOrg) && !tree.IsAncestorOrSelf(itemOrg, r.OrgID) {
		w.Errors.Add("asset_id", "err.stock_other_org")
	}
	return nil
}

// orgOf is a live record's organisation.
func orgOf(ctx context.Context, tx *store.Tx, table string, id int64) (int64, bool, error) {
	var org int64
	err := tx.QueryRowContext(ctx, "SELECT organization_id FROM "+table+" WHERE id = ? AND deleted_at IS NULL", id).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return org, err == nil, err
}

// add puts q units of an item at a location.
func add(ctx context.Context, tx *store.Tx, item, loc, q int64) error {
	if _, err := tx.ExecContext(ctx, "INSERT INTO stock_levels (stock_item_id, location_id, quantity) VALUES (?, ?, ?) "+
		"ON CONFLICT (stock_item_id, location_id) DO UPDATE SET quantity = stock_levels.quantity + excluded.quantity", item, loc, q); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "UPDATE stock_items SET quantity = quantity + ? WHERE id = ?", q, item)
	return err
}

// take removes q units of an item from a location, if it holds them: one
// conditional update, so that of two movements taking the last unit at once one
// takes it and the other finds none. Refused, it has written nothing.
func take(ctx context.Context, tx *store.Tx, item *record.Record, loc, q int64) error {
	res, err := tx.ExecContext(ctx, "UPDATE stock_levels SET quantity = quantity - ? WHERE stock_item_id = ? AND location_id = ? AND quantity >= ?", q, item.ID, loc, q)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		var have int64
		var where string
		err := tx.QueryRowContext(ctx, "SELECT COALESCE((SELECT quantity FROM stock_levels WHERE stock_item_id = ? AND location_id = ?), 0), "+
			"COALESCE((SELECT "+placeLabel+" FROM locations loc WHERE loc.id = ?), '')", item.ID, loc, loc).Scan(&have, &where)
		if err != nil {
			return err
		}
		return record.E(record.CodeConflict, "err.stock_insufficient", item.Label(), where, have, q)
	}
	_, err = tx.ExecContext(ctx, "UPDATE stock_items SET quantity = quantity - ? WHERE id = ? AND quantity >= ?", q, item.ID, q)
	return err
}

// movementAfterWrite tells the ticket a part was issued to (or returned from):
// an entry of its history, which its thread shows.
func movementAfterWrite(w *record.Write) error {
	tk, _ := w.New.Values["ticket_id"].(int64)
	if tk == 0 || !w.Create {
		return nil
	}
	ticket, err := w.Service.GetTx(w.Ctx, w.Tx, record.SystemActor(w.Actor.Tree, w.Actor.Origin), w.Service.Reg.MustType("tickets"), tk)
	if err != nil {
		return err
	}
	item, err := w.Service.GetTx(w.Ctx, w.Tx, record.SystemActor(w.Actor.Tree, w.Actor.Origin), w.Service.Reg.MustType(ItemsType), w.New.Int("stock_item_id"))
	if err != nil {
		return err
	}
	var where string
	if err := w.Tx.QueryRowContext(w.Ctx, "SELECT "+placeLabel+" FROM locations loc WHERE loc.id = ?", w.New.Int("location_id")).Scan(&where); err != nil {
		return err
	}
	text := fmt.Sprintf("%d × %s", w.New.Int("quantity"), item.Label())
	if ref := item.String("reference"); ref != "" {
		text += " (" + ref + ")"
	}
	text += " — " + where
	return w.Service.AddHistoryTx(w.Ctx, w.Tx, w.Actor, ticket, "update", []record.Change{{Field: TicketHistoryField, New: w.New.String("kind") + ": " + text}})
}

// TicketHistoryField is the field of a ticket's history entries that record a
// part issued to it or returned from it ("issued: 2 × Toner (Q2612A) — Store").
const TicketHistoryField = "stock"
