// Package loan is hand-over and loans: an asset given to a user (check-out) and
// taken back (check-in) with its state and accessories each way, the hand-over form
// the user acknowledges on the portal, loan equipment in pools, reservations of it
// (overlaps refused in the writing transaction), reminders before the return date
// and the overdue loans. Assets are named by type and id, as a ticket's items are.
package loan

import (
	"strings"

	"parc/internal/helpdesk"
	"parc/internal/record"
)

// AssetTypes are the record types that may be handed over or lent.
var AssetTypes = helpdesk.ItemTypes

// Reservation statuses: reserved, then checked_out by the hand-over that fulfils
// it, then returned at its check-in.
const (
	Reserved   = "reserved"
	CheckedOut = "checked_out"
	Returned   = "returned"
)

// Statuses are the reservation statuses in their order.
var Statuses = []string{Reserved, CheckedOut, Returned}

// assetLabel is the SQL label of the asset a row names (asset_type, asset_id).
func assetLabel() string {
	var b strings.Builder
	b.WriteString("COALESCE(CASE asset_type")
	for _, t := range AssetTypes {
		table := strings.ReplaceAll(t, "-", "_")
		b.WriteString(" WHEN '" + t + "' THEN (SELECT x.name FROM " + table + " x WHERE x.id = asset_id)")
	}
	b.WriteString(" END, '#' || CAST(asset_id AS TEXT))")
	return b.String()
}

func assetFields() []*record.Field {
	return []*record.Field{
		// Lists and pages show the asset by name (its label), linked to it.
		{Name: "asset_id", Kind: record.Int, Required: true, Min: f64(1), Sort: true, List: true},
		{Name: "asset_type", Kind: record.Enum, Options: AssetTypes, Required: true, Sort: true, List: true},
	}
}

func f64(x float64) *float64 { return &x }

// Types returns the hand-over and loan record types.
func Types() []*record.Type {
	return []*record.Type{
		{Name: "loan-items", Table: "loan_items", Singular: "loan_item", Area: record.AreaAssets, Scope: record.OrgScoped,
			NameField: "pool", DefaultSort: "pool", LabelSQL: assetLabel(), OrgFrom: "asset_id",
			Fields: append([]*record.Field{
				{Name: "pool", Kind: record.Text, Label: "field.loan_pool", Required: true, Max: 100, Search: true, Sort: true, List: true},
			}, append(assetFields(),
				&record.Field{Name: "comment", Kind: record.LongText})...),
			Hooks: record.Hooks{BeforeWrite: itemBeforeWrite}},
		{Name: "handovers", Table: "handovers", Singular: "handover", Area: record.AreaAssets, Scope: record.OrgScoped,
			NameField: "asset_type", DefaultSort: "-handed_at", LabelSQL: assetLabel(), OrgFrom: "asset_id",
			Fields: append(assetFields(),
				// user_id is who receives the asset: "own records" rights let them
				// read and acknowledge what they were given.
				&record.Field{Name: "user_id", Kind: record.Ref, Ref: "users", Label: "field.handover_user", Required: true, Sort: true, List: true},
				&record.Field{Name: "handed_at", Kind: record.DateTime, Sort: true, List: true},
				&record.Field{Name: "state_id", Kind: record.Ref, Ref: "states", Label: "field.handover_state", Sort: true},
				&record.Field{Name: "accessories", Kind: record.LongText, Max: 2000, Label: "field.handover_accessories"},
				&record.Field{Name: "comment", Kind: record.LongText, Max: 10000},
				&record.Field{Name: "reservation_id", Kind: record.Ref, Ref: "reservations", Sort: true},
				&record.Field{Name: "technician_id", Kind: record.Ref, Ref: "users", Label: "field.handover_technician", ReadOnly: true, Sort: true, List: true},
				&record.Field{Name: "returned_at", Kind: record.DateTime, ReadOnly: true, Sort: true, List: true},
				&record.Field{Name: "return_state_id", Kind: record.Ref, Ref: "states", ReadOnly: true},
				&record.Field{Name: "return_accessories", Kind: record.LongText, ReadOnly: true},
				&record.Field{Name: "return_comment", Kind: record.LongText, ReadOnly: true},
				&record.Field{Name: "received_by_id", Kind: record.Ref, Ref: "users", ReadOnly: true},
				&record.Field{Name: "acknowledged_at", Kind: record.DateTime, ReadOnly: true, Sort: true, List: true},
				&record.Field{Name: "acknowledged_by_id", Kind: record.Ref, Ref: "users", ReadOnly: true},
				&record.Field{Name: "acknowledged_from", Kind: record.Text, ReadOnly: true},
			),
			Hooks: record.Hooks{BeforeWrite: handoverBeforeWrite, AfterWrite: handoverAfterWrite}},
		{Name: "reservations", Table: "reservations", Singular: "reservation", Area: record.AreaAssets, Scope: record.OrgScoped,
			NameField: "asset_type", DefaultSort: "-start_date", LabelSQL: assetLabel(), OrgFrom: "asset_id",
			Fields: append(assetFields(),
				// user_id is who borrows the asset.
				&record.Field{Name: "user_id", Kind: record.Ref, Ref: "users", Label: "field.borrower", Required: true, Sort: true, List: true},
				&record.Field{Name: "start_date", Kind: record.Date, Label: "field.reservation_start", Required: true, Sort: true, List: true},
				&record.Field{Name: "end_date", Kind: record.Date, Label: "field.reservation_end", Required: true, Sort: true, List: true},
				&record.Field{Name: "comment", Kind: record.LongText, Max: 10000},
				&record.Field{Name: "status", Kind: record.Enum, Options: Statuses, Label: "field.reservation_status", ReadOnly: true, Default: Reserved, Sort: true, List: true},
				&record.Field{Name: "handover_id", Kind: record.Ref, Ref: "handovers", ReadOnly: true},
				&record.Field{Name: "reminded_at", Kind: record.DateTime, ReadOnly: true, NoHistory: true},
			),
			Hooks: record.Hooks{BeforeWrite: reservationBeforeWrite, BeforeRestore: reservationBeforeRestore}},
	}
}
