// Package demo loads a small, realistic data set for trying parc: a French IT services
// company (ESN) and its client companies, their sites, people and about 150 computers
// with monitors, network equipment, printers, phones and peripherals, and a helpdesk
// (categories, calendar, SLAs, knowledge base, tickets of the last weeks). Everything
// goes through the record and helpdesk services, so the data is valid and has its
// history. The assets are drawn from a fixed seed: every load gives the same names,
// serials and numbers; the tickets' dates follow the day of the load.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"parc/internal/core"
	"parc/internal/document"
	"parc/internal/helpdesk"
	"parc/internal/i18n"
	"parc/internal/ingest"
	"parc/internal/kb"
	"parc/internal/license"
	"parc/internal/loan"
	"parc/internal/purchase"
	"parc/internal/record"
	"parc/internal/stock"
	"parc/internal/store"
)

// Demo accounts: AdminLogin is super-admin on the root; see people for the others.
// Every demo account has this password.
const (
	AdminLogin = "demo-admin"
	Password   = "demo-password"
)

// seed fixes the generator: change it and the documented demo facts change too.
const seed = 20250901

// Account is a demo login as the README lists it.
type Account struct {
	Login, Name, Profile, Organization string
}

// Accounts lists the demo logins with their profile and organisation.
func Accounts() []Account {
	var out []Account
	for _, p := range people {
		org := "Root"
		for _, o := range orgSpecs {
			if o.key == p.org {
				org = o.name
			}
		}
		out = append(out, Account{p.login, p.first + " " + p.last, p.profile, org})
	}
	return out
}

// Services are what the demo loads its data through: the core services, and the
// helpdesk, knowledge base and inventory services, so that demo records go through
// the same rules as users' ones, and the helpdesk jobs (the demo's weeks of tickets
// are closed by the automatic closing, as days pass).
type Services struct {
	*core.Core
	Helpdesk     *helpdesk.Service
	HelpdeskJobs *helpdesk.Jobs
	KB           *kb.Service
	Inventory    *ingest.Service
	Stock        *stock.Service
	Loans        *loan.Service // hand-overs and loans (loans.go)
	Licenses     *license.Service
	Documents    *document.Service // files attached to records (documents.go)
	Purchase     *purchase.Service // purchasing (purchase.go)
}

// Load fills a new store with demo data. It refuses a store that already holds
// computers or the demo organisations.
func Load(ctx context.Context, a *Services) error {
	start := time.Now()
	var n int
	if err := a.DB.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM computers) + (SELECT COUNT(*) FROM organizations WHERE name = ?)", orgSpecs[0].name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return errors.New("demo: the store already holds data")
	}
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		return err
	}
	// Organisations first, committed: the actor's organisation tree must hold them
	// before records are filed under them.
	orgs := map[string]int64{"": sys.Tree.Root}
	orgType := a.Reg.MustType("organizations")
	for _, o := range orgSpecs {
		r, err := a.Records.Create(ctx, sys, orgType, record.Input{"name": o.name, "code": o.code, "parent_id": orgs[o.parent], "comment": o.comment})
		if err != nil {
			return describe("organizations", o.name, err)
		}
		orgs[o.key] = r.ID
	}
	if sys, err = a.System(ctx, record.OriginCLI); err != nil {
		return err
	}
	if err := a.Records.SetSetting(ctx, record.NamingKey(a.Reg.MustType("computers")), NamingPlan); err != nil {
		return err
	}
	for org, plan := range orgNamingPlans {
		if err := a.Records.SetSetting(ctx, record.OrgSettingKey(record.NamingKey(a.Reg.MustType("computers")), orgs[org], sys.Tree.Root), plan); err != nil {
			return err
		}
	}
	var counts map[string]int
	var machines []*machine
	var sites []*site
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		l := newLoader(ctx, a, sys, tx, orgs)
		if err := l.run(); err != nil {
			return err
		}
		counts, machines, sites = l.counts, l.machines, l.sites
		return nil
	})
	if err != nil {
		return err
	}
	// Then the agents of the machines at work report, one inventory at a time.
	inv, err := loadInventory(ctx, a, machines, sites, time.Now())
	if err != nil {
		return err
	}
	if _, err := loadLicenses(ctx, a, orgs, time.Now()); err != nil {
		return err
	}
	// The helpdesk is lived through action by action, each in its own
	// transaction as users' clicks are, by the people committed above.
	desk, err := loadHelpdesk(ctx, a, orgs)
	if err != nil {
		return err
	}
	loans, err := loadLoans(ctx, a, orgs)
	if err != nil {
		return err
	}
	counts["peripherals"] += loans["peripherals"]
	// Contracts and what they cover, after the tickets (a client contract's hours
	// are its tickets' tasks).
	contracts, err := loadContracts(ctx, a, orgs)
	if err != nil {
		return err
	}
	desk["contracts"] = contracts
	if err := loadLifecycle(ctx, a, orgs); err != nil {
		return err
	}
	if err := loadPurchasing(ctx, a, orgs); err != nil {
		return err
	}
	if err := loadDocuments(ctx, a, orgs); err != nil {
		return err
	}
	if err := loadDirectories(ctx, a, orgs); err != nil {
		return err
	}
	a.Log.Info("demo data loaded", "computers", counts["computers"]+inv["computers"], "inventories", inv["inventories"], "tickets", desk["tickets"],
		"records", total(counts)+len(orgSpecs)+total(desk)+inv["software-rules"]+inv["inventory-rules"],
		"duration_ms", time.Since(start).Milliseconds())
	return nil
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// describe makes a record error readable: which record, which fields.
func describe(typ, name string, err error) error {
	if e, ok := record.AsError(err); ok && len(e.Fields) > 0 {
		return fmt.Errorf("demo: %s %q: %s", typ, name, e.Render(i18n.MustLoad(), "en", nil))
	}
	return fmt.Errorf("demo: %s %q: %w", typ, name, err)
}

// loader writes the demo in one transaction.
type loader struct {
	ctx context.Context
	a   *Services
	sys *record.Actor
	tx  *store.Tx
	rng *rand.Rand

	orgs      map[string]int64
	states    map[string]int64
	makers    map[string]int64
	models    map[string]*modelRef
	types     map[string]int64
	suppliers map[string]int64
	groups    map[string]int64
	users     map[string]int64
	profiles  map[string]int64
	sites     []*site
	invSeq    map[string]int
	logins    map[string]bool
	counts    map[string]int
	machines  []*machine // computers whose agent reports (inventory.go)
}

type modelRef struct {
	model
	id, makerID, typeID int64
}

// site is a site being filled: its rooms and its staff.
type site struct {
	siteSpec
	id         int64
	orgID      int64
	domain     string
	technical  int64   // "Local technique": network gear, stock
	reception  int64   // "Accueil"
	offices    []int64 // rooms where people work
	openSpaces []int64
	seq        map[string]int // name counters per prefix
}

// employee is a user who gets assets.
type employee struct {
	id          int64
	first, last string
	room        int64
	named       bool
	mobile      bool // has a smartphone already
}

func newLoader(ctx context.Context, a *Services, sys *record.Actor, tx *store.Tx, orgs map[string]int64) *loader {
	return &loader{ctx: ctx, a: a, sys: sys, tx: tx, rng: rand.New(rand.NewPCG(seed, seed>>3)),
		orgs: orgs, states: map[string]int64{}, makers: map[string]int64{}, models: map[string]*modelRef{},
		types: map[string]int64{}, suppliers: map[string]int64{}, groups: map[string]int64{}, users: map[string]int64{},
		profiles: map[string]int64{}, invSeq: map[string]int{}, logins: map[string]bool{}, counts: map[string]int{}}
}

func (l *loader) create(typ string, in record.Input) (*record.Record, error) {
	r, err := l.a.Records.CreateTx(l.ctx, l.tx, l.sys, l.a.Reg.MustType(typ), in)
	if err != nil {
		name, _ := in["name"].(string)
		if name == "" {
			name, _ = in["login"].(string)
		}
		return nil, describe(typ, name, err)
	}
	l.counts[typ]++
	return r, nil
}

// lookup reads id by name (or code) from a small table, in the transaction.
func (l *loader) lookup(query string, into map[string]int64) error {
	rows, err := l.tx.QueryContext(l.ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k sql.NullString
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return err
		}
		into[k.String] = id
	}
	return rows.Err()
}

func (l *loader) run() error {
	if err := l.lookup("SELECT code, id FROM states WHERE organization_id IS NULL AND deleted_at IS NULL", l.states); err != nil {
		return err
	}
	for _, st := range stateWeights {
		if l.states[st.code] == 0 {
			return fmt.Errorf("demo: the store has no state with code %q", st.code)
		}
	}
	if err := l.lookup("SELECT name, id FROM profiles WHERE deleted_at IS NULL", l.profiles); err != nil {
		return err
	}
	steps := []func() error{l.catalogues, l.clientCatalogues, l.locations, l.groupsAndPeople}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	for _, s := range l.sites {
		if err := l.fillSite(s); err != nil {
			return err
		}
	}
	return nil
}

// clientCatalogues are the catalogue records of a client of its own, visible in its
// subsidiary (docs/security.md): its administrator manages them, other clients do
// not see them.
func (l *loader) clientCatalogues() error {
	for _, c := range clientCatalogue {
		in := record.Input{"organization_id": l.orgs[c.org], "recursive": true}
		for k, v := range c.values {
			in[k] = v
		}
		if _, err := l.create(c.typ, in); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) catalogues() error {
	for _, name := range manufacturerNames {
		r, err := l.create("manufacturers", record.Input{"name": name})
		if err != nil {
			return err
		}
		l.makers[name] = r.ID
	}
	for _, t := range assetTypes {
		r, err := l.create("asset-types", record.Input{"name": t.name, "category": t.category})
		if err != nil {
			return err
		}
		l.types[t.category+"/"+t.name] = r.ID
	}
	for _, m := range models {
		r, err := l.create("models", record.Input{"name": m.name, "category": m.category, "manufacturer_id": l.makers[m.maker], "product_number": m.product})
		if err != nil {
			return err
		}
		l.models[m.name] = &modelRef{model: m, id: r.ID, makerID: l.makers[m.maker], typeID: l.types[m.category+"/"+m.typ]}
	}
	for _, s := range supplierSpecs {
		r, err := l.create("suppliers", record.Input{"name": s.name, "email": s.email, "phone": s.phone, "website": s.website, "address": s.address})
		if err != nil {
			return err
		}
		l.suppliers[s.name] = r.ID
	}
	return nil
}

var floorNames = []string{"Rez-de-chaussée", "1er étage", "2e étage", "3e étage"}

func (l *loader) location(org int64, name, kind, code string, parent int64, extra record.Input) (int64, error) {
	in := record.Input{"name": name, "kind": kind, "code": code, "organization_id": org}
	if parent != 0 {
		in["parent_id"] = parent
	}
	for k, v := range extra {
		in[k] = v
	}
	r, err := l.create("locations", in)
	if err != nil {
		return 0, err
	}
	return r.ID, nil
}

// locations builds each site: buildings, floors, rooms.
func (l *loader) locations() error {
	for _, spec := range siteSpecs {
		s := &site{siteSpec: spec, orgID: l.orgs[spec.org], seq: map[string]int{}}
		for _, o := range orgSpecs {
			if o.key == spec.org {
				s.domain = o.domain
			}
		}
		var err error
		if s.id, err = l.location(s.orgID, spec.name, "site", spec.code, 0, record.Input{"address": spec.address}); err != nil {
			return err
		}
		for b, bname := range spec.buildings {
			bcode := fmt.Sprintf("%s-%c", spec.code, 'A'+b)
			bid, err := l.location(s.orgID, bname, "building", bcode, s.id, nil)
			if err != nil {
				return err
			}
			for f := 0; f < spec.floors; f++ {
				fcode := fmt.Sprintf("%s-%d", bcode, f)
				fid, err := l.location(s.orgID, floorNames[f], "floor", fcode, bid, nil)
				if err != nil {
					return err
				}
				var rooms []string
				switch {
				case f == 0 && b == 0:
					rooms = append([]string{"Accueil", "Local technique"}, spec.groundRooms...)
				case f == 0:
					rooms = []string{"Open space", "Bureau 001"}
				default:
					rooms = []string{"Open space", fmt.Sprintf("Bureau %d01", f), fmt.Sprintf("Bureau %d02", f), fmt.Sprintf("Bureau %d03", f)}
				}
				for i, rname := range rooms {
					rid, err := l.location(s.orgID, rname, "room", fmt.Sprintf("%s-%02d", fcode, i+1), fid, nil)
					if err != nil {
						return err
					}
					switch {
					case rname == "Local technique":
						s.technical = rid
					case rname == "Accueil":
						s.reception = rid
					case strings.HasPrefix(rname, "Open space"):
						s.openSpaces = append(s.openSpaces, rid)
						s.offices = append(s.offices, rid)
					case strings.HasPrefix(rname, "Salle") || rname == "Quai de livraison":
						// meeting rooms and docks: nobody's desk
					default:
						s.offices = append(s.offices, rid)
					}
				}
			}
		}
		l.sites = append(l.sites, s)
	}
	return nil
}

func (l *loader) site(code string) *site { return siteByCode(l.sites, code) }

func siteByCode(sites []*site, code string) *site {
	for _, s := range sites {
		if s.code == code {
			return s
		}
	}
	return nil
}

// groupsAndPeople creates the groups, the demo accounts with their profiles, and
// their group memberships.
func (l *loader) groupsAndPeople() error {
	for _, g := range groupSpecs {
		in := record.Input{"name": g.name, "comment": g.comment, "organization_id": l.orgs[g.org]}
		if g.level > 0 {
			in["support_level"] = g.level
		}
		r, err := l.create("groups", in)
		if err != nil {
			return err
		}
		l.groups[g.name] = r.ID
	}
	for _, p := range people {
		s := l.site(p.site)
		u, err := l.create("users", record.Input{"login": p.login, "password": Password, "firstname": p.first, "lastname": p.last,
			"email": mailbox(p.first, p.last, s.domain), "phone": p.phone, "language": "fr", "organization_id": l.orgs[p.org]})
		if err != nil {
			return err
		}
		l.users[p.login] = u.ID
		l.logins[p.login] = true
		if _, err := l.create("authorizations", record.Input{"user_id": u.ID, "profile_id": l.profiles[p.profile],
			"organization_id": l.orgs[p.org], "recursive": true}); err != nil {
			return err
		}
	}
	for _, g := range groupSpecs {
		for i, m := range g.members {
			org := l.orgs[g.org]
			if _, err := l.create("group-members", record.Input{"group_id": l.groups[g.name], "user_id": l.users[m],
				"is_manager": i == 0, "organization_id": org}); err != nil {
				return err
			}
		}
	}
	return nil
}

// newEmployee creates a user without a login right (no password, no profile): the
// people assets are assigned to.
func (l *loader) newEmployee(s *site) (*employee, error) {
	e := &employee{first: pick(l.rng, firstNames), last: pick(l.rng, lastNames), room: pick(l.rng, s.offices)}
	base := ascii(e.first) + "." + ascii(e.last)
	login := base
	for i := 2; l.logins[login]; i++ {
		login = fmt.Sprintf("%s%d", base, i)
	}
	l.logins[login] = true
	u, err := l.create("users", record.Input{"login": login, "firstname": e.first, "lastname": e.last,
		"email": login + "@" + s.domain, "language": "fr", "organization_id": s.orgID,
		"phone": fmt.Sprintf("%s %02d %02d", s.landline, l.rng.IntN(100), l.rng.IntN(100))})
	if err != nil {
		return nil, err
	}
	e.id = u.ID
	return e, nil
}

func mailbox(first, last, domain string) string {
	return ascii(first) + "." + ascii(last) + "@" + domain
}

// ascii lowercases a French name and drops its accents, for logins and addresses.
func ascii(s string) string {
	r := strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ï", "i", "î", "i",
		"ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "É", "e", "È", "e", " ", "-", "'", "")
	return r.Replace(strings.ToLower(s))
}

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }
