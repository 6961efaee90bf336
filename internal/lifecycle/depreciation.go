package lifecycle

import (
	"math"
	"time"
)

// Depreciation methods (asset.DepreciationMethods).
const (
	Linear    = "linear"
	Declining = "declining"
)

// DefaultYears is the depreciation period of an asset that names none.
const DefaultYears = 3

// DepYear is one year of a depreciation schedule: the year runs from the
// purchase date's anniversary (From) to the next one (To, excluded).
type DepYear struct {
	N        int // 1 for the first year
	From, To time.Time
	Opening  float64 // book value at From
	Charge   float64 // depreciation of the year
	Closing  float64 // book value at To
}

// Schedule is how a purchase price depreciates.
type Schedule struct {
	Price  float64
	Start  time.Time
	Method string
	Years  int
	// Rate is the declining-balance rate per year (coefficient / years); 0 for linear.
	Rate float64
	Rows []DepYear
}

// DecliningCoefficient is the French fiscal coefficient of declining-balance
// depreciation ("amortissement dégressif") for a period: 1.25 for 3 and 4 years,
// 1.75 for 5 and 6, 2.25 beyond. Under 3 years there is none (1: linear).
func DecliningCoefficient(years int) float64 {
	switch {
	case years < 3:
		return 1
	case years <= 4:
		return 1.25
	case years <= 6:
		return 1.75
	}
	return 2.25
}

func cents(x float64) float64 { return math.Round(x*100) / 100 }

// Depreciate works out the schedule of price bought on start, by method over
// years (DefaultYears when 0). Linear charges price/years a year. Declining
// charges the opening value × rate (rate = DecliningCoefficient / years), and
// switches to linear over the remaining years once that charges more, so that
// the value reaches 0 at the end of the period. Amounts are rounded to cents,
// the last year taking what rounding left.
func Depreciate(price float64, start time.Time, method string, years int) Schedule {
	if years <= 0 {
		years = DefaultYears
	}
	if method != Declining {
		method = Linear
	}
	s := Schedule{Price: price, Start: start, Method: method, Years: years}
	if method == Declining {
		s.Rate = DecliningCoefficient(years) / float64(years)
	}
	value := cents(price)
	for n := 1; n <= years; n++ {
		row := DepYear{N: n, From: start.AddDate(n-1, 0, 0), To: start.AddDate(n, 0, 0), Opening: value}
		left := years - n + 1
		charge := value / float64(left)
		if method == Declining {
			charge = math.Max(value*s.Rate, charge)
		}
		charge = cents(charge)
		if n == years || charge > value {
			charge = value
		}
		value = cents(value - charge)
		row.Charge, row.Closing = charge, value
		s.Rows = append(s.Rows, row)
	}
	return s
}

// BookValue is the value at a day: the purchase price before the purchase, the
// opening value of the day's year less the share of its charge for the days
// gone, 0 after the last year.
// The day counts whole: its time is dropped.
func (s Schedule) BookValue(at time.Time) float64 {
	at = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, s.Start.Location())
	if len(s.Rows) == 0 || at.Before(s.Start) {
		return cents(s.Price)
	}
	for _, r := range s.Rows {
		if at.Before(r.To) {
			days := r.To.Sub(r.From).Hours() / 24
			gone := at.Sub(r.From).Hours() / 24
			return cents(r.Opening - r.Charge*gone/days)
		}
	}
	return 0
}
