package license

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"parc/internal/asset"
	"parc/internal/jobs"
	"parc/internal/notify"
	"parc/internal/record"
	"parc/internal/store"
)

// Service is the licences' use cases: their keys, compliance, counts and alerts.
type Service struct {
	Rec    *record.Service
	Box    keyBox
	Notify *notify.Service
	// Now is the clock of the alerts (tests fix it); the record service's by default.
	Now func() time.Time
	// ExpiryNotice is how long before its expiry date a licence is announced.
	ExpiryNotice time.Duration
}

type keyBox interface {
	Open(sealed, context string) (string, error)
}

// NewService makes the licence service: box opens the keys, n records the alerts.
func NewService(rec *record.Service, box keyBox, n *notify.Service) *Service {
	return &Service{Rec: rec, Box: box, Notify: n, Now: rec.Now, ExpiryNotice: 30 * 24 * time.Hour}
}

func (s *Service) licenses() *record.Type { return s.Rec.Reg.MustType("licenses") }

// Get reads a licence the actor may read.
func (s *Service) Get(ctx context.Context, a *record.Actor, id int64) (*record.Record, error) {
	return s.Rec.Get(ctx, a, s.licenses(), id)
}

// CanReadKey reports whether the actor may read the key of a licence.
func (s *Service) CanReadKey(a *record.Actor, lic *record.Record) bool {
	return a != nil && a.CanIn(s.licenses(), ReadKey, lic.OrgID)
}

// HasKey reports whether a licence has a key stored (shown masked to everyone
// who reads the licence).
func (s *Service) HasKey(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM licenses WHERE id = ? AND key_cipher IS NOT NULL AND key_cipher <> ''", id).Scan(&n)
	return n > 0, err
}

// Key is a licence's key in clear, for an actor who reads the licence and holds
// read_key in its organisation; forbidden for the others (not found when they do
// not read the licence at all). "" when no key is stored.
func (s *Service) Key(ctx context.Context, a *record.Actor, id int64) (string, error) {
	lic, err := s.Get(ctx, a, id)
	if err != nil {
		return "", err
	}
	if !s.CanReadKey(a, lic) {
		return "", record.ErrForbidden()
	}
	var sealed sql.NullString
	if err := s.Rec.DB.QueryRowContext(ctx, "SELECT key_cipher FROM licenses WHERE id = ?", id).Scan(&sealed); err != nil {
		return "", err
	}
	if !sealed.Valid || sealed.String == "" {
		return "", nil
	}
	return s.Box.Open(sealed.String, keyContext)
}

// Compliance is a licence's seats against what the inventories saw.
type Compliance struct {
	LicenseID int64  `json:"license_id"`
	Type      string `json:"license_type"`
	// Seats bought; nil: unlimited (a site licence without a number).
	Seats *int64 `json:"seats"`
	// Installations: live computers of the licence's organisation and below with
	// a matching installation; Users: their distinct last users (a computer
	// without one counts as one); Cores: their processor cores (one when unknown).
	Installations int64 `json:"installations"`
	Users         int64 `json:"users"`
	Cores         int64 `json:"cores"`
	// Unit is what the type counts against the seats (devices, users, cores) and
	// Counted that number.
	Unit     string `json:"unit"`
	Counted  int64  `json:"counted"`
	Assigned int64  `json:"assigned"`
	// Over: counted beyond the seats; Unused: seats not counted.
	Over   int64 `json:"over"`
	Unused int64 `json:"unused"`
	// Status: compliant, over, or unlimited.
	Status     string     `json:"status"`
	ExpiryDate string     `json:"expiry_date,omitempty"`
	Expired    bool       `json:"expired"`
	CountedAt  *time.Time `json:"counted_at"`
	// Pending: the licence changed since it was last counted (the count job runs
	// every few seconds).
	Pending bool `json:"pending"`
}

// Unit is what a licence type counts against its seats.
func Unit(kind string) string {
	switch kind {
	case PerUser, Subscription:
		return "users"
	case PerCore:
		return "cores"
	}
	return "devices"
}

// Compliance reads a licence's compliance from its kept counts (no recount).
func (s *Service) Compliance(ctx context.Context, a *record.Actor, id int64) (*Compliance, error) {
	lic, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	c := &Compliance{LicenseID: lic.ID, Type: lic.String("license_type"), Unit: Unit(lic.String("license_type")), ExpiryDate: lic.String("expiry_date")}
	var stale any
	var counted any
	err = s.Rec.DB.QueryRowContext(ctx, "SELECT installed_devices, installed_users, installed_cores, assigned_count, counts_stale, counted_at FROM licenses WHERE id = ?", id).
		Scan(&c.Installations, &c.Users, &c.Cores, &c.Assigned, &stale, &counted)
	if err != nil {
		return nil, err
	}
	c.Pending = truthy(boolField.FromDB(stale))
	if t, ok := tsField.FromDB(counted).(time.Time); ok {
		c.CountedAt = &t
	}
	if lic.Values["seats"] != nil {
		n := lic.Int("seats")
		c.Seats = &n
	}
	c.fill()
	if c.ExpiryDate != "" {
		c.Expired = c.ExpiryDate < s.Now().Format("2006-01-02")
	}
	return c, nil
}

func (c *Compliance) fill() {
	switch c.Unit {
	case "users":
		c.Counted = c.Users
	case "cores":
		c.Counted = c.Cores
	default:
		c.Counted = c.Installations
	}
	if c.Seats == nil {
		c.Status = "unlimited"
		return
	}
	c.Over = max(c.Counted-*c.Seats, 0)
	c.Unused = max(*c.Seats-c.Counted, 0)
	c.Status = "compliant"
	if c.Over > 0 {
		c.Status = "over"
	}
}

var tsField = &record.Field{Name: "at", Kind: record.DateTime}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	case int:
		return x != 0
	}
	return false
}

// match is what a licence counts: the catalogue entries (its software's name,
// with its publisher when one is given), the version range and the organisation
// sub-tree.
type match struct {
	id, org        int64
	kind           string
	software       []int64
	minKey, maxKey string
	orgPath        string
	seats          sql.NullInt64
}

func (s *Service) loadMatch(ctx context.Context, q store.Querier, id int64) (*match, error) {
	m := &match{id: id}
	var sw sql.NullInt64
	var publisher sql.NullString
	err := q.QueryRowContext(ctx, `SELECT l.organization_id, l.license_type, l.software_id, l.publisher, l.version_min_key, l.version_max_key, o.path, l.seats
		FROM licenses l JOIN organizations o ON o.id = l.organization_id WHERE l.id = ?`, id).
		Scan(&m.org, &m.kind, &sw, &publisher, &m.minKey, &m.maxKey, &m.orgPath, &m.seats)
	if err != nil {
		return nil, err
	}
	if !sw.Valid {
		return m, nil
	}
	qs := "SELECT s2.id FROM software s1 JOIN software s2 ON s2.name_key = s1.name_key WHERE s1.id = ?"
	args := []any{sw.Int64}
	if p := strings.TrimSpace(publisher.String); p != "" {
		qs += " AND s2.publisher_key = ?"
		args = append(args, asset.SoftwareKey(p))
	} else {
		qs += " AND s2.publisher_key = s1.publisher_key"
	}
	rows, err := q.QueryContext(ctx, qs, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var x int64
		if err := rows.Scan(&x); err != nil {
			return nil, err
		}
		m.software = append(m.software, x)
	}
	return m, rows.Err()
}

// installedSQL is the condition on computers (unqualified columns) that they hold
// a matching installation, in the licence's sub-tree, live.
func (m *match) installedSQL() (string, []any) {
	if len(m.software) == 0 {
		return "1 = 0", nil
	}
	in := "SELECT computer_id FROM software_installations WHERE software_id IN (" + store.Placeholders(len(m.software)) + ")"
	var args []any
	for _, id := range m.software {
		args = append(args, id)
	}
	if m.minKey != "" {
		in += " AND version_key >= ?"
		args = append(args, m.minKey)
	}
	if m.maxKey != "" {
		in += " AND version_key < ?"
		args = append(args, m.maxKey)
	}
	cond := "deleted_at IS NULL AND organization_id IN (SELECT id FROM organizations WHERE path LIKE ?) AND id IN (" + in + ")"
	return cond, append([]any{m.orgPath + "%"}, args...)
}

// RecountStale recounts the licences marked stale (changed, or whose software's
// installations changed), at most limit of them, and reports how many it did.
func (s *Service) RecountStale(ctx context.Context, limit int) (int, error) {
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT id FROM licenses WHERE counts_stale = ? ORDER BY id LIMIT ?", true, limit)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := s.Recount(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// Recount counts one licence's installations from the inventories and keeps the
// counts. The stale mark is taken first: a change marked while counting marks
// it again, and the next run counts it once more.
func (s *Service) Recount(ctx context.Context, id int64) error {
	if _, err := s.Rec.DB.Exec(ctx, "UPDATE licenses SET counts_stale = ? WHERE id = ?", false, id); err != nil {
		return err
	}
	m, err := s.loadMatch(ctx, s.Rec.DB, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	cond, args := m.installedSQL()
	var devices, users, cores int64
	err = s.Rec.DB.QueryRowContext(ctx, `SELECT COUNT(*),
		COUNT(DISTINCT CASE WHEN last_user IS NULL OR last_user = '' THEN NULL ELSE lower(last_user) END)
		  + SUM(CASE WHEN last_user IS NULL OR last_user = '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN cpu_cores IS NULL OR cpu_cores < 1 THEN 1 ELSE cpu_cores END)
		FROM computers WHERE `+cond, args...).Scan(&devices, nullInt{&users}, nullInt{&cores})
	if err != nil {
		return err
	}
	c := &Compliance{Unit: Unit(m.kind), Installations: devices, Users: users, Cores: cores}
	c.fill()
	_, err = s.Rec.DB.Exec(ctx, `UPDATE licenses SET installed_devices = ?, installed_users = ?, installed_cores = ?, installed_count = ?,
		balance = CASE WHEN seats IS NULL THEN NULL ELSE seats - ? END, counted_at = ? WHERE id = ?`,
		devices, users, cores, c.Counted, c.Counted, s.Rec.Now(), id)
	return err
}

// nullInt scans a SUM that is NULL over no rows as 0.
type nullInt struct{ p *int64 }

func (n nullInt) Scan(v any) error {
	var x sql.NullInt64
	if err := x.Scan(v); err != nil {
		return err
	}
	*n.p = x.Int64
	return nil
}

// MarkSoftware marks stale the licences on the catalogue entries given (or on
// another entry of the same name), in the caller's transaction: what the install
// count fold calls with the software whose installations changed.
func (s *Service) MarkSoftware(ctx context.Context, tx *store.Tx, software []int64) error {
	for i := 0; i < len(software); i += 500 {
		chunk := software[i:min(i+500, len(software))]
		args := []any{true}
		for _, id := range chunk {
			args = append(args, id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE licenses SET counts_stale = ? WHERE deleted_at IS NULL AND software_id IN
			(SELECT s2.id FROM software s1 JOIN software s2 ON s2.name_key = s1.name_key WHERE s1.id IN (`+store.Placeholders(len(chunk))+`))`, args...); err != nil {
			return err
		}
	}
	return nil
}

// MarkAll marks every live licence stale: the daily recount that catches what
// the folds do not tell (a computer's last user, cores or organisation changed).
func (s *Service) MarkAll(ctx context.Context) error {
	_, err := s.Rec.DB.Exec(ctx, "UPDATE licenses SET counts_stale = ? WHERE deleted_at IS NULL", true)
	return err
}

// Jobs are the licence jobs: counts every few seconds, a full recount daily,
// alerts hourly.
func (s *Service) Jobs() []jobs.Job {
	return []jobs.Job{
		{Name: "licenses.counts", Every: 5 * time.Second, Jitter: time.Second, Lease: 30 * time.Minute, Run: func(ctx context.Context) error {
			for {
				n, err := s.RecountStale(ctx, 100)
				if err != nil || n < 100 {
					return err
				}
			}
		}},
		{Name: "licenses.recount_all", Every: 24 * time.Hour, Jitter: time.Hour, Run: s.MarkAll},
		{Name: "licenses.alerts", Every: time.Hour, Jitter: time.Minute, Run: func(ctx context.Context) error {
			_, err := s.RunAlerts(ctx)
			return err
		}},
	}
}

// CountedComputer is one computer a licence counts.
type CountedComputer struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	LastUser string `json:"last_user"`
	Cores    int64  `json:"cpu_cores"`
	Version  string `json:"version"`
}

// CountedPageSize is the computers listed per page.
const CountedPageSize = 50

// Counted lists the computers a licence counts that the actor may read, by id
// from after (0: first page), and the id of the next page (0 at the end).
func (s *Service) Counted(ctx context.Context, a *record.Actor, id, after int64) ([]CountedComputer, int64, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, 0, err
	}
	pcs := s.Rec.Reg.MustType("computers")
	sc, sargs, ok := s.Rec.ScopeSQL(a, pcs, record.Read)
	if !ok {
		return nil, 0, nil
	}
	m, err := s.loadMatch(ctx, s.Rec.DB, id)
	if err != nil {
		return nil, 0, err
	}
	cond, args := m.installedSQL()
	args = append(append(args, sargs...), after, CountedPageSize+1)
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT id, name, COALESCE(last_user, ''), COALESCE(cpu_cores, 0) FROM computers WHERE "+cond+" AND "+sc+" AND id > ? ORDER BY id LIMIT ?", args...)
	if err != nil {
		return nil, 0, err
	}
	var out []CountedComputer
	for rows.Next() {
		var c CountedComputer
		if err := rows.Scan(&c.ID, &c.Name, &c.LastUser, &c.Cores); err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var next int64
	if len(out) > CountedPageSize {
		out = out[:CountedPageSize]
		next = out[len(out)-1].ID
	}
	// The versions seen, one query for the page.
	if len(out) > 0 && len(m.software) > 0 {
		var vargs []any
		for _, c := range out {
			vargs = append(vargs, c.ID)
		}
		for _, sw := range m.software {
			vargs = append(vargs, sw)
		}
		rows, err := s.Rec.DB.QueryContext(ctx, "SELECT computer_id, version FROM software_installations WHERE computer_id IN ("+store.Placeholders(len(out))+") AND software_id IN ("+store.Placeholders(len(m.software))+") ORDER BY version_key", vargs...)
		if err != nil {
			return nil, 0, err
		}
		defer rows.Close()
		byID := map[int64]int{}
		for i, c := range out {
			byID[c.ID] = i
		}
		for rows.Next() {
			var pc int64
			var v string
			if err := rows.Scan(&pc, &v); err != nil {
				return nil, 0, err
			}
			out[byID[pc]].Version = v
		}
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
	}
	return out, next, nil
}

// OfComputer lists the licences assigned to a computer (for its page), those the
// actor may read.
func (s *Service) OfComputer(ctx context.Context, a *record.Actor, computer int64) ([]*record.Record, error) {
	page, err := s.Rec.List(ctx, a, s.Rec.Reg.MustType("license-assignments"), record.ListQuery{Filters: []record.Filter{{Field: "computer_id", Op: record.OpEq, Value: strconv.FormatInt(computer, 10)}}, Limit: 100})
	if err != nil {
		return nil, err
	}
	return page.Records, nil
}

// ComplianceAll reads the compliance of every live licence the actor may read, in
// one query over the kept counts, by id.
func (s *Service) ComplianceAll(ctx context.Context, a *record.Actor) ([]*Compliance, error) {
	sc, args, ok := s.Rec.ScopeSQL(a, s.licenses(), record.Read)
	if !ok {
		return nil, nil
	}
	rows, err := s.Rec.DB.QueryContext(ctx, `SELECT id, license_type, seats, installed_devices, installed_users, installed_cores, assigned_count,
		counts_stale, counted_at, expiry_date FROM licenses WHERE deleted_at IS NULL AND `+sc+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := s.Now().Format("2006-01-02")
	var out []*Compliance
	for rows.Next() {
		c := &Compliance{}
		var seats sql.NullInt64
		var stale, counted, expiry any
		if err := rows.Scan(&c.LicenseID, &c.Type, &seats, &c.Installations, &c.Users, &c.Cores, &c.Assigned, &stale, &counted, &expiry); err != nil {
			return nil, err
		}
		c.Unit = Unit(c.Type)
		if seats.Valid {
			n := seats.Int64
			c.Seats = &n
		}
		c.Pending = truthy(boolField.FromDB(stale))
		if t, ok := tsField.FromDB(counted).(time.Time); ok {
			c.CountedAt = &t
		}
		c.ExpiryDate = record.Format(dateField.FromDB(expiry))
		c.Expired = c.ExpiryDate != "" && c.ExpiryDate < today
		c.fill()
		out = append(out, c)
	}
	return out, rows.Err()
}
