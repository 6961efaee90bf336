package directory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/go-ldap/ldap/v3"

	"parc/internal/record"
)

// Service is the directories' use cases: test, synchronise, sign in.
type Service struct {
	Rec *record.Service
	Box box
	Log *slog.Logger

	mu      sync.Mutex
	running map[int64]bool
	wg      sync.WaitGroup
}

type box interface {
	Open(sealed, context string) (string, error)
}

// NewService makes the directory service; b opens the bind passwords.
func NewService(rec *record.Service, b box, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Rec: rec, Box: b, Log: log, running: map[int64]bool{}}
}

func (s *Service) directories() *record.Type { return s.Rec.Reg.MustType("directories") }

// Problem is a directory's error in words: a catalogue key and the server's own text.
type Problem struct {
	Key    string `json:"key"`
	Detail string `json:"detail"`
}

// problem names what went wrong talking to a directory.
func problem(err error) *Problem {
	if err == nil {
		return nil
	}
	p := &Problem{Key: "directory.err.other", Detail: err.Error()}
	var le *ldap.Error
	var ne net.Error
	switch {
	case strings.Contains(err.Error(), "x509:") || strings.Contains(err.Error(), "certificate"):
		p.Key = "directory.err.tls"
	case errors.As(err, &le) && le.ResultCode == ldap.LDAPResultInvalidCredentials:
		p.Key = "directory.err.bind"
	case errors.As(err, &le) && le.ResultCode == ldap.LDAPResultNoSuchObject:
		p.Key = "directory.err.base"
	case errors.As(err, &le) && le.ResultCode == ldap.LDAPResultFilterError:
		p.Key = "directory.err.filter"
	case errors.As(err, &le) && le.ResultCode == ldap.ErrorNetwork, errors.As(err, &ne):
		p.Key = "directory.err.connect"
	}
	return p
}

// load reads a directory as the system, with its bind password opened.
func (s *Service) load(ctx context.Context, id int64) (*conf, error) {
	r, err := s.Rec.Get(ctx, record.SystemActor(nil, record.OriginJob), s.directories(), id)
	if err != nil {
		return nil, err
	}
	return s.conf(ctx, r)
}

func (s *Service) conf(ctx context.Context, r *record.Record) (*conf, error) {
	c := &conf{ID: r.ID, OrgID: r.OrgID, Name: r.String("name"), URL: r.String("url"), StartTLS: r.Bool("start_tls"),
		CAPEM: r.String("ca_pem"), BindDN: r.String("bind_dn"), BaseDN: r.String("base_dn"),
		UserFilter: r.String("user_filter"), GroupFilt: r.String("group_filter"), Enabled: r.Bool("enabled"),
		Attr: map[string]string{}}
	for _, k := range []string{"login", "firstname", "lastname", "email", "phone", "title", "member"} {
		c.Attr[k] = strings.TrimSpace(r.String("attr_" + k))
	}
	var sealed sql.NullString
	if err := s.Rec.DB.QueryRowContext(ctx, "SELECT bind_password_cipher FROM directories WHERE id = ?", r.ID).Scan(&sealed); err != nil {
		return nil, err
	}
	if sealed.Valid && sealed.String != "" {
		pw, err := s.Box.Open(sealed.String, passwordContext)
		if err != nil {
			return nil, err
		}
		c.BindPW = pw
	}
	return c, nil
}

// writable reads a directory the actor may change (test and synchronise need it).
func (s *Service) writable(ctx context.Context, a *record.Actor, id int64) (*conf, error) {
	r, err := s.Rec.Get(ctx, a, s.directories(), id)
	if err != nil {
		return nil, err
	}
	if !a.CanRecord(r, record.Update) {
		return nil, record.ErrForbidden()
	}
	return s.conf(ctx, r)
}

// TestResult is what a test of a directory found.
type TestResult struct {
	OK      bool     `json:"ok"`
	Bind    bool     `json:"bind"`
	Users   int      `json:"users"`
	Groups  int      `json:"groups"`
	Samples []string `json:"samples"`
	Problem *Problem `json:"problem,omitempty"`
	// Error is Problem in words, in the reader's language (the HTTP layers set it).
	Error string `json:"error,omitempty"`
}

// Test connects and binds to a directory and counts the users and groups its
// filters match, with a few sample logins; a failure is in Problem, not err.
func (s *Service) Test(ctx context.Context, a *record.Actor, id int64) (*TestResult, error) {
	c, err := s.writable(ctx, a, id)
	if err != nil {
		return nil, err
	}
	res := &TestResult{Samples: []string{}}
	conn, err := c.dial()
	if err != nil {
		res.Problem = problem(err)
		return res, nil
	}
	defer conn.Close()
	if err := c.bindService(conn); err != nil {
		res.Problem = problem(err)
		return res, nil
	}
	res.Bind = true
	users, err := c.users(conn)
	if err != nil {
		res.Problem = problem(err)
		return res, nil
	}
	res.Users = len(users)
	for _, u := range users {
		if l := u.first(c.Attr["login"]); l != "" && len(res.Samples) < 5 {
			res.Samples = append(res.Samples, l)
		}
	}
	groups, err := c.groups(conn)
	if err != nil {
		res.Problem = problem(err)
		return res, nil
	}
	res.Groups = len(groups)
	res.OK = true
	return res, nil
}

// Report is what a synchronisation did.
type Report struct {
	Status         string    `json:"status"` // running, done, failed
	StartedAt      time.Time `json:"started_at"`
	FinishedAt     time.Time `json:"finished_at,omitzero"`
	Found          int       `json:"found"`
	Created        int       `json:"created"`
	Updated        int       `json:"updated"`
	Disabled       int       `json:"disabled"`
	Unchanged      int       `json:"unchanged"`
	GroupsCreated  int       `json:"groups_created"`
	MembersAdded   int       `json:"members_added"`
	MembersRemoved int       `json:"members_removed"`
	Errors         []string  `json:"errors"`
	Problem        *Problem  `json:"problem,omitempty"`
	Error          string    `json:"error,omitempty"`
}

// Sync statuses.
const (
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

// ErrRunning: a synchronisation of the directory is under way already.
var ErrRunning = record.E(record.CodeConflict, "directory.err.running")

// Start checks the actor may synchronise the directory and runs the
// synchronisation in the background; LastReport follows it.
func (s *Service) Start(ctx context.Context, a *record.Actor, id int64) (*Report, error) {
	if _, err := s.writable(ctx, a, id); err != nil {
		return nil, err
	}
	if !s.claim(id) {
		return nil, ErrRunning
	}
	rep := &Report{Status: StatusRunning, StartedAt: s.Rec.Now(), Errors: []string{}}
	if err := s.save(ctx, id, rep); err != nil {
		s.release(id)
		return nil, err
	}
	origin := a.Origin
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer s.release(id)
		bg, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		if _, err := s.run(bg, id, origin, rep); err != nil {
			s.Log.Error("directory sync", "directory", id, "err", err)
		}
	}()
	return rep, nil
}

// Wait waits for the synchronisations under way (tests, shutdown).
func (s *Service) Wait() { s.wg.Wait() }

func (s *Service) claim(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running[id] {
		return false
	}
	s.running[id] = true
	return true
}

func (s *Service) release(id int64) {
	s.mu.Lock()
	delete(s.running, id)
	s.mu.Unlock()
}

// SyncByName synchronises the directory named name now, as the command line does.
func (s *Service) SyncByName(ctx context.Context, name string) (*Report, error) {
	var id int64
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT id FROM directories WHERE name = ? AND deleted_at IS NULL", name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("no directory named %q", name)
	}
	if err != nil {
		return nil, err
	}
	if !s.claim(id) {
		return nil, ErrRunning
	}
	defer s.release(id)
	rep := &Report{Status: StatusRunning, StartedAt: s.Rec.Now(), Errors: []string{}}
	return s.run(ctx, id, record.OriginCLI, rep)
}

// LastReport is the directory's last synchronisation report (nil: never run).
func (s *Service) LastReport(ctx context.Context, a *record.Actor, id int64) (*Report, error) {
	if _, err := s.Rec.Get(ctx, a, s.directories(), id); err != nil {
		return nil, err
	}
	var raw sql.NullString
	if err := s.Rec.DB.QueryRowContext(ctx, "SELECT last_sync_report FROM directories WHERE id = ?", id).Scan(&raw); err != nil {
		return nil, err
	}
	if !raw.Valid || raw.String == "" {
		return nil, nil
	}
	rep := &Report{}
	if err := json.Unmarshal([]byte(raw.String), rep); err != nil {
		return nil, err
	}
	return rep, nil
}

func (s *Service) save(ctx context.Context, id int64, rep *Report) error {
	raw, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	_, err = s.Rec.DB.Exec(ctx, "UPDATE directories SET last_sync_at = ?, last_sync_status = ?, last_sync_report = ? WHERE id = ?",
		rep.StartedAt, rep.Status, string(raw), id)
	return err
}

// run synchronises: users the filter matches are created or updated from the
// mapping in the directory's organisation, users of the directory no longer
// matched are disabled (never deleted), groups are created with their members.
func (s *Service) run(ctx context.Context, id int64, origin string, rep *Report) (*Report, error) {
	fail := func(err error) (*Report, error) {
		rep.Status, rep.FinishedAt, rep.Problem = StatusFailed, s.Rec.Now(), problem(err)
		if serr := s.save(ctx, id, rep); serr != nil {
			return rep, serr
		}
		return rep, nil
	}
	c, err := s.load(ctx, id)
	if err != nil {
		return fail(err)
	}
	conn, err := c.dial()
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
	if err := c.bindService(conn); err != nil {
		return fail(err)
	}
	users, err := c.users(conn)
	if err != nil {
		return fail(err)
	}
	groups, err := c.groups(conn)
	if err != nil {
		return fail(err)
	}
	conn.Close()
	tree, err := record.LoadOrgTree(ctx, s.Rec.DB)
	if err != nil {
		return fail(err)
	}
	sys := record.SystemActor(tree, origin)
	ut := s.Rec.Reg.MustType("users")
	now := s.Rec.Now()
	byDN := map[string]int64{} // lower-case DN -> user id
	for _, e := range users {
		rep.Found++
		uid, err := s.syncUser(ctx, sys, ut, c, e, now, rep)
		if err != nil {
			rep.Errors = append(rep.Errors, e.DN+": "+err.Error())
			continue
		}
		if uid != 0 {
			byDN[strings.ToLower(e.DN)] = uid
		}
	}
	// Users of this directory it no longer lists are disabled.
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT id, external_id FROM users WHERE directory_id = ? AND active = ? AND deleted_at IS NULL", c.ID, true)
	if err != nil {
		return fail(err)
	}
	var gone []int64
	for rows.Next() {
		var uid int64
		var dn sql.NullString
		if err := rows.Scan(&uid, &dn); err != nil {
			rows.Close()
			return fail(err)
		}
		if _, ok := byDN[strings.ToLower(dn.String)]; !ok {
			gone = append(gone, uid)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	for _, uid := range gone {
		if _, err := s.Rec.Update(ctx, sys, ut, uid, record.Input{"active": false}); err != nil {
			rep.Errors = append(rep.Errors, fmt.Sprintf("user %d: %v", uid, err))
			continue
		}
		rep.Disabled++
	}
	for _, g := range groups {
		if err := s.syncGroup(ctx, sys, c, g, byDN, rep); err != nil {
			rep.Errors = append(rep.Errors, g.DN+": "+err.Error())
		}
	}
	rep.Status, rep.FinishedAt = StatusDone, s.Rec.Now()
	return rep, s.save(ctx, id, rep)
}

// syncUser creates or updates the parc user of one directory entry.
func (s *Service) syncUser(ctx context.Context, sys *record.Actor, ut *record.Type, c *conf, e entry, now time.Time, rep *Report) (int64, error) {
	login := strings.TrimSpace(e.first(c.Attr["login"]))
	if login == "" {
		return 0, fmt.Errorf("no %s", c.Attr["login"])
	}
	want := record.Input{}
	for k, f := range map[string]string{"firstname": "firstname", "lastname": "lastname", "email": "email", "phone": "phone", "title": "title"} {
		if a := c.Attr[k]; a != "" {
			want[f] = nilIfEmpty(e.first(a))
		}
	}
	var id int64
	var dir sql.NullInt64
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT id, directory_id FROM users WHERE directory_id = ? AND lower(external_id) = lower(?) AND deleted_at IS NULL", c.ID, e.DN).Scan(&id, &dir)
	if errors.Is(err, sql.ErrNoRows) {
		err = s.Rec.DB.QueryRowContext(ctx, "SELECT id, directory_id FROM users WHERE lower(login) = lower(?) AND deleted_at IS NULL", login).Scan(&id, &dir)
		if err == nil && (!dir.Valid || dir.Int64 != c.ID) {
			// A parc account, or another directory's, keeps its login: never taken over.
			return 0, fmt.Errorf("login %s is another account's", login)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		in := record.Input{"organization_id": c.OrgID, "login": login, "active": true, "directory_id": c.ID, "external_id": e.DN}
		for k, v := range want {
			in[k] = v
		}
		r, err := s.Rec.Create(ctx, sys, ut, in)
		if err != nil {
			return 0, err
		}
		rep.Created++
		_, err = s.Rec.DB.Exec(ctx, "UPDATE users SET directory_seen_at = ? WHERE id = ?", now, r.ID)
		return r.ID, err
	}
	if err != nil {
		return 0, err
	}
	cur, err := s.Rec.Get(ctx, sys, ut, id)
	if err != nil {
		return 0, err
	}
	change := record.Input{}
	want["login"] = login
	want["external_id"] = e.DN
	want["active"] = true
	for k, v := range want {
		if !record.Equal(cur.Values[k], v) {
			change[k] = v
		}
	}
	if len(change) > 0 {
		if _, err := s.Rec.Update(ctx, sys, ut, id, change); err != nil {
			return 0, err
		}
		rep.Updated++
	} else {
		rep.Unchanged++
	}
	_, err = s.Rec.DB.Exec(ctx, "UPDATE users SET directory_seen_at = ? WHERE id = ?", now, id)
	return id, err
}

func nilIfEmpty(v string) any {
	if v = strings.TrimSpace(v); v == "" {
		return nil
	}
	return v
}

// syncGroup creates the parc group of a directory group and keeps its members
// that come from this directory as the directory lists them.
func (s *Service) syncGroup(ctx context.Context, sys *record.Actor, c *conf, g entry, byDN map[string]int64, rep *Report) error {
	name := strings.TrimSpace(g.first("cn"))
	if name == "" {
		return errors.New("no cn")
	}
	gt, mt := s.Rec.Reg.MustType("groups"), s.Rec.Reg.MustType("group-members")
	var gid int64
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT id FROM groups WHERE directory_id = ? AND lower(external_id) = lower(?) AND deleted_at IS NULL", c.ID, g.DN).Scan(&gid)
	if errors.Is(err, sql.ErrNoRows) {
		r, err := s.Rec.Create(ctx, sys, gt, record.Input{"organization_id": c.OrgID, "name": name, "comment": nilIfEmpty(g.first("description"))})
		if err != nil {
			return err
		}
		gid = r.ID
		if _, err := s.Rec.DB.Exec(ctx, "UPDATE groups SET directory_id = ?, external_id = ? WHERE id = ?", c.ID, g.DN, gid); err != nil {
			return err
		}
		rep.GroupsCreated++
	} else if err != nil {
		return err
	}
	member := c.Attr["member"]
	if member == "" {
		member = "member"
	}
	want := map[int64]bool{}
	for _, dn := range g.all(member) {
		if uid, ok := byDN[strings.ToLower(dn)]; ok {
			want[uid] = true
		}
	}
	rows, err := s.Rec.DB.QueryContext(ctx, `SELECT gm.id, gm.user_id FROM group_members gm JOIN users u ON u.id = gm.user_id
		WHERE gm.group_id = ? AND u.directory_id = ?`, gid, c.ID)
	if err != nil {
		return err
	}
	have := map[int64]int64{}
	for rows.Next() {
		var mid, uid int64
		if err := rows.Scan(&mid, &uid); err != nil {
			rows.Close()
			return err
		}
		have[uid] = mid
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for uid := range want {
		if _, ok := have[uid]; ok {
			continue
		}
		if _, err := s.Rec.Create(ctx, sys, mt, record.Input{"organization_id": c.OrgID, "group_id": gid, "user_id": uid}); err != nil {
			return err
		}
		rep.MembersAdded++
	}
	for uid, mid := range have {
		if want[uid] {
			continue
		}
		if err := s.Rec.Trash(ctx, sys, mt, mid); err != nil {
			return err
		}
		rep.MembersRemoved++
	}
	return nil
}

// Authenticate checks a password by binding to the user's directory as its DN;
// false for a wrong password, a disabled directory, or an entry its user filter
// no longer matches.
func (s *Service) Authenticate(ctx context.Context, directoryID int64, dn, password string) (bool, error) {
	c, err := s.load(ctx, directoryID)
	if err != nil {
		if e, ok := record.AsError(err); ok && e.Code == record.CodeNotFound {
			return false, nil
		}
		return false, err
	}
	if !c.Enabled {
		return false, nil
	}
	return c.authenticate(dn, password)
}

// HasPassword reports whether a directory has a bind password stored (its page
// says so, never what it is).
func (s *Service) HasPassword(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM directories WHERE id = ? AND bind_password_cipher IS NOT NULL AND bind_password_cipher <> ''", id).Scan(&n)
	return n > 0, err
}
