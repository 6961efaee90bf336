package record

import "context"

// SuggestFilter offers the records a list filter on field of t may name, matching
// the text: those the actor reads, within the field's PickScope (the assignee
// filter offers technicians). Unlike SuggestRef it asks only that the actor
// reads t, since filtering a list writes nothing, and read-only references (an
// article's author) may be filtered on too.
func (s *Service) SuggestFilter(ctx context.Context, a *Actor, t *Type, field string, q SuggestQuery) ([]Suggestion, error) {
	f := t.Field(field)
	if f == nil || f.Kind != Ref || f.Hidden {
		return nil, ErrNotFound()
	}
	if !a.Can(t, Read) {
		return nil, ErrForbidden()
	}
	var extra []string
	var extraArgs []any
	if ps := t.PickScopes[field]; ps != nil {
		cond, args, err := ps(ctx, s.DB)
		if err != nil {
			return nil, err
		}
		extra, extraArgs = append(extra, cond), args
	}
	q.Org = 0 // a filter looks across every organisation the actor reads
	return s.suggest(ctx, a, s.Reg.MustType(f.Ref), q, extra, extraArgs)
}
