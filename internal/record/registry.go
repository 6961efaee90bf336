// Package record is parc's one record framework: a registry describes each record type
// once, and this package gives every type the same create, read, update, trash,
// restore, purge, list, search, history, bulk-update, CSV and permission machinery.
package record

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"parc/internal/store"
)

// Scope says how a type's records belong to organisations.
type Scope int

const (
	// OrgScoped records have an organization_id column.
	OrgScoped Scope = iota
	// Global records (shared catalogues) belong to no organisation.
	Global
	// SelfScoped is the organisations type: a record is its own scope.
	SelfScoped
	// OrgShared records (catalogue records: states, suppliers, dictionary rules...)
	// are shared by every organisation when their organization_id is empty, else
	// belong to that organisation, and also to its sub-organisations when their
	// recursive column is set (GLPI's "child entities"). The registry adds the
	// recursive field; who reads and writes them is in perm.go (OwnerOrgs).
	OrgShared
)

// RecursiveField is the field the registry adds to OrgShared types: the record is
// visible in the sub-organisations of its own.
const RecursiveField = "recursive"

// HasOrg reports whether records of the type have an organization_id column
// (empty for the shared records of OrgShared types).
func (t *Type) HasOrg() bool { return t.Scope == OrgScoped || t.Scope == OrgShared }

// Area is the menu area a type is listed under.
type Area string

const (
	AreaAssets     Area = "assets"
	AreaManagement Area = "management"
	// AreaMaintenance: what the maintenance technician and manager work with
	// (contracts, licences, stock, purchasing, lifecycle, budgets).
	AreaMaintenance Area = "maintenance"
	AreaAdmin       Area = "administration"
	AreaSettings    Area = "dropdowns"
)

// Field describes one column of a type.
type Field struct {
	Name     string // column and JSON name, snake_case
	Kind     Kind
	Label    string // catalogue key; defaults to "field.<name>"
	Required bool
	// Unique within the organisation (global types: unique overall, among live records).
	Unique  bool
	Max     int      // text length limit in characters
	Min     *float64 // numeric bounds
	MaxNum  *float64
	Options []string // enum values
	Ref     string   // referenced type name, for Ref fields
	// Search: matched by the free-text filter. Sort: offered as a sort key.
	// List: shown in list views unless the user chooses columns.
	Search, Sort, List bool
	ReadOnly           bool // set by the system, never by input
	NoHistory          bool // changes are stored but not written to the history
	Hidden             bool // stored but never shown (secrets)
	Default            any
}

// LabelKey is the catalogue key of the field's label.
func (f *Field) LabelKey() string {
	if f.Label != "" {
		return f.Label
	}
	return "field." + f.Name
}

// Write is what a hook sees of a create or update.
type Write struct {
	Ctx    context.Context
	Tx     *store.Tx
	DB     *store.DB
	Actor  *Actor
	Type   *Type
	Create bool
	Old    *Record // nil on create
	New    *Record // the record as it will be stored
	// Extra holds input keys the type accepts without storing them as fields
	// (a user's password, for example).
	Extra  map[string]any
	Errors FieldErrors
	// Service gives hooks access to generic helpers.
	Service *Service
}

// VirtualFilter turns a filter's operator and value into an SQL condition with its
// arguments, or a message when the value does not fit.
type VirtualFilter func(op Op, value string) (string, []any, *Msg)

// selectivePrefix marks a virtual filter's condition as met by few rows (Selective).
const selectivePrefix = "\x00selective:"

// Selective marks a virtual filter's condition as one that few rows meet, such as
// "assigned to one of my groups". SQLite's planner cannot estimate a condition on an
// IN (subquery) and may then walk the whole table in the list's sort order (an index
// on the due time) rather than seek the condition's index and sort the few rows it
// finds: 2.3 s against 5 ms for "my groups' tickets" at 200,000 tickets. On SQLite the
// condition is wrapped in unlikely(), a planner hint with no run-time cost; PostgreSQL
// estimates it itself and gets the condition as it is.
func Selective(cond string) string { return selectivePrefix + cond }

// Hooks add type-specific behaviour around the generic operations.
type Hooks struct {
	// BeforeWrite may check and change w.New; field problems go to w.Errors.
	BeforeWrite func(w *Write) error
	// AfterWrite runs in the same transaction once the row is stored.
	AfterWrite func(w *Write) error
	// BeforeRestore may refuse to take a record out of the trash (w.New is the
	// record as it was trashed); field problems go to w.Errors.
	BeforeRestore func(w *Write) error
	// BeforeDelete may refuse to trash or purge a record.
	BeforeDelete func(ctx context.Context, tx *store.Tx, db *store.DB, r *Record, purge bool) error
}

// ThenAfterWrite adds fn after the type's own AfterWrite (and any added before):
// other packages (search indexing, notifications) follow a type's writes this way.
func (h *Hooks) ThenAfterWrite(fn func(w *Write) error) {
	prev := h.AfterWrite
	h.AfterWrite = func(w *Write) error {
		if prev != nil {
			if err := prev(w); err != nil {
				return err
			}
		}
		return fn(w)
	}
}

// Type describes one record type.
type Type struct {
	Name     string // API name, plural, kebab-case: "network-equipment"
	Table    string
	Singular string // catalogue key stem: "type.<singular>" and "type.<singular>.plural"
	Area     Area
	Scope    Scope
	Fields   []*Field
	// NameField is shown as the record's label; LabelSQL, if set, computes it instead.
	NameField string
	LabelSQL  string
	// DefaultSort is a field name, "-" prefixed for descending.
	DefaultSort string
	// Extras are input keys accepted and handed to hooks unstored.
	Extras []string
	Hooks  Hooks
	// ExtraActions are rights of this type beyond the common actions, granted by
	// name in a profile's entry for the type ("licenses": [..., "read_key"]);
	// "*" never grants them.
	ExtraActions []Action
	// NamingPlan lets the name be generated from a configured template.
	NamingPlan bool
	// NoTrash types are deleted outright.
	NoTrash bool
	// DisposedField names a date column set when the record left the fleet (a
	// disposed asset): lists, counts, exports and pickers leave such records out,
	// and list them only when asked (ListQuery.Disposed). They stay readable.
	DisposedField string
	// SystemOnly types are written by parc itself (agents...): users read them only.
	SystemOnly bool
	// AppendOnly types are ledgers (stock movements): records are created and
	// read, never changed, trashed or purged, whatever the rights say; a
	// correction is a new record.
	AppendOnly bool
	// TextIndex types have a substring index over their Search fields (migration
	// textIndex): on SQLite the FTS5 table <table>_fts, which free text then queries.
	TextIndex bool
	// Virtual are filters on facts kept outside the type's table (a computer's
	// installed software...), by name: each gives an SQL condition on the record's id.
	Virtual map[string]VirtualFilter
	// OrgFrom names the reference whose record's organisation this one takes (a
	// follow-up, its ticket's), set by the type's hook: such records get no
	// default organisation (DefaultOrg).
	OrgFrom string
	// OrgChosen types are never given a default organisation: their organisation is
	// what the record says (where an authorization grants its profile).
	OrgChosen bool
	// ReadScope, when set, replaces the organisation scope of every read of the type
	// (get, list, export, history, references): an SQL condition over the type's own
	// columns, ok=false when the actor may read nothing. For types whose readers
	// depend on more than organisations (knowledge-base audiences).
	ReadScope func(a *Actor) (cond string, args []any, ok bool)
	// PickScopes narrow what a reference field may be given, by field name, for
	// the pickers that offer its values (a ticket's assignee: technicians).
	PickScopes map[string]PickScope
	// TextFilter, when set, matches a list's free text by words (stemmed,
	// accents ignored) as the full-text search does: an SQL condition on the
	// record's id, ok=false when the text holds no word to look for.
	TextFilter func(d store.Dialect, text string) (cond string, args []any, ok bool)

	byName map[string]*Field
}

// refuses reports an action no one may do on the type (AppendOnly).
func (t *Type) refuses(action Action) bool {
	return t.AppendOnly && (action == Update || action == Delete || action == Purge)
}

// Field finds a field by name.
func (t *Type) Field(name string) *Field { return t.byName[name] }

// HasField reports whether the type has this field.
func (t *Type) HasField(name string) bool { return t.byName[name] != nil }

// OwnerField is the field that names the user a record is assigned to, used by
// "own records only" rights; empty when the type has none.
func (t *Type) OwnerField() string {
	if f := t.byName["user_id"]; f != nil && f.Ref == "users" {
		return "user_id"
	}
	return ""
}

// LabelExpr is the SQL expression of a record's label.
func (t *Type) LabelExpr() string {
	if t.LabelSQL != "" {
		return t.LabelSQL
	}
	return t.NameField
}

// VisibleFields are the fields that are ever shown or exported.
func (t *Type) VisibleFields() []*Field {
	var out []*Field
	for _, f := range t.Fields {
		if !f.Hidden {
			out = append(out, f)
		}
	}
	return out
}

// Registry holds every record type.
type Registry struct {
	types  map[string]*Type
	byTab  map[string]*Type
	sorted []*Type
}

// NewRegistry checks and indexes the given types.
func NewRegistry(types ...*Type) (*Registry, error) {
	r := &Registry{types: map[string]*Type{}, byTab: map[string]*Type{}}
	for _, t := range types {
		if err := r.add(t); err != nil {
			return nil, err
		}
	}
	for _, t := range r.sorted {
		for _, f := range t.Fields {
			if f.Kind == Ref && r.types[f.Ref] == nil {
				return nil, fmt.Errorf("type %s field %s: unknown referenced type %q", t.Name, f.Name, f.Ref)
			}
		}
	}
	return r, nil
}

// MustRegistry is NewRegistry for types declared in code, where an error is a bug.
func MustRegistry(types ...*Type) *Registry {
	r, err := NewRegistry(types...)
	if err != nil {
		panic(err)
	}
	return r
}

func (r *Registry) add(t *Type) error {
	if t.Name == "" || t.Table == "" {
		return fmt.Errorf("type needs a name and a table")
	}
	if r.types[t.Name] != nil {
		return fmt.Errorf("type %s declared twice", t.Name)
	}
	if reservedTypeNames[t.Name] {
		return fmt.Errorf("type name %s is taken by a fixed route", t.Name)
	}
	t.byName = map[string]*Field{}
	if t.Scope == OrgShared && !hasField(t.Fields, RecursiveField) {
		// First, so that forms show it by the organisation it completes.
		t.Fields = append([]*Field{{Name: RecursiveField, Kind: Bool, Label: "field.visible_below", Default: false, Sort: true}}, t.Fields...)
	}
	for _, f := range t.Fields {
		if reserved[f.Name] {
			return fmt.Errorf("type %s: field name %s is reserved", t.Name, f.Name)
		}
		if t.byName[f.Name] != nil {
			return fmt.Errorf("type %s: field %s declared twice", t.Name, f.Name)
		}
		if f.Kind == Enum && len(f.Options) == 0 {
			return fmt.Errorf("type %s: enum field %s has no options", t.Name, f.Name)
		}
		t.byName[f.Name] = f
	}
	if t.NameField == "" || t.byName[t.NameField] == nil {
		return fmt.Errorf("type %s: name field %q missing", t.Name, t.NameField)
	}
	if t.DefaultSort == "" {
		t.DefaultSort = t.NameField
	}
	r.types[t.Name] = t
	r.byTab[t.Table] = t
	r.sorted = append(r.sorted, t)
	sort.SliceStable(r.sorted, func(i, j int) bool { return r.sorted[i].Name < r.sorted[j].Name })
	return nil
}

// reserved are the columns every record has, managed by the framework.
var reserved = map[string]bool{"id": true, "organization_id": true, "version": true, "created_at": true,
	"updated_at": true, "deleted_at": true, "display": true}

// reservedTypeNames are fixed top-level routes of the server; a type of that name
// would collide with them (types get /NAME pages and /api/v1/NAME endpoints).
var reservedTypeNames = map[string]bool{"login": true, "logout": true, "lang": true, "account": true,
	"settings": true, "static": true, "api": true, "healthz": true, "readyz": true, "metrics": true,
	"me": true, "tokens": true, "saved-searches": true, "openapi.json": true, "search": true, "agent": true}

// Type finds a type by API name.
func (r *Registry) Type(name string) (*Type, bool) {
	t, ok := r.types[name]
	return t, ok
}

// MustType finds a type or panics: for names written in code.
func (r *Registry) MustType(name string) *Type {
	t, ok := r.types[name]
	if !ok {
		panic("record: unknown type " + name)
	}
	return t
}

// Types lists every type by name.
func (r *Registry) Types() []*Type { return r.sorted }

// InArea lists the types of one menu area.
func (r *Registry) InArea(a Area) []*Type {
	var out []*Type
	for _, t := range r.sorted {
		if t.Area == a {
			out = append(out, t)
		}
	}
	return out
}

// columns are the SELECT list of a type.
func (t *Type) columns() string {
	cols := []string{"id"}
	if t.HasOrg() {
		cols = append(cols, "organization_id")
	}
	cols = append(cols, "version", "created_at", "updated_at", "deleted_at")
	for _, f := range t.Fields {
		if !f.Hidden {
			cols = append(cols, f.Name)
		}
	}
	return strings.Join(cols, ", ")
}

func hasField(fs []*Field, name string) bool {
	for _, f := range fs {
		if f.Name == name {
			return true
		}
	}
	return false
}
