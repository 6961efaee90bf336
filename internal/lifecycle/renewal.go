package lifecycle

import (
	"context"
	"math"
	"sort"
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
	computer := t.HasField("memory_mb")
	cols := "id, name, organization_id, model_id, purchase_date, purchase_price, warranty_end, created_at"
	if computer {
		cols += ", memory_mb, disk_mb"
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT "+cols+" FROM "+t.Table+" WHERE "+strings.Join(conds, " AND "), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	fDate, fTime, fInt, fMoney := t.Field("purchase_date"), &record.Field{Kind: record.DateTime}, &record.Field{Kind: record.Int}, t.Field("purchase_price")
	thisYear := now.Year()
	for rows.Next() {
		var c Candidate
		var model, bought, price, warranty, created, mem, disk any
		dest := []any{&c.ID, &c.Name, &c.OrgID, &model, &bought, &price, &warranty, &created}
		if computer {
			dest = append(dest, &mem, &disk)
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		p.Fleet++
		c.Type = t.Name
		if b, ok := fDate.FromDB(bought).(string); ok && b != "" {
			c.Since, c.Bought = b, true
		} else if ct, ok := fTime.FromDB(created).(time.Time); ok {
			c.Since = ct.Format(day)
		}
		score, dueNow := 0, false
		if c.Since != "" {
			if since, err := time.Parse(day, c.Since); err == nil {
				c.AgeYears = yearsBetween(since, now)
				c.DueYear = max(since.Year()+st.AgeYears, thisYear)
				if c.AgeYears >= st.AgeYears {
					score += min(pointsAge+5*(c.AgeYears-st.AgeYears), 60)
					dueNow = true
					key := "renewal.reason.age_seen"
					if c.Bought {
						key = "renewal.reason.age_bought"
					}
					c.Reasons = append(c.Reasons, Reason{Key: key, Args: []any{c.AgeYears, c.Since}})
				}
			}
		}
		if w, ok := fDate.FromDB(warranty).(string); ok && w != "" {
			c.WarrantyEnd = w
			if w < today {
				score += pointsWarranty
				c.Reasons = append(c.Reasons, Reason{Key: "renewal.reason.warranty", Args: []any{w}})
			}
		}
		if n := fails[c.ID]; n > 0 {
			c.Failures = n
			if n >= st.Failures {
				score += min(pointsFailures+5*(n-st.Failures), 40)
				dueNow = true
				c.Reasons = append(c.Reasons, Reason{Key: "renewal.reason.failures", Args: []any{n}})
			}
		}
		if computer {
			c.MemoryMB, _ = fInt.FromDB(mem).(int64)
			c.DiskMB, _ = fInt.FromDB(disk).(int64)
			if st.MinMemoryMB > 0 && c.MemoryMB > 0 && c.MemoryMB < int64(st.MinMemoryMB) {
				score += pointsMemory
				dueNow = true
				c.Reasons = append(c.Reasons, Reason{Key: "renewal.reason.memory", Args: []any{gb(c.MemoryMB), gb(int64(st.MinMemoryMB))}})
			}
			if st.MinDiskMB > 0 && c.DiskMB > 0 && c.DiskMB < int64(st.MinDiskMB) {
				score += pointsDisk
				dueNow = true
				c.Reasons = append(c.Reasons, Reason{Key: "renewal.reason.disk", Args: []any{gb(c.DiskMB), gb(int64(st.MinDiskMB))}})
			}
		}
		if dueNow {
			c.DueYear = thisYear
		}
		m, _ := fInt.FromDB(model).(int64)
		if cost, ok := costs[m]; ok && m != 0 {
			c.Cost, c.CostFrom = cost, "model"
		} else if pr, ok := fMoney.FromDB(price).(float64); ok && price != nil {
			c.Cost, c.CostFrom = pr, "purchase"
		} else if st.DefaultCost > 0 {
			c.Cost, c.CostFrom = st.DefaultCost, "setting"
		} else {
			c.CostFrom = "none"
		}
		if i := c.DueYear - thisYear; c.DueYear != 0 && i >= 0 && i < len(p.Forecast) {
			f := &p.Forecast[i]
			f.Count++
			if c.CostFrom == "none" {
				f.NoCost++
			}
			f.Cost += c.Cost
		}
		if dueNow {
			c.Score = score
			p.Assets = append(p.Assets, c)
		}
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
