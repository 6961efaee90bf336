// Package stock is the stock of spare parts and consumables (disks, memory, power
// supplies, keyboards, cables, toner and ink): the items kept in stock, their
// quantity per location, and the movements that change it (received, issued to a
// ticket or an asset, transferred, returned, scrapped). Quantities are exact under
// concurrent use: each movement changes them in its own transaction with a
// conditional update, so a stock never goes negative and no movement is lost
// (docs/stock.md).
package stock

import (
	"parc/internal/helpdesk"
	"parc/internal/record"
)

// Movement kinds.
const (
	Received    = "received"
	Issued      = "issued"
	Transferred = "transferred"
	Returned    = "returned"
	Scrapped    = "scrapped"
)

// Kinds are the movement kinds, in the order forms offer them.
var Kinds = []string{Received, Issued, Transferred, Returned, Scrapped}

// Categories are what a stock item is.
var Categories = []string{"disk", "memory", "power_supply", "keyboard", "mouse", "cable", "toner", "ink", "battery", "screen", "other"}

// Type names.
const (
	ItemsType     = "stock-items"
	MovementsType = "stock-movements"
)

// MaxQuantity bounds one movement's quantity and an item's threshold.
const MaxQuantity = 1_000_000

func f64(x float64) *float64 { return &x }

// Types are the stock's record types: the items and their movements.
func Types() []*record.Type {
	return []*record.Type{
		{Name: ItemsType, Table: "stock_items", Singular: "stock_item", Area: record.AreaMaintenance, Scope: record.OrgScoped, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "reference", Kind: record.Text, Label: "field.stock_reference", Max: 100, Search: true, Sort: true, List: true},
				{Name: "category", Kind: record.Enum, Label: "field.stock_category", Options: Categories, Required: true, Default: "other", Sort: true, List: true},
				// The total over every location, kept by the movements.
				{Name: "quantity", Kind: record.Int, Label: "field.stock_quantity", ReadOnly: true, NoHistory: true, Default: int64(0), Sort: true, List: true},
				{Name: "threshold", Kind: record.Int, Label: "field.stock_threshold", Required: true, Default: int64(0), Min: f64(0), MaxNum: f64(MaxQuantity), Sort: true, List: true},
				{Name: "supplier_id", Kind: record.Ref, Ref: "suppliers", Sort: true, List: true},
				{Name: "unit_cost", Kind: record.Money, Label: "field.stock_unit_cost", Min: f64(0), MaxNum: f64(1e9), Sort: true},
				{Name: "compatible_models", Kind: record.LongText, Label: "field.stock_compatible_models", Max: 2000, Search: true},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: itemBeforeWrite}},
		{Name: MovementsType, Table: "stock_movements", Singular: "stock_movement", Area: record.AreaMaintenance, Scope: record.OrgScoped,
			NameField: "kind", DefaultSort: "-id", NoTrash: true, AppendOnly: true, OrgFrom: "stock_item_id",
			Fields: []*record.Field{
				{Name: "stock_item_id", Kind: record.Ref, Ref: ItemsType, Required: true, Sort: true, List: true},
				{Name: "kind", Kind: record.Enum, Label: "field.stock_kind", Options: Kinds, Required: true, Sort: true, List: true},
				{Name: "quantity", Kind: record.Int, Label: "field.stock_move_quantity", Required: true, Min: f64(1), MaxNum: f64(MaxQuantity), Sort: true, List: true},
				{Name: "location_id", Kind: record.Ref, Ref: "locations", Label: "field.stock_location", Required: true, Sort: true, List: true},
				{Name: "to_location_id", Kind: record.Ref, Ref: "locations", Label: "field.stock_to_location", Sort: true, List: true},
				{Name: "ticket_id", Kind: record.Ref, Ref: "tickets", Sort: true, List: true},
				{Name: "asset_type", Kind: record.Enum, Label: "field.item_type", Options: helpdesk.ItemTypes},
				{Name: "asset_id", Kind: record.Int, Label: "field.stock_asset_id", Min: f64(1)},
				// The item's unit cost when the movement was made: the ticket's parts cost.
				{Name: "unit_cost", Kind: record.Money, Label: "field.stock_unit_cost", ReadOnly: true, Sort: true, List: true},
				{Name: "user_id", Kind: record.Ref, Ref: "users", Label: "field.author", ReadOnly: true, Sort: true, List: true},
				{Name: "comment", Kind: record.Text, Max: 1000},
			},
			Hooks: record.Hooks{BeforeWrite: movementBeforeWrite, AfterWrite: movementAfterWrite, BeforeDelete: movementBeforeDelete}},
	}
}
