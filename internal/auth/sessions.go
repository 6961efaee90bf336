package auth

import (
	"context"
	"net/http"
	"strings"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// SessionInfo is one signed-in browser of a user, as listed to them.
type SessionInfo struct {
	// ID identifies the session in a revocation: the hash of its token, never the token.
	ID                 string
	Created, LastSeen  time.Time
	Address, UserAgent string
	Current            bool
}

// Sessions lists a user's live, signed-in sessions, the most recent first;
// current is the token of the session asking.
func (s *Service) Sessions(ctx context.Context, userID int64, current string) ([]SessionInfo, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, created_at, last_seen_at, COALESCE(ip, ''), COALESCE(user_agent, '') FROM sessions
		WHERE user_id = ? AND stage = '' AND expires_at > ? ORDER BY last_seen_at DESC`, userID, s.Now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tsf := &record.Field{Kind: record.DateTime}
	cur := hashToken(current)
	out := []SessionInfo{}
	for rows.Next() {
		var si SessionInfo
		var c, l any
		if err := rows.Scan(&si.ID, &c, &l, &si.Address, &si.UserAgent); err != nil {
			return nil, err
		}
		si.Created, _ = tsf.FromDB(c).(time.Time)
		si.LastSeen, _ = tsf.FromDB(l).(time.Time)
		si.Current = si.ID == cur
		out = append(out, si)
	}
	return out, rows.Err()
}

// RevokeSession closes one of a user's sessions.
func (s *Service) RevokeSession(ctx context.Context, userID int64, id, ip string) error {
	return s.DB.Tx(ctx, func(tx *store.Tx) error {
		r, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id = ? AND user_id = ?", id, userID)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return record.ErrNotFound()
		}
		return s.auditTx(ctx, tx, "session_revoked", userID, "", ip, "")
	})
}

// RevokeOtherSessions closes every session of a user but the one asking.
func (s *Service) RevokeOtherSessions(ctx context.Context, userID int64, current, ip string) error {
	return s.DB.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", userID, hashToken(current)); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, "sessions_revoked", userID, "", ip, "others")
	})
}

// RevokeUserSessions closes every session of a user, for an actor who may change
// the user's account.
func (s *Service) RevokeUserSessions(ctx context.Context, actor *record.Actor, userID int64, ip string) error {
	login, err := s.manageable(ctx, actor, userID)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, "sessions_revoked", userID, login, ip, "by "+actor.Login)
	})
}

// Token scopes: "" everything the user may do, ScopeRead reads only,
// ScopeTypesPrefix+"a,b" the API of those record types only.
const (
	ScopeRead        = "read"
	ScopeTypesPrefix = "types:"
)

var (
	// ErrTokenExpired answers a token past its expiry date.
	ErrTokenExpired = record.E(record.CodeUnauthorized, "err.token_expired")
	// ErrTokenReadOnly answers a write with a read-only token.
	ErrTokenReadOnly = record.E(record.CodeForbidden, "err.token_read_only")
)

// NormaliseScope checks a token scope and writes it in its kept form.
func (s *Service) NormaliseScope(scope string) (string, error) {
	scope = strings.TrimSpace(scope)
	if scope == "" || scope == ScopeRead {
		return scope, nil
	}
	list, ok := strings.CutPrefix(scope, ScopeTypesPrefix)
	if !ok {
		return "", record.E(record.CodeInvalid, "err.bad_token_scope", scope)
	}
	var names []string
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if _, ok := s.Rec.Reg.Type(n); !ok {
			return "", record.E(record.CodeInvalid, "err.bad_token_scope", n)
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return "", record.E(record.CodeInvalid, "err.bad_token_scope", scope)
	}
	return ScopeTypesPrefix + strings.Join(names, ","), nil
}

// TokenAllows tells whether a token of this scope may make an API request:
// nil, or the error to answer with (403, naming what the scope allows).
func TokenAllows(scope, method, path string) error {
	if scope == "" {
		return nil
	}
	read := method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
	if scope == ScopeRead {
		if read {
			return nil
		}
		return ErrTokenReadOnly
	}
	list, _ := strings.CutPrefix(scope, ScopeTypesPrefix)
	rest, _ := strings.CutPrefix(path, "/api/v1/")
	first, _, _ := strings.Cut(rest, "/")
	if first == "me" && read {
		return nil
	}
	for _, n := range strings.Split(list, ",") {
		if n != "" && n == first {
			return nil
		}
	}
	return record.E(record.CodeForbidden, "err.token_out_of_scope", strings.ReplaceAll(list, ",", ", "))
}
