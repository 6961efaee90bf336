package stock

import (
	"context"
	"database/sql"
	"math"
	"sort"
	"strconv"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// Service is the stock's use cases: movements, quantities per location, the
// movements of an item or a ticket, and the reorder suggestions.
type Service struct {
	Rec *record.Service
	// Now is the clock of the reorder suggestions' consumption window.
	Now func() time.Time
}

// NewService makes the stock service.
func NewService(rec *record.Service) *Service {
	return &Service{Rec: rec, Now: time.Now}
}

func (s *Service) items() *record.Type     { return s.Rec.Reg.MustType(ItemsType) }
func (s *Service) movements() *record.Type { return s.Rec.Reg.MustType(MovementsType) }

// Move records a movement (stock_item_id, location_id, kind, quantity, and
// to_location_id, ticket_id, asset_type + asset_id, comment as they apply) and
// applies it to the quantities in the same transaction. A movement that would
// leave less than nothing at its location is a conflict (409), and nothing is
// written.
func (s *Service) Move(ctx context.Context, a *record.Actor, in record.Input) (*record.Record, error) {
	return s.Rec.Create(ctx, a, s.movements(), in)
}

// MoveTx is Move inside the caller's transaction (a reception of ordered parts
// records its movement with the quantity received).
func (s *Service) MoveTx(ctx context.Context, tx *store.Tx, a *record.Actor, in record.Input) (*record.Record, error) {
	return s.Rec.CreateTx(ctx, tx, a, s.movements(), in)
}

// placeLabel is a location as the stock names it: its name, and its code when it
// has one (two sites each have their "Local technique").
const placeLabel = "(loc.name || CASE WHEN loc.code IS NULL OR loc.code = '' THEN '' ELSE ' (' || loc.code || ')' END)"

// Level is an item's quantity at one location.
type Level struct {
	LocationID int64  `json:"location_id"`
	Location   string `json:"location"`
	Quantity   int64  `json:"quantity"`
	// Below: fewer than the item's threshold.
	Below bool `json:"below_threshold"`
}

// Levels are an item's quantities per location, by location name; locations it
// never was at are left out, emptied ones kept (at 0). The item is read under
// the actor's rights (not found otherwise).
func (s *Service) Levels(ctx context.Context, a *record.Actor, itemID int64) (*record.Record, []Level, error) {
	item, err := s.Rec.Get(ctx, a, s.items(), itemID)
	if err != nil {
		return nil, nil, err
	}
	levels, err := s.levels(ctx, s.Rec.DB, []int64{itemID})
	if err != nil {
		return nil, nil, err
	}
	out := levels[itemID]
	th := item.Int("threshold")
	for i := range out {
		out[i].Below = out[i].Quantity < th
	}
	return item, out, nil
}

// levels reads the levels of several items.
func (s *Service) levels(ctx context.Context, q store.Querier, ids []int64) (map[int64][]Level, error) {
	out := map[int64][]Level{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.QueryContext(ctx, "SELECT l.stock_item_id, l.location_id, "+placeLabel+", l.quantity FROM stock_levels l JOIN locations loc ON loc.id = l.location_id "+
		"WHERE l.stock_item_id IN ("+store.Placeholders(len(ids))+") ORDER BY loc.name, l.location_id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var item int64
		var l Level
		if err := rows.Scan(&item, &l.LocationID, &l.Location, &l.Quantity); err != nil {
			return nil, err
		}
		out[item] = append(out[item], l)
	}
	return out, rows.Err()
}

// BelowThreshold tells, for each of the given items (as a list page shows them),
// whether one of its locations holds fewer than its threshold, or it has none
// while its threshold asks for some.
func (s *Service) BelowThreshold(ctx context.Context, items []*record.Record) (map[int64]bool, error) {
	var ids []int64
	for _, r := range items {
		ids = append(ids, r.ID)
	}
	levels, err := s.levels(ctx, s.Rec.DB, ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, r := range items {
		th := r.Int("threshold")
		if th <= 0 {
			continue
		}
		ls := levels[r.ID]
		if len(ls) == 0 {
			out[r.ID] = true
		}
		for _, l := range ls {
			if l.Quantity < th {
				out[r.ID] = true
			}
		}
	}
	return out, nil
}

// ItemMovements lists an item's movements, newest first, a page at a time.
func (s *Service) ItemMovements(ctx context.Context, a *record.Actor, itemID int64, limit int, cursor string) (*record.Page, error) {
	return s.Rec.List(ctx, a, s.movements(), record.ListQuery{Sort: "-id", Limit: limit, Cursor: cursor,
		Filters: []record.Filter{{Field: "stock_item_id", Op: record.OpEq, Value: strconv.FormatInt(itemID, 10)}}})
}

// Part is a part issued to a ticket (or returned from it) with its cost.
type Part struct {
	Movement *record.Record
	Item     string
	Kind     string
	Quantity int64
	// Cents: quantity × the unit cost when it was issued, negative for a return.
	Cents int64
}

// TicketParts are the parts issued to a ticket and returned from it, oldest
// first, with the parts cost (in cents: issued minus returned, at the unit
// costs of the movements), among the movements the actor may read.
func (s *Service) TicketParts(ctx context.Context, a *record.Actor, ticketID int64) ([]Part, int64, error) {
	t := s.movements()
	if !a.Can(t, record.Read) {
		return nil, 0, nil
	}
	page, err := s.Rec.List(ctx, a, t, record.ListQuery{Sort: "id", Limit: record.MaxLimit,
		Filters: []record.Filter{{Field: "ticket_id", Op: record.OpEq, Value: strconv.FormatInt(ticketID, 10)}}})
	if err != nil {
		return nil, 0, err
	}
	var out []Part
	var total int64
	for _, r := range page.Records {
		p := Part{Movement: r, Item: r.Display["stock_item_id"], Kind: r.String("kind"), Quantity: r.Int("quantity")}
		unit, _ := r.Values["unit_cost"].(float64)
		p.Cents = int64(math.Round(unit*100)) * p.Quantity
		if p.Kind == Returned {
			p.Cents = -p.Cents
		}
		total += p.Cents
		out = append(out, p)
	}
	return out, total, nil
}

// Stocked is an item with stock at a location, as the ticket page offers it.
type Stocked struct {
	ItemID, LocationID int64
	Item, Reference    string
	Location           string
	Quantity           int64
}

// Available lists what the actor may issue to a record of organisation org:
// items with stock at a location, of org's organisation tree (its own, its
// ancestors' and its sub-organisations'), by item then location name, at most
// limit.
func (s *Service) Available(ctx context.Context, a *record.Actor, org int64, limit int) ([]Stocked, error) {
	it, mt := s.items(), s.movements()
	if !a.Can(mt, record.Create) {
		return nil, nil
	}
	where, args, ok := s.Rec.ScopeSQL(a, it, record.Read)
	if !ok {
		return nil, nil
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT i.id, i.organization_id, i.name, COALESCE(i.reference, ''), l.location_id, "+placeLabel+", l.quantity "+
		"FROM (SELECT id, organization_id, name, reference FROM stock_items WHERE deleted_at IS NULL AND quantity > 0 AND "+where+") i "+
		"JOIN stock_levels l ON l.stock_item_id = i.id JOIN locations loc ON loc.id = l.location_id "+
		"WHERE l.quantity > 0 AND loc.deleted_at IS NULL ORDER BY i.name, loc.name, l.location_id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Stocked
	for rows.Next() {
		var x Stocked
		var itemOrg int64
		if err := rows.Scan(&x.ItemID, &itemOrg, &x.Item, &x.Reference, &x.LocationID, &x.Location, &x.Quantity); err != nil {
			return nil, err
		}
		if !a.Tree.IsAncestorOrSelf(itemOrg, org) && !a.Tree.IsAncestorOrSelf(org, itemOrg) || !a.CanIn(mt, record.Create, itemOrg) {
			continue
		}
		if len(out) < limit {
			out = append(out, x)
		}
	}
	return out, rows.Err()
}

// Place is a location a movement of an item may use.
type Place struct {
	ID   int64
	Name string
}

// Locations are the live locations the actor reads of an item's organisation or
// its ancestors, by name: where its stock may be kept.
func (s *Service) Locations(ctx context.Context, a *record.Actor, item *record.Record) ([]Place, error) {
	lt := s.Rec.Reg.MustType("locations")
	where, args, ok := s.Rec.ScopeSQL(a, lt, record.Read)
	if !ok {
		return nil, nil
	}
	var orgs []any
	for id := item.OrgID; id != 0; {
		orgs = append(orgs, id)
		o := a.Tree.Get(id)
		if o == nil || o.ParentID == 0 {
			break
		}
		id = o.ParentID
	}
	if len(orgs) == 0 {
		return nil, nil
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT loc.id, "+placeLabel+" FROM locations loc WHERE loc.deleted_at IS NULL AND "+where+
		" AND loc.organization_id IN ("+store.Placeholders(len(orgs))+") ORDER BY loc.name, loc.code, loc.id LIMIT 1000", append(args, orgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Place
	for rows.Next() {
		var p Place
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Reorder window and margins of the suggestions.
const (
	// ConsumptionDays is the window the consumption is measured over.
	ConsumptionDays = 90
	// DefaultLeadDays is the delivery time assumed when the supplier gives none.
	DefaultLeadDays = 14
	// SafetyDays are added to the lead time: stock for a late delivery.
	SafetyDays = 7
)

// Suggestion is an item below its threshold at a location, and how many to order.
type Suggestion struct {
	ItemID      int64   `json:"stock_item_id"`
	Item        string  `json:"stock_item"`
	Reference   string  `json:"reference"`
	SupplierID  int64   `json:"supplier_id,omitempty"`
	Supplier    string  `json:"supplier,omitempty"`
	LocationID  int64   `json:"location_id"`
	Location    string  `json:"location"`
	Quantity    int64   `json:"quantity"`
	Threshold   int64   `json:"threshold"`
	Issued      int64   `json:"issued_90_days"`
	LeadDays    int     `json:"lead_time_days"`
	DefaultLead bool    `json:"lead_time_default"`
	Suggested   int64   `json:"suggested_quantity"`
	UnitCost    float64 `json:"unit_cost"`
}

// Reorder lists the items below their threshold at a location, among those the
// actor reads, with a suggested quantity: what brings the location back to its
// threshold plus the consumption expected over the supplier's lead time and a
// safety margin, the consumption being the quantity issued there over the last
// ConsumptionDays days, the lead time the supplier's catalogue entry of the
// item's reference, else DefaultLeadDays (DefaultLead says so).
func (s *Service) Reorder(ctx context.Context, a *record.Actor) ([]Suggestion, error) {
	it := s.items()
	where, args, ok := s.Rec.ScopeSQL(a, it, record.Read)
	if !ok {
		return nil, nil
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT i.id, i.name, COALESCE(i.reference, ''), COALESCE(i.supplier_id, 0), COALESCE(sup.name, ''), COALESCE(i.unit_cost, 0), i.threshold, "+
		"l.location_id, "+placeLabel+", l.quantity, "+
		// The supplier's promised lead time for the item (its catalogue entry of the same reference).
		"(SELECT MAX(si.lead_time_days) FROM supplier_items si WHERE si.supplier_id = i.supplier_id AND si.reference = i.reference AND si.deleted_at IS NULL) "+
		"FROM (SELECT id, name, reference, supplier_id, unit_cost, threshold FROM stock_items WHERE deleted_at IS NULL AND threshold > 0 AND "+where+") i "+
		"JOIN stock_levels l ON l.stock_item_id = i.id AND l.quantity < i.threshold JOIN locations loc ON loc.id = l.location_id AND loc.deleted_at IS NULL "+
		"LEFT JOIN suppliers sup ON sup.id = i.supplier_id ORDER BY loc.name, i.name, i.id", args...)
	if err != nil {
		return nil, err
	}
	var out []Suggestion
	for rows.Next() {
		var x Suggestion
		var cost any
		var lead sql.NullInt64
		if err := rows.Scan(&x.ItemID, &x.Item, &x.Reference, &x.SupplierID, &x.Supplier, &cost, &x.Threshold, &x.LocationID, &x.Location, &x.Quantity, &lead); err != nil {
			rows.Close()
			return nil, err
		}
		x.UnitCost = record.Float(cost)
		x.LeadDays, x.DefaultLead = DefaultLeadDays, true
		if lead.Valid {
			x.LeadDays, x.DefaultLead = int(lead.Int64), false
		}
		out = append(out, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	// Consumption: issued over the window, per item and location.
	var ids []any
	seen := map[int64]bool{}
	for _, x := range out {
		if !seen[x.ItemID] {
			seen[x.ItemID] = true
			ids = append(ids, x.ItemID)
		}
	}
	since := s.Now().Add(-ConsumptionDays * 24 * time.Hour).UTC()
	crows, err := s.Rec.DB.QueryContext(ctx, "SELECT stock_item_id, location_id, SUM(quantity) FROM stock_movements WHERE kind = ? AND created_at >= ? AND stock_item_id IN ("+
		store.Placeholders(len(ids))+") GROUP BY stock_item_id, location_id", append([]any{Issued, since}, ids...)...)
	if err != nil {
		return nil, err
	}
	type key struct{ item, loc int64 }
	used := map[key]int64{}
	for crows.Next() {
		var k key
		var n int64
		if err := crows.Scan(&k.item, &k.loc, &n); err != nil {
			crows.Close()
			return nil, err
		}
		used[k] = n
	}
	crows.Close()
	if err := crows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		x := &out[i]
		x.Issued = used[key{x.ItemID, x.LocationID}]
		x.Suggested = Suggest(x.Quantity, x.Threshold, x.Issued, x.LeadDays)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Location < out[j].Location })
	return out, nil
}

// Suggest is the quantity to order for a location holding have units of an item
// whose threshold is min, of which issued were used over the last
// ConsumptionDays days, delivered in lead days: back to the threshold, plus the
// expected use over the lead time and SafetyDays (rounded up). At least one.
func Suggest(have, min, issued int64, lead int) int64 {
	need := min - have
	use := int64(math.Ceil(float64(issued) * float64(lead+SafetyDays) / ConsumptionDays))
	return max(need+use, 1)
}
