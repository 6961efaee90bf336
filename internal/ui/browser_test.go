package ui_test

import (
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"parc/internal/app"
	"parc/internal/i18n"
	"parc/internal/ingest"
	"parc/internal/record"
	"parc/internal/storetest"
	"parc/internal/ui"
)

// env is a running parc with its HTML interface over a fresh store.
type env struct {
	t   *testing.T
	app *app.App
	cat *i18n.Catalog
	srv *httptest.Server
	sys *record.Actor
}

const adminPassword = "admin-password-1"

func newEnv(t *testing.T, kind string, opts ...func(*ui.UI)) *env {
	t.Helper()
	ctx := context.Background()
	a := app.New(storetest.OpenTest(t, kind), nil)
	if _, err := a.Bootstrap(ctx, "fr"); err != nil {
		t.Fatal(err)
	}
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Auth.CreateUser(ctx, sys, "admin", adminPassword, "super-admin", sys.Tree.Root); err != nil {
		t.Fatal(err)
	}
	cat := a.Cat
	srv := httptest.NewServer(a.HTTP(opts...))
	t.Cleanup(srv.Close)
	return &env{t: t, app: a, cat: cat, srv: srv, sys: sys}
}

// org creates an organisation under the root and refreshes the system actor.
func (e *env) org(name string) int64 {
	e.t.Helper()
	r, err := e.app.Records.Create(context.Background(), e.sys, e.app.Reg.MustType("organizations"), record.Input{"name": name, "parent_id": e.sys.Tree.Root})
	if err != nil {
		e.t.Fatal(err)
	}
	if e.sys, err = e.app.System(context.Background(), record.OriginCLI); err != nil {
		e.t.Fatal(err)
	}
	return r.ID
}

func (e *env) create(typeName string, in record.Input) int64 {
	e.t.Helper()
	r, err := e.app.Records.Create(context.Background(), e.sys, e.app.Reg.MustType(typeName), in)
	if err != nil {
		e.t.Fatalf("create %s: %v", typeName, err)
	}
	return r.ID
}

// browser is a cookie-keeping client that does not follow redirects by itself.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
	lang   string // Accept-Language
}

type page struct {
	Status int
	Body   string
	Header http.Header
}

func (e *env) browser(lang string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, base: e.srv.URL, lang: lang, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, body io.Reader, contentType string, headers ...string) *page {
	b.t.Helper()
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return &page{Status: resp.StatusCode, Body: string(data), Header: resp.Header}
}

func (b *browser) get(path string) *page { return b.do("GET", path, nil, "") }

func (b *browser) post(path string, form url.Values, headers ...string) *page {
	return b.do("POST", path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", headers...)
}

// follow answers a redirect by going to its target, as a browser does.
func (b *browser) follow(p *page) *page {
	b.t.Helper()
	for i := 0; i < 5 && p.Status >= 300 && p.Status < 400; i++ {
		p = b.get(p.Header.Get("Location"))
	}
	return p
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf reads the form token from a page, as a browser posting a form would send it.
func (b *browser) csrf() string {
	b.t.Helper()
	p := b.get("/account")
	m := csrfRe.FindStringSubmatch(p.Body)
	if m == nil {
		b.t.Fatalf("no _csrf on the account page (%d): %s", p.Status, p.Body)
	}
	return m[1]
}

func (b *browser) login(login, password string) {
	b.t.Helper()
	p := b.post("/login", url.Values{"login": {login}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		b.t.Fatalf("login %s: %d %s", login, p.Status, p.Body)
	}
}

func (p *page) must(t *testing.T, status int, want ...string) *page {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d, want %d; body:\n%s", p.Status, status, p.Body)
	}
	for _, w := range want {
		if !strings.Contains(p.Body, w) {
			t.Fatalf("page lacks %q; body:\n%s", w, p.Body)
		}
	}
	missingKeys(t, p.Body)
	return p
}

func (p *page) lacks(t *testing.T, unwanted ...string) *page {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(p.Body, w) {
			t.Fatalf("page holds %q; body:\n%s", w, p.Body)
		}
	}
	return p
}

// missingKeys fails when a catalogue key shows instead of its text.
var keyRe = regexp.MustCompile(`[>"](ui|field|type|enum|op|area|history|action|kind|err)\.[a-z_]+[.a-z_-]*[<"]`)

func missingKeys(t *testing.T, body string) {
	t.Helper()
	if m := keyRe.FindString(body); m != "" {
		t.Fatalf("untranslated key %s in page:\n%s", m, body)
	}
}

var idRe = regexp.MustCompile(`^/computers/(\d+)\?done=created$`)

func TestBrowseCreateEditHistoryTrash(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		root := e.sys.Tree.Root
		b := e.browser("fr-FR,fr;q=0.9")

		// Anonymous visitors are sent to the login page, which comes back afterwards.
		p := b.get("/computers?q=x")
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/login?next="+url.QueryEscape("/computers?q=x") {
			t.Fatalf("anonymous list: %d %v", p.Status, p.Header)
		}
		b.get("/login").must(t, 200, `<html lang="fr">`, "Connexion", `name="login"`, `type="password"`)
		bad := b.post("/login", url.Values{"login": {"admin"}, "password": {"wrong password"}})
		bad.must(t, http.StatusUnauthorized, esc(e.cat.T("fr", "err.bad_credentials")), `value="admin"`)
		p = b.post("/login", url.Values{"login": {"admin"}, "password": {adminPassword}, "next": {"/computers?q=x"}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/computers?q=x" {
			t.Fatalf("login: %d %v", p.Status, p.Header)
		}
		if c := p.Header.Get("Set-Cookie"); !strings.Contains(c, "parc_session=") || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
			t.Fatalf("session cookie %q", c)
		}
		// An outside next is ignored.
		b2 := e.browser("")
		if p := b2.post("/login", url.Values{"login": {"admin"}, "password": {adminPassword}, "next": {"//evil.example/x"}}); p.Header.Get("Location") != "/" {
			t.Fatalf("outside next followed: %v", p.Header)
		}

		b.get("/").must(t, 200, "Tableau de bord", "Ordinateurs", `href="/computers"`, "Parc", "Administration")
		b.get("/computers").must(t, 200, "La liste des ordinateurs est vide.", "0 ordinateur", `href="/computers/new"`)
		b.get("/nonsense").must(t, 404, "Page introuvable")
		b.get("/computers/999999").must(t, 404, esc(e.cat.T("fr", "err.not_found")))
		tok := b.csrf()

		// Create through the form, with a French decimal comma.
		b.get("/computers/new").must(t, 200, `name="purchase_price"`, `inputmode="decimal"`, `type="date"`, `name="organization_id"`, `name="state_id"`, "En service")
		form := url.Values{"_csrf": {tok}, "organization_id": {itoa(root)}, "name": {"PC-001"}, "serial": {"SN-1"},
			"inventory_number": {"INV-1"}, "purchase_price": {"1 234,50"}, "purchase_date": {"2025-03-01"}, "comment": {""}}
		p = b.post("/computers/new", form)
		m := idRe.FindStringSubmatch(p.Header.Get("Location"))
		if p.Status != http.StatusSeeOther || m == nil {
			t.Fatalf("create: %d %v %s", p.Status, p.Header, p.Body)
		}
		id := m[1]
		item := "/computers/" + id
		b.follow(p).must(t, 200, "PC-001", "Élément créé.", "1\u202f234,50", "01/03/2025", "Organisation racine", "Mettre à la corbeille", `href="`+item+`/edit"`)

		// Lists: free text, the filter builder's redirect, column choice and sort links.
		b.get("/computers?filter=name:contains:PC").must(t, 200, "PC-001", "1 ordinateur", `aria-sort="ascending"`)
		b.get("/computers?filter=name:eq:nothing").must(t, 200, "Aucun des ordinateurs ne correspond").lacks(t, "PC-001")
		p = b.get("/computers?ff=name&fo=contains&fv=PC-0&ff=&fo=contains&fv=&q=&match=all&limit=50")
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/computers?filter=name%3Acontains%3APC-0" {
			t.Fatalf("filter builder: %d %v", p.Status, p.Header)
		}
		b.follow(p).must(t, 200, "PC-001", `value="PC-0"`)
		b.get("/computers?columns=name,serial&sort=-serial").must(t, 200, "SN-1", `aria-sort="descending"`).lacks(t, ">Fabricant</a>")
		b.get("/computers?filter=bogus:eq:1&sort=nope").must(t, 200, "PC-001", "bogus", "nope")

		// Edit, then see the change in the history tab.
		b.get(item+"/edit").must(t, 200, `name="version" value="1"`, `value="PC-001"`, `value="1234,50"`)
		up := url.Values{"_csrf": {tok}, "version": {"1"}, "name": {"PC-001"}, "serial": {"SN-2"}, "purchase_price": {"1234,5"}, "organization_id": {itoa(root)}}
		p = b.post(item+"/edit", up)
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != item+"?done=updated" {
			t.Fatalf("update: %d %v %s", p.Status, p.Header, p.Body)
		}
		b.get(item+"?tab=history").must(t, 200, "N° de série", "SN-1", "SN-2", "Création", "admin", "Web").lacks(t, "Prix d")

		// A stale edit is refused with the conflict message and a way to reload.
		stale := b.post(item+"/edit", url.Values{"_csrf": {tok}, "version": {"1"}, "serial": {"SN-3"}})
		stale.must(t, http.StatusConflict, esc(e.cat.T("fr", "err.version_conflict", 2)), `href="`+item+`/edit"`, `value="SN-3"`)

		// A bad date shows the message under the field and keeps what was typed.
		badDate := b.post(item+"/edit", url.Values{"_csrf": {tok}, "version": {"2"}, "purchase_date": {"31/02/2025x"}, "serial": {"SN-4"}})
		badDate.must(t, http.StatusUnprocessableEntity, esc(e.cat.T("fr", "err.not_date")), `value="31/02/2025x"`, `value="SN-4"`,
			`aria-describedby="f-purchase_date-err"`, `id="f-purchase_date-err"`)

		// Without the form token the post is refused.
		if p := b.post(item+"/trash", url.Values{}); p.Status != http.StatusForbidden {
			t.Fatalf("trash without CSRF token: %d", p.Status)
		}
		// Trash, see it in the trash only, restore.
		p = b.post(item+"/trash", url.Values{"_csrf": {tok}})
		b.follow(p).must(t, 200, "Élément mis à la corbeille.", "dans la corbeille depuis", "Restaurer", "Supprimer définitivement").lacks(t, `href="`+item+`/edit"`)
		b.get("/computers").must(t, 200, "0 ordinateur").lacks(t, "PC-001")
		b.get("/computers?trash=1").must(t, 200, "PC-001", "corbeille", `action="`+item+`/restore"`, "data-confirm")
		p = b.post(item+"/restore", url.Values{"_csrf": {tok}})
		b.follow(p).must(t, 200, "Élément restauré.", `href="`+item+`/edit"`)
		b.get("/computers").must(t, 200, "PC-001", "1 ordinateur")
		b.get(item+"?tab=history").must(t, 200, "Mise à la corbeille", "Restauration")

		// Connections of a computer: its monitors.
		mon := e.create("monitors", record.Input{"name": "Screen-7", "organization_id": root, "computer_id": id})
		b.get(item+"?tab=links").must(t, 200, "Moniteurs", "Screen-7", `href="/monitors/`+itoa(mon)+`"`, "/monitors/new?computer_id="+id).
			lacks(t, "/computers/new?host_id=") // hosting nothing, no group of virtual machines
		// and the virtual machines it hosts, whose page names their host.
		vm := e.create("computers", record.Input{"name": "VM-42", "organization_id": root, "host_id": id})
		b.get(item+"?tab=links").must(t, 200, "VM-42", `href="/computers/`+itoa(vm)+`"`, "/computers/new?host_id="+id)
		b.get("/computers/"+itoa(vm)).must(t, 200, "Hôte", "PC-001")

		// Language: the switch sets a cookie and comes back; English pages follow.
		p = b.post("/lang", url.Values{"_csrf": {tok}, "lang": {"en"}}, "Referer", e.srv.URL+item)
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != item {
			t.Fatalf("lang switch: %d %v", p.Status, p.Header)
		}
		b.get(item).must(t, 200, `<html lang="en">`, "Move to trash", "Computers", "Français", "1,234.50", "2025-03-01")
		b.get("/computers").must(t, 200, "2 computers", "Export CSV")
		// Another site as Referer is not followed.
		if p := b.post("/lang", url.Values{"_csrf": {tok}, "lang": {"fr"}}, "Referer", "https://evil.example/x"); p.Header.Get("Location") != "/" {
			t.Fatalf("lang switch to another site: %v", p.Header)
		}
		// Anonymous language: Accept-Language, then the switch on the login page.
		en := e.browser("en-US,en;q=0.9")
		en.get("/login").must(t, 200, `<html lang="en">`, "Sign in", "Français")
		en.post("/lang", url.Values{"lang": {"fr"}})
		en.get("/login").must(t, 200, `<html lang="fr">`, "Connexion")

		// Log out: the session is gone.
		p = b.post("/logout", url.Values{"_csrf": {tok}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/login" {
			t.Fatalf("logout: %d %v", p.Status, p.Header)
		}
		if p := b.get("/computers"); p.Status != http.StatusSeeOther {
			t.Fatalf("after logout: %d", p.Status)
		}
	})
}

func TestOrganisationsAreWalled(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		orgA, orgB := e.org("Client A"), e.org("Client B")
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "tech-a", "tech-password-1", "technician", orgA); err != nil {
			t.Fatal(err)
		}
		mine := e.create("computers", record.Input{"name": "A-PC", "organization_id": orgA})
		theirs := e.create("computers", record.Input{"name": "B-PC", "organization_id": orgB})
		b := e.browser("fr")
		b.login("tech-a", "tech-password-1")
		b.get("/computers/"+itoa(mine)).must(t, 200, "A-PC")
		b.get("/computers/"+itoa(theirs)).must(t, 404).lacks(t, "B-PC")
		b.get("/computers/"+itoa(theirs)+"/edit").must(t, 404)
		b.get("/computers").must(t, 200, "A-PC").lacks(t, "B-PC")
		// The technician may not create profiles, nor set naming plans.
		b.get("/profiles/new").must(t, 403)
		b.get("/settings/naming").must(t, 403)
		b.get("/settings/inventory").must(t, 403)
		b.post("/settings/inventory", url.Values{"_csrf": {b.csrf()}, "default_organization_id": {itoa(orgA)}}).must(t, 403)
		b.get("/").lacks(t, "/settings/naming", "/settings/inventory", `href="/profiles"`)
		// A technician may not change users, so the language goes to the cookie only.
		tok := b.csrf()
		p := b.post("/account/language", url.Values{"_csrf": {tok}, "language": {"en"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("language: %d %s", p.Status, p.Body)
		}
		b.follow(p).must(t, 200, `<html lang="en">`, "Language preference saved.")
		// Creating in the other organisation is refused on the field.
		p = b.post("/computers/new", url.Values{"_csrf": {tok}, "name": {"X"}, "organization_id": {itoa(orgB)}})
		p.must(t, http.StatusUnprocessableEntity, esc(e.cat.T("en", "err.org_not_allowed")))

		// A client's administrator sets their client's naming plans only.
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "admin-a", "admin-password-1", "admin", orgA); err != nil {
			t.Fatal(err)
		}
		a := e.browser("fr")
		a.login("admin-a", "admin-password-1")
		a.get("/").must(t, 200, `href="/settings/naming"`)
		a.get("/settings/naming").must(t, 200, `value="`+itoa(orgA)+`" selected`).lacks(t, "Client B", `value="`+itoa(orgB)+`"`)
		a.get("/settings/naming?org="+itoa(orgB)).must(t, 403)
		a.post("/settings/naming", url.Values{"_csrf": {a.csrf()}, "type": {"computers"}, "org": {itoa(orgB)}, "template": {"B-{###}"}}).must(t, 403)
		a.post("/settings/naming", url.Values{"_csrf": {a.csrf()}, "type": {"computers"}, "template": {"ALL-{###}"}}).must(t, 403)
		a.follow(a.post("/settings/naming", url.Values{"_csrf": {a.csrf()}, "type": {"computers"}, "org": {itoa(orgA)}, "template": {"A-{###}"}})).
			must(t, 200, `value="A-{###}"`)
	})
}

func TestBulkSavedSearchesCSVAndAccount(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		root := e.sys.Tree.Root
		var ids []string
		for _, n := range []string{"PC-A", "PC-B", "PC-C"} {
			ids = append(ids, itoa(e.create("computers", record.Input{"name": n, "organization_id": root})))
		}
		b := e.browser("fr")
		b.login("admin", adminPassword)
		tok := b.csrf()

		// Bulk: a state given by its name, on two rows.
		b.get("/computers").must(t, 200, `form="bulk"`, `name="field"`, "3 ordinateurs")
		p := b.post("/computers/bulk", url.Values{"_csrf": {tok}, "id": {ids[0], ids[1]}, "field": {"state_id"}, "value": {"En service"}, "back": {"/computers?sort=name"}})
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/computers?") {
			t.Fatalf("bulk: %d %v %s", p.Status, p.Header, p.Body)
		}
		b.follow(p).must(t, 200, "Éléments modifiés\u00a0: 2.")
		b.get("/computers?filter=state_id:notempty:").must(t, 200, "2 ordinateurs", "En service").lacks(t, "PC-C")
		b.post("/computers/bulk", url.Values{"_csrf": {tok}, "field": {"state_id"}, "value": {"En service"}}).
			must(t, http.StatusUnprocessableEntity, esc(e.cat.T("fr", "err.bulk_empty")))
		// The problem is named by the field's label, not its internal name.
		b.post("/computers/bulk", url.Values{"_csrf": {tok}, "id": {ids[2]}, "field": {"state_id"}, "value": {"Nulle part"}}).
			must(t, http.StatusUnprocessableEntity, "<li>"+esc(e.cat.T("fr", "err.field", e.cat.T("fr", "field.state_id"), e.cat.T("fr", "err.csv_no_such", "Nulle part")))+"</li>")
		// The filter builder takes a reference by name too.
		p = b.get("/computers?ff=state_id&fo=contains&fv=En+service")
		if p.Status != http.StatusSeeOther || !strings.Contains(p.Header.Get("Location"), "filter=state_id%3Aeq%3A") {
			t.Fatalf("filter by reference name: %v", p.Header)
		}
		b.follow(p).must(t, 200, "2 ordinateurs")

		// Saved searches.
		p = b.post("/computers/saved-searches", url.Values{"_csrf": {tok}, "name": {"En service"}, "query": {"filter=state_id%3Anotempty%3A"}})
		b.follow(p).must(t, 200, "Recherche enregistrée.", `href="/computers?filter=state_id%3Anotempty%3A"`, "2 ordinateurs")
		b.post("/computers/saved-searches", url.Values{"_csrf": {tok}, "name": {""}, "query": {""}}).
			must(t, http.StatusUnprocessableEntity, esc(e.cat.T("fr", "err.required")))

		// Export: the current list, as a French CSV.
		p = b.get("/computers/export.csv?sort=-name")
		if p.Status != 200 || !strings.Contains(p.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(p.Body, "PC-C;") ||
			strings.Index(p.Body, "PC-C") > strings.Index(p.Body, "PC-A") {
			t.Fatalf("export: %d %v %s", p.Status, p.Header, p.Body)
		}

		// Import: a dry run reports, the real run creates; errors carry line numbers.
		b.get("/computers/import").must(t, 200, `type="file"`, `name="dry_run" value="1" checked`, "inventory_number")
		csv := "name;serial;purchase_date\nPC-X;S-X;2025-01-02\nPC-Y;S-Y;2025-01-03\n"
		upload(t, b, "/computers/import", tok, csv, true).must(t, 200, "Éléments à créer\u00a0: 2")
		b.get("/computers").must(t, 200, "3 ordinateurs")
		upload(t, b, "/computers/import", tok, csv, false).must(t, 200, "Éléments créés\u00a0: 2")
		b.get("/computers").must(t, 200, "5 ordinateurs", "PC-Y")
		upload(t, b, "/computers/import", tok, "name;purchase_date\nPC-Z;hier\n", false).
			must(t, http.StatusUnprocessableEntity, "<td class=\"num\">2</td>", "Date d&#39;achat", esc(e.cat.T("fr", "err.not_date")))

		// Naming plans: invalid ones are refused, valid ones name new assets.
		b.get("/settings/naming").must(t, 200, `id="naming-computers"`)
		b.post("/settings/naming", url.Values{"_csrf": {tok}, "type": {"computers"}, "template": {"PC-{nope}"}}).must(t, 422, "{nope}")
		p = b.post("/settings/naming", url.Values{"_csrf": {tok}, "type": {"computers"}, "template": {"PC-{####}"}})
		b.follow(p).must(t, 200, "Plan de nommage enregistré.", `value="PC-{####}"`)
		b.get("/computers/new").must(t, 200, "PC-{####}")
		p = b.post("/computers/new", url.Values{"_csrf": {tok}, "organization_id": {itoa(root)}, "name": {""}})
		b.follow(p).must(t, 200, "PC-0001")
		// A client's own plan names its computers; removing it brings back the root's.
		client := e.org("Client Nommage")
		b.get("/settings/naming?org="+itoa(client)).must(t, 200, `value="`+itoa(client)+`" selected`, "elle utilise PC-{####}, hérité de")
		p = b.post("/settings/naming", url.Values{"_csrf": {tok}, "type": {"computers"}, "org": {itoa(client)}, "template": {"CL-{###}"}})
		b.follow(p).must(t, 200, `value="CL-{###}"`, esc(e.cat.T("fr", "ui.naming.remove")))
		b.get("/computers/new?organization_id="+itoa(client)).must(t, 200, "CL-{###}")
		p = b.post("/computers/new", url.Values{"_csrf": {tok}, "organization_id": {itoa(client)}, "name": {""}})
		b.follow(p).must(t, 200, "CL-001")
		p = b.post("/settings/naming", url.Values{"_csrf": {tok}, "type": {"computers"}, "org": {itoa(client)}, "remove": {"1"}})
		b.follow(p).must(t, 200, "elle utilise PC-{####}").lacks(t, `value="CL-{###}"`)

		// Inventory settings: unplaced new machines go to a quarantine organisation.
		quarantine := e.org("Quarantaine")
		b.get("/").must(t, 200, `href="/settings/inventory"`)
		b.get("/settings/inventory").must(t, 200, esc("Réglages de l'inventaire"), esc("L'organisation racine"), "Quarantaine")
		b.post("/settings/inventory", url.Values{"_csrf": {tok}, "default_organization_id": {"999999"}, "default_state_id": {"0"}}).
			must(t, 422, esc(e.cat.T("fr", "err.bad_reference")),
				// The form's fields are drawn as a record form's: the message and the hint describe the input.
				`<div class="field invalid">`, `aria-invalid="true" aria-describedby="f-default-org-err f-default-org-hint"`,
				`id="f-default-org-err"`, `<p class="hint" id="f-default-state-hint">`)
		p = b.post("/settings/inventory", url.Values{"_csrf": {tok}, "default_organization_id": {itoa(quarantine)}, "default_state_id": {"0"}})
		b.follow(p).must(t, 200, esc("Réglages de l'inventaire enregistrés."), `value="`+itoa(quarantine)+`" selected`)
		if v, _ := e.app.Records.Setting(context.Background(), e.app.DB, ingest.DefaultOrgSetting); v != itoa(quarantine) {
			t.Errorf("default organisation setting %q, want %d", v, quarantine)
		}

		// Account: API token shown once; password change keeps the user signed in.
		b.post("/account/tokens", url.Values{"_csrf": {tok}, "name": {"script"}}).must(t, 200, "parc_", "script")
		b.get("/account").must(t, 200, "script").lacks(t, `class="secret"`)
		b.post("/account/password", url.Values{"_csrf": {tok}, "current": {"nope"}, "new": {"new-password-22"}, "confirm": {"new-password-22"}}).
			must(t, 422, esc(e.cat.T("fr", "err.wrong_current_password")))
		b.post("/account/password", url.Values{"_csrf": {tok}, "current": {adminPassword}, "new": {"short"}, "confirm": {"short"}}).
			must(t, 422, esc(e.cat.T("fr", "err.password_short", 10)))
		p = b.post("/account/password", url.Values{"_csrf": {tok}, "current": {adminPassword}, "new": {"new-password-22"}, "confirm": {"new-password-22"}})
		b.follow(p).must(t, 200, "Mot de passe modifié.")
		other := e.browser("fr")
		other.login("admin", "new-password-22")
	})
}

func upload(t *testing.T, b *browser, path, tok, content string, dry bool) *page {
	t.Helper()
	var buf strings.Builder
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", tok)
	if dry {
		w.WriteField("dry_run", "1")
	}
	fw, _ := w.CreateFormFile("file", "import.csv")
	io.WriteString(fw, content)
	w.Close()
	return b.do("POST", path, strings.NewReader(buf.String()), w.FormDataContentType())
}

func esc(s string) string { return html.EscapeString(s) }

func itoa(n int64) string { return record.Format(n) }

func TestEveryTypeHasItsPages(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		root := e.sys.Tree.Root
		org := itoa(root)
		man := e.create("manufacturers", record.Input{"name": "Dell"})
		e.create("models", record.Input{"name": "Latitude 5440", "category": "computer", "manufacturer_id": man})
		e.create("asset-types", record.Input{"name": "Laptop", "category": "computer"})
		e.create("suppliers", record.Input{"name": "Bureau Vallée", "email": "pro@example.org"})
		loc := e.create("locations", record.Input{"name": "Lyon", "kind": "site", "organization_id": root})
		pc := e.create("computers", record.Input{"name": "PC-1", "organization_id": root, "location_id": loc, "manufacturer_id": man})
		e.create("monitors", record.Input{"name": "M-1", "organization_id": root, "computer_id": pc, "size_inches": "27"})
		e.create("peripherals", record.Input{"name": "Dock", "organization_id": root, "computer_id": pc})
		e.create("phones", record.Input{"name": "Tel-1", "organization_id": root, "phone_number": "+33 4 00 00 00 00"})
		prn := e.create("printers", record.Input{"name": "Prn-1", "organization_id": root, "color": true, "ip_address": "10.0.0.9"})
		e.create("network-equipment", record.Input{"name": "SW-1", "organization_id": root, "ports": 48})
		grp := e.create("groups", record.Input{"name": "Support", "organization_id": root})
		var admin int64
		e.app.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = 'admin'").Scan(&admin)
		e.create("group-members", record.Input{"group_id": grp, "user_id": admin, "organization_id": root})
		e.create("agents", record.Input{"device_id": "pc-1-2026-01-01-10-00-00", "format": "fusioninventory", "computer_id": pc, "organization_id": root})
		e.create("software", record.Input{"name": "Firefox", "publisher": "Mozilla"})
		e.create("software-rules", record.Input{"name": "Firefox ESR", "match_name": "^Mozilla Firefox", "action": "rename", "new_name": "Firefox"})
		e.create("inventory-rules", record.Input{"name": "Lyon network", "kind": "assign", "ip_range": "10.1.0.0/16", "organization_id": root})
		cat := e.create("ticket-categories", record.Input{"name": "Hardware", "organization_id": root})
		cal := e.create("calendars", record.Input{"name": "Office", "organization_id": root})
		sla := e.create("slas", record.Input{"name": "Standard", "ttr_minutes": 480, "calendar_id": cal, "organization_id": root})
		e.create("sla-levels", record.Input{"sla_id": sla, "name": "Warn 1h before", "due": "ttr", "offset_minutes": -60, "organization_id": root})
		tk := e.create("tickets", record.Input{"title": "Screen flickers", "category_id": cat, "organization_id": root})
		e.create("ticket-templates", record.Input{"name": "Screen", "category_id": cat, "tasks": "Check the cable", "organization_id": root})
		e.create("canned-responses", record.Input{"name": "Ask for details", "content": "Since when?", "category_id": cat, "organization_id": root})
		e.create("ticket-followups", record.Input{"ticket_id": tk, "content": "Since Monday"})
		e.create("ticket-tasks", record.Input{"ticket_id": tk, "content": "Swap the cable"})
		e.create("ticket-items", record.Input{"ticket_id": tk, "item_type": "computers", "item_id": pc})
		e.create("ticket-approvals", record.Input{"ticket_id": tk, "user_id": admin})
		kbc := e.create("kb-categories", record.Input{"name": "Printing", "organization_id": root})
		art := e.create("kb-articles", record.Input{"title": "Clear a jam", "body": "Open the tray.", "category_id": kbc, "organization_id": root})
		e.create("kb-article-tickets", record.Input{"article_id": art, "ticket_id": tk})
		part := e.create("stock-items", record.Input{"name": "Toner 410A", "category": "toner", "threshold": 1, "organization_id": root})
		e.create("stock-movements", record.Input{"stock_item_id": part, "location_id": loc, "kind": "received", "quantity": 2})
		e.create("loan-items", record.Input{"pool": "Loan laptops", "asset_type": "computers", "asset_id": pc})
		e.create("reservations", record.Input{"asset_type": "computers", "asset_id": pc, "user_id": admin, "start_date": "2026-01-05", "end_date": "2026-01-09"})
		e.create("handovers", record.Input{"asset_type": "printers", "asset_id": prn, "user_id": admin, "accessories": "cable"})
		lic := e.create("licenses", record.Input{"name": "Office", "license_type": "volume", "seats": 5, "organization_id": root, "license_key": "ABC-123"})
		e.create("license-assignments", record.Input{"license_id": lic, "computer_id": pc})
		sup := e.create("suppliers", record.Input{"name": "Maintenix"})
		ct := e.create("contracts", record.Input{"name": "Maintenance", "supplier_id": sup, "start_date": "2026-01-01", "duration_months": 12, "organization_id": root})
		e.create("contract-assets", record.Input{"contract_id": ct, "item_type": "computers", "item_id": pc})
		e.create("supplier-items", record.Input{"supplier_id": sup, "reference": "PSU-1", "label": "Power supply"})
		e.create("budgets", record.Input{"name": "Fleet", "year": 2026, "amount": 10000, "organization_id": root})
		e.create("hourly-rates", record.Input{"name": "Support", "group_id": grp, "rate": 55, "organization_id": root})
		e.create("reconditionings", record.Input{"asset_type": "computers", "asset_id": pc, "wiped_on": "2026-01-05", "method": "nist_purge"})
		old := e.create("computers", record.Input{"name": "PC-OLD", "organization_id": root})
		e.create("disposals", record.Input{"asset_type": "computers", "asset_id": old, "disposed_on": "2026-01-06", "outcome": "recycling"})
		e.create("purchase-requests", record.Input{"stock_item_id": part, "quantity": 2, "organization_id": root})
		po := e.create("purchase-orders", record.Input{"supplier_id": sup, "organization_id": root})
		e.create("purchase-order-lines", record.Input{"order_id": po, "stock_item_id": part, "quantity": 3})
		e.create("directories", record.Input{"name": "Annuaire", "url": "ldap://127.0.0.1:389", "base_dn": "dc=example,dc=org", "enabled": false, "organization_id": root})

		b := e.browser("en")
		b.login("admin", adminPassword)
		for _, ty := range e.app.Reg.Types() {
			base := "/" + ty.Name
			b.get(base).must(t, 200)
			b.get(base+"?trash=1").must(t, 200)
			if ty.SystemOnly {
				// Records parc writes itself: read, trash and purge only.
				b.get(base).lacks(t, `href="`+base+`/new"`, `href="`+base+`/import"`, `form="bulk"`)
				b.get(base+"/new").must(t, 403)
				b.get(base+"/import").must(t, 403)
			} else if ty.Name == "handovers" || ty.Name == "reservations" || ty.Name == "loan-items" {
				// Hand-overs and loans start from their asset (internal/ui/loans.go).
				b.get(base+"/new").must(t, 303)
				b.get(base+"/import").must(t, 200)
			} else {
				b.get(base+"/new").must(t, 200, `action="`+base+`/new"`)
				b.get(base+"/import").must(t, 200)
			}
			page, err := e.app.Records.List(ctx, e.sys, ty, record.ListQuery{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Records) == 0 {
				t.Fatalf("no %s to show", ty.Name)
			}
			item := base + "/" + itoa(page.Records[0].ID)
			b.get(base).must(t, 200, `href="`+item+`"`)
			b.get(item).must(t, 200, "Details", "History")
			b.get(item+"?tab=history").must(t, 200, "Created")
			if ty.SystemOnly {
				b.get(item).lacks(t, `href="`+item+`/edit"`).must(t, 200, "Move to trash")
				b.get(item+"/edit").must(t, 403)
			} else if ty.AppendOnly {
				// A ledger (stock movements): written once, never changed or deleted.
				b.get(item).lacks(t, `href="`+item+`/edit"`, "Move to trash", `action="`+item+`/trash"`).must(t, 200)
				b.get(item+"/edit").must(t, 403)
			} else {
				b.get(item+"/edit").must(t, 200, `name="version"`)
			}
		}
		b.get("/computers/"+itoa(pc)+"?tab=links").must(t, 200, "M-1", "Dock")
		b.get("/printers").must(t, 200, "10.0.0.9")
		b.get("/printers/"+itoa(prn)).must(t, 200, "<dd>Yes</dd>", "<dd>No</dd>")

		// A location from the form: the list value is a select with translated labels.
		tok := b.csrf()
		b.get("/locations/new").must(t, 200, `<option value="building">Building</option>`)
		p := b.post("/locations/new", url.Values{"_csrf": {tok}, "name": {"Floor 2"}, "kind": {"floor"}, "parent_id": {itoa(loc)}, "organization_id": {org}})
		b.follow(p).must(t, 200, "Floor 2", ">Floor<", `href="/locations/`+itoa(loc)+`"`)
		// A user from the form, with a password, can then sign in.
		p = b.post("/users/new", url.Values{"_csrf": {tok}, "login": {"bob"}, "password": {"bob-password-1"}, "active": {"false", "true"}, "organization_id": {org}})
		b.follow(p).must(t, 200, "bob")
		bob := e.browser("en")
		bob.login("bob", "bob-password-1")
		bob.get("/").must(t, 200, "There is nothing you may see yet.")
		// Unchecking a box sends its hidden "false".
		p = b.post("/printers/"+itoa(e.create("printers", record.Input{"name": "Prn-2", "organization_id": root, "color": true}))+"/edit",
			url.Values{"_csrf": {tok}, "version": {"1"}, "color": {"false"}})
		b.follow(p).must(t, 200, "Changes saved.", "<dd>No</dd>").lacks(t, "<dd>Yes</dd>")
	})
}

func TestLongReferenceListsArePickers(t *testing.T) {
	e := newEnv(t, "sqlite", func(u *ui.UI) { u.RefLimit = 2 })
	root := e.sys.Tree.Root
	var man int64
	for _, n := range []string{"Dell", "HP", "Lenovo"} {
		man = e.create("manufacturers", record.Input{"name": n})
	}
	st := e.create("suppliers", record.Input{"name": "In use"})
	pc := e.create("computers", record.Input{"name": "<b>PC</b>", "organization_id": root, "manufacturer_id": man, "supplier_id": st})
	b := e.browser("en")
	b.login("admin", adminPassword)
	// Past RefLimit shared records, a picker shows the name; a few stay a select.
	b.get("/computers/"+itoa(pc)+"/edit").must(t, 200, `name="manufacturer_id" value="`+itoa(man)+`" data-picker-id`,
		`id="f-manufacturer_id" name="manufacturer_id__text" type="text" value="Lenovo"`, `<option value="`+itoa(st)+`" selected>In use</option>`).
		lacks(t, `<option value="`+itoa(man)+`"`)
	// Names are text, never markup.
	b.get("/computers").must(t, 200, "&lt;b&gt;PC&lt;/b&gt;").lacks(t, "<b>PC</b>")
}
