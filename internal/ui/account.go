package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"parc/internal/auth"
	"parc/internal/dashboard"
	"parc/internal/httpctx"
	"parc/internal/i18n"
	"parc/internal/record"
)

// LoginPage is the sign-in form.
type LoginPage struct {
	Base
	Login string
	Next  string
	Error string
}

func (u *UI) loginForm(w http.ResponseWriter, r *http.Request) {
	c := u.newReq(w, r)
	next := localPath(r.URL.Query().Get("next"))
	if c.Sess != nil && c.Sess.Stage == auth.StageCode {
		http.Redirect(w, r, "/login/code", http.StatusSeeOther)
		return
	}
	if c.Actor != nil && c.Sess != nil {
		if next == "" {
			next = "/"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	u.render(w, r, http.StatusOK, "login", &LoginPage{Base: u.base(c, c.T("ui.login.title"), ""), Next: next})
}

func (u *UI) login(w http.ResponseWriter, r *http.Request) {
	c := u.newReq(w, r)
	if err := parseForm(c); err != nil {
		u.fail(w, r, err)
		return
	}
	login := strings.TrimSpace(r.PostFormValue("login"))
	next := localPath(r.PostFormValue("next"))
	sess, err := u.App.Auth.Login(r.Context(), login, r.PostFormValue("password"), httpctx.ClientIP(r), r.UserAgent())
	if err != nil {
		e, ok := record.AsError(err)
		if !ok {
			u.fail(w, r, err)
			return
		}
		if secs, ok := auth.RetryAfter(err); ok {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		p := &LoginPage{Base: u.base(c, c.T("ui.login.title"), ""), Login: login, Next: next, Error: c.T(e.Msg.Key, e.Msg.Args...)}
		u.render(w, r, e.Code.HTTPStatus(), "login", p)
		return
	}
	setCookie(w, r, httpctx.SessionCookie, sess.Token, 0)
	if next == "" || strings.HasPrefix(next, "/login") {
		next = "/"
	}
	// Requesters land on the portal's home: the other pages are not theirs.
	if !portalPath(next) {
		if a, err := u.App.Auth.Actor(r.Context(), sess.UserID, record.OriginWeb); err == nil && u.portalOnly(a) {
			next = "/portal"
		}
	}
	if sess.MustChangePassword {
		next = "/account"
	}
	switch sess.Stage {
	case auth.StageCode:
		next = "/login/code"
	case auth.StageEnrol:
		next = "/account/two-factor"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (u *UI) logout(w http.ResponseWriter, r *http.Request) {
	if s := httpctx.Session(r.Context()); s != nil {
		if err := u.App.Auth.Logout(r.Context(), s.Token); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	setCookie(w, r, httpctx.SessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// setLang keeps the chosen language in a cookie for a year and goes back to the page.
func (u *UI) setLang(w http.ResponseWriter, r *http.Request) {
	c := u.newReq(w, r)
	if err := parseForm(c); err != nil {
		u.fail(w, r, err)
		return
	}
	if lang := r.PostFormValue("lang"); i18n.Supported(lang) {
		setCookie(w, r, httpctx.LangCookie, lang, 365*24*3600)
	}
	back := "/"
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Host != "" {
		back = localPath(ref.RequestURI())
	} else if b := localPath(r.PostFormValue("back")); b != "" {
		back = b
	}
	if back == "" {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// DashboardPage shows how many assets of each kind there are.
type DashboardPage struct {
	Base
	Tech    *TechHome    // technicians: their queues
	Manager *ManagerHome // supervisors and administrators: backlog and trends
	Cards   []Card       // the asset counters (administrators, and readers of no ticket)
	// Contracts: notice deadlines and ends coming (technicians and managers).
	Contracts []HomeBlock
}

// Card is one count of the dashboard.
type Card struct {
	Label, Count, Href, NewHref string
}

// dashboard is the home page by role (internal/dashboard): a technician's queues,
// a supervisor's backlog and trends with the asset counters, the asset counters
// alone for who reads no ticket. Requesters never get here: page sends them to
// the portal.
func (u *UI) dashboard(c *req) error {
	p := &DashboardPage{Base: u.base(c, c.T("ui.dashboard.title"), "/")}
	var err error
	switch u.homeRole(c) {
	case dashboard.RoleTechnician:
		p.Tech, err = u.techHome(c)
	case dashboard.RoleManager:
		if p.Manager, err = u.managerHome(c); err == nil {
			p.Cards, err = u.assetCards(c)
		}
	default:
		p.Cards, err = u.assetCards(c)
	}
	if err == nil && (p.Tech != nil || p.Manager != nil) {
		p.Contracts, err = u.contractHome(c)
	}
	if err != nil {
		return err
	}
	return u.renderPage(c, http.StatusOK, "dashboard", p)
}

func (u *UI) renderPage(c *req, status int, page string, data any) error {
	u.render(c.W, c.R, status, page, data)
	return nil
}

// AccountPage is the signed-in user's own settings.
type AccountPage struct {
	Base
	Name, Login string
	Language    string // saved preference, "" for automatic
	Languages   []Option
	// ExportFormats are the choices of how exports are written, the kept one selected.
	ExportFormats []Option
	PwErrors      map[string]string
	Tokens        []TokenView
	NewSecret     string
	NewTokenName  string
	TokenError    string
	// MustChange: signed in with a one-time password, the user must choose theirs.
	MustChange bool
	// TwoFactor is the state of the user's second factor; Sessions their
	// signed-in browsers.
	TwoFactor auth.TwoFactorStatus
	Sessions  []SessionView
	// Scopes are the choices of an API token's scope; NewTokenExpires the
	// expiry date typed in a refused form.
	Scopes          []Option
	NewTokenExpires string
	// TokenTypes are the types a token may be limited to, by their names.
	TokenTypes []Option
}

// SessionView is one signed-in browser as listed.
type SessionView struct {
	ID, Created, LastSeen, Address, Browser string
	Current                                 bool
}

// TokenView is one API token as listed.
type TokenView struct {
	ID                         int64
	Name, Prefix               string
	Created, LastUsed, Expires string
	Scope                      string
	Revoked, Expired           bool
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

func (u *UI) accountPage(c *req) (*AccountPage, error) {
	p := &AccountPage{Base: u.base(c, c.T("ui.account.title"), "/account"), Name: c.Actor.Name, Login: c.Actor.Login,
		Language: c.Actor.Lang, PwErrors: map[string]string{}, MustChange: c.Sess.MustChangePassword}
	cur := c.Actor.Lang
	if cur == "" {
		cur = c.Lang
	}
	for _, l := range i18n.Languages {
		p.Languages = append(p.Languages, Option{Value: l, Label: c.T("enum.language." + l), Selected: l == cur})
	}
	for _, f := range []string{"", record.ExportFormatFR, record.ExportFormatEN} {
		key := "ui.account.export_auto"
		if f != "" {
			key = "enum.export_format." + f
		}
		p.ExportFormats = append(p.ExportFormats, Option{Value: f, Label: c.T(key), Selected: f == c.Actor.ExportFormat})
	}
	ts, err := u.App.Auth.Tokens(c.R.Context(), c.Actor.UserID)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		tv := TokenView{ID: t.ID, Name: t.Name, Prefix: t.Prefix, Created: fmtDateTime(c.Lang, t.CreatedAt, u.Loc), Revoked: t.RevokedAt != nil}
		if t.LastUsedAt != nil {
			tv.LastUsed = fmtDateTime(c.Lang, *t.LastUsedAt, u.Loc)
		}
		if t.ExpiresAt != nil {
			tv.Expires = fmtDateTime(c.Lang, *t.ExpiresAt, u.Loc)
			tv.Expired = u.App.Auth.Now().After(*t.ExpiresAt)
		}
		tv.Scope = u.scopeText(c, t.Scope)
		p.Tokens = append(p.Tokens, tv)
	}
	ctx := c.R.Context()
	if p.TwoFactor, err = u.App.Auth.TwoFactor(ctx, c.Actor.UserID); err != nil {
		return nil, err
	}
	ss, err := u.App.Auth.Sessions(ctx, c.Actor.UserID, c.Sess.Token)
	if err != nil {
		return nil, err
	}
	for _, si := range ss {
		p.Sessions = append(p.Sessions, SessionView{ID: si.ID, Created: fmtDateTime(c.Lang, si.Created, u.Loc), LastSeen: fmtDateTime(c.Lang, si.LastSeen, u.Loc),
			Address: si.Address, Browser: browserName(si.UserAgent), Current: si.Current})
	}
	p.Scopes = []Option{{Value: "", Label: c.T("ui.tokens.scope_all")}, {Value: auth.ScopeRead, Label: c.T("ui.tokens.scope_read")}}
	for _, t := range u.App.Reg.Types() {
		if c.Actor.Can(t, record.Read) {
			p.TokenTypes = append(p.TokenTypes, Option{Value: t.Name, Label: c.T(typeKey(t, true))})
		}
	}
	names := collate.New(language.Make(c.Lang), collate.Loose) // "Équipements" among the E's
	slices.SortFunc(p.TokenTypes, func(a, b Option) int { return names.CompareString(a.Label, b.Label) })
	return p, nil
}

func (u *UI) account(c *req) error {
	p, err := u.accountPage(c)
	if err != nil {
		return err
	}
	return u.renderPage(c, http.StatusOK, "account", p)
}

// accountLanguage keeps the language on the user's record when their rights allow
// it, and in the language cookie in every case.
func (u *UI) accountLanguage(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	lang := c.R.PostFormValue("language")
	if !i18n.Supported(lang) {
		return redirect(c, "/account")
	}
	_, err := u.App.Records.Update(c.R.Context(), c.Actor, u.App.Reg.MustType("users"), c.Actor.UserID, record.Input{"language": lang})
	if e, ok := record.AsError(err); ok && (e.Code == record.CodeForbidden || e.Code == record.CodeNotFound) {
		err = nil
	}
	if err != nil {
		return err
	}
	setCookie(c.W, c.R, httpctx.LangCookie, lang, 365*24*3600)
	return redirect(c, "/account?done=lang")
}

// accountExportFormat keeps how the user's exports are written on their record.
// Changing one's own record may be outside one's rights (a requester): the change
// is then made on the user's behalf, since it touches nothing but this setting.
func (u *UI) accountExportFormat(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	f := c.R.PostFormValue("export_format")
	if f != "" && f != record.ExportFormatFR && f != record.ExportFormatEN {
		return redirect(c, "/account")
	}
	var v any = f
	if f == "" {
		v = nil
	}
	users := u.App.Reg.MustType("users")
	actor := c.Actor.Elevated("own export format")
	if _, err := u.App.Records.Update(c.R.Context(), actor, users, c.Actor.UserID, record.Input{"export_format": v}); err != nil {
		return err
	}
	return redirect(c, "/account?done=export")
}

// accountPassword changes the user's own password after checking the current one,
// then opens a fresh session (changing a password closes every session).
func (u *UI) accountPassword(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	ctx := c.R.Context()
	cur, pw, confirm := c.R.PostFormValue("current"), c.R.PostFormValue("new"), c.R.PostFormValue("confirm")
	errs := map[string]string{}
	if pw != confirm {
		errs["confirm"] = c.T("ui.account.mismatch")
	} else {
		err := u.App.Auth.ChangePassword(ctx, c.Actor.UserID, cur, pw, httpctx.ClientIP(c.R))
		if secs, ok := auth.RetryAfter(err); ok {
			c.W.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		if e, ok := record.AsError(err); ok {
			for f, m := range c.errText(nil, e).ByField() {
				if f == "password" {
					f = "new"
				}
				errs[f] = m
			}
			if len(e.Fields) == 0 {
				errs["current"] = c.T(e.Msg.Key, e.Msg.Args...)
			}
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		p, err := u.accountPage(c)
		if err != nil {
			return err
		}
		p.PwErrors = errs
		return u.renderPage(c, http.StatusUnprocessableEntity, "account", p)
	}
	sess, err := u.App.Auth.Login(ctx, c.Actor.Login, pw, httpctx.ClientIP(c.R), c.R.UserAgent())
	if err == nil && c.Sess.Stage == "" {
		// The session that changed the password had passed the second factor.
		err = u.App.Auth.KeepSignedIn(ctx, sess)
	}
	if err != nil {
		setCookie(c.W, c.R, httpctx.SessionCookie, "", -1)
		return redirect(c, "/login")
	}
	setCookie(c.W, c.R, httpctx.SessionCookie, sess.Token, 0)
	return redirect(c, "/account?done=password")
}

// createToken makes an API token and shows its secret this once.
func (u *UI) createToken(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	name := c.R.PostFormValue("name")
	scope, expires := c.R.PostFormValue("scope"), strings.TrimSpace(c.R.PostFormValue("expires"))
	if types := c.R.PostForm["types"]; len(types) > 0 && scope == "" {
		scope = auth.ScopeTypesPrefix + strings.Join(types, ",")
	}
	secret, err := "", error(nil)
	ttl, terr := tokenTTL(expires, u.App.Auth.Now(), u.Loc)
	if terr != nil {
		err = terr
	} else {
		secret, _, err = u.App.Auth.CreateScopedToken(c.R.Context(), c.Actor.UserID, name, ttl, scope)
	}
	var tokErr string
	if e, ok := record.AsError(err); ok {
		tokErr = c.T(e.Msg.Key, e.Msg.Args...)
	} else if err != nil {
		return err
	}
	p, err := u.accountPage(c)
	if err != nil {
		return err
	}
	if tokErr != "" {
		p.TokenError, p.NewTokenName, p.NewTokenExpires = tokErr, name, expires
		return u.renderPage(c, http.StatusUnprocessableEntity, "account", p)
	}
	p.NewSecret = secret
	return u.renderPage(c, http.StatusOK, "account", p)
}

func (u *UI) revokeToken(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := u.App.Auth.RevokeToken(c.R.Context(), c.Actor.UserID, id); err != nil {
		return err
	}
	return redirect(c, "/account?done=token_revoked")
}
