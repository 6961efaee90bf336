package helpdesk

import (
	"context"

	"parc/internal/record"
)

// CannedKinds are what a canned response is written for: a follow-up or a solution.
var CannedKinds = []string{"followup", "solution"}

// cannedType is the record type of canned responses: texts technicians reuse in
// a ticket's follow-ups and solutions, for one category (and its sub-categories)
// or for all; the record framework gives them their rights, history and trash.
func cannedType() *record.Type {
	return &record.Type{Name: "canned-responses", Table: "canned_responses", Singular: "canned_response", Area: record.AreaSettings,
		Scope: record.OrgScoped, NameField: "name",
		Fields: []*record.Field{
			{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
			{Name: "kind", Kind: record.Enum, Options: CannedKinds, Label: "field.canned_kind", Required: true, Default: "followup", Sort: true, List: true},
			{Name: "category_id", Kind: record.Ref, Ref: "ticket-categories", Sort: true, List: true},
			{Name: "content", Kind: record.LongText, Required: true, Max: 20000},
			{Name: "active", Kind: record.Bool, Default: true, Sort: true, List: true},
			{Name: "comment", Kind: record.LongText},
		}}
}

// Canned is one canned response as a form offers it.
type Canned struct {
	ID            int64
	Name, Content string
}

// CannedFor lists the active canned responses of each kind that fit a ticket:
// those of its category or of a parent category, and those for every category,
// among what the actor may read (those of the ticket's organisation and above,
// as the actor's rights allow).
func (s *Service) CannedFor(ctx context.Context, a *record.Actor, tk *record.Record) (map[string][]Canned, error) {
	t := s.Rec.Reg.MustType("canned-responses")
	out := map[string][]Canned{}
	if !a.Can(t, record.Read) {
		return out, nil
	}
	cats := map[int64]bool{}
	if c := tk.Int("category_id"); c != 0 {
		chain, err := s.categoryAncestors(ctx, c)
		if err != nil {
			return nil, err
		}
		for _, id := range chain {
			cats[id] = true
		}
	}
	page, err := s.Rec.List(ctx, a, t, record.ListQuery{Limit: record.MaxLimit, Sort: "name",
		Filters: []record.Filter{{Field: "active", Op: record.OpEq, Value: "true"}}})
	if err != nil {
		return nil, err
	}
	orgs := map[int64]bool{}
	for _, id := range ancestors(a.Tree, tk.OrgID) {
		orgs[id] = true
	}
	for _, r := range page.Records {
		if c := r.Int("category_id"); c != 0 && !cats[c] || !orgs[r.OrgID] {
			continue
		}
		k := r.String("kind")
		out[k] = append(out[k], Canned{ID: r.ID, Name: r.String("name"), Content: r.String("content")})
	}
	return out, nil
}

// categoryAncestors is a category and its parents, nearest first.
func (s *Service) categoryAncestors(ctx context.Context, id int64) ([]int64, error) {
	var out []int64
	for seen := map[int64]bool{}; id != 0 && !seen[id]; {
		seen[id] = true
		out = append(out, id)
		var parent *int64
		err := s.Rec.DB.QueryRowContext(ctx, "SELECT parent_id FROM ticket_categories WHERE id = ?", id).Scan(&parent)
		if err != nil {
			return nil, err
		}
		id = 0
		if parent != nil {
			id = *parent
		}
	}
	return out, nil
}
