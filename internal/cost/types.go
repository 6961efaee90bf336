// Package cost works out the total cost of ownership of fleet assets: the
// purchase price, a share of the contracts covering the asset, the intervention
// time spent on its tickets at the technicians' hourly rates, and the parts and
// consumables issued to it. It declares the hourly rates' record type.
// docs/lifecycle.md ("Total cost of ownership") describes the rules.
package cost

import (
	"parc/internal/record"
)

func f64(x float64) *float64 { return &x }

// Types returns the cost record types: hourly rates of technicians, of groups,
// and an organisation's default rate (neither user nor group).
func Types() []*record.Type {
	return []*record.Type{
		{Name: "hourly-rates", Table: "hourly_rates", Singular: "hourly_rate", Area: record.AreaManagement, Scope: record.OrgScoped, NameField: "name",
			DefaultSort: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Max: 200, Search: true, Sort: true, List: true},
				{Name: "user_id", Kind: record.Ref, Ref: "users", Sort: true, List: true, Label: "field.rate_user"},
				{Name: "group_id", Kind: record.Ref, Ref: "groups", Sort: true, List: true, Label: "field.rate_group"},
				{Name: "rate", Kind: record.Money, Required: true, Min: f64(0), MaxNum: f64(100000), Sort: true, List: true, Label: "field.hourly_rate"},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: rateBefore}},
	}
}

// rateBefore refuses a rate for both a user and a group, and names the rate
// after whom it is for when no name is given.
func rateBefore(w *record.Write) error {
	if w.New.Get("user_id") != nil && w.New.Get("group_id") != nil {
		w.Errors.Add("group_id", "err.rate_user_or_group")
	}
	return nil
}
