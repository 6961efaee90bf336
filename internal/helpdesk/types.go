// Package helpdesk declares the ticket record types (tickets, follow-ups, tasks,
// linked assets, categories, calendars, SLAs) and the hooks that give them their
// rules: priority from the matrix, lifecycle, SLA due times and their pauses.
package helpdesk

import (
	"parc/internal/helpdesk/lifecycle"
	"parc/internal/record"
)

// Area is the menu area of the helpdesk types.
const Area record.Area = "helpdesk"

// ItemTypes are the record types a ticket may be linked to.
var ItemTypes = []string{"computers", "monitors", "network-equipment", "printers", "phones", "peripherals"}

// SolutionTypes say how a ticket was solved.
var SolutionTypes = []string{"fixed", "workaround", "cancelled", "duplicate", "not_reproducible"}

func f64(x float64) *float64 { return &x }

// Types returns the helpdesk record types.
func Types() []*record.Type {
	level := func(name string) *record.Field {
		return &record.Field{Name: name, Kind: record.Int, Required: true, Default: int64(3), Min: f64(1), MaxNum: f64(5), Sort: true}
	}
	impact, urgency := level("impact"), level("urgency")
	return []*record.Type{
		{Name: "tickets", Table: "tickets", Singular: "ticket", Area: Area, Scope: record.OrgScoped, NameField: "title", DefaultSort: "-id",
			LabelSQL: "'#' || CAST(id AS TEXT) || ' ' || title",
			Fields: []*record.Field{
				{Name: "title", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "description", Kind: record.LongText},
				{Name: "type", Kind: record.Enum, Options: []string{"incident", "request"}, Required: true, Default: "incident", Sort: true, List: true},
				{Name: "status", Kind: record.Enum, Options: lifecycle.Names(), Required: true, Default: string(lifecycle.New), Sort: true, List: true},
				impact, urgency,
				{Name: "priority", Kind: record.Int, ReadOnly: true, Sort: true, List: true},
				{Name: "category_id", Kind: record.Ref, Ref: "ticket-categories", Sort: true, List: true},
				{Name: "location_id", Kind: record.Ref, Ref: "locations", Sort: true},
				// user_id is the requester: "own records" rights (self-service) key on it.
				{Name: "user_id", Kind: record.Ref, Ref: "users", Label: "field.requester", Sort: true, List: true},
				{Name: "assigned_user_id", Kind: record.Ref, Ref: "users", Sort: true, List: true},
				{Name: "assigned_group_id", Kind: record.Ref, Ref: "groups", Sort: true},
				{Name: "sla_id", Kind: record.Ref, Ref: "slas", ReadOnly: true, Sort: true},
				{Name: "tto_due_at", Kind: record.DateTime, ReadOnly: true, Sort: true},
				{Name: "ttr_due_at", Kind: record.DateTime, ReadOnly: true, Sort: true, List: true},
				{Name: "taken_at", Kind: record.DateTime, ReadOnly: true, Sort: true},
				{Name: "solved_at", Kind: record.DateTime, ReadOnly: true, Sort: true},
				{Name: "closed_at", Kind: record.DateTime, ReadOnly: true, Sort: true},
				{Name: "pending_reason", Kind: record.Text, Max: 1000},
				{Name: "pending_since", Kind: record.DateTime, ReadOnly: true, Sort: true},
				{Name: "waiting_seconds", Kind: record.Int, ReadOnly: true, Default: int64(0), NoHistory: true},
				{Name: "solution", Kind: record.LongText},
				{Name: "solution_type", Kind: record.Enum, Options: SolutionTypes},
				// The requester's verdict, written when they accept the solution.
				{Name: "satisfaction", Kind: record.Int, ReadOnly: true, Min: f64(1), MaxNum: f64(5), Sort: true},
				{Name: "satisfaction_comment", Kind: record.LongText, ReadOnly: true},
				// Free text for the intervention report: parts replaced or supplied.
				{Name: "parts_used", Kind: record.LongText, Max: 10000},
			},
			Virtual:    ticketViews(),
			PickScopes: map[string]record.PickScope{"assigned_user_id": technicians},
			Hooks:      record.Hooks{BeforeWrite: ticketBeforeWrite, AfterWrite: ticketAfterWrite}},
		{Name: "ticket-followups", Table: "ticket_followups", Singular: "ticket_followup", Scope: record.OrgScoped,
			NameField: "content", DefaultSort: "id", LabelSQL: "substr(content, 1, 80)",
			OrgFrom: "ticket_id",
			Fields: []*record.Field{
				{Name: "ticket_id", Kind: record.Ref, Ref: "tickets", Required: true, Sort: true, List: true},
				// user_id is the author, set from who writes.
				{Name: "user_id", Kind: record.Ref, Ref: "users", Label: "field.author", ReadOnly: true, Sort: true, List: true},
				{Name: "content", Kind: record.LongText, Required: true, List: true},
				{Name: "private", Kind: record.Bool, Default: false, List: true},
			},
			Hooks: record.Hooks{BeforeWrite: followupBeforeWrite, AfterWrite: followupAfterWrite}},
		{Name: "ticket-tasks", Table: "ticket_tasks", Singular: "ticket_task", Scope: record.OrgScoped,
			NameField: "content", DefaultSort: "id", LabelSQL: "substr(content, 1, 80)",
			OrgFrom: "ticket_id",
			Fields: []*record.Field{
				{Name: "ticket_id", Kind: record.Ref, Ref: "tickets", Required: true, Sort: true, List: true},
				{Name: "content", Kind: record.LongText, Required: true, List: true},
				{Name: "user_id", Kind: record.Ref, Ref: "users", Label: "field.assignee", Sort: true, List: true},
				{Name: "planned_start", Kind: record.DateTime, Sort: true, List: true},
				{Name: "planned_end", Kind: record.DateTime, Sort: true},
				{Name: "duration_minutes", Kind: record.Int, Required: true, Default: int64(0), Min: f64(0), MaxNum: f64(100000), Sort: true, List: true},
				{Name: "done", Kind: record.Bool, Default: false, Sort: true, List: true},
				{Name: "private", Kind: record.Bool, Default: false, List: true},
			},
			PickScopes: map[string]record.PickScope{"user_id": technicians},
			Hooks:      record.Hooks{BeforeWrite: taskBeforeWrite}},
		{Name: "ticket-items", Table: "ticket_items", Singular: "ticket_item", Scope: record.OrgScoped, NoTrash: true,
			NameField: "item_type", DefaultSort: "id", LabelSQL: "item_type || ' #' || CAST(item_id AS TEXT)",
			OrgFrom: "ticket_id",
			Fields: []*record.Field{
				{Name: "ticket_id", Kind: record.Ref, Ref: "tickets", Required: true, Sort: true, List: true},
				{Name: "item_type", Kind: record.Enum, Options: ItemTypes, Required: true, Sort: true, List: true},
				{Name: "item_id", Kind: record.Int, Required: true, Min: f64(1), Sort: true, List: true},
			},
			Hooks: record.Hooks{BeforeWrite: itemBeforeWrite}},
		{Name: "ticket-categories", Table: "ticket_categories", Singular: "ticket_category", Area: record.AreaSettings, Scope: record.OrgScoped, NameField: "name",
			ReadScope: categoryReadScope,
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "parent_id", Kind: record.Ref, Ref: "ticket-categories", Sort: true, List: true},
				{Name: "code", Kind: record.Text, Max: 32, Search: true, List: true},
				// Shared with the sub-organisations: their users read and choose it.
				{Name: "recursive", Kind: record.Bool, Default: false, Label: "field.category_recursive", List: true},
				// Tickets opened in the category wait for the approver's validation
				// (else a manager of one of the requester's groups).
				{Name: "needs_approval", Kind: record.Bool, Default: false, List: true},
				{Name: "approver_id", Kind: record.Ref, Ref: "users", Sort: true},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: categoryBeforeWrite}},
		// A template starts a new ticket of its category: the fields it fills in and
		// the checklist of tasks opened with it (Opening.Template).
		{Name: "ticket-templates", Table: "ticket_templates", Singular: "ticket_template", Area: record.AreaSettings, Scope: record.OrgScoped, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "category_id", Kind: record.Ref, Ref: "ticket-categories", Sort: true, List: true},
				{Name: "type", Kind: record.Enum, Options: []string{"incident", "request"}, Sort: true, List: true},
				{Name: "title", Kind: record.Text, Search: true},
				{Name: "description", Kind: record.LongText},
				{Name: "impact", Kind: record.Int, Min: f64(1), MaxNum: f64(5)},
				{Name: "urgency", Kind: record.Int, Min: f64(1), MaxNum: f64(5)},
				{Name: "assigned_group_id", Kind: record.Ref, Ref: "groups", Sort: true},
				{Name: "tasks", Kind: record.LongText, Label: "field.template_tasks", Max: 10000},
				{Name: "comment", Kind: record.LongText},
			}},
		{Name: "ticket-approvals", Table: "ticket_approvals", Singular: "ticket_approval", Scope: record.OrgScoped,
			// Written only through the approval actions, which check who may ask and answer.
			SystemOnly: true, NameField: "status", DefaultSort: "-id",
			LabelSQL: "'#' || CAST(ticket_id AS TEXT) || ' ' || status",
			OrgFrom:  "ticket_id",
			Fields: []*record.Field{
				{Name: "ticket_id", Kind: record.Ref, Ref: "tickets", Required: true, Sort: true, List: true},
				// user_id is the approver: "own records" rights let them find what awaits them.
				{Name: "user_id", Kind: record.Ref, Ref: "users", Label: "field.approver", Required: true, Sort: true, List: true},
				{Name: "requested_by_id", Kind: record.Ref, Ref: "users", Sort: true, List: true},
				{Name: "status", Kind: record.Enum, Options: ApprovalStatuses, Required: true, Default: ApprovalPending, Sort: true, List: true},
				{Name: "comment", Kind: record.LongText, Max: 10000, List: true},
				{Name: "answer", Kind: record.LongText, Max: 10000},
				{Name: "answered_at", Kind: record.DateTime, Sort: true, List: true},
			},
			Hooks: record.Hooks{BeforeWrite: approvalBeforeWrite}},
		{Name: "calendars", Table: "calendars", Singular: "calendar", Area: Area, Scope: record.OrgScoped, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "timezone", Kind: record.Text, Required: true, Max: 64, Default: "Europe/Paris", Sort: true, List: true},
				{Name: "hours", Kind: record.LongText, Required: true, Max: 2000, Default: "mon-fri 09:00-12:00 14:00-18:00", List: true},
				{Name: "holidays", Kind: record.LongText, Max: 20000},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: calendarBeforeWrite}},
		{Name: "slas", Table: "slas", Singular: "sla", Area: Area, Scope: record.OrgScoped, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "category_id", Kind: record.Ref, Ref: "ticket-categories", Sort: true, List: true},
				{Name: "priority", Kind: record.Int, Min: f64(1), MaxNum: f64(6), Sort: true, List: true},
				{Name: "tto_minutes", Kind: record.Int, Min: f64(1), MaxNum: f64(1e6), Sort: true, List: true},
				{Name: "ttr_minutes", Kind: record.Int, Min: f64(1), MaxNum: f64(1e6), Sort: true, List: true},
				{Name: "calendar_id", Kind: record.Ref, Ref: "calendars", Sort: true, List: true},
				{Name: "active", Kind: record.Bool, Default: true, Sort: true, List: true},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: slaBeforeWrite}},
		cannedType(),
	}
}
