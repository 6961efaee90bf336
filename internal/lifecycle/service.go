package lifecycle

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// Service holds the lifecycle use cases: depreciation, budgets' spending, the
// renewal plan and its settings.
type Service struct {
	Rec *record.Service
	// Commitments gives what orders commit (purchasing), set by app.Build; nil:
	// nothing is committed.
	Commitments Committer
}

// Committer gives the amount committed by open orders for an organisation and
// a year (purchase.Service).
type Committer interface {
	Committed(ctx context.Context, q store.Querier, org int64, year int) (float64, error)
}

// NewService makes the service over the record service.
func NewService(rec *record.Service) *Service { return &Service{Rec: rec} }

// Depreciation is an asset's schedule and its book value today; ok false when
// the asset has no purchase price or date.
func (s *Service) Depreciation(r *record.Record, now time.Time) (Schedule, float64, bool) {
	price, ok := r.Get("purchase_price").(float64)
	bought, err := time.Parse("2006-01-02", r.String("purchase_date"))
	if !ok || err != nil {
		return Schedule{}, 0, false
	}
	sc := Depreciate(price, bought, r.String("depreciation_method"), int(r.Int("depreciation_years")))
	return sc, sc.BookValue(now), true
}

// Spending is what a budget's organisation spent in its year, against it.
type Spending struct {
	Budget float64
	// Lines are the purchase prices of the assets bought in the year, per type.
	Lines []SpendLine
	Spent float64
	// Committed is what orders not yet received commit (Service.Commitments).
	Committed float64
	Left      float64 // Budget - Spent - Committed
	Percent   int     // (Spent + Committed) / Budget, rounded
}

// SpendLine is one type of asset bought in the year.
type SpendLine struct {
	Type   string
	Count  int
	Amount float64
}

// BudgetSpending works out a budget's spending: the purchase prices of the assets
// of its organisation bought in its year (disposed ones included: they were
// bought), plus what open orders commit. The budget itself is
// read with the actor's rights.
func (s *Service) BudgetSpending(ctx context.Context, a *record.Actor, id int64) (*record.Record, *Spending, error) {
	b, err := s.Rec.Get(ctx, a, s.Rec.Reg.MustType("budgets"), id)
	if err != nil {
		return nil, nil, err
	}
	year := int(b.Int("year"))
	from, to := strconv.Itoa(year)+"-01-01", strconv.Itoa(year+1)+"-01-01"
	sp := &Spending{Budget: record.Float(b.Get("amount"))}
	for _, name := range FleetTypes {
		t := s.Rec.Reg.MustType(name)
		var n int
		var sum float64
		q := "SELECT COUNT(*), COALESCE(SUM(purchase_price), 0) FROM " + t.Table +
			" WHERE organization_id = ? AND deleted_at IS NULL AND purchase_date >= ? AND purchase_date < ? AND purchase_price IS NOT NULL"
		var raw any
		if err := s.Rec.DB.QueryRowContext(ctx, q, b.OrgID, from, to).Scan(&n, &raw); err != nil {
			return nil, nil, err
		}
		sum = record.Float(raw)
		if n > 0 {
			sp.Lines = append(sp.Lines, SpendLine{Type: name, Count: n, Amount: cents(sum)})
			sp.Spent += sum
		}
	}
	if s.Commitments != nil {
		if sp.Committed, err = s.Commitments.Committed(ctx, s.Rec.DB, b.OrgID, year); err != nil {
			return nil, nil, err
		}
	}
	sp.Spent = cents(sp.Spent)
	sp.Left = cents(sp.Budget - sp.Spent - sp.Committed)
	if sp.Budget > 0 {
		sp.Percent = int((sp.Spent+sp.Committed)*100/sp.Budget + 0.5)
	}
	return b, sp, nil
}

// Settings are the renewal plan's thresholds, for every organisation.
type Settings struct {
	// AgeYears: an asset this old (from its purchase, else from when parc first
	// saw it) is due for renewal.
	AgeYears int `json:"age_years"`
	// Failures: this many incident tickets about the asset in the last 12 months.
	Failures int `json:"failures"`
	// MinMemoryMB and MinDiskMB: a computer with less memory or disk (from its
	// inventory) is under-powered; 0 turns the check off.
	MinMemoryMB int `json:"min_memory_mb"`
	MinDiskMB   int `json:"min_disk_mb"`
	// HorizonYears is how many years the forecast covers (3 to 5... up to 10).
	HorizonYears int `json:"horizon_years"`
	// DefaultCost is the replacement cost of an asset whose model has none and
	// which has no purchase price; 0: such assets are counted without a cost.
	DefaultCost float64 `json:"default_cost"`
}

// DefaultSettings are the thresholds before anyone sets them.
var DefaultSettings = Settings{AgeYears: 5, Failures: 3, MinMemoryMB: 8192, MinDiskMB: 200 * 1024, HorizonYears: 5}

const settingsKey = "renewal"

// Settings reads the renewal settings.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	v, err := s.Rec.ReadSetting(ctx, settingsKey)
	if err != nil || v == "" {
		return DefaultSettings, err
	}
	st := DefaultSettings
	if err := json.Unmarshal([]byte(v), &st); err != nil {
		return DefaultSettings, nil
	}
	return st, nil
}

// MayManage tells whether the actor may change the renewal settings: whoever may
// change the models catalogue (replacement costs are there too).
func (s *Service) MayManage(a *record.Actor) bool {
	return a.Scope(s.Rec.Reg.MustType("models"), record.Update).All
}

// SetSettings checks and stores the renewal settings.
func (s *Service) SetSettings(ctx context.Context, a *record.Actor, st Settings) (Settings, error) {
	if !s.MayManage(a) {
		return st, record.ErrForbidden()
	}
	errs := record.FieldErrors{}
	check := func(name string, v, lo, hi int) {
		if v < lo || v > hi {
			errs.Add(name, "err.lifecycle_between", lo, hi)
		}
	}
	check("age_years", st.AgeYears, 1, 30)
	check("failures", st.Failures, 1, 1000)
	check("min_memory_mb", st.MinMemoryMB, 0, 1<<24)
	check("min_disk_mb", st.MinDiskMB, 0, 1<<30)
	check("horizon_years", st.HorizonYears, 1, 10)
	if st.DefaultCost < 0 || st.DefaultCost > 1e9 {
		errs.Add("default_cost", "err.lifecycle_between", 0, 1000000000)
	}
	if err := errs.Err(); err != nil {
		return st, err
	}
	b, _ := json.Marshal(st)
	return st, s.Rec.SetSetting(ctx, settingsKey, string(b))
}
