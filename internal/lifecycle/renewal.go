package lifecycle

import (
	"context"
	"database/sql"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// Reason is one reason to renew an asset, as a catalogue key and its arguments
// ("renewal.reason.age": 6 years, bought 2019-03-01).
type Reason struct {
	Key  string `json:"key"`
	Args []any  `json:"args"`
}

// Candidate is an asset the plan proposes to renew.
type Candidate struct {
	Type  string `json:"asset_type"`
	ID    int64  `json:"asset_id"`
	Name  string `json:"name"`
	OrgID int64  `json:"organization_id"`
	// Since is the day the age counts from: the purchase date, else the day parc
	// first saw the asset (its creation, an inventory's for inventoried machines).
	Since       string  `json:"since,omitempty"`
	Bought      bool    `json:"bought"` // Since is the purchase date
	AgeYears    int     `json:"age_years"`
	WarrantyEnd string  `json:"warranty_end,omitempty"`
	Failures    int     `json:"failures"`
	MemoryMB    int64   `json:"memory_mb,omitempty"`
	DiskMB      int64   `json:"disk_mb,omitempty"`
	Cost        float64 `json:"replacement_cost"`
	// CostFrom says where the cost comes from: model, purchase, setting, or none.
	CostFrom string   `json:"cost_from"`
	Score    int      `json:"score"`
	Reasons  []Reason `json:"reasons"`
	DueYear  int      `json:"due_year"`
}

// ForecastYear is one year of the forecast: assets due that year and what
// replacing them costs (NoCost of them have no known cost).
type ForecastYear struct {
	Year   int     `json:"year"`
	Count  int     `json:"count"`
	Cost   float64 `json:"cost"`
	NoCost int     `json:"without_cost"`
}

// Plan is the renewal plan of the assets an actor reads.
type Plan struct {
	Settings Settings `json:"settings"`
	// Assets are those due now (old, failing or under-powered), highest score
	// first; an ended warranty adds to the score and the reasons but does not
	// list an asset alone.
	Assets   []Candidate    `json:"assets"`
	Forecast []ForecastYear `json:"forecast"`
	// Fleet is how many assets were weighed; Undated have neither purchase date nor
	// any other date to age them by (none: parc always has a creation date).
	Fleet int `json:"fleet"`
}

// PlanQuery narrows the plan to an organisation (and its sub-organisations) or
// to one asset type.
type PlanQuery struct {
	Org  int64
	Type string
}

// Points of each reason; an asset's score is their sum.
const (
	pointsAge        = 40 // reached AgeYears, +5 a year beyond, at most 60
	pointsWarranty   = 20
	pointsFailures   = 25 // reached Failures, +5 an incident beyond, at most 40
	pointsMemory     = 15
	pointsDisk       = 10
	failureWindowDay = 365
)

const day = "2006-01-02"

// Plan weighs every asset in the fleet the actor reads (not disposed, not in the
// trash): age, warranty, incidents of the last 12 months, and for computers
// memory and disk against the settings. An asset with a reason is listed with
// its score; the forecast counts each asset in the year it is due: this year
// when it is old, failing or under-powered now, else the year it reaches the age
// (a warranty ended alone does not bring it forward), within HorizonYears.
func (s *Service) Plan(ctx context.Context, a *record.Actor, q PlanQuery, now time.Time) (*Plan, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	p := &Plan{Settings: st, Assets: []Candidate{}}
	thisYear := now.Year()
	for i := 0; i < st.HorizonYears; i++ {
		p.Forecast = append(p.Forecast, ForecastYear{Year: thisYear + i})
	}
	costs, err := s.modelCosts(ctx)
	if err != nil {
		return nil, err
	}
	today := now.Format(day)
	for _, name := range FleetTypes {
		if q.Type != "" && q.Type != name {
			continue
		}
		t := s.Rec.Reg.MustType(name)
		if err := s.weigh(ctx, a, t, q, st, now, today, costs, p); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(p.Assets, func(i, j int) bool {
		if p.Assets[i].Score != p.Assets[j].Score {
			return p.Assets[i].Score > p.Assets[j].Score
		}
		return p.Assets[i].Name < p.Assets[j].Name
	})
	for i := range p.Forecast {
		p.Forecast[i].Cost = cents(p.Forecast[i].Cost)
	}
	return p, nil
}

func (s *Service) modelCosts(ctx context.Context) (map[int64]float64, error) {
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT id, replacement_cost FROM models WHERE deleted_at IS NULL AND replacement_cost IS NOT NULL")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]float64{}
	for rows.Next() {
		var id int64
		var c any
		if err := rows.Scan(&id, &c); err != nil {
			return nil, err
		}
		out[id] = toFloat(c)
	}
	return out, rows.Err()
}

// failures counts the incident tickets about each asset of a type opened since.
func (s *Service) failures(ctx context.Context, t *record.Type, since time.Time) (map[int64]int, error) {
	rows, err := s.Rec.DB.QueryContext(ctx, `SELECT ti.item_id, COUNT(DISTINCT ti.ticket_id) FROM ticket_items ti
		JOIN tickets tk ON tk.id = ti.ticket_id
		WHERE ti.item_type = ? AND ti.deleted_at IS NULL AND tk.deleted_at IS NULL AND tk.type = 'incident' AND tk.created_at >= ?
		GROUP BY ti.item_id`, t.Name, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

func (s *Service) weigh(ctx context.Context, a *record.Actor, t *record.Type, q PlanQuery, st Settings, now time.Time, today string, costs map[int64]float64, p *Plan) error {
	where, args, ok := s.Rec.ScopeSQL(a, t, record.Read)
	if !ok {
		return nil
	}
	conds := []string{where, "deleted_at IS NULL", record.DisposedSQL(t, false)}
	if q.Org != 0 {
		var ids []int64
		for _, o := range a.Tree.Orgs() {
			if a.Tree.IsAncestorOrSelf(q.Org, o.ID) {
				ids = append(ids, o.ID)
			}
		}
		if len(ids) == 0 {
			return nil
		}
		conds = append(conds, "organization_id IN ("+store.Placeholders(len(ids))+")")
		for _, id := range ids {
			args = append(args, id)
		}
	}
	fails, err := s.failures(ctx, t, now.AddDate(0, 0, -failureWindowDay))
	if err != nil {
		return err
	}
	// Dates come as text (YYYY-MM-DD first): compared as strings, never parsed
	// row by row (the drivers' time parsing was most of the time at 100,000).
	// The age counts from the purchase, else from the record's creation.
	computer := t.HasField("memory_mb")
	cols := `id, name, organization_id, model_id, purchase_price,
		COALESCE(CAST(purchase_date AS TEXT), substr(CAST(created_at AS TEXT), 1, 10)),
		CASE WHEN purchase_date IS NULL THEN 0 ELSE 1 END, CAST(warranty_end AS TEXT)`
	if computer {
		cols += ", memory_mb, disk_mb"
	} else {
		cols += ", 0, 0"
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT "+cols+" FROM "+t.Table+" WHERE "+strings.Join(conds, " AND "), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	thisYear := now.Year()
	oldBefore := now.AddDate(-st.AgeYears, 0, 0).Format(day) // bought on or before: old
	var (
		id, org          int64
		name             string
		model, mem, disk sql.NullInt64
		price            sql.NullFloat64
		since, warranty  sql.NullString
		bought           int
	)
	for rows.Next() {
		if err := rows.Scan(&id, &name, &org, &model, &price, &since, &bought, &warranty, &mem, &disk); err != nil {
			return err
		}
		p.Fleet++
		score, dueNow, due := 0, false, 0
		var reasons []Reason
		sinceDay := ""
		if since.Valid && len(since.String) >= 10 {
			sinceDay = since.String[:10]
			if y, err := strconv.Atoi(sinceDay[:4]); err == nil {
				due = max(y+st.AgeYears, thisYear)
			}
			if sinceDay <= oldBefore {
				age := 0
				if d, err := time.Parse(day, sinceDay); err == nil {
					age = yearsBetween(d, now)
				}
				score += min(pointsAge+5*(age-st.AgeYears), 60)
				dueNow = true
				key := "renewal.reason.age_seen"
				if bought == 1 {
					key = "renewal.reason.age_bought"
				}
				reasons = append(reasons, Reason{Key: key, Args: []any{age, sinceDay}})
			}
		}
		w := ""
		if warranty.Valid && len(warranty.String) >= 10 {
			w = warranty.String[:10]
			if w < today {
				score += pointsWarranty
				reasons = append(reasons, Reason{Key: "renewal.reason.warranty", Args: []any{w}})
			}
		}
		n := fails[id]
		if n >= st.Failures {
			score += min(pointsFailures+5*(n-st.Failures), 40)
			dueNow = true
			reasons = append(reasons, Reason{Key: "renewal.reason.failures", Args: []any{n}})
		}
		if computer {
			if st.MinMemoryMB > 0 && mem.Int64 > 0 && mem.Int64 < int64(st.MinMemoryMB) {
				score += pointsMemory
				dueNow = true
				reasons = append(reasons, Reason{Key: "renewal.reason.memory", Args: []any{gb(mem.Int64), gb(int64(st.MinMemoryMB))}})
			}
			if st.MinDiskMB > 0 && disk.Int64 > 0 && disk.Int64 < int64(st.MinDiskMB) {
				score += pointsDisk
				dueNow = true
				reasons = append(reasons, Reason{Key: "renewal.reason.disk", Args: []any{gb(disk.Int64), gb(int64(st.MinDiskMB))}})
			}
		}
		if dueNow {
			due = thisYear
		}
		cost, costFrom := 0.0, "none"
		if c, ok := costs[model.Int64]; ok && model.Valid {
			cost, costFrom = c, "model"
		} else if price.Valid {
			cost, costFrom = price.Float64, "purchase"
		} else if st.DefaultCost > 0 {
			cost, costFrom = st.DefaultCost, "setting"
		}
		if i := due - thisYear; due != 0 && i >= 0 && i < len(p.Forecast) {
			f := &p.Forecast[i]
			f.Count++
			if costFrom == "none" {
				f.NoCost++
			}
			f.Cost += cost
		}
		if !dueNow {
			continue
		}
		c := Candidate{Type: t.Name, ID: id, Name: name, OrgID: org, Since: sinceDay, Bought: bought == 1, WarrantyEnd: w,
			Failures: n, Cost: cost, CostFrom: costFrom, Score: score, Reasons: reasons, DueYear: due}
		if c.Since != "" {
			if d, err := time.Parse(day, c.Since); err == nil {
				c.AgeYears = yearsBetween(d, now)
			}
		}
		if computer {
			c.MemoryMB, c.DiskMB = mem.Int64, disk.Int64
		}
		p.Assets = append(p.Assets, c)
	}
	return rows.Err()
}

// yearsBetween is the age in whole years at now of something from since.
func yearsBetween(since, now time.Time) int {
	y := now.Year() - since.Year()
	if now.Month() < since.Month() || now.Month() == since.Month() && now.Day() < since.Day() {
		y--
	}
	return max(y, 0)
}

// gb is a size in MB as GB with one decimal at most, as reasons give it.
func gb(mb int64) float64 { return math.Round(float64(mb)/1024*10) / 10 }
