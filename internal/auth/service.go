package auth

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// Limits of the login rate limiter: failures counted over Window.
const (
	Window          = 15 * time.Minute
	MaxLoginFails   = 5  // per account
	MaxAddressFails = 20 // per client address
	SessionIdle     = 12 * time.Hour
	SessionMax      = 7 * 24 * time.Hour
	TokenPrefix     = "parc_"
)

// Service authenticates people and builds their Actor.
type Service struct {
	DB  *store.DB
	Rec *record.Service
	Now func() time.Time
}

// NewService makes the auth service.
func NewService(rec *record.Service) *Service {
	return &Service{DB: rec.DB, Rec: rec, Now: func() time.Time { return time.Now().UTC() }}
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
}

var (
	// ErrBadCredentials covers unknown logins, wrong passwords and inactive accounts alike.
	ErrBadCredentials = record.E(record.CodeUnauthorized, "err.bad_credentials")
	// ErrTooManyAttempts is the rate limiter's answer.
	ErrTooManyAttempts = record.E(record.CodeRateLimited, "err.too_many_attempts")
)

// Login checks a password, under the rate limits, and opens a session.
func (s *Service) Login(ctx context.Context, login, password, ip, userAgent string) (*Session, error) {
	login = strings.TrimSpace(login)
	now := s.Now()
	kLogin, kIP := "login:"+strings.ToLower(login), "ip:"+ip
	nLogin, err := s.failures(ctx, kLogin, now)
	if err != nil {
		return nil, err
	}
	nIP, err := s.failures(ctx, kIP, now)
	if err != nil {
		return nil, err
	}
	if nLogin >= MaxLoginFails || nIP >= MaxAddressFails {
		s.Audit(ctx, "login_throttled", 0, login, ip, "")
		return nil, ErrTooManyAttempts
	}
	var id int64
	var hash sql.NullString
	var active bool
	err = s.DB.R.QueryRowContext(ctx, s.DB.Rebind("SELECT id, password_hash, active FROM users WHERE lower(login) = lower(?) AND deleted_at IS NULL"), login).Scan(&id, &hash, &active)
	if errors.Is(err, sql.ErrNoRows) {
		CheckPassword(dummyHash, password)
	} else if err != nil {
		return nil, err
	}
	if id == 0 || !hash.Valid || !active || !CheckPassword(hash.String, password) {
		for _, k := range []string{kLogin, kIP} {
			if _, err := s.DB.W.ExecContext(ctx, s.DB.Rebind("INSERT INTO login_failures (key, at) VALUES (?, ?)"), k, now); err != nil {
				return nil, err
			}
		}
		s.Audit(ctx, "login_failed", id, login, ip, "")
		return nil, ErrBadCredentials
	}
	tok := RandomToken(32)
	sess := &Session{Token: tok, UserID: id, CSRF: RandomToken(24)}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.DB.Rebind("INSERT INTO sessions (id, user_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
			hashToken(tok), id, sess.CSRF, ip, truncate(userAgent, 255), now, now, now.Add(SessionIdle)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.DB.Rebind("DELETE FROM login_failures WHERE key = ? OR at < ?"), kLogin, now.Add(-Window)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.DB.Rebind("UPDATE users SET last_login_at = ? WHERE id = ?"), now, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.Audit(ctx, "login", id, login, ip, "")
	return sess, nil
}

func (s *Service) failures(ctx context.Context, key string, now time.Time) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, s.DB.Rebind("SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?"), key, now.Add(-Window)).Scan(&n)
	return n, err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Logout closes a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	_, err := s.DB.W.ExecContext(ctx, s.DB.Rebind("DELETE FROM sessions WHERE id = ?"), hashToken(token))
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
	err := s.DB.R.QueryRowContext(ctx, s.DB.Rebind("SELECT user_id, csrf_token, created_at, last_seen_at, expires_at FROM sessions WHERE id = ?"), hashToken(token)).
		Scan(&sess.UserID, &sess.CSRF, &created, &lastSeen, &expires)
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
	if now.Sub(ls) > time.Minute {
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
}

// CreateToken makes an API token for a user and returns its secret, shown once.
func (s *Service) CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (string, *Token, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "token"
	}
	if len(name) > 100 {
		return "", nil, record.E(record.CodeInvalid, "err.too_long", 100)
	}
	secret := TokenPrefix + RandomToken(32)
	now := s.Now()
	t := &Token{Name: name, Prefix: secret[:len(TokenPrefix)+6], CreatedAt: now}
	var exp any
	if ttl > 0 {
		e := now.Add(ttl)
		t.ExpiresAt, exp = &e, e
	}
	id, err := s.DB.InsertID(ctx, s.DB.W, "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
		userID, name, t.Prefix, hashToken(secret), now, exp)
	if err != nil {
		return "", nil, err
	}
	t.ID = id
	s.Audit(ctx, "token_created", userID, "", "", name)
	return secret, t, nil
}

// Tokens lists a user's tokens.
func (s *Service) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	rows, err := s.DB.R.QueryContext(ctx, s.DB.Rebind("SELECT id, name, prefix, created_at, last_used_at, expires_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id DESC"), userID)
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
		if err := rows.Scan(&t.ID, &t.Name, &t.Prefix, &c, &l, &e, &r); err != nil {
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
	res, err := s.DB.W.ExecContext(ctx, s.DB.Rebind("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL"), s.Now(), tokenID, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return record.ErrNotFound()
	}
	s.Audit(ctx, "token_revoked", userID, "", "", "")
	return nil
}

// UserByToken finds the user behind a live API token.
func (s *Service) UserByToken(ctx context.Context, secret string) (int64, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return 0, ErrBadCredentials
	}
	var uid int64
	var exp, used any
	h := hashToken(secret)
	err := s.DB.R.QueryRowContext(ctx, s.DB.Rebind("SELECT user_id, expires_at, last_used_at FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL"), h).Scan(&uid, &exp, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrBadCredentials
	}
	if err != nil {
		return 0, err
	}
	tsf := &record.Field{Kind: record.DateTime}
	if e, ok := tsf.FromDB(exp).(time.Time); ok && s.Now().After(e) {
		return 0, ErrBadCredentials
	}
	// Note the last use at most once a minute: a write per API call would queue every
	// request behind SQLite's single writer.
	if last, ok := tsf.FromDB(used).(time.Time); !ok || s.Now().Sub(last) > time.Minute {
		s.touch("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", s.Now(), h)
	}
	return uid, nil
}

// Actor builds the actor of a user: profile grants and the organisation tree.
func (s *Service) Actor(ctx context.Context, userID int64, origin string) (*record.Actor, error) {
	var login, lang, name string
	var active bool
	err := s.DB.R.QueryRowContext(ctx, s.DB.Rebind(`SELECT login, COALESCE(language, ''), active,
		COALESCE(NULLIF(TRIM(COALESCE(firstname, '') || ' ' || COALESCE(lastname, '')), ''), login)
		FROM users WHERE id = ? AND deleted_at IS NULL`), userID).Scan(&login, &lang, &active, &name)
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
	a := &record.Actor{UserID: userID, Login: login, Name: name, Lang: lang, Origin: origin, Tree: tree}
	rows, err := s.DB.R.QueryContext(ctx, s.DB.Rebind(`SELECT a.organization_id, a.recursive, p.name, p.rights FROM authorizations a
		JOIN profiles p ON p.id = a.profile_id AND p.deleted_at IS NULL WHERE a.user_id = ? AND a.deleted_at IS NULL`), userID)
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

// Audit records a security event; failures to record are not fatal to the request.
func (s *Service) Audit(ctx context.Context, event string, userID int64, login, ip, detail string) {
	var uid any
	if userID != 0 {
		uid = userID
	}
	s.DB.W.ExecContext(ctx, s.DB.Rebind("INSERT INTO audit_events (at, event, user_id, login, ip, detail) VALUES (?, ?, ?, ?, ?, ?)"),
		s.Now(), event, uid, truncate(login, 100), ip, truncate(detail, 500))
}

// ChangePassword lets users change their own password. The current password is
// checked under the same per-account throttle as logins, so this form cannot be used
// to guess it; success closes every session of the user.
func (s *Service) ChangePassword(ctx context.Context, userID int64, current, next, ip string) error {
	var login string
	var hash sql.NullString
	err := s.DB.R.QueryRowContext(ctx, s.DB.Rebind("SELECT login, password_hash FROM users WHERE id = ? AND deleted_at IS NULL"), userID).Scan(&login, &hash)
	if err != nil {
		return err
	}
	now := s.Now()
	key := "login:" + strings.ToLower(login)
	n, err := s.failures(ctx, key, now)
	if err != nil {
		return err
	}
	if n >= MaxLoginFails {
		s.Audit(ctx, "password_change_throttled", userID, login, ip, "")
		return ErrTooManyAttempts
	}
	if !hash.Valid || !CheckPassword(hash.String, current) {
		if _, err := s.DB.W.ExecContext(ctx, s.DB.Rebind("INSERT INTO login_failures (key, at) VALUES (?, ?)"), key, now); err != nil {
			return err
		}
		s.Audit(ctx, "password_change_failed", userID, login, ip, "")
		return &record.Error{Code: record.CodeInvalid, Msg: record.Msg{Key: "err.invalid"}, Fields: record.FieldErrors{"current": {Key: "err.wrong_current_password"}}}
	}
	tree, err := record.LoadOrgTree(ctx, s.DB)
	if err != nil {
		return err
	}
	// Users may change their own password whatever their profile; the history names them.
	self := record.SystemActor(tree, record.OriginWeb)
	self.UserID, self.Login, self.Name = userID, login, login
	if err := s.SetPassword(ctx, self, userID, next); err != nil {
		return err
	}
	s.Audit(ctx, "password_changed", userID, login, ip, "")
	return nil
}

// touch notes a last use in the background: the request it comes from must not
// wait behind SQLite's single writer (a long import, the planner's statistics
// being refreshed) for a timestamp that is only informative.
func (s *Service) touch(query string, args ...any) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := s.DB.W.ExecContext(ctx, s.DB.Rebind(query), args...); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			slog.Debug("note last use", "err", err)
		}
	}()
}
