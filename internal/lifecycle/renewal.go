package lifecycle

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	// Fleet is how many assets were weighed; Due how many are due now (listed).
	Fleet int `json:"fleet"`
	Due   int `json:"due"`
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
// Plan lists every asset due; pages read Forecast and Candidates.
func (s *Service) Plan(ctx context.Context, a *record.Actor, q PlanQuery, now time.Time) (*Plan, error) {
	p, err := s.Forecast(ctx, a, q, now)
	if err != nil {
		return nil, err
	}
	pg, err := s.Candidates(ctx, a, q, now, "", 0)
	if err != nil {
		return nil, err
	}
	p.Assets = pg.Assets
	return p, nil
}

// Forecast is the plan without its list: the settings, the yearly forecast,
// the fleet weighed and how many assets are due now (Due), counted by the
// store in one aggregate query (no asset is read into Go).
func (s *Service) Forecast(ctx context.Context, a *record.Actor, q PlanQuery, now time.Time) (*Plan, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	p := &Plan{Settings: st, Assets: []Candidate{}}
	thisYear := now.Year()
	for i := 0; i < st.HorizonYears; i++ {
		p.Forecast = append(p.Forecast, ForecastYear{Year: thisYear + i})
	}
	from, args, ok, err := s.forecastSQL(ctx, a, q, st, now)
	if err != nil || !ok {
		return p, err
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT bucket, COUNT(*), SUM(CASE WHEN cost IS NULL THEN 1 ELSE 0 END), SUM(cost) FROM ("+from+") u GROUP BY bucket", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var bucket sql.NullInt64
		var n, noCost int64
		var sum any
		if err := rows.Scan(&bucket, &n, &noCost, &sum); err != nil {
			return nil, err
		}
		p.Fleet += int(n)
		if !bucket.Valid {
			continue
		}
		if bucket.Int64 == dueNowBucket {
			p.Due += int(n)
		}
		if i := max(int(bucket.Int64), 0); i < len(p.Forecast) {
			f := &p.Forecast[i]
			f.Count += int(n)
			f.NoCost += int(noCost)
			f.Cost += record.Float(sum)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range p.Forecast {
		p.Forecast[i].Cost = cents(p.Forecast[i].Cost)
	}
	return p, nil
}

// PlanPage is what a page of the plan shows: the forecast (Forecast) and a page
// of the list (Candidates), read at once on two connections.
func (s *Service) PlanPage(ctx context.Context, a *record.Actor, q PlanQuery, now time.Time, cursor string, limit int) (*Plan, *CandidatePage, error) {
	var (
		p    *Plan
		perr error
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		p, perr = s.Forecast(ctx, a, q, now)
	}()
	pg, err := s.Candidates(ctx, a, q, now, cursor, limit)
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	if perr != nil {
		return nil, nil, perr
	}
	return p, pg, nil
}

// CandidatePage is a page of the assets due now, highest score first.
type CandidatePage struct {
	Assets []Candidate
	// Pos is how many assets come before this page; Next the cursor of the
	// following page ("" at the end).
	Pos  int
	Next string
}

// planCursor is where a page of candidates starts: after this asset, pos assets
// before it.
type planCursor struct {
	Score int    `json:"s"`
	Name  string `json:"n"`
	Type  string `json:"t"`
	ID    int64  `json:"i"`
	Pos   int    `json:"p"`
}

// Candidates reads a page of the assets due now (old, failing or under-powered),
// by score (highest first), then name, type and id: limit of them (0: all) after
// cursor ("" for the first page). The store computes the scores, sorts and cuts
// the page (keyset on score, name, type, id); only the page's assets are read.
func (s *Service) Candidates(ctx context.Context, a *record.Actor, q PlanQuery, now time.Time, cursor string, limit int) (*CandidatePage, error) {
	pg := &CandidatePage{Assets: []Candidate{}}
	var after *planCursor
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		after = &planCursor{}
		if err != nil || json.Unmarshal(raw, after) != nil || after.Pos < 0 {
			return nil, record.E(record.CodeInvalid, "err.bad_cursor")
		}
		pg.Pos = after.Pos
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	from, args, ok := s.weighed(a, q, st, now)
	if !ok {
		return pg, nil
	}
	query := "SELECT asset_type, id, name, organization_id, since, bought, warranty, mem, disk, failures, model_cost, price, score FROM (" + from + ") u"
	if after != nil {
		query += " WHERE (score < ? OR score = ? AND (name > ? OR name = ? AND (asset_type > ? OR asset_type = ? AND id > ?)))"
		args = append(args, after.Score, after.Score, after.Name, after.Name, after.Type, after.Type, after.ID)
	}
	// The whole list (the export) is sorted here: the store's sorter was slower on
	// tens of thousands of wide rows (SQLite); names compare byte-wise, as
	// SQLite's pages sort them.
	whole := limit <= 0 && after == nil
	if !whole {
		query += " ORDER BY score DESC, name, asset_type, id"
	}
	if limit > 0 {
		query += " LIMIT ?"
		args = append(args, limit+1)
	}
	rows, err := s.Rec.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	thisYear := now.Year()
	today := now.Format(day)
	var (
		w                          weighedRow
		modelCost, price           sql.NullFloat64
		since, warranty            sql.NullString
		name                       sql.NullString
		mem, disk                  sql.NullInt64
		bought, failures, sqlScore int
	)
	for rows.Next() {
		if err := rows.Scan(&w.typ, &w.id, &name, &w.org, &since, &bought, &warranty, &mem, &disk, &failures, &modelCost, &price, &sqlScore); err != nil {
			return nil, err
		}
		if limit > 0 && len(pg.Assets) == limit {
			last := pg.Assets[limit-1]
			b, _ := json.Marshal(planCursor{Score: last.Score, Name: last.Name, Type: last.Type, ID: last.ID, Pos: pg.Pos + limit})
			pg.Next = base64.RawURLEncoding.EncodeToString(b)
			break
		}
		c := Candidate{Type: w.typ, ID: w.id, Name: name.String, OrgID: w.org, Bought: bought == 1, Failures: failures, DueYear: thisYear}
		if since.Valid && len(since.String) >= 10 {
			c.Since = since.String[:10]
		}
		if warranty.Valid && len(warranty.String) >= 10 {
			c.WarrantyEnd = warranty.String[:10]
		}
		computer := s.Rec.Reg.MustType(w.typ).HasField("memory_mb")
		if computer {
			c.MemoryMB, c.DiskMB = mem.Int64, disk.Int64
		}
		c.Score, c.Reasons = weigh(st, now, today, c, computer)
		c.Score = sqlScore // the order's; weigh gives the same (TestRenewalPlan)
		switch {
		case modelCost.Valid:
			c.Cost, c.CostFrom = modelCost.Float64, "model"
		case price.Valid:
			c.Cost, c.CostFrom = price.Float64, "purchase"
		case st.DefaultCost > 0:
			c.Cost, c.CostFrom = st.DefaultCost, "setting"
		default:
			c.CostFrom = "none"
		}
		if c.Since != "" {
			if d, err := time.Parse(day, c.Since); err == nil {
				c.AgeYears = yearsBetween(d, now)
			}
		}
		pg.Assets = append(pg.Assets, c)
	}
	if whole {
		slices.SortFunc(pg.Assets, func(x, y Candidate) int {
			return cmp.Or(cmp.Compare(y.Score, x.Score), strings.Compare(x.Name, y.Name), strings.Compare(x.Type, y.Type), cmp.Compare(x.ID, y.ID))
		})
	}
	return pg, rows.Err()
}

type weighedRow struct {
	typ     string
	id, org int64
}

// weigh gives an asset's score and reasons, as the plan's SQL scores it.
func weigh(st Settings, now time.Time, today string, c Candidate, computer bool) (int, []Reason) {
	score := 0
	var reasons []Reason
	if c.Since != "" && c.Since <= now.AddDate(-st.AgeYears, 0, 0).Format(day) {
		age := 0
		if d, err := time.Parse(day, c.Since); err == nil {
			age = yearsBetween(d, now)
		}
		score += min(pointsAge+5*(age-st.AgeYears), 60)
		key := "renewal.reason.age_seen"
		if c.Bought {
			key = "renewal.reason.age_bought"
		}
		reasons = append(reasons, Reason{Key: key, Args: []any{age, c.Since}})
	}
	if c.WarrantyEnd != "" && c.WarrantyEnd < today {
		score += pointsWarranty
		reasons = append(reasons, Reason{Key: "renewal.reason.warranty", Args: []any{c.WarrantyEnd}})
	}
	if n := c.Failures; n >= st.Failures {
		score += min(pointsFailures+5*(n-st.Failures), 40)
		reasons = append(reasons, Reason{Key: "renewal.reason.failures", Args: []any{n}})
	}
	if computer {
		if st.MinMemoryMB > 0 && c.MemoryMB > 0 && c.MemoryMB < int64(st.MinMemoryMB) {
			score += pointsMemory
			reasons = append(reasons, Reason{Key: "renewal.reason.memory", Args: []any{gb(c.MemoryMB), gb(int64(st.MinMemoryMB))}})
		}
		if st.MinDiskMB > 0 && c.DiskMB > 0 && c.DiskMB < int64(st.MinDiskMB) {
			score += pointsDisk
			reasons = append(reasons, Reason{Key: "renewal.reason.disk", Args: []any{gb(c.DiskMB), gb(int64(st.MinDiskMB))}})
		}
	}
	return score, reasons
}

// dueNowBucket is the forecast's bucket of the assets due now (they count in
// this year, bucket 0, with those turning AgeYears this year).
const dueNowBucket = -1000

// forecastSQL is the SQL of every fleet asset the actor reads with only what the
// forecast sums: bucket (years from this one the asset is due: dueNowBucket when
// due now; NULL when it has no date) and cost (the model's replacement cost,
// else the purchase price, else the setting's default). Leaner than weighed: no
// score, no names, the models joined only when one has a replacement cost.
func (s *Service) forecastSQL(ctx context.Context, a *record.Actor, q PlanQuery, st Settings, now time.Time) (string, []any, bool, error) {
	var withModels bool
	if err := s.Rec.DB.QueryRowContext(ctx, "SELECT COUNT(*) > 0 FROM (SELECT 1 FROM models WHERE deleted_at IS NULL AND replacement_cost IS NOT NULL LIMIT 1) m").Scan(&withModels); err != nil {
		return "", nil, false, err
	}
	oldBefore := now.AddDate(-st.AgeYears, 0, 0).Format(day)
	cost := "purchase_price"
	if withModels {
		cost = "COALESCE((SELECT m.replacement_cost FROM models m WHERE m.id = x.model_id AND m.deleted_at IS NULL), purchase_price)"
	}
	if st.DefaultCost > 0 {
		cost = "COALESCE(" + cost + ", " + strconv.FormatFloat(st.DefaultCost, 'f', -1, 64) + ")"
	}
	since := now.AddDate(0, 0, -failureWindowDay)
	var branches []string
	var args []any
	for _, name := range FleetTypes {
		if q.Type != "" && q.Type != name {
			continue
		}
		t := s.Rec.Reg.MustType(name)
		conds, sargs, ok := s.planConds(a, t, q)
		if !ok {
			continue
		}
		due := "since <= '" + oldBefore + "'"
		if t.HasField("memory_mb") {
			if st.MinMemoryMB > 0 {
				due += " OR memory_mb > 0 AND memory_mb < " + strconv.Itoa(st.MinMemoryMB)
			}
			if st.MinDiskMB > 0 {
				due += " OR disk_mb > 0 AND disk_mb < " + strconv.Itoa(st.MinDiskMB)
			}
		}
		due += " OR id IN (SELECT ti.item_id FROM ticket_items ti JOIN tickets tk ON tk.id = ti.ticket_id WHERE ti.item_type = ? AND ti.deleted_at IS NULL AND tk.deleted_at IS NULL" +
			" AND tk.type = 'incident' AND tk.created_at >= ? GROUP BY ti.item_id HAVING COUNT(DISTINCT ti.ticket_id) >= " + strconv.Itoa(st.Failures) + ")"
		inv := ""
		if t.HasField("memory_mb") {
			inv = ", memory_mb, disk_mb"
		}
		x := "SELECT id, model_id, purchase_price, COALESCE(substr(CAST(purchase_date AS TEXT), 1, 10), substr(CAST(created_at AS TEXT), 1, 10)) AS since" + inv +
			" FROM " + t.Table + " WHERE " + strings.Join(conds, " AND ")
		branches = append(branches, "SELECT CASE WHEN "+due+" THEN "+strconv.Itoa(dueNowBucket)+
			" ELSE CAST(substr(since, 1, 4) AS INTEGER) + "+strconv.Itoa(st.AgeYears-now.Year())+" END AS bucket, "+cost+" AS cost FROM ("+x+") x")
		args = append(append(args, name, since), sargs...) // the failures' subquery comes first

	}
	if len(branches) == 0 {
		return "", nil, false, nil
	}
	return strings.Join(branches, " UNION ALL "), args, true, nil
}

// planConds is the condition on a fleet type's rows the plan weighs: in the
// actor's read scope (and the chosen organisation's sub-tree), live, not disposed.
func (s *Service) planConds(a *record.Actor, t *record.Type, q PlanQuery) ([]string, []any, bool) {
	where, args, ok := s.Rec.ScopeSQL(a, t, record.Read)
	if !ok {
		return nil, nil, false
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
			return nil, nil, false
		}
		conds = append(conds, "organization_id IN ("+store.Placeholders(len(ids))+")")
		for _, id := range ids {
			args = append(args, id)
		}
	}
	return conds, args, true
}

// weighed is the SQL of the fleet assets the actor reads that are due now (old,
// failing or under-powered; one UNION ALL branch a type), with what the plan
// weighs: asset_type, id, name, organization_id, since (YYYY-MM-DD: the purchase
// date, else the creation), bought (1: since is the purchase), warranty, mem,
// disk, failures (incidents of the last 12 months), model_cost, price and score.
// Dates are compared as text, never parsed row by row.
func (s *Service) weighed(a *record.Actor, q PlanQuery, st Settings, now time.Time) (string, []any, bool) {
	today := now.Format(day)
	since := now.AddDate(0, 0, -failureWindowDay)
	// Age points by the day bought: 40 at AgeYears, +5 a year, 60 at most.
	age := "CASE"
	for k := 4; k >= 0; k-- {
		age += " WHEN since <= '" + now.AddDate(-(st.AgeYears+k), 0, 0).Format(day) + "' THEN " + strconv.Itoa(pointsAge+5*k)
	}
	age += " ELSE 0 END"
	f := strconv.Itoa(st.Failures)
	fails := "CASE WHEN failures >= " + strconv.Itoa(st.Failures+3) + " THEN 40 WHEN failures >= " + f + " THEN " + strconv.Itoa(pointsFailures) + " + 5 * (failures - " + f + ") ELSE 0 END"
	var branches []string
	var args []any
	for _, name := range FleetTypes {
		if q.Type != "" && q.Type != name {
			continue
		}
		t := s.Rec.Reg.MustType(name)
		conds, sargs, ok := s.planConds(a, t, q)
		if !ok {
			continue
		}
		computer := t.HasField("memory_mb")
		inv := "0 AS mem, 0 AS disk"
		if computer {
			inv = "memory_mb AS mem, disk_mb AS disk"
		}
		under := "0"
		if computer {
			var parts []string
			if st.MinMemoryMB > 0 {
				parts = append(parts, "CASE WHEN mem > 0 AND mem < "+strconv.Itoa(st.MinMemoryMB)+" THEN "+strconv.Itoa(pointsMemory)+" ELSE 0 END")
			}
			if st.MinDiskMB > 0 {
				parts = append(parts, "CASE WHEN disk > 0 AND disk < "+strconv.Itoa(st.MinDiskMB)+" THEN "+strconv.Itoa(pointsDisk)+" ELSE 0 END")
			}
			if len(parts) > 0 {
				under = strings.Join(parts, " + ")
			}
		}
		// assets: the type's rows in scope that are due now (old, under-powered or
		// failing: filtered before anything is joined or scored); w: with their
		// failures and model's cost.
		oldBefore := now.AddDate(-st.AgeYears, 0, 0).Format(day)
		sinceExpr := "COALESCE(substr(CAST(purchase_date AS TEXT), 1, 10), substr(CAST(created_at AS TEXT), 1, 10))"
		due := sinceExpr + " <= '" + oldBefore + "'"
		if computer {
			if st.MinMemoryMB > 0 {
				due += " OR memory_mb > 0 AND memory_mb < " + strconv.Itoa(st.MinMemoryMB)
			}
			if st.MinDiskMB > 0 {
				due += " OR disk_mb > 0 AND disk_mb < " + strconv.Itoa(st.MinDiskMB)
			}
		}
		due += " OR id IN (SELECT ti.item_id FROM ticket_items ti JOIN tickets tk ON tk.id = ti.ticket_id WHERE ti.item_type = ? AND ti.deleted_at IS NULL AND tk.deleted_at IS NULL" +
			" AND tk.type = 'incident' AND tk.created_at >= ? GROUP BY ti.item_id HAVING COUNT(DISTINCT ti.ticket_id) >= " + f + ")"
		assets := "SELECT id, name, organization_id, model_id, purchase_price, " + sinceExpr + " AS since, " +
			"CASE WHEN purchase_date IS NULL THEN 0 ELSE 1 END AS bought, substr(CAST(warranty_end AS TEXT), 1, 10) AS warranty, " + inv +
			" FROM " + t.Table + " WHERE " + strings.Join(conds, " AND ") + " AND (" + due + ")"
		w := "SELECT '" + name + "' AS asset_type, x.id, x.name, x.organization_id, x.since, x.bought, x.warranty, x.mem, x.disk, COALESCE(fc.n, 0) AS failures, " +
			"m.replacement_cost AS model_cost, x.purchase_price AS price FROM (" + assets + ") x " +
			"LEFT JOIN models m ON m.id = x.model_id AND m.deleted_at IS NULL AND m.replacement_cost IS NOT NULL " +
			"LEFT JOIN (SELECT ti.item_id, COUNT(DISTINCT ti.ticket_id) AS n FROM ticket_items ti JOIN tickets tk ON tk.id = ti.ticket_id " +
			"WHERE ti.item_type = ? AND ti.deleted_at IS NULL AND tk.deleted_at IS NULL AND tk.type = 'incident' AND tk.created_at >= ? GROUP BY ti.item_id) fc ON fc.item_id = x.id"
		warranty := "CASE WHEN warranty < '" + today + "' THEN " + strconv.Itoa(pointsWarranty) + " ELSE 0 END"
		branches = append(branches, "SELECT w.*, ("+age+") + ("+warranty+") + ("+fails+") + ("+under+") AS score FROM ("+w+") w")
		args = append(append(args, sargs...), name, since, name, since)
	}
	if len(branches) == 0 {
		return "", nil, false
	}
	return strings.Join(branches, " UNION ALL "), args, true
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
