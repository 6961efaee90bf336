package ui

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"parc/internal/auth"
	"parc/internal/httpctx"
	"parc/internal/record"
)

func init() {
	pageNames = append(pageNames, "login_code", "two_factor")
	pageParts["item"] = append(pageParts["item"], "templates/twofactor_parts.html")
	doneKeys["session_revoked"] = "ui.sessions.revoked_one"
	doneKeys["sessions_revoked"] = "ui.sessions.revoked_others"
	doneKeys["two_factor_reset"] = "ui.twofactor.reset_done"
}

func (u *UI) registerTwoFactor(mux *http.ServeMux) {
	mux.HandleFunc("GET /login/code", u.loginCodeForm)
	mux.HandleFunc("POST /login/code", u.loginCode)
	mux.HandleFunc("GET /account/two-factor", u.page(u.twoFactor))
	mux.HandleFunc("POST /account/two-factor", u.page(u.twoFactorConfirm))
	mux.HandleFunc("POST /account/sessions/revoke", u.page(u.revokeSession))
	mux.HandleFunc("POST /account/sessions/revoke-others", u.page(u.revokeOtherSessions))
	mux.HandleFunc("POST /users/{id}/reset-two-factor", u.page(u.userSecurity("reset-two-factor")))
	mux.HandleFunc("POST /users/{id}/revoke-sessions", u.page(u.userSecurity("revoke-sessions")))
}

// CodePage is the second step of a sign-in: the code of the authenticator app,
// or a recovery code.
type CodePage struct {
	Base
	Error string
}

// loginCodeForm asks for the code once the password was right.
func (u *UI) loginCodeForm(w http.ResponseWriter, r *http.Request) {
	c := u.newReq(w, r)
	if c.Sess == nil || c.Sess.Stage != auth.StageCode {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	u.render(w, r, http.StatusOK, "login_code", &CodePage{Base: u.base(c, c.T("ui.twofactor.code_title"), "")})
}

func (u *UI) loginCode(w http.ResponseWriter, r *http.Request) {
	c := u.newReq(w, r)
	if c.Sess == nil || c.Sess.Stage != auth.StageCode {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if err := parseForm(c); err != nil {
		u.fail(w, r, err)
		return
	}
	sess, err := u.App.Auth.VerifySecondFactor(r.Context(), c.Sess.Token, r.PostFormValue("code"), httpctx.ClientIP(r), r.UserAgent())
	if err != nil {
		e, ok := record.AsError(err)
		if !ok {
			u.fail(w, r, err)
			return
		}
		if e == auth.ErrNoCodeStage {
			setCookie(w, r, httpctx.SessionCookie, "", -1)
			u.render(w, r, e.Code.HTTPStatus(), "login", &LoginPage{Base: u.base(&req{W: w, R: r, Lang: c.Lang, cat: c.cat}, c.T("ui.login.title"), ""), Error: c.T(e.Msg.Key, e.Msg.Args...)})
			return
		}
		if secs, ok := auth.RetryAfter(err); ok {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		u.render(w, r, e.Code.HTTPStatus(), "login_code", &CodePage{Base: u.base(c, c.T("ui.twofactor.code_title"), ""), Error: c.T(e.Msg.Key, e.Msg.Args...)})
		return
	}
	setCookie(w, r, httpctx.SessionCookie, sess.Token, 0)
	next := "/"
	if a, err := u.App.Auth.Actor(r.Context(), sess.UserID, record.OriginWeb); err == nil && u.portalOnly(a) {
		next = "/portal"
	}
	if sess.MustChangePassword {
		next = "/account"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// TwoFactorPage sets up the second factor: the secret as a QR code and as text,
// the confirming code, then the recovery codes shown once.
type TwoFactorPage struct {
	Base
	Status     auth.TwoFactorStatus
	Enrolment  *auth.Enrolment
	Recovery   []string
	Error      string
	MustEnrol  bool
	SecretText string // the secret in groups of four, easier to type
	// QR is the enrolment's QR code, a PNG data URI made here (never an outside service).
	QR template.URL
}

func (u *UI) twoFactorPage(c *req, status int, codeErr string, recovery []string) error {
	ctx := c.R.Context()
	st, err := u.App.Auth.TwoFactor(ctx, c.Actor.UserID)
	if err != nil {
		return err
	}
	p := &TwoFactorPage{Base: u.base(c, c.T("ui.twofactor.title"), "/account"), Status: st, Recovery: recovery, Error: codeErr,
		MustEnrol: c.Sess.Stage == auth.StageEnrol}
	if !st.Enrolled {
		if p.Enrolment, err = u.App.Auth.BeginEnrolment(ctx, c.Actor.UserID, c.Actor.Login); err != nil {
			return err
		}
		var groups []string
		for s := p.Enrolment.Secret; s != ""; {
			n := min(4, len(s))
			groups, s = append(groups, s[:n]), s[n:]
		}
		p.SecretText = strings.Join(groups, " ")
		if strings.HasPrefix(p.Enrolment.QR, "data:image/png;base64,") {
			p.QR = template.URL(p.Enrolment.QR)
		}
	}
	return u.renderPage(c, status, "two_factor", p)
}

func (u *UI) twoFactor(c *req) error { return u.twoFactorPage(c, http.StatusOK, "", nil) }

// twoFactorConfirm checks the first code and shows the recovery codes.
func (u *UI) twoFactorConfirm(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	codes, err := u.App.Auth.ConfirmEnrolment(c.R.Context(), c.Actor.UserID, c.R.PostFormValue("code"), c.Sess.Token, httpctx.ClientIP(c.R))
	if e, ok := record.AsError(err); ok {
		if secs, ok := auth.RetryAfter(err); ok {
			c.W.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		return u.twoFactorPage(c, e.Code.HTTPStatus(), c.T(e.Msg.Key, e.Msg.Args...), nil)
	}
	if err != nil {
		return err
	}
	c.Sess.Stage = ""
	return u.twoFactorPage(c, http.StatusOK, "", codes)
}

// revokeSession closes one of the user's own sessions.
func (u *UI) revokeSession(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	if err := u.App.Auth.RevokeSession(c.R.Context(), c.Actor.UserID, c.R.PostFormValue("session"), httpctx.ClientIP(c.R)); err != nil {
		return err
	}
	return redirect(c, "/account?done=session_revoked#sessions")
}

// revokeOtherSessions closes every session of the user but this one.
func (u *UI) revokeOtherSessions(c *req) error {
	if err := u.App.Auth.RevokeOtherSessions(c.R.Context(), c.Actor.UserID, c.Sess.Token, httpctx.ClientIP(c.R)); err != nil {
		return err
	}
	return redirect(c, "/account?done=sessions_revoked#sessions")
}

// userSecurity is an administrator's action on a user's sign-in: reset the
// second factor, or close every session.
func (u *UI) userSecurity(action string) handler {
	return func(c *req) error { return u.userSecurityAction(c, action) }
}

func (u *UI) userSecurityAction(c *req, action string) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, ip := c.R.Context(), httpctx.ClientIP(c.R)
	done := ""
	switch action {
	case "reset-two-factor":
		err, done = u.App.Auth.ResetTwoFactor(ctx, c.Actor, id, ip), "two_factor_reset"
	case "revoke-sessions":
		err, done = u.App.Auth.RevokeUserSessions(ctx, c.Actor, id, ip), "sessions_revoked"
	default:
		return record.ErrNotFound()
	}
	if err != nil {
		return err
	}
	return redirect(c, "/users/"+strconv.FormatInt(id, 10)+"?done="+done)
}

// tokenTTL reads a token's expiry date (YYYY-MM-DD, the end of that day in the
// instance's time zone): 0 for none; a past date is refused.
func tokenTTL(date string, now time.Time, loc *time.Location) (time.Duration, error) {
	if date == "" {
		return 0, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	d, err := time.ParseInLocation("2006-01-02", date, loc)
	if err != nil {
		return 0, record.E(record.CodeInvalid, "err.token_expiry_bad")
	}
	end := d.AddDate(0, 0, 1)
	if !end.After(now) {
		return 0, record.E(record.CodeInvalid, "err.token_expiry_past")
	}
	return end.Sub(now), nil
}

// scopeText says what a token may do, in words.
func (u *UI) scopeText(c *req, scope string) string {
	switch {
	case scope == "":
		return c.T("ui.tokens.scope_all")
	case scope == auth.ScopeRead:
		return c.T("ui.tokens.scope_read")
	}
	list, _ := strings.CutPrefix(scope, auth.ScopeTypesPrefix)
	var names []string
	for _, n := range strings.Split(list, ",") {
		if t, ok := u.App.Reg.Type(n); ok {
			names = append(names, c.T(typeKey(t, true)))
		}
	}
	return c.T("ui.tokens.scope_types", strings.Join(names, ", "))
}

// browserName is a short name of the browser and system of a User-Agent.
func browserName(ua string) string {
	if ua == "" {
		return ""
	}
	b := ""
	for _, k := range []struct{ key, name string }{{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"}, {"Go-http-client", "Go"}} {
		if strings.Contains(ua, k.key) {
			b = k.name
			break
		}
	}
	sys := ""
	for _, k := range []struct{ key, name string }{{"Windows", "Windows"}, {"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iOS"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"}} {
		if strings.Contains(ua, k.key) {
			sys = k.name
			break
		}
	}
	switch {
	case b != "" && sys != "":
		return b + " · " + sys
	case b != "":
		return b
	case sys != "":
		return sys
	}
	return truncateRunes(ua, 60)
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// UserSecurityView is a user's sign-in on their page, for an administrator: the
// second factor, the open sessions, and the actions on them.
type UserSecurityView struct {
	Href, CSRF string
	TwoFactor  auth.TwoFactorStatus
	Sessions   int
}

func (u *UI) userSecurityPanel(c *req, t *record.Type, rec *record.Record, p *ItemPage) error {
	if !c.Actor.CanIn(t, record.Update, rec.OrgID) || rec.DeletedAt != nil {
		return nil
	}
	ctx := c.R.Context()
	st, err := u.App.Auth.TwoFactor(ctx, rec.ID)
	if err != nil {
		return err
	}
	ss, err := u.App.Auth.Sessions(ctx, rec.ID, "")
	if err != nil {
		return err
	}
	p.UserSecurity = &UserSecurityView{Href: "/users/" + strconv.FormatInt(rec.ID, 10), CSRF: c.Sess.CSRF, TwoFactor: st, Sessions: len(ss)}
	return nil
}
