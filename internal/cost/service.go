package cost

import (
	"context"
	"math"
	"sort"
	"strings"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// FleetTypes are the asset types whose costs are worked out.
var FleetTypes = []string{"computers", "monitors", "network-equipment", "printers", "phones", "peripherals"}

// IsFleet reports whether name is one of FleetTypes.
func IsFleet(name string) bool {
	for _, t := range FleetTypes {
		if t == name {
			return true
		}
	}
	return false
}

// Service works out total costs of ownership.
type Service struct {
	Rec *record.Service
	// Loc is the time zone "today" is counted in.
	Loc *time.Location
}

// NewService makes the service over the record service (store, registry, clock).
func NewService(rec *record.Service) *Service { return &Service{Rec: rec, Loc: time.Local} }

// Line kinds.
const (
	Purchase = "purchase"
	Contract = "contract"
	Labour   = "labour"
	Parts    = "parts"
)

// Rate sources: where a technician's hourly rate came from.
const (
	RateUser    = "user"
	RateGroup   = "group"
	RateDefault = "default"
	RateNone    = "none"
)

// Line is one line of an asset's costs: its purchase, its share of one contract
// in one year, one technician's time in one year, one part in one year.
type Line struct {
	Kind   string  `json:"kind"`
	Year   int     `json:"year"`
	Label  string  `json:"label"`
	Amount float64 `json:"amount"`
	// Contract: the contract, its yearly cost, the months it covered the asset
	// in the year and how many assets share it.
	ContractID int64   `json:"contract_id,omitempty"`
	Months     float64 `json:"months,omitempty"`
	Assets     int     `json:"assets,omitempty"`
	YearCost   float64 `json:"yearly_cost,omitempty"`
	// Labour: the technician, the minutes spent and the rate applied.
	UserID     int64   `json:"user_id,omitempty"`
	Minutes    int64   `json:"minutes,omitempty"`
	Rate       float64 `json:"rate,omitempty"`
	RateSource string  `json:"rate_source,omitempty"`
	// Parts: the item and the quantity (issued less returned).
	StockItemID int64   `json:"stock_item_id,omitempty"`
	Quantity    float64 `json:"quantity,omitempty"`
}

// Year sums an asset's costs of one year by kind.
type Year struct {
	Year      int     `json:"year"`
	Purchase  float64 `json:"purchase"`
	Contracts float64 `json:"contracts"`
	Labour    float64 `json:"labour"`
	Parts     float64 `json:"parts"`
	Total     float64 `json:"total"`
}

// TCO is an asset's total cost of ownership.
type TCO struct {
	AssetType string  `json:"asset_type"`
	AssetID   int64   `json:"asset_id"`
	Name      string  `json:"name"`
	Currency  string  `json:"currency"`
	Lines     []Line  `json:"lines"`
	Years     []Year  `json:"years"`
	Purchase  float64 `json:"purchase"`
	Contracts float64 `json:"contracts"`
	Labour    float64 `json:"labour"`
	Minutes   int64   `json:"minutes"`
	Parts     float64 `json:"parts"`
	Total     float64 `json:"total"`
}

// Currency is the currency of every amount parc keeps.
const Currency = "EUR"

func cents(x float64) float64 { return math.Round(x*100) / 100 }

// day parses the first ten characters of a date or timestamp as text.
func day(s string) (time.Time, bool) {
	if len(s) < 10 {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", s[:10])
	return t, err == nil
}

// Asset works out the costs of one asset the actor reads (not found otherwise),
// as of today.
func (s *Service) Asset(ctx context.Context, a *record.Actor, typeName string, id int64) (*TCO, error) {
	if !IsFleet(typeName) {
		return nil, record.ErrNotFound()
	}
	t := s.Rec.Reg.MustType(typeName)
	r, err := s.Rec.Get(ctx, a, t, id)
	if err != nil {
		return nil, err
	}
	f, err := s.load(ctx, typeName, []int64{id})
	if err != nil {
		return nil, err
	}
	as := asset{ID: r.ID, Org: r.OrgID, Name: r.Label(), Price: record.Float(r.Get("purchase_price")), Bought: r.String("purchase_date")}
	if as.Bought == "" {
		as.Bought = r.CreatedAt.Format("2006-01-02")
	}
	tc := f.tco(as, s.today())
	tc.AssetType = typeName
	s.labels(ctx, a, tc)
	return tc, nil
}

func (s *Service) today() time.Time {
	n := s.Rec.Now().In(s.Loc)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// asset is what the computation needs of an asset.
type asset struct {
	ID, Org, Model int64
	Name           string
	Price          float64
	Bought         string // purchase date, else creation
}

type contractRow struct {
	asset, id    int64
	label        string
	start, end   string
	cost         float64
	periodMonths int
	assets       int
}

type taskRow struct {
	asset, user int64
	minutes     int64
	day         string
	share       int // assets of its ticket
}

type partRow struct {
	asset, item int64
	label       string
	qty         float64
	unit        float64
	day         string
	share       int
}

// facts are the rows the costs of a set of assets of one type are made of.
type facts struct {
	contracts map[int64][]contractRow
	tasks     map[int64][]taskRow
	parts     map[int64][]partRow
	rates     *rates
}

// load reads the facts of the assets ids of a type (every asset of the type
// when ids is nil).
func (s *Service) load(ctx context.Context, typeName string, ids []int64) (*facts, error) {
	f := &facts{contracts: map[int64][]contractRow{}, tasks: map[int64][]taskRow{}, parts: map[int64][]partRow{}}
	var err error
	if f.rates, err = s.loadRates(ctx); err != nil {
		return nil, err
	}
	in := func(col string) (string, []any) {
		args := []any{typeName}
		if ids == nil {
			return col + "_type = ?", args
		}
		for _, id := range ids {
			args = append(args, id)
		}
		return col + "_type = ? AND " + col + "_id IN (" + store.Placeholders(len(ids)) + ")", args
	}
	db := s.Rec.DB

	// Contracts covering the assets, with a cost, and how many assets each covers.
	w, args := in("ca.item")
	rows, err := db.QueryContext(ctx, `SELECT ca.item_id, c.id, COALESCE(c.number, ''), c.name, CAST(c.start_date AS TEXT), CAST(c.end_date AS TEXT), c.cost, c.cost_period,
		(SELECT COUNT(*) FROM contract_assets x WHERE x.contract_id = c.id AND x.deleted_at IS NULL)
		FROM contract_assets ca JOIN contracts c ON c.id = ca.contract_id
		WHERE `+w+` AND ca.deleted_at IS NULL AND c.deleted_at IS NULL AND c.cost IS NOT NULL AND c.start_date IS NOT NULL AND c.end_date IS NOT NULL`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c contractRow
		var number, period string
		var cost any
		if err := rows.Scan(&c.asset, &c.id, &number, &c.label, &c.start, &c.end, &cost, &period, &c.assets); err != nil {
			rows.Close()
			return nil, err
		}
		if number != "" {
			c.label = number + " — " + c.label
		}
		c.cost = record.Float(cost)
		c.periodMonths = map[string]int{"monthly": 1, "quarterly": 3}[period]
		if c.periodMonths == 0 {
			c.periodMonths = 12
		}
		f.contracts[c.asset] = append(f.contracts[c.asset], c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Tasks of the tickets about the assets; a ticket about several assets
	// shares its time among them.
	w, args = in("ti.item")
	rows, err = db.QueryContext(ctx, `SELECT ti.item_id, COALESCE(t.user_id, 0), t.duration_minutes, CAST(COALESCE(t.planned_start, t.created_at) AS TEXT),
		(SELECT COUNT(*) FROM ticket_items y WHERE y.ticket_id = ti.ticket_id AND y.deleted_at IS NULL)
		FROM ticket_items ti JOIN tickets tk ON tk.id = ti.ticket_id JOIN ticket_tasks t ON t.ticket_id = ti.ticket_id
		WHERE `+w+` AND ti.deleted_at IS NULL AND tk.deleted_at IS NULL AND t.deleted_at IS NULL AND t.duration_minutes > 0`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var t taskRow
		if err := rows.Scan(&t.asset, &t.user, &t.minutes, &t.day, &t.share); err != nil {
			rows.Close()
			return nil, err
		}
		f.tasks[t.asset] = append(f.tasks[t.asset], t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Parts issued to the assets (returned ones count back), and to their
	// tickets without naming an asset (shared among the ticket's assets).
	scan := func(q string, args []any) error {
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p partRow
			var kind string
			var unit any
			if err := rows.Scan(&p.asset, &p.item, &p.label, &kind, &p.qty, &unit, &p.day, &p.share); err != nil {
				return err
			}
			if kind == "returned" {
				p.qty = -p.qty
			}
			p.unit = record.Float(unit)
			f.parts[p.asset] = append(f.parts[p.asset], p)
		}
		return rows.Err()
	}
	w, args = in("m.asset")
	if err := scan(`SELECT m.asset_id, m.stock_item_id, si.name, m.kind, m.quantity, m.unit_cost, CAST(m.created_at AS TEXT), 1
		FROM stock_movements m JOIN stock_items si ON si.id = m.stock_item_id
		WHERE `+w+` AND m.kind IN ('issued', 'returned') AND m.deleted_at IS NULL`, args); err != nil {
		return nil, err
	}
	w, args = in("ti.item")
	if err := scan(`SELECT ti.item_id, m.stock_item_id, si.name, m.kind, m.quantity, m.unit_cost, CAST(m.created_at AS TEXT),
		(SELECT COUNT(*) FROM ticket_items y WHERE y.ticket_id = ti.ticket_id AND y.deleted_at IS NULL)
		FROM ticket_items ti JOIN tickets tk ON tk.id = ti.ticket_id JOIN stock_movements m ON m.ticket_id = ti.ticket_id JOIN stock_items si ON si.id = m.stock_item_id
		WHERE `+w+` AND ti.deleted_at IS NULL AND tk.deleted_at IS NULL AND m.asset_id IS NULL AND m.kind IN ('issued', 'returned') AND m.deleted_at IS NULL`, args); err != nil {
		return nil, err
	}
	return f, nil
}

// tco works out one asset's costs from the facts, up to today.
func (f *facts) tco(as asset, today time.Time) *TCO {
	tc := &TCO{AssetID: as.ID, Name: as.Name, Currency: Currency}
	if as.Price > 0 {
		y := 0
		if d, ok := day(as.Bought); ok {
			y = d.Year()
		}
		tc.Lines = append(tc.Lines, Line{Kind: Purchase, Year: y, Amount: cents(as.Price)})
	}
	for _, c := range f.contracts[as.ID] {
		start, ok1 := day(c.start)
		end, ok2 := day(c.end)
		if !ok1 || !ok2 || c.assets == 0 {
			continue
		}
		if end.After(today) {
			end = today
		}
		monthly := c.cost / float64(c.periodMonths)
		for y := start.Year(); y <= end.Year(); y++ {
			from, to := start, end
			if y > start.Year() {
				from = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			if y < end.Year() {
				to = time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
			}
			m := months(from, to)
			if m <= 0 {
				continue
			}
			tc.Lines = append(tc.Lines, Line{Kind: Contract, Year: y, Label: c.label, ContractID: c.id, Months: math.Round(m*100) / 100,
				Assets: c.assets, YearCost: cents(monthly * 12), Amount: cents(monthly * m / float64(c.assets))})
		}
	}
	type ukey struct {
		user int64
		year int
	}
	mins := map[ukey]float64{}
	for _, t := range f.tasks[as.ID] {
		d, ok := day(t.day)
		if !ok || d.After(today) {
			continue
		}
		mins[ukey{t.user, d.Year()}] += float64(t.minutes) / float64(max(t.share, 1))
	}
	for k, m := range mins {
		rate, src := f.rates.of(k.user, as.Org)
		tc.Lines = append(tc.Lines, Line{Kind: Labour, Year: k.year, UserID: k.user, Minutes: int64(math.Round(m)), Rate: rate, RateSource: src,
			Amount: cents(m / 60 * rate)})
	}
	type pkey struct {
		item int64
		year int
		unit float64
	}
	qty := map[pkey]float64{}
	plabel := map[int64]string{}
	for _, p := range f.parts[as.ID] {
		d, ok := day(p.day)
		if !ok {
			continue
		}
		qty[pkey{p.item, d.Year(), p.unit}] += p.qty / float64(max(p.share, 1))
		plabel[p.item] = p.label
	}
	for k, q := range qty {
		if q == 0 {
			continue
		}
		tc.Lines = append(tc.Lines, Line{Kind: Parts, Year: k.year, Label: plabel[k.item], StockItemID: k.item, Quantity: math.Round(q*100) / 100, Rate: k.unit,
			Amount: cents(q * k.unit)})
	}
	order := map[string]int{Purchase: 0, Contract: 1, Labour: 2, Parts: 3}
	sort.SliceStable(tc.Lines, func(i, j int) bool {
		a, b := tc.Lines[i], tc.Lines[j]
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		if a.Kind != b.Kind {
			return order[a.Kind] < order[b.Kind]
		}
		if a.Label != b.Label {
			return a.Label < b.Label
		}
		return a.UserID < b.UserID
	})
	years := map[int]*Year{}
	for _, l := range tc.Lines {
		y := years[l.Year]
		if y == nil {
			y = &Year{Year: l.Year}
			years[l.Year] = y
		}
		switch l.Kind {
		case Purchase:
			y.Purchase += l.Amount
			tc.Purchase += l.Amount
		case Contract:
			y.Contracts += l.Amount
			tc.Contracts += l.Amount
		case Labour:
			y.Labour += l.Amount
			tc.Labour += l.Amount
			tc.Minutes += l.Minutes
		case Parts:
			y.Parts += l.Amount
			tc.Parts += l.Amount
		}
		y.Total += l.Amount
		tc.Total += l.Amount
	}
	for _, y := range years {
		y.Purchase, y.Contracts, y.Labour, y.Parts, y.Total = cents(y.Purchase), cents(y.Contracts), cents(y.Labour), cents(y.Parts), cents(y.Total)
		tc.Years = append(tc.Years, *y)
	}
	sort.Slice(tc.Years, func(i, j int) bool { return tc.Years[i].Year < tc.Years[j].Year })
	tc.Purchase, tc.Contracts, tc.Labour, tc.Parts, tc.Total = cents(tc.Purchase), cents(tc.Contracts), cents(tc.Labour), cents(tc.Parts), cents(tc.Total)
	if tc.Lines == nil {
		tc.Lines = []Line{}
	}
	if tc.Years == nil {
		tc.Years = []Year{}
	}
	return tc
}

// months counts the months from one day to another, both included: a whole
// calendar month counts 1, a part of one its days over the month's days.
func months(from, to time.Time) float64 {
	if to.Before(from) {
		return 0
	}
	var m float64
	for d := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); !d.After(to); d = d.AddDate(0, 1, 0) {
		last := d.AddDate(0, 1, -1)
		a, b := d, last
		if from.After(a) {
			a = from
		}
		if to.Before(b) {
			b = to
		}
		days := float64(last.Day())
		m += (b.Sub(a).Hours()/24 + 1) / days
	}
	return m
}

// rates are the hourly rates: per user, per group, per organisation (default).
type rates struct {
	user    map[int64]float64
	group   map[int64]float64
	def     map[int64]float64
	groups  map[int64][]int64 // a user's groups
	parents map[int64]int64   // an organisation's parent
}

func (s *Service) loadRates(ctx context.Context) (*rates, error) {
	r := &rates{user: map[int64]float64{}, group: map[int64]float64{}, def: map[int64]float64{}, groups: map[int64][]int64{}, parents: map[int64]int64{}}
	// The latest rate wins when there are several for one user, group or
	// organisation.
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT organization_id, COALESCE(user_id, 0), COALESCE(group_id, 0), rate FROM hourly_rates WHERE deleted_at IS NULL ORDER BY id")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var org, u, g int64
		var v any
		if err := rows.Scan(&org, &u, &g, &v); err != nil {
			rows.Close()
			return nil, err
		}
		switch {
		case u != 0:
			r.user[u] = record.Float(v)
		case g != 0:
			r.group[g] = record.Float(v)
		default:
			r.def[org] = record.Float(v)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(r.group) > 0 {
		rows, err = s.Rec.DB.QueryContext(ctx, "SELECT user_id, group_id FROM group_members WHERE deleted_at IS NULL")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var u, g int64
			if err := rows.Scan(&u, &g); err != nil {
				rows.Close()
				return nil, err
			}
			if _, ok := r.group[g]; ok {
				r.groups[u] = append(r.groups[u], g)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if len(r.def) > 0 {
		rows, err = s.Rec.DB.QueryContext(ctx, "SELECT id, COALESCE(parent_id, 0) FROM organizations")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, p int64
			if err := rows.Scan(&id, &p); err != nil {
				rows.Close()
				return nil, err
			}
			r.parents[id] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// of gives a technician's hourly rate for an asset of org: their own, else
// their group's (the highest of their groups'), else the default of the
// asset's organisation or its nearest ancestor with one, else none (0).
func (r *rates) of(user, org int64) (float64, string) {
	if v, ok := r.user[user]; ok && user != 0 {
		return v, RateUser
	}
	best, found := 0.0, false
	for _, g := range r.groups[user] {
		if v := r.group[g]; !found || v > best {
			best, found = v, true
		}
	}
	if found {
		return best, RateGroup
	}
	for o, n := org, 0; o != 0 && n < 100; o, n = r.parents[o], n+1 {
		if v, ok := r.def[o]; ok {
			return v, RateDefault
		}
	}
	return 0, RateNone
}

// labels names the contracts and technicians of an asset's lines for the actor:
// a contract or a user the actor may not read is named by its kind alone.
func (s *Service) labels(ctx context.Context, a *record.Actor, tc *TCO) {
	cts, users := s.Rec.Reg.MustType("contracts"), s.Rec.Reg.MustType("users")
	for i := range tc.Lines {
		l := &tc.Lines[i]
		switch l.Kind {
		case Contract:
			if _, err := s.Rec.Get(ctx, a, cts, l.ContractID); err != nil {
				l.Label, l.ContractID = "", 0
			}
		case Labour:
			if l.UserID == 0 {
				continue
			}
			if u, err := s.Rec.Get(ctx, a, users, l.UserID); err == nil {
				l.Label = strings.TrimSpace(u.Label())
			} else {
				l.UserID = 0
			}
		}
	}
}
