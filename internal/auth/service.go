package auth

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// Session lifetimes; the login limits are in limit.go.
const (
	SessionIdle = 12 * time.Hour
	SessionMax  = 7 * 24 * time.Hour
	TokenPrefix = "parc_"
)

// Service authenticates people and builds their Actor.
type Service struct {
	DB  *store.DB
	Rec *record.Service
	Now func() time.Time
	// Gate bounds the password verifications running at once.
	Gate *Gate
	// Directory checks the password of a user a directory keeps (a bind as the
	// user's DN); set by app.Build, nil: such users cannot sign in.
	Directory Directory
}

// Directory authenticates a user against the directory that keeps it.
type Directory interface {
	Authenticate(ctx context.Context, directoryID int64, dn, password string) (bool, error)
}

// NewService makes the auth service.
func NewService(rec *record.Service) *Service {
	return &Service{DB: rec.DB, Rec: rec, Now: func() time.Time { return time.Now().UTC() }, Gate: DefaultGate()}
}

func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// Session is a signed-in browser.
type Session struct {
	Token  string // only known right after login (set as the cookie)
	UserID int64
	CSRF   string
	// MustChangePassword: the user signed in with a one-time password and may do
	// nothing else before choosing their own.
	MustChangePassword bool
	// Stage is "" once signed in, StageCode while the second factor is awaited,
	// StageEnrol while a required second factor is being set up.
	Stage string
}

var (
	// ErrBadCredentials covers unknown logins, wrong passwords and inactive accounts alike.
	ErrBadCredentials = record.E(record.CodeUnauthorized, "err.bad_credentials")
)

// Login checks a password, under the rate limits, and opens a session. The
// attempt is reserved against the limits before the password is checked.
func (s *Service) Login(ctx context.Context, login, password, ip, userAgent string) (*Session, error) {
	login = strings.TrimSpace(login)
	leave, err := s.Gate.admit()
	if err != nil {
		return nil, err
	}
	defer leave()
	res, err := s.reserve(ctx, keysFor(login, ip), "login", 0, login, ip)
	if err != nil {
		return nil, err
	}
	var id int64
	var hash, dn sql.NullString
	var dir sql.NullInt64
	var active, mustChange bool
	err = s.DB.QueryRowContext(ctx, "SELECT id, password_hash, active, password_change_required, directory_id, external_id FROM users WHERE lower(login) = lower(?) AND deleted_at IS NULL", login).Scan(&id, &hash, &active, &mustChange, &dir, &dn)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	usable := ""
	if id != 0 && hash.Valid && active {
		usable = hash.String
	}
	var ok bool
	if id != 0 && dir.Valid {
		// A directory's user: the directory checks the password, by a bind as
		// the user; the account must be active in parc too (a synchronisation
		// disables users the directory no longer lists).
		ok, err = s.directoryCheck(ctx, active, dir.Int64, dn.String, password, login)
	} else {
		ok, err = s.Gate.check(ctx, usable, password)
	}
	if errors.Is(err, ErrBusy) {
		if rerr := s.release(ctx, res); rerr != nil {
			return nil, rerr
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if !ok {
		if err := s.Audit(ctx, "login_failed", id, login, ip, ""); err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}
	stage, err := s.signInStage(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	tok := RandomToken(32)
	sess := &Session{Token: tok, UserID: id, CSRF: RandomToken(24), MustChangePassword: mustChange, Stage: stage}
	expires := now.Add(SessionIdle)
	if stage == StageCode {
		expires = now.Add(CodeStageTTL)
	}
	actx, cancel := auditContext(ctx)
	defer cancel()
	err = s.DB.Tx(actx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(actx, "INSERT INTO sessions (id, user_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at, stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			hashToken(tok), id, sess.CSRF, ip, truncate(userAgent, 255), now, now, expires, stage); err != nil {
			return err
		}
		if err := s.settleTx(actx, tx, res); err != nil {
			return err
		}
		if stage == StageCode {
			// Signed in only once the code is right (VerifySecondFactor).
			return s.auditTx(actx, tx, "login_password_ok", id, login, ip, "")
		}
		if _, err := tx.ExecContext(actx, "UPDATE users SET last_login_at = ? WHERE id = ?", now, id); err != nil {
			return err
		}
		return s.auditTx(actx, tx, "login", id, login, ip, stage)
	})
	if err != nil {
		return nil, err
	}
	return sess, nil
}

// directoryCheck binds to the user's directory; a directory that cannot be
// reached refuses the sign-in (and says so in the server's log).
func (s *Service) directoryCheck(ctx context.Context, active bool, dir int64, dn, password, login string) (bool, error) {
	if !active || s.Directory == nil || password == "" {
		return false, nil
	}
	ok, err := s.Directory.Authenticate(ctx, dir, dn, password)
	if err != nil {
		slog.Warn("directory sign-in", "login", login, "directory", dir, "err", err)
		return false, nil
	}
	return ok, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Logout closes a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	_, err := s.DB.Exec(ctx, "DELETE FROM sessions WHERE id = ?", hashToken(token))
	return err
}

// SessionByToken finds a live session and slides its idle expiry.
func (s *Service) SessionByToken(ctx context.Context, token string) (*Session, error) {
	if token == "" {
		return nil, ErrBadCredentials
	}
	now := s.Now()
	var sess Session
	var created, lastSeen, expires any
	err := s.DB.QueryRowContext(ctx, `SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.password_change_required, s.stage
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, hashToken(token)).
		Scan(&sess.UserID, &sess.CSRF, &created, &lastSeen, &expires, &sess.MustChangePassword, &sess.Stage)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	tsf := &record.Field{Kind: record.DateTime}
	exp, _ := tsf.FromDB(expires).(time.Time)
	cr, _ := tsf.FromDB(created).(time.Time)
	ls, _ := tsf.FromDB(lastSeen).(time.Time)
	if now.After(exp) || now.Sub(cr) > SessionMax {
		s.Logout(ctx, token)
		return nil, ErrBadCredentials
	}
	if now.Sub(ls) > time.Minute && sess.Stage != StageCode {
		s.touch("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?", now, now.Add(SessionIdle), hashToken(token))
	}
	sess.Token = token
	return &sess, nil
}

// Token is an API token as listed (never its secret).
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	// Scope: "" everything the user may do, "read", or "types:a,b".
	Scope string `json:"scope"`
}

// CreateToken makes an API token for a user and returns its secret, shown once.
func (s *Service) CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (string, *Token, error) {
	return s.CreateScopedToken(ctx, userID, name, ttl, "")
}

// CreateScopedToken makes an API token limited to a scope (see TokenAllows) and
// returns its secret, shown once.
func (s *Service) CreateScopedToken(ctx context.Context, userID int64, name string, ttl time.Duration, scope string) (string, *Token, error) {
	scope, err := s.NormaliseScope(scope)
	if err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "token"
	}
	if len(name) > 100 {
		return "", nil, record.E(record.CodeInvalid, "err.too_long", 100)
	}
	secret := TokenPrefix + RandomToken(32)
	now := s.Now()
	t := &Token{Name: name, Prefix: secret[:len(TokenPrefix)+6], CreatedAt: now, Scope: scope}
	var exp any
	if ttl > 0 {
		e := now.Add(ttl)
		t.ExpiresAt, exp = &e, e
	}
	err = s.DB.Tx(ctx, func(tx *store.Tx) error {
		id, err := s.DB.InsertID(ctx, tx, "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, expires_at, scope) VALUES (?, ?, ?, ?, ?, ?, ?)",
			userID, name, t.Prefix, hashToken(secret), now, exp, scope)
		if err != nil {
			return err
		}
		t.ID = id
		return s.auditTx(ctx, tx, "token_created", userID, "", "", name)
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// Tokens lists a user's tokens.
func (s *Service) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT id, name, prefix, created_at, last_used_at, expires_at, revoked_at, scope FROM api_tokens WHERE user_id = ? ORDER BY id DESC", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tsf := &record.Field{Kind: record.DateTime}
	opt := func(v any) *time.Time {
		if t, ok := tsf.FromDB(v).(time.Time); ok {
			return &t
		}
		return nil
	}
	out := []Token{}
	for rows.Next() {
		var t Token
		var c, l, e, r any
		if err := rows.Scan(&t.ID, &t.Name, &t.Prefix, &c, &l, &e, &r, &t.Scope); err != nil {
			return nil, err
		}
		t.CreatedAt, _ = tsf.FromDB(c).(time.Time)
		t.LastUsedAt, t.ExpiresAt, t.RevokedAt = opt(l), opt(e), opt(r)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of a user's tokens.
func (s *Service) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return s.DB.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL", s.Now(), tokenID, userID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return record.ErrNotFound()
		}
		return s.auditTx(ctx, tx, "token_revoked", userID, "", "", record.Format(tokenID))
	})
}

// UserByToken finds the user behind a live API token.
func (s *Service) UserByToken(ctx context.Context, secret string) (int64, error) {
	uid, _, err := s.TokenUser(ctx, secret)
	return uid, err
}

// TokenUser finds the user behind a live API token, with the token's scope. An
// expired token is answered with ErrTokenExpired.
func (s *Service) TokenUser(ctx context.Context, secret string) (int64, string, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return 0, "", ErrBadCredentials
	}
	var uid int64
	var exp, used any
	var scope string
	h := hashToken(secret)
	err := s.DB.QueryRowContext(ctx, "SELECT user_id, expires_at, last_used_at, scope FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", h).Scan(&uid, &exp, &used, &scope)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrBadCredentials
	}
	if err != nil {
		return 0, "", err
	}
	tsf := &record.Field{Kind: record.DateTime}
	if e, ok := tsf.FromDB(exp).(time.Time); ok && s.Now().After(e) {
		return 0, "", ErrTokenExpired
	}
	// Note the last use at most once a minute: a write per API call would queue every
	// request behind SQLite's single writer.
	if last, ok := tsf.FromDB(used).(time.Time); !ok || s.Now().Sub(last) > time.Minute {
		s.touch("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", s.Now(), h)
	}
	return uid, scope, nil
}

// Actor builds the actor of a user: profile grants and the organisation tree.
func (s *Service) Actor(ctx context.Context, userID int64, origin string) (*record.Actor, error) {
	var login, lang, name, exportFormat string
	var active bool
	var org int64
	err := s.DB.QueryRowContext(ctx, `SELECT login, COALESCE(language, ''), active,
		COALESCE(NULLIF(TRIM(COALESCE(firstname, '') || ' ' || COALESCE(lastname, '')), ''), login), organization_id,
		COALESCE(export_format, '')
		FROM users WHERE id = ? AND deleted_at IS NULL`, userID).Scan(&login, &lang, &active, &name, &org, &exportFormat)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	tree, err := record.LoadOrgTree(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	a := &record.Actor{UserID: userID, Login: login, Name: name, Lang: lang, ExportFormat: exportFormat, Origin: origin, Tree: tree, OrgID: org}
	rows, err := s.DB.QueryContext(ctx, `SELECT a.organization_id, a.recursive, p.name, p.rights FROM authorizations a
		JOIN profiles p ON p.id = a.profile_id AND p.deleted_at IS NULL WHERE a.user_id = ? AND a.deleted_at IS NULL`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var g record.Grant
		var rights string
		if err := rows.Scan(&g.OrgID, &g.Recursive, &g.Profile, &rights); err != nil {
			return nil, err
		}
		r, err := record.ParseRights(rights, nil)
		if err != nil {
			continue // a broken profile grants nothing
		}
		g.Rights = r
		a.Grants = append(a.Grants, g)
	}
	return a, rows.Err()
}

// Audit records a security event, retrying a failed write. An error means the
// event could not be recorded: the caller must then fail what it was doing, so
// that nothing happens unrecorded. A client that goes away does not cancel it.
func (s *Service) Audit(ctx context.Context, event string, userID int64, login, ip, detail string) error {
	ctx, cancel := auditContext(ctx)
	defer cancel()
	var err error
	for attempt := range 3 {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
		}
		err = s.DB.Tx(ctx, func(tx *store.Tx) error { return s.auditTx(ctx, tx, event, userID, login, ip, detail) })
		if err == nil {
			return nil
		}
	}
	slog.Error("audit event not recorded", "event", event, "user_id", userID, "login", login, "ip", ip, "detail", detail, "err", err)
	return fmt.Errorf("record audit event %s: %w", event, err)
}

// AuditTx records a security event in the transaction of the action it describes:
// both are kept or neither.
func (s *Service) AuditTx(ctx context.Context, q *store.Tx, event string, userID int64, login, ip, detail string) error {
	return s.auditTx(ctx, q, event, userID, login, ip, detail)
}

func (s *Service) auditTx(ctx context.Context, q *store.Tx, event string, userID int64, login, ip, detail string) error {
	var uid any
	if userID != 0 {
		uid = userID
	}
	_, err := q.ExecContext(ctx, "INSERT INTO audit_events (at, event, user_id, login, ip, detail) VALUES (?, ?, ?, ?, ?, ?)",
		s.Now(), event, uid, truncate(login, 100), ip, truncate(detail, 500))
	return err
}

// auditContext keeps a security write alive when the request's client goes away.
func auditContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// ChangePassword lets users change their own password. The current password is
// checked under the same limits as a sign-in from the same address, so this form
// cannot be used to guess it; success closes every session of the user and lifts
// the obligation to change a one-time password.
func (s *Service) ChangePassword(ctx context.Context, userID int64, current, next, ip string) error {
	var login string
	var hash sql.NullString
	err := s.DB.QueryRowContext(ctx, "SELECT login, password_hash FROM users WHERE id = ? AND deleted_at IS NULL", userID).Scan(&login, &hash)
	if err != nil {
		return err
	}
	// The new password's rules first: a rejected new password is no failed guess.
	if key := CheckPasswordRules(next, login); key != "" {
		return &record.Error{Code: record.CodeInvalid, Msg: record.Msg{Key: "err.invalid"}, Fields: record.FieldErrors{"password": {Key: key, Args: []any{MinPasswordLength}}}}
	}
	leave, err := s.Gate.admit()
	if err != nil {
		return err
	}
	defer leave()
	res, err := s.reserve(ctx, keysFor(login, ip), "password_change", userID, login, ip)
	if err != nil {
		return err
	}
	ok, err := s.Gate.check(ctx, hash.String, current)
	if errors.Is(err, ErrBusy) {
		if rerr := s.release(ctx, res); rerr != nil {
			return rerr
		}
		return err
	}
	if err != nil {
		return err
	}
	if !ok {
		if err := s.Audit(ctx, "password_change_failed", userID, login, ip, ""); err != nil {
			return err
		}
		return &record.Error{Code: record.CodeInvalid, Msg: record.Msg{Key: "err.invalid"}, Fields: record.FieldErrors{"current": {Key: "err.wrong_current_password"}}}
	}
	tree, err := record.LoadOrgTree(ctx, s.DB)
	if err != nil {
		return err
	}
	// Users may change their own password whatever their profile; the history names them.
	self := record.SystemActor(tree, record.OriginWeb)
	self.UserID, self.Login, self.Name = userID, login, login
	actx, cancel := auditContext(ctx)
	defer cancel()
	return s.DB.Tx(actx, func(tx *store.Tx) error {
		if _, err := s.Rec.UpdateTx(actx, tx, self, s.Rec.Reg.MustType("users"), userID, record.Input{"password": next}); err != nil {
			return err
		}
		if err := s.settleTx(actx, tx, res); err != nil {
			return err
		}
		if _, err := tx.ExecContext(actx, "UPDATE users SET password_change_required = ? WHERE id = ?", false, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(actx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return err
		}
		return s.auditTx(actx, tx, "password_changed", userID, login, ip, "")
	})
}

// touch notes a last use in the background: the request it comes from must not
// wait behind SQLite's single writer (a long import, the planner's statistics
// being refreshed) for a timestamp that is only informative.
func (s *Service) touch(query string, args ...any) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := s.DB.Exec(ctx, query, args...); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			slog.Debug("note last use", "err", err)
		}
	}()
}
