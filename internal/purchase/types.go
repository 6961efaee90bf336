// Package purchase is purchasing: purchase requests (from a ticket waiting for a
// part, from a stock reorder suggestion, or by hand) that a user with the right
// approves or refuses; orders to suppliers whose lines carry the supplier's
// price and lead time, hence an expected delivery date; receptions into stock
// (partial ones too) that keep received quantities exact under concurrent use;
// and the ticket waiting for the part, told when it arrives (docs/purchasing.md).
package purchase

import (
	"parc/internal/record"
)

// Type names.
const (
	RequestsType = "purchase-requests"
	OrdersType   = "purchase-orders"
	LinesType    = "purchase-order-lines"
)

// Approve is the right to approve or refuse purchase requests, granted by name
// in a profile's entry for purchase-requests; "*" never gives it.
const Approve record.Action = "approve"

// Request statuses. Draft and submitted are the requester's; approved and
// refused are decided (Service.Decide); ordered and received are set by parc
// when the request becomes an order line and when that line is received.
const (
	Draft     = "draft"
	Submitted = "submitted"
	Approved  = "approved"
	Refused   = "refused"
	Ordered   = "ordered"
	Received  = "received"
)

// RequestStatuses in their order.
var RequestStatuses = []string{Draft, Submitted, Approved, Refused, Ordered, Received}

// Order statuses: draft and ordered (and cancelled) are set by people; partially
// received and received by the receptions.
const (
	OrderDraft     = "draft"
	OrderOrdered   = "ordered"
	OrderPartial   = "partially_received"
	OrderReceived  = "received"
	OrderCancelled = "cancelled"
)

// OrderStatuses in their order.
var OrderStatuses = []string{OrderDraft, OrderOrdered, OrderPartial, OrderReceived, OrderCancelled}

// DefaultLeadDays is the lead time of a line whose supplier states none (the
// stock's reorder suggestions assume the same).
const DefaultLeadDays = 14

// MaxQuantity bounds a requested or ordered quantity.
const MaxQuantity = 1_000_000

func f64(x float64) *float64 { return &x }

// Types are purchasing's record types.
func Types() []*record.Type {
	return []*record.Type{
		{Name: RequestsType, Table: "purchase_requests", Singular: "purchase_request", Area: record.AreaMaintenance, Scope: record.OrgScoped,
			NameField: "item_label", DefaultSort: "-id", ExtraActions: []record.Action{Approve},
			// pending_reason: the ticket's reason when the request puts it on hold.
			Extras: []string{"pending_reason"},
			Fields: []*record.Field{
				{Name: "stock_item_id", Kind: record.Ref, Ref: "stock-items", Label: "field.stock_item_id", Sort: true, List: true},
				// The item in words: the stock item's name when one is named, else free text.
				{Name: "item_label", Kind: record.Text, Label: "field.purchase_item", Max: 300, Search: true, Sort: true, List: true},
				{Name: "quantity", Kind: record.Int, Label: "field.purchase_quantity", Required: true, Default: int64(1), Min: f64(1), MaxNum: f64(MaxQuantity), Sort: true, List: true},
				{Name: "supplier_id", Kind: record.Ref, Ref: "suppliers", Sort: true, List: true},
				{Name: "location_id", Kind: record.Ref, Ref: "locations", Label: "field.purchase_location", Sort: true},
				{Name: "reason", Kind: record.LongText, Label: "field.purchase_reason", Max: 2000, Search: true},
				{Name: "ticket_id", Kind: record.Ref, Ref: "tickets", Sort: true, List: true},
				// The ticket is pending, waiting for this part: received, it resumes.
				{Name: "ticket_waits", Kind: record.Bool, Label: "field.purchase_ticket_waits", Default: false},
				{Name: "status", Kind: record.Enum, Options: RequestStatuses, Required: true, Default: Submitted, Sort: true, List: true},
				{Name: "requested_by", Kind: record.Ref, Ref: "users", Label: "field.purchase_requested_by", ReadOnly: true, Sort: true, List: true},
				{Name: "decided_by", Kind: record.Ref, Ref: "users", Label: "field.purchase_decided_by", ReadOnly: true, Sort: true},
				{Name: "decided_at", Kind: record.DateTime, Label: "field.purchase_decided_at", ReadOnly: true, Sort: true},
				{Name: "decision_comment", Kind: record.Text, Label: "field.purchase_decision_comment", Max: 1000},
				{Name: "received_at", Kind: record.DateTime, Label: "field.purchase_received_at", ReadOnly: true, Sort: true},
			},
			Hooks: record.Hooks{BeforeWrite: requestBeforeWrite, AfterWrite: requestAfterWrite}},
		{Name: OrdersType, Table: "purchase_orders", Singular: "purchase_order", Area: record.AreaMaintenance, Scope: record.OrgScoped,
			NameField: "number", DefaultSort: "-id",
			Fields: []*record.Field{
				{Name: "number", Kind: record.Text, Label: "field.purchase_order_number", Max: 64, Unique: true, Search: true, Sort: true, List: true},
				{Name: "supplier_id", Kind: record.Ref, Ref: "suppliers", Required: true, Sort: true, List: true},
				{Name: "status", Kind: record.Enum, Options: OrderStatuses, Required: true, Default: OrderDraft, Sort: true, List: true},
				{Name: "order_date", Kind: record.Date, Label: "field.purchase_order_date", Sort: true, List: true},
				// The longest lead time of the lines (the supplier's, else DefaultLeadDays).
				{Name: "lead_time_days", Kind: record.Int, ReadOnly: true, NoHistory: true},
				{Name: "expected_date", Kind: record.Date, Label: "field.purchase_expected_date", ReadOnly: true, Sort: true, List: true},
				{Name: "received_date", Kind: record.Date, Label: "field.purchase_received_date", ReadOnly: true, Sort: true},
				{Name: "location_id", Kind: record.Ref, Ref: "locations", Label: "field.purchase_delivery_location", Sort: true},
				{Name: "total", Kind: record.Money, Label: "field.purchase_total", ReadOnly: true, NoHistory: true, Sort: true, List: true},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: orderBeforeWrite, BeforeDelete: orderBeforeDelete}},
		{Name: LinesType, Table: "purchase_order_lines", Singular: "purchase_order_line", Area: record.AreaMaintenance, Scope: record.OrgScoped,
			NameField: "label", DefaultSort: "id", NoTrash: true, OrgFrom: "order_id",
			Fields: []*record.Field{
				{Name: "order_id", Kind: record.Ref, Ref: OrdersType, Label: "field.purchase_order_id", Required: true, Sort: true, List: true},
				{Name: "stock_item_id", Kind: record.Ref, Ref: "stock-items", Label: "field.stock_item_id", Sort: true, List: true},
				{Name: "supplier_item_id", Kind: record.Ref, Ref: "supplier-items", Label: "field.purchase_supplier_item", Sort: true},
				{Name: "label", Kind: record.Text, Label: "field.purchase_item", Max: 300, Search: true, Sort: true, List: true},
				{Name: "quantity", Kind: record.Int, Label: "field.purchase_quantity_ordered", Min: f64(1), MaxNum: f64(MaxQuantity), Sort: true, List: true},
				{Name: "unit_price", Kind: record.Money, Min: f64(0), MaxNum: f64(1e12), Sort: true, List: true},
				{Name: "lead_time_days", Kind: record.Int, ReadOnly: true, Sort: true, List: true},
				{Name: "quantity_received", Kind: record.Int, Label: "field.purchase_quantity_received", ReadOnly: true, Default: int64(0), Sort: true, List: true},
				{Name: "request_id", Kind: record.Ref, Ref: RequestsType, Label: "field.purchase_request_id", Sort: true, List: true},
			},
			Hooks: record.Hooks{BeforeWrite: lineBeforeWrite, AfterWrite: lineAfterWrite, BeforeDelete: lineBeforeDelete}},
	}
}
