package record

import "context"

// ScopeSQL is the WHERE fragment limiting rows of t to those the actor may do
// action on, as List builds it, for domain services that count or group rows
// themselves (the home pages). ok is false when nothing at all is allowed.
func (s *Service) ScopeSQL(a *Actor, t *Type, action Action) (where string, args []any, ok bool) {
	return s.scopeSQL(a, t, action)
}

// Labels fills ids with the labels of those records of t, as reference columns
// show them (trashed ones included).
func (s *Service) Labels(ctx context.Context, t *Type, ids map[int64]string) error {
	return s.labels(ctx, t, ids)
}
