// Package contract keeps contracts — maintenance, support, warranty extensions,
// leasing, subscriptions with suppliers, and an ESN's service contracts with its
// clients — with the assets they cover, their renewal and alerts, and the items
// suppliers supply with their promised lead times (docs/contracts.md).
package contract

import (
	"parc/internal/helpdesk"
	"parc/internal/record"
)

func f64(x float64) *float64 { return &x }

// Kinds of contract. ClientService is a service contract the organisation (an
// ESN) sold to a client: the client is the contract's organisation.
const (
	Maintenance       = "maintenance"
	Support           = "support"
	WarrantyExtension = "warranty_extension"
	Leasing           = "leasing"
	Subscription      = "subscription"
	ClientService     = "client_service"
)

// Kinds lists the kinds in the order forms offer them.
var Kinds = []string{Maintenance, Support, WarrantyExtension, Leasing, Subscription, ClientService}

// Renewal modes: a tacit contract renews itself by its duration when it ends.
const (
	Explicit = "explicit"
	Tacit    = "tacit"
)

// Cost periods, with the periods per year.
var Periods = map[string]int{"monthly": 12, "quarterly": 4, "yearly": 1}

// Coverage hours of the commitments.
var Coverages = []string{"business_hours", "extended_hours", "always"}

// ItemTypes are the asset types a contract may cover (those tickets are about).
var ItemTypes = helpdesk.ItemTypes

// Types returns the contract record types.
func Types() []*record.Type {
	return []*record.Type{
		{Name: "contracts", Table: "contracts", Singular: "contract", Area: record.AreaMaintenance, Scope: record.OrgScoped, NameField: "name",
			LabelSQL: "CASE WHEN number IS NULL OR number = '' THEN name ELSE number || ' – ' || name END",
			Fields: []*record.Field{
				{Name: "number", Kind: record.Text, Max: 64, Unique: true, Search: true, Sort: true, List: true},
				{Name: "name", Kind: record.Text, Required: true, Max: 200, Search: true, Sort: true, List: true},
				{Name: "kind", Kind: record.Enum, Label: "field.contract_kind", Options: Kinds, Required: true, Default: Maintenance, Sort: true},
				{Name: "supplier_id", Kind: record.Ref, Ref: "suppliers", Sort: true, List: true},
				{Name: "start_date", Kind: record.Date, Required: true, Sort: true},
				{Name: "duration_months", Kind: record.Int, Required: true, Default: int64(12), Min: f64(1), MaxNum: f64(600)},
				{Name: "end_date", Kind: record.Date, ReadOnly: true, Sort: true, List: true},
				{Name: "notice_months", Kind: record.Int, Default: int64(0), Min: f64(0), MaxNum: f64(120)},
				{Name: "notice_date", Kind: record.Date, ReadOnly: true, Sort: true, List: true},
				{Name: "renewal", Kind: record.Enum, Options: []string{Explicit, Tacit}, Required: true, Default: Explicit, Sort: true},
				{Name: "renewals", Kind: record.Int, ReadOnly: true, Default: int64(0)},
				{Name: "cost", Kind: record.Money, Label: "field.contract_cost", Min: f64(0), MaxNum: f64(1e12), Sort: true},
				{Name: "cost_period", Kind: record.Enum, Options: []string{"monthly", "quarterly", "yearly"}, Default: "yearly"},
				{Name: "coverage", Kind: record.Enum, Options: Coverages},
				{Name: "calendar_id", Kind: record.Ref, Ref: "calendars", Label: "field.coverage_calendar"},
				{Name: "response_hours", Kind: record.Int, Min: f64(0), MaxNum: f64(10000)},
				{Name: "repair_hours", Kind: record.Int, Min: f64(0), MaxNum: f64(10000)},
				{Name: "hours_sold", Kind: record.Int, Min: f64(0), MaxNum: f64(1000000)},
				{Name: "responsible_user_id", Kind: record.Ref, Ref: "users", Sort: true},
				{Name: "responsible_group_id", Kind: record.Ref, Ref: "groups", Sort: true},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: contractBeforeWrite}},
		{Name: "contract-assets", Table: "contract_assets", Singular: "contract_asset", Scope: record.OrgScoped, NoTrash: true,
			NameField: "item_type", DefaultSort: "id", LabelSQL: "item_type || ' #' || CAST(item_id AS TEXT)",
			OrgFrom: "contract_id",
			Fields: []*record.Field{
				{Name: "contract_id", Kind: record.Ref, Ref: "contracts", Required: true, Sort: true, List: true},
				{Name: "item_type", Kind: record.Enum, Options: ItemTypes, Required: true, Sort: true, List: true},
				{Name: "item_id", Kind: record.Int, Required: true, Min: f64(1), Sort: true, List: true},
			},
			Hooks: record.Hooks{BeforeWrite: coveredBeforeWrite}},
		{Name: "supplier-items", Table: "supplier_items", Singular: "supplier_item", Area: record.AreaManagement, Scope: record.OrgShared, NameField: "label",
			LabelSQL: "reference || ' – ' || label",
			Fields: []*record.Field{
				{Name: "supplier_id", Kind: record.Ref, Ref: "suppliers", Required: true, Sort: true, List: true},
				{Name: "reference", Kind: record.Text, Required: true, Max: 128, Search: true, Sort: true, List: true},
				{Name: "label", Kind: record.Text, Required: true, Max: 300, Search: true, Sort: true, List: true},
				{Name: "unit_price", Kind: record.Money, Min: f64(0), MaxNum: f64(1e12), Sort: true, List: true},
				{Name: "lead_time_days", Kind: record.Int, Min: f64(0), MaxNum: f64(3650), Sort: true, List: true},
				{Name: "category", Kind: record.Text, Label: "field.item_category", Max: 200, Search: true, Sort: true, List: true},
				{Name: "comment", Kind: record.LongText},
			}},
	}
}
