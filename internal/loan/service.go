package loan

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"time"

	"parc/internal/jobs"
	"parc/internal/notify"
	"parc/internal/record"
	"parc/internal/store"
)

// RemindBefore is how many days before a loan's return date its borrower is
// reminded (the day itself counts: 1 reminds the day before and on the day).
const RemindBefore = 1

// Reminder is a loan whose return date is near, told to its borrower.
type Reminder struct {
	Reservation int64
	OrgID       int64
	UserID      int64
	Technician  int64  // who handed the asset over (0: unknown)
	Asset       string // the asset's name
	EndDate     string // YYYY-MM-DD
	Overdue     bool   // the end date has passed (the bell's overdue notice)
}

// The bell's events about a loan (notify.Note.Event).
const (
	EventDue     = "loan_due"
	EventOverdue = "loan_overdue"
)

// RemindFunc tells a borrower their loan ends soon, in the job's transaction (a
// mail queued, say); it must have no effect outside the transaction.
type RemindFunc func(ctx context.Context, tx *store.Tx, r Reminder) error

// Service gives the hand-over and loan use cases.
type Service struct {
	Rec *record.Service
	// Reminders are told of each reminder, once per loan (set by the composition root).
	Reminders []RemindFunc
	// Notify, when set, puts reminders and overdue notices in the bell.
	Notify *notify.Service
}

// NewService makes the service over the record service (store, registry, clock).
func NewService(rec *record.Service) *Service { return &Service{Rec: rec} }

func (s *Service) handovers() *record.Type    { return s.Rec.Reg.MustType("handovers") }
func (s *Service) reservations() *record.Type { return s.Rec.Reg.MustType("reservations") }
func (s *Service) items() *record.Type        { return s.Rec.Reg.MustType("loan-items") }

// Today is the current day, as reservations' dates are written.
func (s *Service) Today() string { return dateOf(s.Rec.Now()) }

// CheckOut hands an asset over to a user: the hand-over is recorded, the asset's
// user becomes the recipient, and the reservation it fulfils (named, or the
// recipient's covering today) is marked checked out.
func (s *Service) CheckOut(ctx context.Context, a *record.Actor, in record.Input) (*record.Record, error) {
	r, err := s.Rec.Create(ctx, a, s.handovers(), in)
	if err != nil {
		return nil, err
	}
	return r, s.Rec.Describe(ctx, r)
}

// CheckInInput is what the technician notes when the asset comes back.
type CheckInInput struct {
	StateID     int64
	Accessories string
	Comment     string
}

// CheckIn takes an asset back: the return's state, accessories and comment are
// recorded, the asset's user cleared (if still the recipient), the reservation
// returned. A hand-over is checked in once.
func (s *Service) CheckIn(ctx context.Context, a *record.Actor, id int64, in CheckInInput) (*record.Record, error) {
	if in.StateID != 0 {
		st, err := s.Rec.Get(ctx, a, s.Rec.Reg.MustType("states"), in.StateID)
		if err != nil || st.DeletedAt != nil {
			fe := record.FieldErrors{}
			fe.Add("return_state_id", "err.bad_reference")
			return nil, fe.Err()
		}
	}
	c := &checkIn{at: s.Rec.Now(), by: a.UserID, state: in.StateID, accessories: in.Accessories, comment: in.Comment}
	r, err := s.Rec.Update(withCheckIn(ctx, c), a, s.handovers(), id, record.Input{})
	if err != nil {
		return nil, err
	}
	return r, s.Rec.Describe(ctx, r)
}

// Acknowledge records that the recipient acknowledges receipt: who, when, from
// which address. Only the recipient may, once; the hand-over's content is then
// frozen (handoverBeforeWrite).
func (s *Service) Acknowledge(ctx context.Context, a *record.Actor, id int64, from string) (*record.Record, error) {
	h, err := s.Rec.Get(ctx, a, s.handovers(), id)
	if err != nil {
		return nil, err
	}
	if h.DeletedAt != nil {
		return nil, record.ErrNotFound()
	}
	if h.Int("user_id") != a.UserID || a.UserID == 0 {
		return nil, record.E(record.CodeForbidden, "err.handover_not_yours")
	}
	if h.Values["acknowledged_at"] != nil {
		return nil, record.E(record.CodeConflict, "err.handover_acknowledged")
	}
	if h.Values["returned_at"] != nil {
		return nil, record.E(record.CodeConflict, "err.handover_returned")
	}
	k := &ack{at: s.Rec.Now(), by: a.UserID, from: from}
	r, err := s.Rec.Update(withAck(ctx, k), a.Elevated("acknowledges receipt of the hand-over"), s.handovers(), id, record.Input{"version": h.Version})
	if err != nil {
		return nil, err
	}
	return r, s.Rec.Describe(ctx, r)
}

// Handover reads one hand-over the actor may read.
func (s *Service) Handover(ctx context.Context, a *record.Actor, id int64) (*record.Record, error) {
	r, err := s.Rec.Get(ctx, a, s.handovers(), id)
	if err == nil && r.DeletedAt != nil {
		return nil, record.ErrNotFound()
	}
	return r, err
}

func (s *Service) all(ctx context.Context, a *record.Actor, t *record.Type, q record.ListQuery) ([]*record.Record, error) {
	var out []*record.Record
	for {
		p, err := s.Rec.List(ctx, a, t, q)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Records...)
		if p.NextCursor == "" || len(out) >= 2000 {
			return out, nil
		}
		q.Cursor = p.NextCursor
	}
}

func eq(field, v string) record.Filter { return record.Filter{Field: field, Op: record.OpEq, Value: v} }
func id(n int64) string                { return strconv.FormatInt(n, 10) }

// ToAcknowledge lists the hand-overs the actor received and has not yet
// acknowledged (nor given back), newest first.
func (s *Service) ToAcknowledge(ctx context.Context, a *record.Actor) ([]*record.Record, error) {
	if !a.Can(s.handovers(), record.Read) {
		return nil, nil
	}
	return s.all(ctx, a, s.handovers(), record.ListQuery{Limit: 100, Sort: "-handed_at", Filters: []record.Filter{
		eq("user_id", id(a.UserID)), {Field: "acknowledged_at", Op: record.OpEmpty}, {Field: "returned_at", Op: record.OpEmpty}}})
}

// Received lists the hand-overs the actor received, newest first (one page).
func (s *Service) Received(ctx context.Context, a *record.Actor, limit int) ([]*record.Record, error) {
	if !a.Can(s.handovers(), record.Read) {
		return nil, nil
	}
	p, err := s.Rec.List(ctx, a, s.handovers(), record.ListQuery{Limit: limit, Sort: "-handed_at", Filters: []record.Filter{eq("user_id", id(a.UserID))}})
	if err != nil {
		return nil, err
	}
	return p.Records, nil
}

// MyLoans lists the actor's reservations not yet returned, soonest first.
func (s *Service) MyLoans(ctx context.Context, a *record.Actor) ([]*record.Record, error) {
	if !a.Can(s.reservations(), record.Read) {
		return nil, nil
	}
	return s.all(ctx, a, s.reservations(), record.ListQuery{Limit: 100, Sort: "end_date", Filters: []record.Filter{
		eq("user_id", id(a.UserID)), {Field: "status", Op: record.OpNe, Value: Returned}}})
}

// AssetHandovers is an asset's hand-over history, newest first (one page).
func (s *Service) AssetHandovers(ctx context.Context, a *record.Actor, typeName string, assetID int64, limit int) ([]*record.Record, error) {
	if !a.Can(s.handovers(), record.Read) {
		return nil, nil
	}
	p, err := s.Rec.List(ctx, a, s.handovers(), record.ListQuery{Limit: limit, Sort: "-handed_at", Filters: []record.Filter{
		eq("asset_type", typeName), eq("asset_id", id(assetID))}})
	if err != nil {
		return nil, err
	}
	return p.Records, nil
}

// Overdue lists the loans past their end date and not checked in, most late
// first.
func (s *Service) Overdue(ctx context.Context, a *record.Actor) ([]*record.Record, error) {
	if !a.Can(s.reservations(), record.Read) {
		return nil, nil
	}
	return s.all(ctx, a, s.reservations(), record.ListQuery{Limit: 500, Sort: "end_date", Filters: []record.Filter{
		eq("status", CheckedOut), {Field: "end_date", Op: record.OpLt, Value: s.Today()}}})
}

// Pools lists the loan pools the actor sees, by name.
func (s *Service) Pools(ctx context.Context, a *record.Actor) ([]string, error) {
	if !a.Can(s.items(), record.Read) {
		return nil, nil
	}
	items, err := s.all(ctx, a, s.items(), record.ListQuery{Limit: 500, Sort: "pool"})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, it := range items {
		if p := it.String("pool"); len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out, nil
}

// Calendar is the reservations of a pool's (or one asset's) equipment over days.
type Calendar struct {
	From, To string // YYYY-MM-DD, both included
	Days     []string
	Rows     []CalendarRow
}

// CalendarRow is one piece of equipment and its reservations in the window.
type CalendarRow struct {
	Item         *record.Record // the loan item (its label is the asset's name)
	Reservations []*record.Record
}

// At gives the reservation holding day d, if any.
func (r CalendarRow) At(d string) *record.Record {
	for _, x := range r.Reservations {
		if x.String("start_date") <= d && x.String("end_date") >= d {
			return x
		}
	}
	return nil
}

// CalendarOf gives the reservations between from and to (dates, included) of
// the loan equipment of a pool, or of one asset (typeName and assetID set).
func (s *Service) CalendarOf(ctx context.Context, a *record.Actor, pool, typeName string, assetID int64, from, to time.Time) (*Calendar, error) {
	c := &Calendar{From: dateOf(from), To: dateOf(to)}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		c.Days = append(c.Days, dateOf(d))
	}
	q := record.ListQuery{Limit: 500, Sort: "pool"}
	if pool != "" {
		q.Filters = append(q.Filters, eq("pool", pool))
	}
	if typeName != "" {
		q.Filters = append(q.Filters, eq("asset_type", typeName), eq("asset_id", id(assetID)))
	}
	items, err := s.all(ctx, a, s.items(), q)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Label() < items[j].Label() })
	rq := record.ListQuery{Limit: 500, Sort: "start_date", Filters: []record.Filter{
		{Field: "start_date", Op: record.OpLte, Value: c.To}, {Field: "end_date", Op: record.OpGte, Value: c.From}}}
	if typeName != "" {
		rq.Filters = append(rq.Filters, eq("asset_type", typeName), eq("asset_id", id(assetID)))
	}
	res, err := s.all(ctx, a, s.reservations(), rq)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		row := CalendarRow{Item: it}
		for _, r := range res {
			if r.String("asset_type") == it.String("asset_type") && r.Int("asset_id") == it.Int("asset_id") {
				row.Reservations = append(row.Reservations, r)
			}
		}
		c.Rows = append(c.Rows, row)
	}
	return c, nil
}

// Remind tells the borrowers of loans ending within RemindBefore days (checked
// out, not yet reminded), once each: reminded_at is set in the same transaction
// as what the Reminders functions do and the bell's notification (Notify) to the
// borrower and to the technician who handed the asset over. Then it tells them
// of the loans that became overdue (checked out, end date passed), in the bell
// only, once each (overdue_notified_at). It returns how many loans were told
// about, both kinds together.
func (s *Service) Remind(ctx context.Context) (int, error) {
	now := s.Rec.Now()
	today, last := dateOf(now), dateOf(now.AddDate(0, 0, RemindBefore))
	n := 0
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		n = 0
		for _, pass := range []struct {
			overdue bool
			col     string
			where   string
			args    []any
		}{
			{false, "reminded_at", "end_date >= ? AND end_date <= ?", []any{today, last}},
			{true, "overdue_notified_at", "end_date < ?", []any{today}},
		} {
			rows, err := tx.QueryContext(ctx, `SELECT r.id, r.organization_id, r.user_id, r.end_date, `+assetLabel()+`,
	(SELECT h.technician_id FROM handovers h WHERE h.reservation_id = r.id AND h.deleted_at IS NULL ORDER BY h.id DESC LIMIT 1)
FROM reservations r WHERE r.status = ? AND r.deleted_at IS NULL AND r.`+pass.col+` IS NULL AND `+pass.where+` ORDER BY r.id LIMIT 1000`,
				append([]any{CheckedOut}, pass.args...)...)
			if err != nil {
				return err
			}
			var due []Reminder
			d := &record.Field{Kind: record.Date}
			for rows.Next() {
				r := Reminder{Overdue: pass.overdue}
				var end any
				var name sql.NullString
				var tech sql.NullInt64
				if err := rows.Scan(&r.Reservation, &r.OrgID, &r.UserID, &end, &name, &tech); err != nil {
					rows.Close()
					return err
				}
				r.EndDate, r.Asset, r.Technician = record.Format(d.FromDB(end)), name.String, tech.Int64
				due = append(due, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, r := range due {
				res, err := tx.ExecContext(ctx, "UPDATE reservations SET "+pass.col+" = ? WHERE id = ? AND "+pass.col+" IS NULL", now, r.Reservation)
				if err != nil {
					return err
				}
				if k, _ := res.RowsAffected(); k != 1 {
					continue
				}
				if !r.Overdue {
					for _, f := range s.Reminders {
						if err := f(ctx, tx, r); err != nil {
							return err
						}
					}
				}
				if err := s.bell(ctx, tx, r); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return n, err
}

// bell records a loan's reminder (loan_due) or overdue notice (loan_overdue) in
// the bell of its borrower and of the technician who handed the asset over, once
// per loan, kind and return date.
func (s *Service) bell(ctx context.Context, tx *store.Tx, r Reminder) error {
	if s.Notify == nil {
		return nil
	}
	ev := EventDue
	if r.Overdue {
		ev = EventOverdue
	}
	users := []int64{r.UserID}
	if r.Technician != 0 && r.Technician != r.UserID {
		users = append(users, r.Technician)
	}
	_, err := s.Notify.Record(ctx, tx, users, notify.Note{Type: "reservations", ID: r.Reservation, Org: r.OrgID, Event: ev, Key: ev + ":" + r.EndDate, Detail: r.EndDate})
	return err
}

// RemindJob runs Remind every hour.
func (s *Service) RemindJob() jobs.Job {
	return jobs.Job{Name: "loan.reminders", Every: time.Hour, Jitter: time.Minute, Run: func(ctx context.Context) error {
		_, err := s.Remind(ctx)
		return err
	}}
}
