package kb

import (
	"sort"
	"strconv"
	"strings"

	"parc/internal/record"
)

// rightsType names the articles type for rights look-ups, which only read its name.
var rightsType = &record.Type{Name: "kb-articles"}

// Audience says which articles an actor reads:
//   - staff: a "read" right on kb-articles in an organisation shows all its articles,
//     drafts and internal ones included, and the published articles of its ancestors
//     marked for sub-organisations;
//   - requesters: a "read_own" right on kb-articles (self-service) shows the published
//     public articles of the organisation and those of its ancestors marked for
//     sub-organisations: the FAQ.
type Audience struct {
	All                        bool
	Staff, StaffUp, FAQ, FAQUp []int64
}

// AudienceOf computes an actor's audience from their grants and the organisation tree.
func AudienceOf(a *record.Actor) Audience {
	if a.System {
		return Audience{All: true}
	}
	sc := a.Scope(rightsType, record.Read)
	if sc.All {
		return Audience{All: true}
	}
	staff := set(sc.IDs)
	faq := map[int64]bool{}
	for _, g := range a.Grants {
		if !g.Rights.Allows(rightsType.Name, record.ReadOwn) {
			continue
		}
		root := a.Tree.Get(g.OrgID)
		if root == nil {
			continue
		}
		for _, o := range a.Tree.Orgs() {
			if o.ID == root.ID || g.Recursive && strings.HasPrefix(o.Path, root.Path) {
				if !staff[o.ID] {
					faq[o.ID] = true
				}
			}
		}
	}
	return Audience{Staff: sorted(staff), StaffUp: ancestors(a.Tree, staff), FAQ: sorted(faq), FAQUp: ancestors(a.Tree, faq)}
}

// Empty reports an audience that reads nothing.
func (au Audience) Empty() bool {
	return !au.All && len(au.Staff)+len(au.StaffUp)+len(au.FAQ)+len(au.FAQUp) == 0
}

// SQL is the condition on an article's columns, each prefixed (an alias and a dot,
// or nothing). The ids are the server's own, never user text. Only the staff of an
// article's own organisation see it in the trash.
func (au Audience) SQL(p string) string {
	if au.All {
		return "1=1"
	}
	in := func(ids []int64) string { return p + "organization_id IN (" + list(ids) + ")" }
	var or []string
	if len(au.Staff) > 0 {
		or = append(or, in(au.Staff))
	}
	if len(au.StaffUp) > 0 {
		or = append(or, "("+in(au.StaffUp)+" AND "+p+"recursive = TRUE AND "+p+"published = TRUE AND "+p+"deleted_at IS NULL)")
	}
	var faq []string
	if len(au.FAQ) > 0 {
		faq = append(faq, in(au.FAQ))
	}
	if len(au.FAQUp) > 0 {
		faq = append(faq, "("+in(au.FAQUp)+" AND "+p+"recursive = TRUE)")
	}
	if len(faq) > 0 {
		or = append(or, "("+p+"published = TRUE AND "+p+"visibility = '"+Public+"' AND "+p+"deleted_at IS NULL AND ("+strings.Join(faq, " OR ")+"))")
	}
	if len(or) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// readScope is the articles type's ReadScope: every read goes through the audience.
func readScope(a *record.Actor) (string, []any, bool) {
	au := AudienceOf(a)
	if au.Empty() {
		return "", nil, false
	}
	return au.SQL(""), nil, true
}

// ancestors lists the strict ancestors of a set of organisations, outside the set.
func ancestors(tree *record.OrgTree, orgs map[int64]bool) []int64 {
	up := map[int64]bool{}
	for id := range orgs {
		o := tree.Get(id)
		for o != nil && o.ParentID != 0 {
			if !orgs[o.ParentID] {
				up[o.ParentID] = true
			}
			o = tree.Get(o.ParentID)
		}
	}
	return sorted(up)
}

func set(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func sorted(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func list(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}
