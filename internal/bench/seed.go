// Package bench measures parc at scale: it fills a store with many computers, then
// times list pages and creations through the real HTTP API, start-up, and the
// memory of the serving process. `parc bench` and the Go benchmarks of this package
// both use it.
package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"parc/internal/app"
	"parc/internal/auth"
	"parc/internal/record"
	"parc/internal/store"
)

// MarkerKey is the setting that marks a store as a bench store; only such stores
// (or empty ones) are filled and measured.
const MarkerKey = "bench.store"

// Logins of the bench users.
const (
	AdminLogin = "bench-admin"
	TechLogin  = "bench-tech"
)

// ErrNotBenchStore refuses a store that holds data of its own.
var ErrNotBenchStore = errors.New("this store holds data that is not bench data: run the bench on a fresh store (a new --data directory or database)")

// clientSpec is one organisation of the bench store and its share of the computers.
type clientSpec struct {
	name, code, parent string
	weight             int
	sites              []string
}

// clients are the bench organisations, under "Bench ESN" (parent "") or a client.
// The technician is scoped to TechOrg.
var clients = []clientSpec{
	{"Bench ESN", "BEN", "", 5, []string{"PAR", "LYO"}},
	{"Client 01", "C01", "Bench ESN", 20, []string{"MRS", "TLS"}},
	{"Client 01 Sud", "C1S", "Client 01", 5, []string{"NCE", "MTP"}},
	{"Client 02", "C02", "Bench ESN", 15, []string{"NTE", "RNS"}},
	{"Client 03", "C03", "Bench ESN", 10, []string{"BDX", "PAU"}},
	{"Client 04", "C04", "Bench ESN", 12, []string{"LIL", "AMI"}},
	{"Client 04 Est", "C4E", "Client 04", 3, []string{"STR", "MTZ"}},
	{"Client 05", "C05", "Bench ESN", 10, []string{"GRE", "ANN"}},
	{"Client 06", "C06", "Bench ESN", 8, []string{"DIJ", "BES"}},
	{"Client 07", "C07", "Bench ESN", 7, []string{"REI", "TRY"}},
	{"Client 08", "C08", "Bench ESN", 5, []string{"CAE", "ROU"}},
}

// TechOrg is the organisation the bench technician works on (about 10% of the fleet).
const TechOrg = "Client 03"

var benchModels = []struct {
	maker, name, typ string
	price            float64
	laptop           bool
}{
	{"Dell", "Latitude 5440", "Portable", 1190, true},
	{"Dell", "OptiPlex 7010 SFF", "Poste fixe", 790, false},
	{"HP", "EliteBook 840 G10", "Portable", 1390, true},
	{"HP", "ProDesk 400 G9 SFF", "Poste fixe", 690, false},
	{"Lenovo", "ThinkPad T14 Gen 4", "Portable", 1290, true},
	{"Lenovo", "ThinkCentre M70q Gen 4", "Poste fixe", 760, false},
	{"Apple", "MacBook Pro 14 M3", "Portable", 2149, true},
}

var benchStates = []struct {
	code   string
	weight int // per mille
}{{"in_use", 750}, {"stock", 80}, {"repair", 40}, {"loan", 30}, {"reserved", 20}, {"retired", 60}, {"disposed", 20}}

var firstNames = []string{"Léa", "Hugo", "Chloé", "Louis", "Emma", "Gabriel", "Manon", "Arthur", "Inès", "Jules",
	"Camille", "Lucas", "Sarah", "Nathan", "Julie", "Thomas", "Clara", "Maxime", "Pauline", "Antoine"}
var lastNames = []string{"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
	"Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard"}

// Org is one bench organisation as the measurements need it.
type Org struct {
	ID    int64
	Name  string
	Sites []Site
	Users []int64 // employees computers are assigned to
}

// Site is a bench site with its rooms.
type Site struct {
	ID    int64
	Code  string
	Rooms []int64
}

// Fixture describes a bench store: its catalogues, organisations and the two
// measuring accounts with fresh API tokens.
type Fixture struct {
	Computers     int // live and trashed computers in the store
	Orgs          []*Org
	TechOrg       *Org
	States        map[string]int64
	Manufacturers map[string]int64
	Models        []ModelRef
	Suppliers     []int64
	AdminToken    string
	TechToken     string
	// SearchTerms are pieces of serial numbers found in an organisation, for
	// free-text searches that match a few rows.
	SearchTerms map[int64]string
	// MACTerms holds, per organisation, the MAC address of one of its computers.
	MACTerms map[int64]string
	// Installations says that computers have installed software (SeedInstallations).
	Installations bool
}

// ModelRef is a catalogue model with its maker and type.
type ModelRef struct {
	ID, Maker, Type int64
	Name, MakerName string
	Price           float64
	Laptop          bool
}

// Prepare makes the store a bench store holding at least n computers: the first
// time it creates the organisations, sites, catalogues and users through the record
// service, then it adds computers with batched INSERTs (seeding is not the measured
// path). It refuses a store holding other data. Progress goes to log (may be nil).
func Prepare(ctx context.Context, a *app.App, n int, log io.Writer) (*Fixture, error) {
	if log == nil {
		log = io.Discard
	}
	if _, err := a.Bootstrap(ctx, "fr"); err != nil {
		return nil, err
	}
	marked, err := a.Records.Setting(ctx, a.DB, MarkerKey)
	if err != nil {
		return nil, err
	}
	if marked == "" {
		if err := checkEmpty(ctx, a.DB); err != nil {
			return nil, err
		}
		if err := setup(ctx, a); err != nil {
			return nil, err
		}
		if err := a.Records.SetSetting(ctx, MarkerKey, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return nil, err
		}
	}
	fx, err := loadFixture(ctx, a)
	if err != nil {
		return nil, err
	}
	if missing := n - fx.Computers; missing > 0 {
		start := time.Now()
		if err := insertComputers(ctx, a.DB, fx, missing, log); err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "inserted %d computers in %v (%.0f rows/s)\n", missing, time.Since(start).Round(time.Millisecond),
			float64(missing)/time.Since(start).Seconds())
		fx.Computers += missing
	}
	if a.DB.Dialect == store.Postgres {
		// A live server's autovacuum would have vacuumed (inserts trigger it since
		// PostgreSQL 13: index-only scans need the visibility map) and analysed by now.
		if err := a.DB.Maintain(ctx, "VACUUM ANALYZE"); err != nil {
			return nil, err
		}
	}
	fx.SearchTerms = searchTerms(ctx, a, fx)
	fx.MACTerms = macTerms(ctx, a, fx)
	for _, acc := range []struct {
		login string
		into  *string
	}{{AdminLogin, &fx.AdminToken}, {TechLogin, &fx.TechToken}} {
		var id int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = ?", acc.login).Scan(&id); err != nil {
			return nil, fmt.Errorf("bench user %s: %w", acc.login, err)
		}
		if *acc.into, _, err = a.Auth.CreateToken(ctx, id, "bench", 24*time.Hour); err != nil {
			return nil, err
		}
	}
	return fx, nil
}

// checkEmpty accepts a store that holds nothing but what a first start creates:
// the root organisation, at most one user, no assets.
func checkEmpty(ctx context.Context, db *store.DB) error {
	var orgs, users, assets int
	err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM organizations), (SELECT COUNT(*) FROM users),
		(SELECT COUNT(*) FROM computers) + (SELECT COUNT(*) FROM monitors) + (SELECT COUNT(*) FROM network_equipment)
		+ (SELECT COUNT(*) FROM printers) + (SELECT COUNT(*) FROM phones) + (SELECT COUNT(*) FROM peripherals)`).Scan(&orgs, &users, &assets)
	if err != nil {
		return err
	}
	if orgs > 1 || users > 1 || assets > 0 {
		return ErrNotBenchStore
	}
	return nil
}

// setup creates the small part of a bench store through the record service.
func setup(ctx context.Context, a *app.App) error {
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		return err
	}
	orgs := map[string]int64{"": sys.Tree.Root}
	for _, c := range clients {
		r, err := a.Records.Create(ctx, sys, a.Reg.MustType("organizations"), record.Input{"name": c.name, "code": c.code, "parent_id": orgs[c.parent]})
		if err != nil {
			return fmt.Errorf("bench organisation %s: %w", c.name, err)
		}
		orgs[c.name] = r.ID
	}
	if sys, err = a.System(ctx, record.OriginCLI); err != nil {
		return err
	}
	create := func(typ string, in record.Input) (int64, error) {
		r, err := a.Records.Create(ctx, sys, a.Reg.MustType(typ), in)
		if err != nil {
			return 0, fmt.Errorf("bench %s %v: %w", typ, in["name"], err)
		}
		return r.ID, nil
	}
	makers := map[string]int64{}
	types := map[string]int64{}
	for _, m := range benchModels {
		if makers[m.maker] == 0 {
			if makers[m.maker], err = create("manufacturers", record.Input{"name": m.maker}); err != nil {
				return err
			}
		}
		if types[m.typ] == 0 {
			if types[m.typ], err = create("asset-types", record.Input{"name": m.typ, "category": "computer"}); err != nil {
				return err
			}
		}
		if _, err := create("models", record.Input{"name": m.name, "category": "computer", "manufacturer_id": makers[m.maker]}); err != nil {
			return err
		}
	}
	for _, s := range []string{"Bechtle France", "LDLC Pro", "Inmac Wstore"} {
		if _, err := create("suppliers", record.Input{"name": s}); err != nil {
			return err
		}
	}
	for _, c := range clients {
		for _, code := range c.sites {
			site, err := create("locations", record.Input{"name": "Site " + code, "kind": "site", "code": code, "organization_id": orgs[c.name]})
			if err != nil {
				return err
			}
			for i := 1; i <= 4; i++ {
				if _, err := create("locations", record.Input{"name": fmt.Sprintf("Bureau %d", i), "kind": "room", "code": fmt.Sprintf("%s-%d", code, i),
					"parent_id": site, "organization_id": orgs[c.name]}); err != nil {
					return err
				}
			}
		}
	}
	pw := auth.RandomToken(18)
	if _, err := a.Auth.CreateUser(ctx, sys, AdminLogin, pw, "super-admin", sys.Tree.Root); err != nil {
		return fmt.Errorf("bench admin: %w", err)
	}
	if _, err := a.Auth.CreateUser(ctx, sys, TechLogin, pw, "technician", orgs[TechOrg]); err != nil {
		return fmt.Errorf("bench technician: %w", err)
	}
	return nil
}

// LoadFixture describes an existing bench store without changing it (no tokens).
func LoadFixture(ctx context.Context, a *app.App) (*Fixture, error) {
	fx, err := loadFixture(ctx, a)
	if err != nil {
		return nil, err
	}
	fx.SearchTerms = searchTerms(ctx, a, fx)
	fx.MACTerms = macTerms(ctx, a, fx)
	var inst int
	if err := a.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM software_installations LIMIT 1) x").Scan(&inst); err == nil {
		fx.Installations = inst > 0
	}
	return fx, nil
}

// macTerms picks, per organisation, the MAC address of a computer found there (not
// one an earlier bench's creation runs added, which have none).
func macTerms(ctx context.Context, a *app.App, fx *Fixture) map[int64]string {
	out := map[int64]string{}
	for _, o := range fx.Orgs {
		var mac sql.NullString
		err := a.DB.QueryRowContext(ctx, "SELECT mac_addresses FROM computers WHERE organization_id = ? AND deleted_at IS NULL AND mac_addresses <> '' ORDER BY id DESC LIMIT 1", o.ID).Scan(&mac)
		if err == nil && mac.Valid {
			out[o.ID] = mac.String
		}
	}
	return out
}

// searchTerms picks, per organisation, the end of a serial number found there.
func searchTerms(ctx context.Context, a *app.App, fx *Fixture) map[int64]string {
	out := map[int64]string{}
	for _, o := range fx.Orgs {
		var sn string
		err := a.DB.QueryRowContext(ctx, "SELECT serial FROM computers WHERE organization_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1", o.ID).Scan(&sn)
		if err == nil && len(sn) >= 7 {
			out[o.ID] = sn[len(sn)-6:]
		}
	}
	return out
}

// loadFixture reads back what setup made and counts the computers.
func loadFixture(ctx context.Context, a *app.App) (*Fixture, error) {
	db := a.DB
	fx := &Fixture{States: map[string]int64{}, Manufacturers: map[string]int64{}}
	q := func(query string, fn func(rows *sql.Rows) error) error {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM computers").Scan(&fx.Computers); err != nil {
		return nil, err
	}
	err := q("SELECT code, id FROM states WHERE code IS NOT NULL AND deleted_at IS NULL", func(r *sql.Rows) error {
		var code string
		var id int64
		err := r.Scan(&code, &id)
		fx.States[code] = id
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, st := range benchStates {
		if fx.States[st.code] == 0 {
			return nil, fmt.Errorf("bench: no state with code %s", st.code)
		}
	}
	if err := q("SELECT name, id FROM manufacturers WHERE deleted_at IS NULL", func(r *sql.Rows) error {
		var name string
		var id int64
		err := r.Scan(&name, &id)
		fx.Manufacturers[name] = id
		return err
	}); err != nil {
		return nil, err
	}
	if err := q("SELECT m.id, m.name, m.manufacturer_id, mf.name FROM models m JOIN manufacturers mf ON mf.id = m.manufacturer_id ORDER BY m.id", func(r *sql.Rows) error {
		var m ModelRef
		if err := r.Scan(&m.ID, &m.Name, &m.Maker, &m.MakerName); err != nil {
			return err
		}
		for _, bm := range benchModels {
			if bm.name == m.Name {
				m.Price, m.Laptop = bm.price, bm.laptop
			}
		}
		fx.Models = append(fx.Models, m)
		return nil
	}); err != nil {
		return nil, err
	}
	types := map[string]int64{}
	if err := q("SELECT name, id FROM asset_types", func(r *sql.Rows) error {
		var name string
		var id int64
		err := r.Scan(&name, &id)
		types[name] = id
		return err
	}); err != nil {
		return nil, err
	}
	for i := range fx.Models {
		for _, bm := range benchModels {
			if bm.name == fx.Models[i].Name {
				fx.Models[i].Type = types[bm.typ]
			}
		}
	}
	if err := q("SELECT id FROM suppliers ORDER BY id", func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		fx.Suppliers = append(fx.Suppliers, id)
		return err
	}); err != nil {
		return nil, err
	}
	byID := map[int64]*Org{}
	for _, c := range clients {
		var id int64
		if err := db.QueryRowContext(ctx, "SELECT id FROM organizations WHERE name = ? AND deleted_at IS NULL", c.name).Scan(&id); err != nil {
			return nil, fmt.Errorf("bench organisation %s: %w", c.name, err)
		}
		o := &Org{ID: id, Name: c.name}
		byID[id] = o
		fx.Orgs = append(fx.Orgs, o)
		if c.name == TechOrg {
			fx.TechOrg = o
		}
	}
	rooms := map[int64][]int64{}
	if err := q("SELECT id, parent_id FROM locations WHERE kind = 'room' ORDER BY id", func(r *sql.Rows) error {
		var id int64
		var parent sql.NullInt64
		if err := r.Scan(&id, &parent); err != nil {
			return err
		}
		rooms[parent.Int64] = append(rooms[parent.Int64], id)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := q("SELECT id, organization_id, code FROM locations WHERE kind = 'site' ORDER BY id", func(r *sql.Rows) error {
		var s Site
		var org int64
		if err := r.Scan(&s.ID, &org, &s.Code); err != nil {
			return err
		}
		s.Rooms = rooms[s.ID]
		if o := byID[org]; o != nil {
			o.Sites = append(o.Sites, s)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := q("SELECT id, organization_id FROM users WHERE login LIKE 'emp.%' ORDER BY id", func(r *sql.Rows) error {
		var id, org int64
		if err := r.Scan(&id, &org); err != nil {
			return err
		}
		if o := byID[org]; o != nil {
			o.Users = append(o.Users, id)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, o := range fx.Orgs {
		if len(o.Sites) == 0 {
			return nil, fmt.Errorf("bench organisation %s has no site", o.Name)
		}
	}
	return fx, nil
}

// batchRows bounds one INSERT: 400 rows of 23 values stay under both stores' limits.
const batchRows = 400

// insertComputers adds n computers, spread over the organisations by weight, with
// employees to assign them to (one per 20 computers), and a "create" history entry
// for each, in transactions of about 10,000 rows.
func insertComputers(ctx context.Context, db *store.DB, fx *Fixture, n int, log io.Writer) error {
	rng := rand.New(rand.NewPCG(uint64(fx.Computers)+1, 42))
	if err := insertEmployees(ctx, db, fx, n/20+len(fx.Orgs), rng); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	cols := []string{"organization_id", "name", "inventory_number", "serial", "manufacturer_id", "model_id", "type_id", "state_id",
		"location_id", "user_id", "supplier_id", "purchase_date", "purchase_price", "warranty_end", "uuid", "os_name", "os_version",
		"hostname", "processor", "cpu_cores", "memory_mb", "disk_mb", "primary_ip", "ip_addresses", "mac_addresses",
		"last_inventory_at", "inventory_format",
		"version", "created_at", "updated_at", "deleted_at"}
	seq := fx.Computers
	done := 0
	for done < n {
		chunk := min(10000, n-done)
		seq0 := seq
		err := db.Tx(ctx, func(tx *store.Tx) error {
			seq = seq0 // a transaction may run again (see store.DB.Tx)
			var firstID int64
			if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM computers").Scan(&firstID); err != nil {
				return err
			}
			for b := 0; b < chunk; b += batchRows {
				rows := min(batchRows, chunk-b)
				args := make([]any, 0, rows*len(cols))
				for i := 0; i < rows; i++ {
					seq++
					args = append(args, computerRow(rng, fx, seq, now)...)
				}
				q := "INSERT INTO computers (" + strings.Join(cols, ", ") + ") VALUES " + store.Rows(rows, len(cols))
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO history (record_type, record_id, organization_id, action, origin, user_name, created_at)
				SELECT 'computers', id, organization_id, 'create', 'import', 'bench', created_at FROM computers WHERE id > ?`, firstID)
			return err
		})
		if err != nil {
			return fmt.Errorf("insert computers: %w", err)
		}
		done += chunk
		fmt.Fprintf(log, "  %d/%d computers\n", done, n)
	}
	return nil
}

// pickOrg draws an organisation by its share of the fleet.
func pickOrg(rng *rand.Rand, fx *Fixture) *Org {
	total := 0
	for _, c := range clients {
		total += c.weight
	}
	w := rng.IntN(total)
	for i, c := range clients {
		if w < c.weight {
			return fx.Orgs[i]
		}
		w -= c.weight
	}
	return fx.Orgs[0]
}

// computerRow draws one realistic computer.
func computerRow(rng *rand.Rand, fx *Fixture, seq int, now time.Time) []any {
	org := pickOrg(rng, fx)
	site := org.Sites[rng.IntN(len(org.Sites))]
	room := site.ID
	if len(site.Rooms) > 0 {
		room = site.Rooms[rng.IntN(len(site.Rooms))]
	}
	m := fx.Models[rng.IntN(len(fx.Models))]
	state := "in_use"
	p := rng.IntN(1000)
	for _, s := range benchStates {
		if p < s.weight {
			state = s.code
			break
		}
		p -= s.weight
	}
	var user any
	if (state == "in_use" || state == "loan") && len(org.Users) > 0 {
		user = org.Users[rng.IntN(len(org.Users))]
	}
	bought := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(9*365))
	years := 3
	if m.MakerName == "Apple" {
		years = 1
	}
	osName, osVersion := "Windows 11 Professionnel", "23H2"
	switch {
	case m.MakerName == "Apple":
		osName, osVersion = "macOS", "14.6 Sonoma"
	case bought.Year() < 2021:
		osName, osVersion = "Windows 10 Professionnel", "22H2"
	case rng.IntN(20) == 0:
		osName, osVersion = "Ubuntu", "22.04 LTS"
	}
	created := bought.Add(time.Duration(rng.IntN(30*24)) * time.Hour)
	if created.After(now) {
		created = now
	}
	var deleted any
	if rng.IntN(100) == 0 {
		deleted = created.AddDate(0, 6, 0)
	}
	price := math.Round(m.Price*(0.9+0.2*rng.Float64())*100) / 100
	name := fmt.Sprintf("PC-%s-%06d", site.Code, seq)
	inv := inventoryFacts(rng, fx, org, m, now)
	return append(append([]any{org.ID, name, fmt.Sprintf("INV-%08d", seq), serial(rng, m),
		m.Maker, m.ID, m.Type, fx.States[state], room, user, fx.Suppliers[rng.IntN(len(fx.Suppliers))],
		bought.Format("2006-01-02"), price, bought.AddDate(years, 0, -1).Format("2006-01-02"), uuid(rng), osName, osVersion,
		strings.ToLower(name)}, inv...), 1, created, created, deleted)
}

const serialChars = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

func chars(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = serialChars[rng.IntN(len(serialChars))]
	}
	return string(b)
}

func serial(rng *rand.Rand, m ModelRef) string {
	switch m.MakerName {
	case "Dell":
		return chars(rng, 7)
	case "HP":
		if m.Laptop {
			return "5CG" + chars(rng, 7)
		}
		return "CZC" + chars(rng, 7)
	case "Lenovo":
		return "PF" + chars(rng, 6)
	}
	return chars(rng, 10)
}

func uuid(rng *rand.Rand) string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// insertEmployees adds n users without login rights, spread over the organisations.
func insertEmployees(ctx context.Context, db *store.DB, fx *Fixture, n int, rng *rand.Rand) error {
	var start int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE login LIKE 'emp.%'").Scan(&start); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	cols := "(organization_id, login, firstname, lastname, email, language, active, version, created_at, updated_at)"
	return db.Tx(ctx, func(tx *store.Tx) error {
		for b := 0; b < n; b += batchRows {
			rows := min(batchRows, n-b)
			args := make([]any, 0, rows*10)
			for i := 0; i < rows; i++ {
				k := start + b + i + 1
				org := pickOrg(rng, fx)
				first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
				login := fmt.Sprintf("emp.%06d", k)
				args = append(args, org.ID, login, first, last, login+"@bench.example", "fr", true, 1, now, now)
			}
			q := "INSERT INTO users " + cols + " VALUES " + store.Rows(rows, 10)
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, "SELECT id, organization_id FROM users WHERE login LIKE 'emp.%' ORDER BY id")
		if err != nil {
			return err
		}
		defer rows.Close()
		byID := map[int64]*Org{}
		for _, o := range fx.Orgs {
			byID[o.ID] = o
			o.Users = o.Users[:0]
		}
		for rows.Next() {
			var id, org int64
			if err := rows.Scan(&id, &org); err != nil {
				return err
			}
			if o := byID[org]; o != nil {
				o.Users = append(o.Users, id)
			}
		}
		return rows.Err()
	})
}
