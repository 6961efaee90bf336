package helpdesk

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"parc/internal/record"
)

// categoryRights names the categories type for rights look-ups, which read only its name.
var categoryRights = &record.Type{Name: "ticket-categories"}

// categoryReadScope is the categories' ReadScope: the categories of the
// organisations the actor reads, and the live categories of their ancestors that
// are shared with sub-organisations (an ESN's categories, for its clients'
// requesters).
func categoryReadScope(a *record.Actor) (string, []any, bool) {
	if a.System {
		return "1=1", nil, true
	}
	sc := a.Scope(categoryRights, record.Read)
	if sc.All {
		return "1=1", nil, true
	}
	if len(sc.IDs) == 0 {
		return "", nil, false
	}
	in := map[int64]bool{}
	for _, id := range sc.IDs {
		in[id] = true
	}
	up := map[int64]bool{}
	for _, id := range sc.IDs {
		for o := a.Tree.Get(id); o != nil && o.ParentID != 0; o = a.Tree.Get(o.ParentID) {
			if !in[o.ParentID] {
				up[o.ParentID] = true
			}
		}
	}
	cond := "organization_id IN (" + idList(sc.IDs) + ")"
	if len(up) > 0 {
		ids := make([]int64, 0, len(up))
		for id := range up {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		cond = "(" + cond + " OR (organization_id IN (" + idList(ids) + ") AND recursive = TRUE AND deleted_at IS NULL))"
	}
	return cond, nil, true
}

// idList writes ids the server computed itself (never user text) as an SQL list.
func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// Categories lists the live ticket categories that apply to a ticket of
// organisation org, among those the actor reads: the organisation's own and those
// of its ancestors shared with sub-organisations, by name. What a requester is
// offered when opening a ticket there.
func (s *Service) Categories(ctx context.Context, a *record.Actor, org int64) ([]*record.Record, error) {
	t := s.Rec.Reg.MustType("ticket-categories")
	if !a.Can(t, record.Read) {
		return nil, nil
	}
	var out []*record.Record
	q := record.ListQuery{Limit: record.MaxLimit, Sort: "name"}
	for {
		page, err := s.Rec.List(ctx, a, t, q)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Records {
			if r.OrgID == org || r.Values["recursive"] == true && a.Tree.IsAncestorOrSelf(r.OrgID, org) {
				out = append(out, r)
			}
		}
		if page.NextCursor == "" {
			return out, nil
		}
		q.Cursor = page.NextCursor
	}
}
