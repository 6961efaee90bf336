package record

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"parc/internal/store"
)

// Action is what a right allows on a type.
type Action string

const (
	Read   Action = "read"
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete" // to the trash and back
	Purge  Action = "purge"
	// ReadOwn allows reading only the records assigned to oneself (self-service).
	ReadOwn Action = "read_own"
)

// Actions lists the grantable actions in display order.
var Actions = []Action{Read, ReadOwn, Create, Update, Delete, Purge}

// Rights maps a type name (or "*" for every type) to the actions allowed on it.
type Rights map[string][]Action

// ParseRights reads a profile's rights document and checks every name in it;
// without a registry, a type's own actions (Type.ExtraActions) cannot be told
// from mistakes and are accepted (profiles were checked when written).
func ParseRights(s string, reg *Registry) (Rights, error) {
	var r Rights
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return nil, fmt.Errorf("rights must be a JSON object of type names to lists of actions: %v", err)
	}
	for t, acts := range r {
		var typ *Type
		if t != "*" && reg != nil {
			var ok bool
			if typ, ok = reg.Type(t); !ok {
				return nil, fmt.Errorf("unknown type %q in rights", t)
			}
		}
		for _, a := range acts {
			if !validAction(a) && !(t != "*" && reg == nil) && (typ == nil || !slices.Contains(typ.ExtraActions, a)) {
				return nil, fmt.Errorf("unknown action %q for %s", a, t)
			}
		}
	}
	return r, nil
}

func validAction(a Action) bool {
	for _, x := range Actions {
		if a == x {
			return true
		}
	}
	return false
}

// Allows reports whether the rights allow action on the type. An entry for the type
// itself overrides the "*" entry, so {"*": all, "profiles": ["read"]} withholds the
// other actions on profiles.
func (r Rights) Allows(typeName string, a Action) bool {
	acts, ok := r[typeName]
	if !ok {
		acts = r["*"]
	}
	for _, x := range acts {
		if x == a {
			return true
		}
	}
	return false
}

// Grant is one profile given to a user on an organisation (and its sub-tree when Recursive).
type Grant struct {
	OrgID     int64
	Recursive bool
	Profile   string
	Rights    Rights
}

// Org is a node of the organisation tree; Path is "/1/4/9/" (materialised path).
type Org struct {
	ID       int64
	ParentID int64
	Name     string
	Path     string
}

// OrgTree is the set of live organisations.
type OrgTree struct {
	byID map[int64]*Org
	all  []*Org
	// trashed organisations, outside the tree: rights over them are those over
	// their place in it (see trashedCovered).
	trashed map[int64]*Org
	Root    int64
	Count   int
}

// LoadOrgTree reads the organisation tree; it is small (one row per organisation).
func LoadOrgTree(ctx context.Context, db *store.DB) (*OrgTree, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, COALESCE(parent_id, 0), name, path, CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END FROM organizations ORDER BY path")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := &OrgTree{byID: map[int64]*Org{}, trashed: map[int64]*Org{}}
	for rows.Next() {
		o := &Org{}
		var gone int
		if err := rows.Scan(&o.ID, &o.ParentID, &o.Name, &o.Path, &gone); err != nil {
			return nil, err
		}
		if gone == 1 {
			t.trashed[o.ID] = o
			continue
		}
		t.byID[o.ID] = o
		t.all = append(t.all, o)
		if o.ParentID == 0 && t.Root == 0 {
			t.Root = o.ID
		}
	}
	t.Count = len(t.all)
	return t, rows.Err()
}

// Get finds an organisation.
func (t *OrgTree) Get(id int64) *Org { return t.byID[id] }

// Orgs lists every organisation in tree order.
func (t *OrgTree) Orgs() []*Org { return t.all }

// IsAncestorOrSelf reports whether a is b or one of b's ancestors.
func (t *OrgTree) IsAncestorOrSelf(a, b int64) bool {
	oa, ob := t.byID[a], t.byID[b]
	return oa != nil && ob != nil && strings.HasPrefix(ob.Path, oa.Path)
}

// Depth is the number of ancestors of an organisation.
func (t *OrgTree) Depth(id int64) int {
	if o := t.byID[id]; o != nil {
		return strings.Count(o.Path, "/") - 2
	}
	return 0
}

// Actor is who acts: a user with their grants, or the system itself.
type Actor struct {
	UserID int64
	Login  string
	Name   string
	Lang   string
	// ExportFormat is the user's kept export format (ExportFormatFR/EN), "" to follow Lang.
	ExportFormat string
	// Origin of the changes this actor makes: web, api, import, inventory, rule, job, cli.
	Origin string
	Grants []Grant
	Tree   *OrgTree
	// OrgID is the organisation of the user's own record (0 for the system): where
	// their new records go when they name none (DefaultOrg).
	OrgID int64
	// System actors (migrations, demo data, the CLI) bypass permission checks.
	System bool
	// Elevation says why a user's actor was given every right (see Elevated).
	Elevation string
}

// SystemActor acts with every right; it is for the CLI, jobs and seeding.
func SystemActor(tree *OrgTree, origin string) *Actor {
	return &Actor{Login: "system", Name: "system", Origin: origin, Tree: tree, System: true}
}

// Elevated is the same user with every right, for a change made on their behalf
// once their own action was allowed (a requester's reply reopens the ticket they may
// not edit, the portal links their own asset to their ticket): the history still
// names the user. reason says why, kept with the actor for logs and debugging.
// This is the one way a user's actor is raised to system rights.
func (a *Actor) Elevated(reason string) *Actor {
	c := *a
	c.System = true
	c.Elevation = reason
	return &c
}

// OrgScope is the set of organisations in which an action is allowed.
type OrgScope struct {
	All bool    // every organisation
	IDs []int64 // otherwise these
	// OwnIDs are organisations where only records assigned to the actor are allowed.
	OwnIDs []int64
}

// Empty reports a scope that allows nothing.
func (s OrgScope) Empty() bool { return !s.All && len(s.IDs) == 0 && len(s.OwnIDs) == 0 }

// Has reports whether the scope covers an organisation fully.
func (s OrgScope) Has(id int64) bool {
	if s.All {
		return true
	}
	for _, x := range s.IDs {
		if x == id {
			return true
		}
	}
	return false
}

// HasOwn reports whether the scope covers the organisation for own records only.
func (s OrgScope) HasOwn(id int64) bool {
	for _, x := range s.OwnIDs {
		if x == id {
			return true
		}
	}
	return false
}

// Scope computes where the actor may do action on type t.
func (a *Actor) Scope(t *Type, action Action) OrgScope {
	if t.refuses(action) {
		return OrgScope{}
	}
	if a.System {
		return OrgScope{All: true}
	}
	full := map[int64]bool{}
	own := map[int64]bool{}
	for _, g := range a.Grants {
		allowed := g.Rights.Allows(t.Name, action)
		ownOnly := false
		if !allowed && action == Read && t.OwnerField() != "" && g.Rights.Allows(t.Name, ReadOwn) {
			allowed, ownOnly = true, true
		}
		if !allowed {
			continue
		}
		target := full
		if ownOnly {
			target = own
		}
		for _, id := range a.grantOrgs(g) {
			target[id] = true
		}
	}
	if len(full) == a.Tree.Count && a.Tree.Count > 0 {
		return OrgScope{All: true}
	}
	s := OrgScope{IDs: keys(full)}
	for id := range own {
		if !full[id] {
			s.OwnIDs = append(s.OwnIDs, id)
		}
	}
	sort.Slice(s.OwnIDs, func(i, j int) bool { return s.OwnIDs[i] < s.OwnIDs[j] })
	return s
}

// Can reports whether the actor may do action on type t anywhere. A record of a
// global type (the software catalogue, states, manufacturers, profiles...) is shared
// by every organisation, so writing one needs the right over all of them: a
// client's administrator reads shared data but does not change it for the others.
//
// For OrgShared types it reports whether the action is allowed somewhere: which
// records it reaches is decided per record (CanOwn).
func (a *Actor) Can(t *Type, action Action) bool {
	if t.Scope == Global && action != Read && action != ReadOwn {
		return a.CanEverywhere(t, action)
	}
	return !a.Scope(t, action).Empty()
}

// CanEverywhere reports whether the actor may do action on type t in every
// organisation: what a setting that applies to all of them (a naming plan, the
// priority matrix, the inventory settings) or a shared record needs.
func (a *Actor) CanEverywhere(t *Type, action Action) bool { return a.Scope(t, action).All }

// CanInSubtree reports whether the actor may do action on type t in organisation
// org and in every organisation under it: what changing a setting that org passes
// down to its sub-organisations (a naming plan, the priority matrix) needs. For the
// root it is CanEverywhere.
func (a *Actor) CanInSubtree(t *Type, action Action, org int64) bool {
	if t.refuses(action) {
		return false
	}
	if a.System {
		return true
	}
	return a.SubtreeOrgs(t, action)[org]
}

// SubtreeOrgs lists the organisations in whose whole sub-tree the actor may do
// action on type t (see CanInSubtree).
func (a *Actor) SubtreeOrgs(t *Type, action Action) map[int64]bool {
	s := a.Scope(t, action)
	in := map[int64]bool{}
	for _, id := range s.IDs {
		in[id] = true
	}
	out := map[int64]bool{}
	// Children come after their parent in tree order: walking it backwards settles
	// every child before its parent.
	broken := map[int64]bool{} // organisations with a child outside
	for i := len(a.Tree.all) - 1; i >= 0; i-- {
		o := a.Tree.all[i]
		if (a.System || s.All || in[o.ID]) && !broken[o.ID] {
			out[o.ID] = true
		} else {
			broken[o.ParentID] = true
		}
	}
	return out
}

// CanIn reports whether the actor may do action on type t in organisation org.
func (a *Actor) CanIn(t *Type, action Action, org int64) bool {
	if t.refuses(action) {
		return false
	}
	if a.System {
		return true
	}
	if t.Scope == SelfScoped && a.Tree.trashed[org] != nil {
		return a.trashedCovered(t, action, org)
	}
	if t.Scope == Global {
		return a.Can(t, action)
	}
	if t.Scope == OrgShared && action != Read {
		return a.CanOwn(t, action, org, false)
	}
	return a.Scope(t, action).Has(org)
}

// CanOwn reports whether the actor may do a write action on a record of an
// OrgShared type owned by org (0: shared by all), visible in org's
// sub-organisations when recursive. A write reaches every organisation that sees
// the record, so it needs the right in all of them: everywhere for a shared
// record, in org's whole sub-tree for a recursive one, in org for the others.
func (a *Actor) CanOwn(t *Type, action Action, org int64, recursive bool) bool {
	switch {
	case a.System:
		return true
	case org == 0:
		return a.CanEverywhere(t, action)
	case a.Tree.Get(org) == nil:
		return false
	case recursive:
		return a.CanInSubtree(t, action, org)
	}
	return a.Scope(t, action).Has(org)
}

// CanRecord reports whether the actor may do action on the record r: in its
// organisation, or for an OrgShared record over every organisation it reaches.
func (a *Actor) CanRecord(r *Record, action Action) bool {
	if r.Type.Scope == OrgShared && action != Read {
		return a.CanOwn(r.Type, action, r.OrgID, r.Bool(RecursiveField))
	}
	return a.CanIn(r.Type, action, r.OrgID)
}

// SeenFrom lists the organisations whose OrgShared records are visible from org:
// org itself and its ancestors (whose records are visible below them when recursive).
func (t *OrgTree) SeenFrom(org int64) (self int64, ancestors []int64) {
	o := t.byID[org]
	if o == nil {
		return 0, nil
	}
	for _, p := range strings.Split(strings.Trim(o.Path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil && id != org {
			ancestors = append(ancestors, id)
		}
	}
	return org, ancestors
}

// trashedCovered reports whether the actor may do action on the trashed
// organisation org: a grant with its sub-tree on a live ancestor of org allows it,
// as it did before org was trashed. The administrator of a parent organisation
// restores or purges the sub-organisation they trashed.
func (a *Actor) trashedCovered(t *Type, action Action, org int64) bool {
	o := a.Tree.trashed[org]
	if o == nil {
		return false
	}
	for _, g := range a.Grants {
		root := a.Tree.Get(g.OrgID)
		if g.Recursive && root != nil && root.ID != org && strings.HasPrefix(o.Path, root.Path) && g.Rights.Allows(t.Name, action) {
			return true
		}
	}
	return false
}

// TrashedIn lists the trashed organisations on which the actor may do action on
// type t (see trashedCovered).
func (a *Actor) TrashedIn(t *Type, action Action) []int64 {
	var out []int64
	for id := range a.Tree.trashed {
		if a.trashedCovered(t, action, id) {
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// CanRights reports whether the actor holds every right of r in organisation org:
// nobody may hand out more than they have.
func (a *Actor) CanRights(r Rights, org int64, reg *Registry) bool {
	if a.System {
		return true
	}
	for typeName, acts := range r {
		types := []*Type{}
		if typeName == "*" {
			types = reg.Types()
		} else if t, ok := reg.Type(typeName); ok {
			types = append(types, t)
		}
		for _, t := range types {
			for _, act := range acts {
				if act == ReadOwn {
					act = Read
				}
				if !a.scopeRaw(t.Name, act).has(org) {
					return false
				}
			}
		}
	}
	return true
}

type idSet map[int64]bool

func (s idSet) has(id int64) bool { return s[id] }

func (a *Actor) scopeRaw(typeName string, action Action) idSet {
	out := idSet{}
	for _, g := range a.Grants {
		if g.Rights.Allows(typeName, action) {
			for _, id := range a.grantOrgs(g) {
				out[id] = true
			}
		}
	}
	return out
}

// grantOrgs expands a grant to the organisations it covers.
func (a *Actor) grantOrgs(g Grant) []int64 {
	root := a.Tree.Get(g.OrgID)
	if root == nil {
		return nil
	}
	if !g.Recursive {
		return []int64{root.ID}
	}
	var out []int64
	for _, o := range a.Tree.all {
		if strings.HasPrefix(o.Path, root.Path) {
			out = append(out, o.ID)
		}
	}
	return out
}

// HomeOrgs lists the organisations where the actor may create records of t,
// in tree order, for choosing where a new record goes.
func (a *Actor) HomeOrgs(t *Type) []*Org {
	s := a.Scope(t, Create)
	var out []*Org
	for _, o := range a.Tree.all {
		if s.Has(o.ID) {
			out = append(out, o)
		}
	}
	return out
}

// DefaultOrg is where a new record of t goes when the caller names no
// organisation: the only one where the actor may create it, else the organisation
// of the user's own record when they may create there. ok is false when the choice
// is not obvious (several organisations, none of them the user's), and the caller
// must name one. The UI, the API and the record service all follow this one rule.
func (a *Actor) DefaultOrg(t *Type) (org int64, ok bool) {
	if t.Scope != OrgScoped || t.OrgFrom != "" {
		return 0, false
	}
	if homes := a.HomeOrgs(t); len(homes) == 1 {
		return homes[0].ID, true
	}
	// The system, and a user's actor raised to act on their behalf, name theirs.
	if !t.OrgChosen && !a.System && a.OrgID != 0 && a.Tree.Get(a.OrgID) != nil && a.CanIn(t, Create, a.OrgID) {
		return a.OrgID, true
	}
	return 0, false
}

// MemberOrgs lists the organisations the actor's grants name (not their
// sub-organisations) where they may create records of t, in tree order: the
// organisations a requester "belongs to", among which a form lets them choose
// when there are several.
func (a *Actor) MemberOrgs(t *Type) []*Org {
	named := map[int64]bool{}
	for _, g := range a.Grants {
		if g.Rights.Allows(t.Name, Create) {
			named[g.OrgID] = true
		}
	}
	var out []*Org
	for _, o := range a.Tree.all {
		if named[o.ID] && a.CanIn(t, Create, o.ID) {
			out = append(out, o)
		}
	}
	return out
}

// OrgChoices lists the organisations a form offers for a new record of t, by
// name: none when the default is obvious and the actor belongs to one
// organisation; the organisations they belong to when several (the default
// chosen); every one where they may create when no default is obvious.
func (a *Actor) OrgChoices(t *Type) []*Org {
	if _, ok := a.DefaultOrg(t); !ok {
		return a.HomeOrgs(t)
	}
	if m := a.MemberOrgs(t); len(m) > 1 {
		return m
	}
	return nil
}

func keys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
