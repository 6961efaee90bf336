package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"parc/internal/record"
	"parc/internal/store"
)

// Sign-in stages of a session (sessions.stage).
const (
	// StageCode: the password was right; the second factor is awaited.
	StageCode = "code"
	// StageEnrol: a profile of the user requires a second factor they have not
	// set up; the enrolment is all they may do.
	StageEnrol = "enrol"
	// CodeStageTTL bounds the wait between the password and the code.
	CodeStageTTL = 5 * time.Minute
	// RecoveryCodeCount recovery codes are given at enrolment, each usable once.
	RecoveryCodeCount = 10
	// totpPeriod is RFC 6238's time step; one step of clock skew either way is accepted.
	totpPeriod = 30
)

var (
	// ErrBadCode answers a wrong, reused or expired second-factor code.
	ErrBadCode = record.E(record.CodeUnauthorized, "err.bad_code")
	// ErrNoCodeStage answers a code sent without a password checked first.
	ErrNoCodeStage = record.E(record.CodeUnauthorized, "err.code_stage_expired")
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

func totpContext(userID int64) string { return "user_totp.secret:" + record.Format(userID) }

// opener is the secret box (internal/secret) the record service seals with.
type opener interface {
	record.Sealer
	Open(sealed, context string) (string, error)
}

func (s *Service) sealer() (opener, error) {
	box, ok := s.Rec.Sealer.(opener)
	if !ok {
		return nil, errors.New("two-factor sign-in needs a secret box")
	}
	return box, nil
}

// TwoFactorStatus is what the account page says of a user's second factor.
type TwoFactorStatus struct {
	Enrolled bool
	Required bool // a profile of the user requires it
	// RecoveryLeft is the number of unused recovery codes.
	RecoveryLeft int
}

// TwoFactor tells whether a user has a second factor and must have one.
func (s *Service) TwoFactor(ctx context.Context, userID int64) (TwoFactorStatus, error) {
	var st TwoFactorStatus
	var n int
	if err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM user_totp WHERE user_id = ? AND confirmed_at IS NOT NULL", userID).Scan(&n); err != nil {
		return st, err
	}
	st.Enrolled = n > 0
	req, err := s.twoFactorRequired(ctx, s.DB, userID)
	if err != nil {
		return st, err
	}
	st.Required = req
	err = s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = ? AND used_at IS NULL", userID).Scan(&st.RecoveryLeft)
	return st, err
}

// twoFactorRequired: a live authorization of the user is through a profile that
// requires a second factor.
func (s *Service) twoFactorRequired(ctx context.Context, q store.Querier, userID int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM authorizations a JOIN profiles p ON p.id = a.profile_id AND p.deleted_at IS NULL
		WHERE a.user_id = ? AND a.deleted_at IS NULL AND p.two_factor_required = ?`, userID, true).Scan(&n)
	return n > 0, err
}

// signInStage is the stage a session opens at once the password is right.
func (s *Service) signInStage(ctx context.Context, userID int64) (string, error) {
	var n int
	if err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM user_totp WHERE user_id = ? AND confirmed_at IS NOT NULL", userID).Scan(&n); err != nil {
		return "", err
	}
	if n > 0 {
		return StageCode, nil
	}
	req, err := s.twoFactorRequired(ctx, s.DB, userID)
	if err != nil || !req {
		return "", err
	}
	return StageEnrol, nil
}

// Enrolment is a second factor being set up: the secret for an authenticator
// app, as text, as an otpauth:// URI and as a QR code (a PNG data URI).
type Enrolment struct {
	Secret, URI, QR string
}

// BeginEnrolment gives the secret a user is to enter in their authenticator app.
// The secret is kept, sealed, until confirmed with a code; asking again gives the
// same one, so that a reloaded page still matches the app.
func (s *Service) BeginEnrolment(ctx context.Context, userID int64, login string) (*Enrolment, error) {
	box, err := s.sealer()
	if err != nil {
		return nil, err
	}
	var sealed string
	var confirmed any
	err = s.DB.QueryRowContext(ctx, "SELECT secret, confirmed_at FROM user_totp WHERE user_id = ?", userID).Scan(&sealed, &confirmed)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err == nil && confirmed != nil {
		return nil, record.E(record.CodeConflict, "err.two_factor_enrolled")
	}
	var key *otp.Key
	if err == nil {
		plain, oerr := box.Open(sealed, totpContext(userID))
		if oerr != nil {
			return nil, oerr
		}
		key, err = otp.NewKeyFromURL(plain)
		if err != nil {
			return nil, err
		}
	} else {
		key, err = totp.Generate(totp.GenerateOpts{Issuer: "parc", AccountName: login, Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return nil, err
		}
		sealed, err = box.Seal(key.URL(), totpContext(userID))
		if err != nil {
			return nil, err
		}
		if _, err := s.DB.Exec(ctx, "INSERT INTO user_totp (user_id, secret, created_at) VALUES (?, ?, ?)", userID, sealed, s.Now()); err != nil {
			return nil, err
		}
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &Enrolment{Secret: key.Secret(), URI: key.URL(), QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// matchTOTP finds the time step, after lastStep, whose code is code: the current
// step or one either side (clock skew).
func matchTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0, false
	}
	for _, d := range []int64{0, -1, 1} {
		t := now.Add(time.Duration(d*totpPeriod) * time.Second)
		step := t.Unix() / totpPeriod
		if step <= lastStep {
			continue
		}
		if ok, err := totp.ValidateCustom(code, secret, t, totpOpts); err == nil && ok {
			return step, true
		}
	}
	return 0, false
}

// totpSecret opens a user's sealed secret.
func (s *Service) totpSecret(ctx context.Context, q store.Querier, userID int64, confirmed bool) (string, int64, error) {
	box, err := s.sealer()
	if err != nil {
		return "", 0, err
	}
	var sealed string
	var last int64
	query := "SELECT secret, last_step FROM user_totp WHERE user_id = ? AND confirmed_at IS NULL"
	if confirmed {
		query = "SELECT secret, last_step FROM user_totp WHERE user_id = ? AND confirmed_at IS NOT NULL"
	}
	if err := q.QueryRowContext(ctx, query, userID).Scan(&sealed, &last); err != nil {
		return "", 0, err
	}
	plain, err := box.Open(sealed, totpContext(userID))
	if err != nil {
		return "", 0, err
	}
	key, err := otp.NewKeyFromURL(plain)
	if err != nil {
		return "", 0, err
	}
	return key.Secret(), last, nil
}

// ConfirmEnrolment checks the first code of the user's app, under the sign-in
// limits, turns the second factor on and returns the recovery codes, shown once.
// The session it comes from (token) is signed in fully if it was held at
// enrolment.
func (s *Service) ConfirmEnrolment(ctx context.Context, userID int64, code, token, ip string) ([]string, error) {
	var login string
	if err := s.DB.QueryRowContext(ctx, "SELECT login FROM users WHERE id = ?", userID).Scan(&login); err != nil {
		return nil, err
	}
	secret, _, err := s.totpSecret(ctx, s.DB, userID, false)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, record.E(record.CodeConflict, "err.two_factor_enrolled")
	}
	if err != nil {
		return nil, err
	}
	res, err := s.reserve(ctx, keysFor(login, ip), "two_factor", userID, login, ip)
	if err != nil {
		return nil, err
	}
	step, ok := matchTOTP(secret, code, s.Now(), 0)
	if !ok {
		if err := s.Audit(ctx, "two_factor_enrol_failed", userID, login, ip, ""); err != nil {
			return nil, err
		}
		return nil, ErrBadCode
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
	}
	actx, cancel := auditContext(ctx)
	defer cancel()
	err = s.DB.Tx(actx, func(tx *store.Tx) error {
		r, err := tx.ExecContext(actx, "UPDATE user_totp SET confirmed_at = ?, last_step = ? WHERE user_id = ? AND confirmed_at IS NULL", s.Now(), step, userID)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return record.E(record.CodeConflict, "err.two_factor_enrolled")
		}
		if _, err := tx.ExecContext(actx, "DELETE FROM user_recovery_codes WHERE user_id = ?", userID); err != nil {
			return err
		}
		for _, c := range codes {
			if _, err := tx.ExecContext(actx, "INSERT INTO user_recovery_codes (user_id, code_hash) VALUES (?, ?)", userID, hashToken(normaliseRecovery(c))); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(actx, "UPDATE sessions SET stage = '' WHERE id = ? AND user_id = ? AND stage = ?", hashToken(token), userID, StageEnrol); err != nil {
			return err
		}
		if err := s.settleTx(actx, tx, res); err != nil {
			return err
		}
		return s.auditTx(actx, tx, "two_factor_enrolled", userID, login, ip, "")
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// newRecoveryCode is ten random characters in two groups ("k3f9x-7mq2p").
func newRecoveryCode() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	raw := make([]byte, 10)
	if _, err := rand.Read(raw); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	var b strings.Builder
	for i := 0; i < 10; i++ {
		if i == 5 {
			b.WriteByte('-')
		}
		b.WriteByte(alphabet[int(raw[i])%len(alphabet)])
	}
	return b.String()
}

func normaliseRecovery(c string) string {
	c = strings.ToLower(strings.TrimSpace(c))
	return strings.NewReplacer("-", "", " ", "").Replace(c)
}

// VerifySecondFactor checks the code (from the app, or a recovery code) of a
// session whose password was right, under the same limits as the password. On
// success the session is replaced by a signed-in one (a new token).
func (s *Service) VerifySecondFactor(ctx context.Context, token, code, ip, userAgent string) (*Session, error) {
	var userID int64
	var login string
	var created any
	err := s.DB.QueryRowContext(ctx, `SELECT s.user_id, u.login, s.created_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id = ? AND s.stage = ?`, hashToken(token), StageCode).Scan(&userID, &login, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoCodeStage
	}
	if err != nil {
		return nil, err
	}
	tsf := &record.Field{Kind: record.DateTime}
	if cr, _ := tsf.FromDB(created).(time.Time); s.Now().Sub(cr) > CodeStageTTL {
		s.Logout(ctx, token)
		return nil, ErrNoCodeStage
	}
	res, err := s.reserve(ctx, keysFor(login, ip), "two_factor", userID, login, ip)
	if err != nil {
		return nil, err
	}
	secret, last, err := s.totpSecret(ctx, s.DB, userID, true)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	step, totpOK := matchTOTP(secret, code, now, last)
	via := "totp"
	if !totpOK {
		via = "recovery_code"
	}
	var mustChange bool
	if err := s.DB.QueryRowContext(ctx, "SELECT password_change_required FROM users WHERE id = ?", userID).Scan(&mustChange); err != nil {
		return nil, err
	}
	sess := &Session{Token: RandomToken(32), UserID: userID, CSRF: RandomToken(24), MustChangePassword: mustChange}
	actx, cancel := auditContext(ctx)
	defer cancel()
	accepted := false
	err = s.DB.Tx(actx, func(tx *store.Tx) error {
		accepted = false
		var r sql.Result
		var err error
		if totpOK {
			// The step is taken in the same statement that checks it was not: two
			// requests with one code cannot both pass.
			r, err = tx.ExecContext(actx, "UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?", step, userID, step)
		} else {
			r, err = tx.ExecContext(actx, "UPDATE user_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
				now, userID, hashToken(normaliseRecovery(code)))
		}
		if err != nil {
			return err
		}
		n, err := r.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		accepted = true
		if _, err := tx.ExecContext(actx, "DELETE FROM sessions WHERE id = ?", hashToken(token)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(actx, "INSERT INTO sessions (id, user_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			hashToken(sess.Token), userID, sess.CSRF, ip, truncate(userAgent, 255), now, now, now.Add(SessionIdle)); err != nil {
			return err
		}
		if err := s.settleTx(actx, tx, res); err != nil {
			return err
		}
		if _, err := tx.ExecContext(actx, "UPDATE users SET last_login_at = ? WHERE id = ?", now, userID); err != nil {
			return err
		}
		return s.auditTx(actx, tx, "login", userID, login, ip, via)
	})
	if err != nil {
		return nil, err
	}
	if !accepted {
		if err := s.Audit(ctx, "two_factor_failed", userID, login, ip, ""); err != nil {
			return nil, err
		}
		return nil, ErrBadCode
	}
	return sess, nil
}

// ResetTwoFactor removes a user's second factor and recovery codes, for an actor
// who may change the user's account; the user enrols again at their next sign-in
// if a profile requires it.
func (s *Service) ResetTwoFactor(ctx context.Context, actor *record.Actor, userID int64, ip string) error {
	login, err := s.manageable(ctx, actor, userID)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM user_totp WHERE user_id = ?", userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM user_recovery_codes WHERE user_id = ?", userID); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, "two_factor_reset", userID, login, ip, "by "+actor.Login)
	})
}

// manageable checks that actor may change user userID's account, and returns
// the user's login.
func (s *Service) manageable(ctx context.Context, actor *record.Actor, userID int64) (string, error) {
	users := s.Rec.Reg.MustType("users")
	r, err := s.Rec.Get(ctx, actor, users, userID)
	if err != nil {
		return "", err
	}
	if !actor.CanIn(users, record.Update, r.OrgID) {
		return "", record.ErrForbidden()
	}
	return r.String("login"), nil
}

// KeepSignedIn signs in fully a session that Login opened at the code stage for
// a user who was already signed in with their second factor and has just changed
// their password (which closes every session): asking for the code again would
// add nothing.
func (s *Service) KeepSignedIn(ctx context.Context, sess *Session) error {
	if sess.Stage != StageCode {
		return nil
	}
	now := s.Now()
	if _, err := s.DB.Exec(ctx, "UPDATE sessions SET stage = '', expires_at = ? WHERE id = ? AND stage = ?", now.Add(SessionIdle), hashToken(sess.Token), StageCode); err != nil {
		return err
	}
	sess.Stage = ""
	return nil
}
