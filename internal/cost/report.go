package cost

import (
	"context"
	"sort"
	"strings"

	"parc/internal/record"
)

// ReportQuery asks for the costs of the assets of one type the actor reads,
// grouped per model or per organisation.
type ReportQuery struct {
	Type string // a fleet type (computers when empty)
	By   string // "model" (default) or "organization"
	// Sort is a column (total, purchase, contracts, labour, parts, assets,
	// average, name), "-" first for descending; "-total" when empty.
	Sort          string
	Offset, Limit int
}

// ReportRow is one model's or organisation's costs.
type ReportRow struct {
	ID        int64   `json:"id"` // the model or organisation (0: assets without a model)
	Name      string  `json:"name"`
	Assets    int     `json:"assets"`
	Purchase  float64 `json:"purchase"`
	Contracts float64 `json:"contracts"`
	Labour    float64 `json:"labour"`
	Minutes   int64   `json:"minutes"`
	Parts     float64 `json:"parts"`
	Total     float64 `json:"total"`
	Average   float64 `json:"average"` // total per asset
}

// Report is a page of the report and its total.
type Report struct {
	Type     string      `json:"asset_type"`
	By       string      `json:"by"`
	Sort     string      `json:"sort"`
	Currency string      `json:"currency"`
	Count    int         `json:"count"` // rows in all
	Rows     []ReportRow `json:"data"`
	Total    ReportRow   `json:"total"`
}

// SortKeys are the columns a report sorts on.
var SortKeys = []string{"name", "assets", "purchase", "contracts", "labour", "parts", "total", "average"}

// Report works out the costs of every live, undisposed asset of a type the
// actor reads, grouped per model or per organisation, sorted and paged.
func (s *Service) Report(ctx context.Context, a *record.Actor, q ReportQuery) (*Report, error) {
	if q.Type == "" {
		q.Type = "computers"
	}
	if q.By != "organization" {
		q.By = "model"
	}
	if q.Sort == "" {
		q.Sort = "-total"
	}
	key := strings.TrimPrefix(q.Sort, "-")
	known := false
	for _, k := range SortKeys {
		known = known || k == key
	}
	if !IsFleet(q.Type) || !known {
		return nil, record.E(record.CodeInvalid, "err.invalid")
	}
	t := s.Rec.Reg.MustType(q.Type)
	out := &Report{Type: q.Type, By: q.By, Sort: q.Sort, Currency: Currency, Rows: []ReportRow{}}
	where, args, ok := s.Rec.ScopeSQL(a, t, record.Read)
	if !ok {
		return out, nil
	}
	rows, err := s.Rec.DB.QueryContext(ctx, `SELECT id, organization_id, COALESCE(model_id, 0), purchase_price,
		COALESCE(CAST(purchase_date AS TEXT), substr(CAST(created_at AS TEXT), 1, 10)) FROM `+t.Table+
		` WHERE `+where+` AND deleted_at IS NULL AND `+disposed(t), args...)
	if err != nil {
		return nil, err
	}
	var assets []asset
	for rows.Next() {
		var as asset
		var price any
		if err := rows.Scan(&as.ID, &as.Org, &as.Model, &price, &as.Bought); err != nil {
			rows.Close()
			return nil, err
		}
		as.Price = record.Float(price)
		assets = append(assets, as)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	f, err := s.load(ctx, q.Type, nil)
	if err != nil {
		return nil, err
	}
	today := s.today()
	groups := map[int64]*ReportRow{}
	for _, as := range assets {
		k := as.Model
		if q.By == "organization" {
			k = as.Org
		}
		g := groups[k]
		if g == nil {
			g = &ReportRow{ID: k}
			groups[k] = g
		}
		tc := f.tco(as, today)
		g.Assets++
		g.Purchase += tc.Purchase
		g.Contracts += tc.Contracts
		g.Labour += tc.Labour
		g.Minutes += tc.Minutes
		g.Parts += tc.Parts
		g.Total += tc.Total
	}
	names, err := s.groupNames(ctx, a, q.By, groups)
	if err != nil {
		return nil, err
	}
	for id, g := range groups {
		g.Name = names[id]
		g.Purchase, g.Contracts, g.Labour, g.Parts, g.Total = cents(g.Purchase), cents(g.Contracts), cents(g.Labour), cents(g.Parts), cents(g.Total)
		g.Average = cents(g.Total / float64(g.Assets))
		out.Rows = append(out.Rows, *g)
		out.Total.Assets += g.Assets
		out.Total.Purchase += g.Purchase
		out.Total.Contracts += g.Contracts
		out.Total.Labour += g.Labour
		out.Total.Minutes += g.Minutes
		out.Total.Parts += g.Parts
		out.Total.Total += g.Total
	}
	tot := &out.Total
	tot.Purchase, tot.Contracts, tot.Labour, tot.Parts, tot.Total = cents(tot.Purchase), cents(tot.Contracts), cents(tot.Labour), cents(tot.Parts), cents(tot.Total)
	if tot.Assets > 0 {
		tot.Average = cents(tot.Total / float64(tot.Assets))
	}
	desc := strings.HasPrefix(q.Sort, "-")
	val := func(r ReportRow) float64 {
		switch key {
		case "assets":
			return float64(r.Assets)
		case "purchase":
			return r.Purchase
		case "contracts":
			return r.Contracts
		case "labour":
			return r.Labour
		case "parts":
			return r.Parts
		case "average":
			return r.Average
		}
		return r.Total
	}
	sort.SliceStable(out.Rows, func(i, j int) bool {
		x, y := out.Rows[i], out.Rows[j]
		if key != "name" {
			if vx, vy := val(x), val(y); vx != vy {
				return (vx > vy) == desc
			}
		} else if c := strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)); c != 0 {
			return (c > 0) == desc
		}
		if x.Name != y.Name {
			return x.Name < y.Name
		}
		return x.ID < y.ID
	})
	out.Count = len(out.Rows)
	if q.Offset > len(out.Rows) {
		q.Offset = len(out.Rows)
	}
	out.Rows = out.Rows[q.Offset:]
	if q.Limit > 0 && len(out.Rows) > q.Limit {
		out.Rows = out.Rows[:q.Limit]
	}
	return out, nil
}

// groupNames names the models or organisations of a report; names are of
// catalogue records and of organisations the actor's assets are in.
func (s *Service) groupNames(ctx context.Context, a *record.Actor, by string, groups map[int64]*ReportRow) (map[int64]string, error) {
	out := map[int64]string{}
	if by == "organization" {
		for id := range groups {
			if o := a.Tree.Get(id); o != nil {
				out[id] = o.Name
			}
		}
		return out, nil
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT id, name FROM models")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		if _, ok := groups[id]; ok {
			out[id] = name
		}
	}
	return out, rows.Err()
}

// disposed is the condition that keeps disposed assets out.
func disposed(t *record.Type) string {
	if w := record.DisposedSQL(t, false); w != "" {
		return w
	}
	return "1 = 1"
}
