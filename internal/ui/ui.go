// Package ui serves parc's server-rendered HTML interface: the login page, the
// dashboard, and for every record type of the registry the same list, form, item,
// history, trash, bulk, saved-search and CSV pages. Templates and static files are
// embedded; the pages work without JavaScript, which only adds comfort.
package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"parc/internal/auth"
	"parc/internal/contract"
	"parc/internal/core"
	"parc/internal/cost"
	"parc/internal/dashboard"
	"parc/internal/directory"
	"parc/internal/document"
	"parc/internal/helpdesk"
	"parc/internal/httpctx"
	"parc/internal/i18n"
	"parc/internal/ingest"
	"parc/internal/kb"
	"parc/internal/license"
	"parc/internal/lifecycle"
	"parc/internal/loan"
	"parc/internal/notify"
	"parc/internal/purchase"
	"parc/internal/record"
	"parc/internal/remote"
	"parc/internal/search"
	"parc/internal/stock"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageNames are the page templates; each defines "content" inside the layout.
var pageNames = []string{"login", "dashboard", "list", "form", "item", "account", "naming", "inventory_settings", "import", "error", "refile",
	"portal", "portal_new", "portal_ticket", "portal_kb", "report", "search", "notifications", "renewal"}

// pageParts are the templates a page is parsed with besides its own file.
var pageParts = map[string][]string{"item": {"templates/ticket.html", "templates/helpdesk_parts.html", "templates/licenses.html", "templates/contract.html", "templates/lifecycle_parts.html"},
	"portal": {"templates/helpdesk_parts.html"}, "portal_ticket": {"templates/helpdesk_parts.html"}}

// maxSmallForm bounds the body of every form that is not a file upload.
const maxSmallForm = 1 << 20

// UI holds the page handlers' dependencies and the parsed templates.
type UI struct {
	App *core.Core
	Cat *i18n.Catalog
	Services
	// Loc is the time zone dates and times are shown in.
	Loc *time.Location
	// RefLimit is the most shared records a reference select lists; beyond, and
	// for records of organisations, the form has a picker.
	RefLimit int

	pages  map[string]map[string]*template.Template // language -> page -> template
	static http.Handler
	asset  string // content hash of the static files, for cache busting
}

// Services are the domain services the pages call.
type Services struct {
	Helpdesk  *helpdesk.Service
	KB        *kb.Service
	Search    *search.Service
	Inventory *ingest.Service    // the read views of computers' inventories, the settings
	Remote    *remote.Service    // remote-control launches of computers
	Dashboard *dashboard.Service // the home pages' counts
	Notify    *notify.Service    // the bell and the notifications page
	Stock     *stock.Service     // spare parts: quantities, movements, reorder
	Loans     *loan.Service      // hand-overs and loans
	Licenses  *license.Service   // licence compliance, keys (licenses.go)
	Contracts *contract.Service  // contracts: coverage of assets, costs, hours
	Lifecycle *lifecycle.Service // depreciation, budgets' spending, renewal plan
	Costs     *cost.Service      // total cost of ownership (costs.go)
	Documents *document.Service  // files attached to records (documents.go)
	Purchase  *purchase.Service  // purchase requests, orders, receptions (purchase.go)
	Directory *directory.Service // LDAP directories: test and synchronisation (directories.go)
}

// New makes the HTML interface; templates are parsed once, here.
func New(a *core.Core, cat *i18n.Catalog, s Services) *UI {
	u := &UI{App: a, Cat: cat, Services: s, Loc: time.Local, RefLimit: 20, pages: map[string]map[string]*template.Template{}}
	funcs := template.FuncMap{
		"t":     func(key string, args ...any) string { return key },
		"lower": lowerFirst,
		"pwField": func(name, label, auto, err string) pwField {
			return pwField{Name: name, Label: label, Auto: auto, Error: err}
		},
	}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html"))
	for _, lang := range i18n.Languages {
		u.pages[lang] = map[string]*template.Template{}
		for _, name := range pageNames {
			t := template.Must(template.Must(base.Clone()).ParseFS(templateFS, append([]string{"templates/" + name + ".html"}, pageParts[name]...)...))
			l := lang
			t.Funcs(template.FuncMap{"t": func(key string, args ...any) string { return cat.T(l, key, args...) }})
			u.pages[lang][name] = t
		}
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	h := sha256.New()
	fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(sub, p)
			h.Write(b)
		}
		return nil
	})
	u.asset = hex.EncodeToString(h.Sum(nil))[:12]
	files := http.FileServerFS(sub)
	u.static = http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		if r.URL.Query().Get("v") == u.asset {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	}))
	return u
}

// Register adds the page routes. Record types get literal prefixes ("/computers/{id}"
// rather than "/{type}/{id}") so that they never overlap the API's "/api/" routes;
// anything else falls to the not-found page.
func (u *UI) Register(mux *http.ServeMux) {
	mux.Handle("GET /static/", u.static)
	mux.HandleFunc("GET /login", u.loginForm)
	mux.HandleFunc("POST /login", u.login)
	mux.HandleFunc("POST /logout", u.logout)
	mux.HandleFunc("POST /lang", u.setLang)
	mux.HandleFunc("GET /{$}", u.page(u.dashboard))
	mux.HandleFunc("GET /account", u.page(u.account))
	mux.HandleFunc("POST /account/language", u.page(u.accountLanguage))
	mux.HandleFunc("POST /account/export-format", u.page(u.accountExportFormat))
	mux.HandleFunc("POST /account/password", u.page(u.accountPassword))
	mux.HandleFunc("POST /account/tokens", u.page(u.createToken))
	mux.HandleFunc("POST /account/tokens/{id}/revoke", u.page(u.revokeToken))
	mux.HandleFunc("GET /ui/suggest/{type}", u.suggest)
	mux.HandleFunc("GET /ui/suggest/{type}/{field}", u.suggest)
	mux.HandleFunc("GET /settings/naming", u.page(u.naming))
	mux.HandleFunc("POST /settings/naming", u.page(u.saveNaming))
	mux.HandleFunc("GET /settings/inventory", u.page(u.inventorySettings))
	mux.HandleFunc("GET /search", u.page(u.searchPage))
	mux.HandleFunc("GET /software-rules/refile", u.page(u.refilePreview))
	mux.HandleFunc("POST /settings/inventory", u.page(u.saveInventorySettings))
	u.registerPortal(mux)
	u.registerTicket(mux)
	u.registerNotifications(mux)
	u.registerStock(mux)
	u.registerPurchase(mux)
	u.registerDirectories(mux)
	u.registerLoans(mux)
	u.registerContracts(mux)
	u.registerLifecycle(mux)
	u.registerCosts(mux)
	u.registerTwoFactor(mux)
	for _, t := range u.App.Reg.Types() {
		p := "/" + t.Name
		mux.HandleFunc("GET "+p, u.typed(t, u.list))
		mux.HandleFunc("GET "+p+"/new", u.typed(t, u.newForm))
		mux.HandleFunc("POST "+p+"/new", u.typed(t, u.create))
		mux.HandleFunc("POST "+p+"/bulk", u.typed(t, u.bulk))
		mux.HandleFunc("POST "+p+"/saved-searches", u.typed(t, u.saveSearch))
		mux.HandleFunc("POST "+p+"/saved-searches/{id}/delete", u.typed(t, u.deleteSearch))
		mux.HandleFunc("GET "+p+"/export.csv", u.typed(t, u.exportCSV))
		mux.HandleFunc("GET "+p+"/export.xlsx", u.typed(t, u.exportXLSX))
		mux.HandleFunc("GET "+p+"/import", u.typed(t, u.importForm))
		mux.HandleFunc("POST "+p+"/import", u.typed(t, u.importCSV))
		mux.HandleFunc("GET "+p+"/{id}", u.typed(t, u.item))
		mux.HandleFunc("GET "+p+"/{id}/edit", u.typed(t, u.editForm))
		mux.HandleFunc("POST "+p+"/{id}/edit", u.typed(t, u.update))
		mux.HandleFunc("POST "+p+"/{id}/trash", u.typed(t, u.trash))
		mux.HandleFunc("POST "+p+"/{id}/restore", u.typed(t, u.restore))
		mux.HandleFunc("POST "+p+"/{id}/purge", u.typed(t, u.purge))
		if t.Name == "computers" {
			mux.HandleFunc("GET "+p+"/{id}/inventory", u.page(u.rawInventory))
		}
	}
	mux.HandleFunc("/", u.notFound)
}

// pwField is one password input of the account page.
type pwField struct{ Name, Label, Auto, Error string }

// req is one page request of a signed-in user.
type req struct {
	W     http.ResponseWriter
	R     *http.Request
	Actor *record.Actor
	Sess  *auth.Session
	Lang  string
	cat   *i18n.Catalog
	// stockForm is a refused stock movement form to show again (stock.go).
	stockForm *StockFormView
	// purchaseErr is a refused purchasing form's message (purchase.go).
	purchaseErr string
}

// T translates in the request's language.
func (c *req) T(key string, args ...any) string { return c.cat.T(c.Lang, key, args...) }

// errText renders a service's error in the request's language, with t's labels.
func (c *req) errText(t *record.Type, e *record.Error) record.ErrorText {
	return e.Render(c.cat, c.Lang, t)
}

type handler func(c *req) error

// page requires a browser session: anonymous visitors are sent to the login page.
// A returned error is rendered as an error page.
func (u *UI) page(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := u.newReq(w, r)
		if c.Actor == nil && c.Sess != nil && c.Sess.Stage == auth.StageCode {
			// The password was right: the code comes next.
			http.Redirect(w, r, "/login/code", http.StatusSeeOther)
			return
		}
		if c.Actor == nil || c.Sess == nil {
			u.toLogin(w, r)
			return
		}
		if c.Sess.Stage == auth.StageEnrol && r.URL.Path != "/account/two-factor" {
			// A profile requires a second factor: setting it up comes first.
			http.Redirect(w, r, "/account/two-factor", http.StatusSeeOther)
			return
		}
		if c.Sess.MustChangePassword && r.URL.Path != "/account" && r.URL.Path != "/account/password" {
			// A one-time password opens the password form and nothing else.
			http.Redirect(w, r, "/account", http.StatusSeeOther)
			return
		}
		if u.portalOnly(c.Actor) && !portalPath(r.URL.Path) {
			// Requesters live in the portal: technician pages are not for them.
			http.Redirect(w, r, "/portal", http.StatusSeeOther)
			return
		}
		if err := h(c); err != nil {
			u.fail(w, r, err)
		}
	}
}

// typed is page for the routes of one record type.
func (u *UI) typed(t *record.Type, h func(c *req, t *record.Type) error) http.HandlerFunc {
	return u.page(func(c *req) error { return h(c, t) })
}

func (u *UI) newReq(w http.ResponseWriter, r *http.Request) *req {
	ctx := r.Context()
	return &req{W: w, R: r, Actor: httpctx.Actor(ctx), Sess: httpctx.Session(ctx), Lang: httpctx.Lang(ctx), cat: u.Cat}
}

func (u *UI) toLogin(w http.ResponseWriter, r *http.Request) {
	next := "/"
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		next = r.URL.RequestURI()
	}
	target := "/login"
	if next != "/" {
		target += "?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns p when it is a path on this site (never another host), else "".
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n\t") {
		return ""
	}
	pu, err := url.Parse(p)
	if err != nil || pu.Scheme != "" || pu.Host != "" || pu.User != nil {
		return ""
	}
	return p
}

// Base is what every page's layout needs.
type Base struct {
	Lang      string
	Title     string
	User      *UserView // nil when anonymous
	CSRF      string
	Menu      []MenuArea
	Flash     string
	Asset     string
	Other     LangChoice // the language the switch offers
	NavActive string     // the path of the current menu entry
	// Home is the first menu entry: the dashboard, or the portal for requesters.
	Home string
	// Search shows the header's search box (not to requesters, who search the
	// portal); SearchQ is its text.
	Search  bool
	SearchQ string
	// Bell shows the notifications link; Unread is its count ("" for none).
	Bell              bool
	Unread, BellLabel string
}

// UserView is the signed-in user as the header shows them.
type UserView struct{ Name, Login string }

// LangChoice is one language offered by the switch.
type LangChoice struct{ Code, Label string }

// MenuArea is one group of the navigation.
type MenuArea struct {
	Label string
	Items []MenuItem
}

// MenuItem is one link of the navigation.
type MenuItem struct {
	Label, Href string
	Active      bool
}

var areas = []record.Area{record.AreaAssets, helpdesk.Area, record.AreaMaintenance, record.AreaManagement, record.AreaSettings, record.AreaAdmin}

func (u *UI) base(c *req, title, active string) Base {
	b := Base{Lang: c.Lang, Title: title, Asset: u.asset, NavActive: active, Home: "/"}
	b.Other = LangChoice{Code: "en", Label: "English"}
	if c.Lang == "en" {
		b.Other = LangChoice{Code: "fr", Label: "Français"}
	}
	if c.Sess != nil {
		b.CSRF = c.Sess.CSRF
	}
	if c.Actor != nil && c.Sess != nil {
		b.User = &UserView{Name: c.Actor.Name, Login: c.Actor.Login}
		if c.Sess.Stage == auth.StageEnrol {
			// Setting up the required second factor is all there is to do: no menu.
		} else if u.portalOnly(c.Actor) {
			b.Menu, b.Home = u.portalMenu(c, active), "/portal"
		} else {
			b.Menu = u.menu(c, active)
			b.Search = true
			u.bell(c, &b)
		}
	}
	b.Flash = u.flash(c)
	return b
}

func (u *UI) menu(c *req, active string) []MenuArea {
	var out []MenuArea
	for _, a := range areas {
		m := MenuArea{Label: c.T("area." + string(a))}
		for _, t := range u.App.Reg.InArea(a) {
			if c.Actor.Can(t, record.Read) {
				href := "/" + t.Name
				m.Items = append(m.Items, MenuItem{Label: c.T(typeKey(t, true)), Href: href, Active: href == active})
			}
		}
		if a == helpdesk.Area {
			m.Items = append(m.Items, u.ticketViewItems(c, active)...)
		}
		if a == record.AreaAssets {
			if loans := u.loansMenu(c, active); len(loans) > 0 {
				// The loans page leads to hand-overs, loan equipment and reservations.
				m.Items = slices.DeleteFunc(m.Items, func(it MenuItem) bool { return loanLists[it.Href] })
				m.Items = append(m.Items, loans...)
			}
		}
		if a == record.AreaMaintenance && u.Purchase != nil {
			m.Items = u.purchaseMenu(c, active, m.Items)
		}
		if a == record.AreaMaintenance && u.Lifecycle != nil && u.mayRenew(c) {
			m.Items = append(m.Items, MenuItem{Label: c.T("lifecycle.renewal_title"), Href: "/renewal", Active: active == "/renewal"})
			if u.Costs != nil {
				m.Items = append(m.Items, MenuItem{Label: c.T("costs.report.title"), Href: "/costs", Active: active == "/costs"})
			}
		}
		if a == record.AreaAdmin && len(u.namingTypes(c, 0)) > 0 {
			m.Items = append(m.Items, MenuItem{Label: c.T("ui.naming.title"), Href: "/settings/naming", Active: active == "/settings/naming"})
		}
		if a == record.AreaAdmin && u.Inventory.MayManage(c.Actor) {
			m.Items = append(m.Items, MenuItem{Label: c.T("ui.invset.title"), Href: "/settings/inventory", Active: active == "/settings/inventory"})
		}
		if len(m.Items) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// doneKeys are the confirmations a redirect may ask for with ?done=.
var doneKeys = map[string]string{
	"created": "ui.done.created", "updated": "ui.done.updated", "trashed": "ui.done.trashed",
	"restored": "ui.done.restored", "purged": "ui.done.purged", "deleted": "ui.done.deleted",
	"bulk": "ui.done.bulk", "saved": "ui.done.saved", "unsaved": "ui.done.unsaved",
	"naming": "ui.done.naming", "inventory_settings": "ui.done.inventory_settings", "password": "ui.done.password", "lang": "ui.done.lang",
	"token_revoked": "ui.done.token_revoked", "export": "ui.done.export_format",
	// Helpdesk: portal and ticket actions.
	"ticket_created": "ui.done.ticket_created", "replied": "ui.done.replied", "accepted": "ui.done.accepted",
	"refused": "ui.done.refused", "answered": "ui.done.answered", "taken": "ui.done.taken", "followup": "ui.done.followup",
	"task": "ui.done.task", "solved": "ui.done.solved", "approval_requested": "ui.done.approval_requested",
	"escalated": "ui.done.escalated", "linked": "ui.done.linked", "status": "ui.done.status",
	"notifications_read": "ui.done.notifications_read",
	"assigned":           "ui.done.assigned",
}

func (u *UI) flash(c *req) string {
	key, ok := doneKeys[c.R.URL.Query().Get("done")]
	if !ok {
		return ""
	}
	if key == "ui.done.bulk" {
		n, _ := strconv.Atoi(c.R.URL.Query().Get("n"))
		return c.T(key, n)
	}
	return c.T(key)
}

// render executes a page into a buffer first, so that a template failure becomes a
// clean error instead of half a page.
func (u *UI) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	lang := httpctx.Lang(r.Context())
	t := u.pages[lang][page]
	if t == nil {
		t = u.pages[i18n.Languages[0]][page]
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		u.App.Log.Error("render page", "page", page, "err", err)
		http.Error(w, u.Cat.T(lang, "err.internal"), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ErrorPage is the page of any error.
type ErrorPage struct {
	Base
	Status  int
	Message string
	Details []string
}

// fail renders any error as a page with the right status: the service's errors are
// translated; anything unexpected is logged and shown as a generic message.
func (u *UI) fail(w http.ResponseWriter, r *http.Request, err error) {
	c := u.newReq(w, r)
	status := http.StatusInternalServerError
	var msg string
	var details []string
	var mbe *http.MaxBytesError
	if e, ok := record.AsError(err); ok {
		status = e.Code.HTTPStatus()
		text := c.errText(nil, e)
		msg, details = text.Message, text.Lines()
	} else if errors.As(err, &mbe) {
		status = http.StatusRequestEntityTooLarge
		msg = c.T("err.body_too_large", mbe.Limit)
	} else {
		u.App.Log.Error("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = c.T("err.internal")
	}
	title := c.T("ui.error.title")
	if status == http.StatusNotFound {
		title = c.T("ui.error.not_found")
	}
	u.render(w, r, status, "error", &ErrorPage{Base: u.base(c, title, ""), Status: status, Message: msg, Details: details})
}

// RenderError shows an error as an HTML page; the server uses it for CSRF failures.
func (u *UI) RenderError(w http.ResponseWriter, r *http.Request, err error) { u.fail(w, r, err) }

func (u *UI) notFound(w http.ResponseWriter, r *http.Request) {
	u.fail(w, r, record.ErrNotFound())
}

// redirect answers a form post with a 303 to a page.
func redirect(c *req, target string) error {
	http.Redirect(c.W, c.R, target, http.StatusSeeOther)
	return nil
}

// parseForm reads a url-encoded form under a size limit (the CSRF middleware may
// already have read it).
func parseForm(c *req) error {
	if c.R.PostForm == nil {
		c.R.Body = http.MaxBytesReader(c.W, c.R.Body, maxSmallForm)
	}
	if err := c.R.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return record.E(record.CodeInvalid, "ui.bad_form")
	}
	return nil
}

func pathID(c *req) (int64, error) {
	id, err := strconv.ParseInt(c.R.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, record.ErrNotFound()
	}
	return id, nil
}

// canCreate reports whether the actor may add records of t: never for the types
// parc writes itself (agents), which people only read, trash and purge.
func canCreate(a *record.Actor, t *record.Type) bool {
	return !t.SystemOnly && a.Can(t, record.Create)
}

// canUpdate is canCreate for changing a record.
func canUpdate(a *record.Actor, rec *record.Record) bool {
	return !rec.Type.SystemOnly && a.CanRecord(rec, record.Update)
}

// typeKey is the catalogue key of a type's name.
func typeKey(t *record.Type, plural bool) string {
	if plural {
		return "type." + t.Singular + ".plural"
	}
	return "type." + t.Singular
}

// TypeView names a type on a page.
type TypeView struct {
	Name, Plural, One, Href string
}

func typeView(c *req, t *record.Type) TypeView {
	return TypeView{Name: t.Name, Plural: c.T(typeKey(t, true)), One: c.T(typeKey(t, false)), Href: "/" + t.Name}
}

// fieldLabel is the label of a field name of t, including the framework's columns.
func (u *UI) fieldLabel(c *req, t *record.Type, name string) string {
	return record.FieldLabel(u.Cat, c.Lang, t, name)
}

// orgName is an organisation's name as the actor's tree knows it.
func orgName(a *record.Actor, id int64) string {
	if o := a.Tree.Get(id); o != nil {
		return o.Name
	}
	if id == 0 {
		return ""
	}
	return "#" + strconv.FormatInt(id, 10)
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// setCookie writes a cookie with parc's defaults.
func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: httpctx.HTTPS(r.Context())})
}
