package loan

import (
	"context"
	"database/sql"
	"hash/fnv"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// What the service's actions set that input may not (read-only fields), handed to
// the hooks through the context of the write.
type ctxKey int

const (
	checkInKey ctxKey = iota
	ackKey
	statusKey
)

type checkIn struct {
	at          time.Time
	by          int64
	state       int64
	accessories string
	comment     string
}

type ack struct {
	at   time.Time
	by   int64
	from string
}

type statusChange struct {
	status   string
	handover int64
}

func withCheckIn(ctx context.Context, c *checkIn) context.Context {
	return context.WithValue(ctx, checkInKey, c)
}
func withAck(ctx context.Context, a *ack) context.Context { return context.WithValue(ctx, ackKey, a) }
func withStatus(ctx context.Context, s *statusChange) context.Context {
	return context.WithValue(ctx, statusKey, s)
}

// assetOf reads the asset a loan item, hand-over or reservation names: it exists,
// is live and readable by the writer; the record takes its organisation, where the
// writer must be allowed the action. The asset cannot change once named.
func assetOf(w *record.Write) (*record.Record, error) {
	typeName, _ := w.New.Values["asset_type"].(string)
	id, _ := w.New.Values["asset_id"].(int64)
	if w.Old != nil && (w.Old.String("asset_type") != typeName || w.Old.Int("asset_id") != id) {
		w.Errors.Add("asset_id", "err.loan_asset_changed")
		return nil, nil
	}
	t, ok := w.Service.Reg.Type(typeName)
	if !ok || id == 0 {
		return nil, nil // reported by the field checks
	}
	asset, err := w.Service.GetTx(w.Ctx, w.Tx, w.Actor, t, id)
	if e, isErr := record.AsError(err); isErr && e.Code == record.CodeNotFound {
		w.Errors.Add("asset_id", "err.bad_reference")
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if asset.DeletedAt != nil {
		w.Errors.Add("asset_id", "err.bad_reference")
		return nil, nil
	}
	// The organisation is the asset's: the caller's default one, or its being
	// missing, does not matter.
	if m, bad := w.Errors["organization_id"]; bad && m.Key == "err.required" {
		delete(w.Errors, "organization_id")
	}
	w.New.OrgID = asset.OrgID
	action := record.Update
	if w.Create {
		action = record.Create
	}
	if !w.Actor.CanIn(w.Type, action, asset.OrgID) {
		w.Errors.Add("organization_id", "err.org_not_allowed")
	}
	return asset, nil
}

// lockAsset serialises the loan writes of one asset until the transaction ends
// (PostgreSQL; SQLite has one writer), so that two reservations checked at once
// cannot both find the days free.
func lockAsset(ctx context.Context, tx *store.Tx, typeName string, id int64) error {
	if tx.Dialect() != store.Postgres {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte("parc loan " + typeName))
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", int64(h.Sum64())^id)
	return err
}

func itemBeforeWrite(w *record.Write) error {
	asset, err := assetOf(w)
	if err != nil || asset == nil {
		return err
	}
	var n int
	err = w.Tx.QueryRowContext(w.Ctx, "SELECT COUNT(*) FROM loan_items WHERE asset_type = ? AND asset_id = ? AND id <> ? AND deleted_at IS NULL",
		asset.Type.Name, asset.ID, w.New.ID).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		w.Errors.Add("asset_id", "err.loan_item_duplicate")
	}
	return nil
}

// lendable reports whether the asset is loan equipment.
func lendable(ctx context.Context, q store.Querier, typeName string, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM loan_items WHERE asset_type = ? AND asset_id = ? AND deleted_at IS NULL", typeName, id).Scan(&n)
	return n > 0, err
}

func reservationBeforeWrite(w *record.Write) error {
	if sc, ok := w.Ctx.Value(statusKey).(*statusChange); ok && !w.Create {
		w.New.Values["status"] = sc.status
		if sc.handover != 0 {
			w.New.Values["handover_id"] = sc.handover
		}
	}
	asset, err := assetOf(w)
	if err != nil || asset == nil {
		return err
	}
	if ok, err := lendable(w.Ctx, w.Tx, asset.Type.Name, asset.ID); err != nil {
		return err
	} else if !ok && w.Create {
		w.Errors.Add("asset_id", "err.not_lendable")
	}
	start, end := w.New.String("start_date"), w.New.String("end_date")
	if start == "" || end == "" {
		return nil
	}
	if end < start {
		w.Errors.Add("end_date", "err.reservation_end_before_start")
		return nil
	}
	if w.New.String("status") == Returned {
		return nil
	}
	if w.Old != nil && w.Old.String("start_date") == start && w.Old.String("end_date") == end && w.Old.String("status") == w.New.String("status") {
		return nil
	}
	return checkOverlap(w.Ctx, w.Tx, w.Errors, asset.Type.Name, asset.ID, w.New.ID, start, end)
}

// checkOverlap refuses days another live, not returned reservation of the asset
// holds. It runs in the writing transaction, after the asset's lock.
func checkOverlap(ctx context.Context, tx *store.Tx, errs record.FieldErrors, typeName string, id, self int64, start, end string) error {
	if err := lockAsset(ctx, tx, typeName, id); err != nil {
		return err
	}
	var s, e any
	err := tx.QueryRowContext(ctx, `SELECT start_date, end_date FROM reservations
WHERE asset_type = ? AND asset_id = ? AND id <> ? AND deleted_at IS NULL AND status <> ? AND start_date <= ? AND end_date >= ?
ORDER BY start_date LIMIT 1`, typeName, id, self, Returned, end, start).Scan(&s, &e)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	d := &record.Field{Kind: record.Date}
	errs.Add("start_date", "err.reservation_overlap", record.Format(d.FromDB(s)), record.Format(d.FromDB(e)))
	return nil
}

func reservationBeforeRestore(w *record.Write) error {
	if w.New.String("status") == Returned {
		return nil
	}
	return checkOverlap(w.Ctx, w.Tx, w.Errors, w.New.String("asset_type"), w.New.Int("asset_id"), w.New.ID, w.New.String("start_date"), w.New.String("end_date"))
}

// frozen are the fields of what the user received: once they acknowledged it,
// the hand-over form says what they signed.
var frozen = []string{"user_id", "handed_at", "state_id", "accessories"}

func handoverBeforeWrite(w *record.Write) error {
	now := w.Service.Now()
	if c, ok := w.Ctx.Value(checkInKey).(*checkIn); ok && !w.Create {
		if w.Old.Values["returned_at"] != nil {
			return record.E(record.CodeConflict, "err.handover_returned")
		}
		w.New.Values["returned_at"] = c.at
		w.New.Values["received_by_id"] = nilIfZero(c.by)
		w.New.Values["return_state_id"] = nilIfZero(c.state)
		w.New.Values["return_accessories"] = nilIfEmpty(c.accessories)
		w.New.Values["return_comment"] = nilIfEmpty(c.comment)
	}
	if a, ok := w.Ctx.Value(ackKey).(*ack); ok && !w.Create {
		if w.Old.Values["acknowledged_at"] != nil {
			return record.E(record.CodeConflict, "err.handover_acknowledged")
		}
		w.New.Values["acknowledged_at"] = a.at
		w.New.Values["acknowledged_by_id"] = a.by
		w.New.Values["acknowledged_from"] = nilIfEmpty(a.from)
	}
	asset, err := assetOf(w)
	if err != nil || asset == nil {
		return err
	}
	if w.Create {
		if w.New.Values["handed_at"] == nil {
			w.New.Values["handed_at"] = now
		}
		w.New.Values["technician_id"] = nilIfZero(w.Actor.UserID)
		if err := lockAsset(w.Ctx, w.Tx, asset.Type.Name, asset.ID); err != nil {
			return err
		}
		var n int
		if err := w.Tx.QueryRowContext(w.Ctx, "SELECT COUNT(*) FROM handovers WHERE asset_type = ? AND asset_id = ? AND returned_at IS NULL AND deleted_at IS NULL",
			asset.Type.Name, asset.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return record.E(record.CodeConflict, "err.asset_handed_over")
		}
		return matchReservation(w, asset)
	}
	if w.Old.Values["acknowledged_at"] != nil {
		for _, f := range frozen {
			if record.Format(w.Old.Values[f]) != record.Format(w.New.Values[f]) {
				w.Errors.Add(f, "err.handover_signed")
			}
		}
	}
	if w.Old.Int("reservation_id") != w.New.Int("reservation_id") {
		w.Errors.Add("reservation_id", "err.read_only")
	}
	return nil
}

// matchReservation ties a check-out to the reservation it fulfils: the one named,
// else the recipient's reservation of the asset that covers today. A reservation
// of someone else covering today refuses the check-out.
func matchReservation(w *record.Write, asset *record.Record) error {
	user := w.New.Int("user_id")
	today := dateOf(w.Service.Now())
	if id := w.New.Int("reservation_id"); id != 0 {
		var typ, status string
		var aid, uid int64
		err := w.Tx.QueryRowContext(w.Ctx, "SELECT asset_type, asset_id, user_id, status FROM reservations WHERE id = ? AND deleted_at IS NULL", id).Scan(&typ, &aid, &uid, &status)
		if err == sql.ErrNoRows || err == nil && (typ != asset.Type.Name || aid != asset.ID || uid != user || status != Reserved) {
			w.Errors.Add("reservation_id", "err.reservation_mismatch")
			return nil
		}
		return err
	}
	rows, err := w.Tx.QueryContext(w.Ctx, `SELECT id, user_id FROM reservations
WHERE asset_type = ? AND asset_id = ? AND deleted_at IS NULL AND status = ? AND start_date <= ? AND end_date >= ? ORDER BY start_date`,
		asset.Type.Name, asset.ID, Reserved, today, today)
	if err != nil {
		return err
	}
	defer rows.Close()
	other := false
	for rows.Next() {
		var id, uid int64
		if err := rows.Scan(&id, &uid); err != nil {
			return err
		}
		if uid == user {
			w.New.Values["reservation_id"] = id
			return rows.Close()
		}
		other = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if other {
		w.Errors.Add("user_id", "err.loan_reserved_by_other")
	}
	return nil
}

// handoverAfterWrite keeps the asset's user and the reservation in step: a
// check-out gives the asset to the recipient, a check-in takes it back.
func handoverAfterWrite(w *record.Write) error {
	if len(w.Errors) > 0 {
		return nil
	}
	typeName, id := w.New.String("asset_type"), w.New.Int("asset_id")
	t, ok := w.Service.Reg.Type(typeName)
	if !ok {
		return nil
	}
	sys := w.Actor.Elevated("hand-over of the asset")
	user := w.New.Int("user_id")
	res := w.New.Int("reservation_id")
	switch {
	case w.Create:
		if _, err := w.Service.UpdateTx(w.Ctx, w.Tx, sys, t, id, record.Input{"user_id": user}); err != nil {
			return err
		}
		if res != 0 {
			ctx := withStatus(w.Ctx, &statusChange{status: CheckedOut, handover: w.New.ID})
			if _, err := w.Service.UpdateTx(ctx, w.Tx, sys, w.Service.Reg.MustType("reservations"), res, record.Input{}); err != nil {
				return err
			}
		}
	case w.Old.Values["returned_at"] == nil && w.New.Values["returned_at"] != nil:
		asset, err := w.Service.GetTx(w.Ctx, w.Tx, sys, t, id)
		if err != nil {
			return err
		}
		if asset.Int("user_id") == user {
			if _, err := w.Service.UpdateTx(w.Ctx, w.Tx, sys, t, id, record.Input{"user_id": nil}); err != nil {
				return err
			}
		}
		if res != 0 {
			ctx := withStatus(w.Ctx, &statusChange{status: Returned})
			if _, err := w.Service.UpdateTx(ctx, w.Tx, sys, w.Service.Reg.MustType("reservations"), res, record.Input{}); err != nil {
				return err
			}
		}
	}
	return nil
}

func nilIfZero(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// dateOf is the day of t in UTC, as reservations' dates are written.
func dateOf(t time.Time) string { return t.UTC().Format("2006-01-02") }
