package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"parc/internal/app"
	"parc/internal/i18n"
	"parc/internal/record"
	"parc/internal/storetest"
	"parc/internal/uitest"
)

const (
	techLogin    = "tech.e2e"
	techPassword = "tech-password-e2e-1"

	// totalTimeout bounds a whole scenario, browser start included, so that a
	// stuck browser fails the test instead of hanging it.
	totalTimeout = 90 * time.Second
	// stepTimeout bounds one step (a click and the page it loads, a query), so
	// that a missing element fails fast with the page in the message.
	stepTimeout = 15 * time.Second
)

// chromium finds Debian's Chromium and the pinned axe-core, or skips the test (or
// fails it when PARC_BROWSER_TESTS=1).
func chromium(t *testing.T) string {
	t.Helper()
	exe := uitest.Chromium(t)
	uitest.Axe(t)
	return exe
}

// TestBrowserScenario is the scenario in a real browser: log in, switch
// language, create a computer, find it with a filter, edit it, see the change in
// its history, log out.
func TestBrowserScenario(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		start := time.Now()
		srv, cat, other := startParc(t, kind)
		fr := func(key string, args ...any) string { return cat.T("fr", key, args...) }
		en := func(key string, args ...any) string { return cat.T("en", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind)

		// An anonymous visitor is sent to the login page, in French by default.
		b.open("/")
		b.wantPath("/login")
		b.wantLang("fr")
		b.wantText("h1", fr("ui.login.title"))
		b.wantText(`label[for="login"]`, fr("ui.login.login"))
		b.wantText(`label[for="password"]`, fr("ui.login.password"))

		// The language switch of the login page turns it to English.
		b.wantText(langButton, "English")
		b.clickTo(langButton, http.StatusOK)
		b.wantPath("/login")
		b.wantLang("en")
		b.wantText("h1", en("ui.login.title"))
		b.wantText(`label[for="login"]`, en("ui.login.login"))
		b.wantText(langButton, "Français")

		// Sign in as a technician: the dashboard, in English still.
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)
		b.wantPath("/")
		b.wantText("h1", en("ui.dashboard.title"))
		b.wantText(logoutButton, en("ui.logout"))

		// Computers, from the menu: the technician sees the one of their organisation.
		b.clickTo(`#nav a[href="/computers"]`, http.StatusOK)
		b.wantPath("/computers")
		b.wantText("h1", en("type.computer.plural"))
		b.wantText("p.count", "1 computer")
		b.wantContains("table.list tbody", other)

		// The "new" button opens the form.
		b.wantText(`.page-head a[href="/computers/new"]`, en("ui.list.new"))
		b.clickTo(`.page-head a[href="/computers/new"]`, http.StatusOK)
		b.wantPath("/computers/new")
		b.wantText("h1", en("ui.form.new_title", "computer"))
		b.wantText(`label[for="f-name"]`, en("field.name")+" *")

		// Saving without the required name: the browser keeps the form and puts the
		// cursor in the name, which it marks as missing.
		b.click(saveButton)
		b.waitTrue(`document.activeElement && document.activeElement.id === "f-name" && document.getElementById("f-name").validity.valueMissing`)
		b.wantPath("/computers/new")

		// A price that is not a number: the server shows the form again with the
		// message under the price, and keeps what was typed.
		b.typeIn("#f-name", "E2E-PC-1")
		b.typeIn("#f-serial", "SN-E2E-1")
		b.typeIn("#f-purchase_date", "03012025") // mm dd yyyy: the browser runs in en-US
		b.wantValue("#f-purchase_date", "2025-03-01")
		b.typeIn("#f-purchase_price", "12abc")
		b.clickTo(saveButton, http.StatusUnprocessableEntity)
		b.wantPath("/computers/new")
		b.wantText("#f-purchase_price-err", en("err.not_number"))
		b.wantAttr("#f-purchase_price", "aria-invalid", "true")
		b.wantAttr("#f-purchase_price", "aria-describedby", "f-purchase_price-err")
		b.wantVisible(".flash.error")
		b.wantValue("#f-name", "E2E-PC-1")
		b.wantValue("#f-serial", "SN-E2E-1")
		b.wantValue("#f-purchase_date", "2025-03-01")
		b.wantValue("#f-purchase_price", "12abc")
		b.shots("form-error")

		// Corrected, the computer is created and shown.
		b.clear("#f-purchase_price")
		b.typeIn("#f-purchase_price", "1234.50")
		b.clickTo(saveButton, http.StatusOK)
		m := regexp.MustCompile(`^/computers/(\d+)\?done=created$`).FindStringSubmatch(b.path())
		if m == nil {
			b.fatalf("after creation: at %s, want /computers/{id}?done=created", b.path())
		}
		item := "/computers/" + m[1]
		b.wantText(".flash.ok", en("ui.done.created"))
		b.wantText("h1", "E2E-PC-1")
		b.wantDetails(map[string]string{
			en("field.serial"):         "SN-E2E-1",
			en("field.purchase_date"):  "2025-03-01",
			en("field.purchase_price"): "1,234.50",
		})
		b.shots("item")

		// Back to the list, the filter builder finds it by serial, and not the other.
		b.clickTo(`.crumb a[href="/computers"]`, http.StatusOK)
		b.wantText("p.count", "2 computers")
		b.wantContains("table.list tbody", "E2E-PC-1", other)
		b.click("details.filters > summary")
		b.wantVisible("#ff-0")
		b.choose("#ff-0", "serial")
		b.choose("#fo-0", "contains")
		b.typeIn("#fv-0", "SN-E2E")
		b.clickTo(`details.filters button[type="submit"]`, http.StatusOK)
		b.wantPath("/computers?filter=" + url.QueryEscape("serial:contains:SN-E2E"))
		b.wantText("p.count", "1 computer")
		b.wantContains("table.list tbody", "E2E-PC-1")
		b.wantLacks("table.list tbody", other)
		b.wantValue("#fv-0", "SN-E2E")
		b.shots("list-filtered")

		// Open it, edit the serial.
		b.clickTo(`table.list tbody a[href="`+item+`"]`, http.StatusOK)
		b.wantPath(item)
		b.wantText(`.page-head a[href="`+item+`/edit"]`, en("ui.action.edit"))
		b.clickTo(`.page-head a[href="`+item+`/edit"]`, http.StatusOK)
		b.wantPath(item + "/edit")
		b.wantText("h1", en("ui.form.edit_title", "E2E-PC-1"))
		b.wantValue("#f-serial", "SN-E2E-1")
		b.wantValue("#f-purchase_price", "1234.50")
		b.shots("form-edit")
		b.clear("#f-serial")
		b.typeIn("#f-serial", "SN-E2E-2")
		b.clickTo(saveButton, http.StatusOK)
		b.wantPath(item + "?done=updated")
		b.wantText(".flash.ok", en("ui.done.updated"))
		b.wantDetails(map[string]string{en("field.serial"): "SN-E2E-2"})

		// The history tab shows the change, old → new, by the technician.
		b.clickTo(`nav.tabs a[href="`+item+`?tab=history"]`, http.StatusOK)
		b.wantPath(item + "?tab=history")
		b.wantText(`nav.tabs a[aria-current="page"]`, en("ui.item.tab_history"))
		b.wantText("table.history thead th:last-child", en("ui.history.change"))
		b.wantChange(techLogin, en("field.serial"), "SN-E2E-1", "SN-E2E-2")
		b.shots("history")

		// Switching to French there comes back to the same tab, in French.
		b.wantText(langButton, "Français")
		b.clickTo(langButton, http.StatusOK)
		b.wantPath(item + "?tab=history")
		b.wantLang("fr")
		b.wantText(`nav.tabs a[aria-current="page"]`, fr("ui.item.tab_history"))
		b.wantText("table.history thead th:last-child", fr("ui.history.change"))
		b.wantChange(techLogin, fr("field.serial"), "SN-E2E-1", "SN-E2E-2")
		b.wantText(langButton, "English")

		// Log out; the computers are behind the login page again.
		b.wantText(logoutButton, fr("ui.logout"))
		b.clickTo(logoutButton, http.StatusOK)
		b.wantPath("/login")
		b.wantText("h1", fr("ui.login.title"))
		b.open("/computers")
		b.wantPath("/login?next=" + url.QueryEscape("/computers"))
		b.wantText("h1", fr("ui.login.title"))
		b.wantAbsent("#nav")
		b.screenshot("end", false)

		b.noPageErrors()
		t.Logf("%s: scenario ran in %s", kind, time.Since(start).Round(time.Millisecond))
	})
}

const (
	langButton   = `header form[action="/lang"] button[name="lang"]`
	logoutButton = `header form[action="/logout"] button[type="submit"]`
	saveButton   = `form.record-form button[type="submit"]`
)

// clientA is a fresh store with an organisation "Client A" and its technician
// (techLogin); sys is the system actor, which sees the organisation.
func clientA(t *testing.T, kind string) (a *app.App, sys *record.Actor, org *record.Record) {
	t.Helper()
	ctx := context.Background()
	a = app.New(storetest.OpenTest(t, kind), nil)
	if _, err := a.Bootstrap(ctx, "fr"); err != nil {
		t.Fatal(err)
	}
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		t.Fatal(err)
	}
	org, err = a.Records.Create(ctx, sys, a.Reg.MustType("organizations"), record.Input{"name": "Client A", "parent_id": sys.Tree.Root})
	if err != nil {
		t.Fatal(err)
	}
	if sys, err = a.System(ctx, record.OriginCLI); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Auth.CreateUser(ctx, sys, techLogin, techPassword, "technician", org.ID); err != nil {
		t.Fatal(err)
	}
	return a, sys, org
}

// serve serves a's web interface on 127.0.0.1 until the test ends.
func serve(t *testing.T, a *app.App) (*httptest.Server, *i18n.Catalog) {
	cat := a.Cat
	srv := httptest.NewServer(a.HTTP())
	t.Cleanup(srv.Close)
	return srv, cat
}

// startParc serves parc over a fresh store on 127.0.0.1, with an organisation, a
// technician of it and one computer there; it returns the other computer's name.
func startParc(t *testing.T, kind string) (*httptest.Server, *i18n.Catalog, string) {
	t.Helper()
	ctx := context.Background()
	a, sys, org := clientA(t, kind)
	const other = "OTHER-PC"
	if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("computers"), record.Input{"name": other, "serial": "XYZ-9", "organization_id": org.ID}); err != nil {
		t.Fatal(err)
	}
	srv, cat := serve(t, a)
	return srv, cat, other
}

// browser is one Chromium tab on the served parc.
type browser struct {
	t       *testing.T
	ctx     context.Context
	base    string
	name    string        // prefix of the screenshot files
	dir     string        // where screenshots go, besides PARC_SCREENSHOTS
	axe     string        // axe-core's source, checked on every page loaded
	axeTime time.Duration // spent in axe-core
	noAxe   bool          // pages are opened without the accessibility check

	mu       sync.Mutex
	problems []string // script errors and refused resources, from the console
}

func newBrowser(t *testing.T, exe, base, name string) *browser {
	t.Helper()
	return newBrowserFor(t, exe, base, name, totalTimeout)
}

// newBrowserFor is newBrowser for a scenario that may last up to timeout.
func newBrowserFor(t *testing.T, exe, base, name string, timeout time.Duration) *browser {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	tctx := uitest.Start(t, ctx, exe, 1280, 900)
	// The browser would ask for en-US; a visitor without a language preference
	// sends none.
	if _, err := chromedp.Call(tctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": ""}}); err != nil {
		t.Fatalf("clear Accept-Language: %v", err)
	}
	b := &browser{t: t, ctx: tctx, base: base, name: name, dir: t.TempDir(), axe: uitest.Axe(t)}
	messages := chromedp.Console(tctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// Error statuses of pages are expected (the 422 of a refused form);
			// a script error or a refused script or style is not.
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Refused to") {
				b.mu.Lock()
				b.problems = append(b.problems, fmt.Sprintf("%s %s: %s", m.Type, m.URL, m.Text))
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// step runs actions with the step timeout.
func (b *browser) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

func get[T any](b *browser, what string, action chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	return v
}

// open goes to a path of the site as if typed in the address bar.
func (b *browser) open(path string) {
	b.t.Helper()
	resp := get(b, "open "+path, chromedp.NavigateResponse(b.base+path))
	if resp == nil || resp.Status != http.StatusOK {
		b.fatalf("open %s: response %+v", path, resp)
	}
	b.accessible()
}

// accessible fails the test when the loaded page breaks a WCAG 2.1 A/AA rule
// that axe-core checks; the scenario goes on, to report the next pages too.
func (b *browser) accessible() {
	b.t.Helper()
	if b.noAxe {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	start := time.Now()
	v, err := uitest.Check(ctx, b.axe)
	b.axeTime += time.Since(start)
	if err != nil {
		b.fatalf("accessibility check: %v", err)
	}
	if len(v) > 0 {
		b.t.Error(uitest.Report(b.path(), v))
	}
}

// click clicks an element; nothing need load.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.step("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// clickTo clicks an element and waits for the page it loads, which must answer
// status (after any redirect).
func (b *browser) clickTo(sel string, status int) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.fatalf("click %s: %v", sel, err)
	}
	if resp == nil || resp.Status != int64(status) {
		got := "no response"
		if resp != nil {
			got = fmt.Sprintf("status %d for %s", resp.Status, resp.URL)
		}
		b.fatalf("click %s: %s, want status %d", sel, got, status)
	}
	b.accessible()
}

func (b *browser) typeIn(sel, text string) {
	b.t.Helper()
	b.step("type in "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

func (b *browser) clear(sel string) {
	b.t.Helper()
	b.step("clear "+sel, chromedp.Clear(chromedp.CSS(sel)))
}

// choose picks the option of a select by its value.
func (b *browser) choose(sel, value string) {
	b.t.Helper()
	b.step("choose "+value+" in "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
	b.wantValue(sel, value)
}

// path is the current address without the scheme and host.
func (b *browser) path() string {
	b.t.Helper()
	loc := get(b, "location", chromedp.Location())
	return strings.TrimPrefix(loc, b.base)
}

func (b *browser) wantPath(want string) {
	b.t.Helper()
	if got := b.path(); got != want {
		b.fatalf("at %s, want %s", got, want)
	}
}

func (b *browser) wantLang(want string) {
	b.t.Helper()
	if got := get(b, "page language", chromedp.Evaluate[string](`document.documentElement.lang`)); got != want {
		b.fatalf("page language %q, want %q", got, want)
	}
}

// text is the visible text of the first element sel matches, spaces folded.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.Join(strings.Fields(get(b, "text of "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))), " ")
}

func (b *browser) wantText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); got != want {
		b.fatalf("%s shows %q, want %q", sel, got, want)
	}
}

func (b *browser) wantContains(sel string, want ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.fatalf("%s shows %q, want it to hold %q", sel, got, w)
		}
	}
}

func (b *browser) wantLacks(sel string, unwanted ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			b.fatalf("%s shows %q, holding %q", sel, got, w)
		}
	}
}

func (b *browser) wantValue(sel, want string) {
	b.t.Helper()
	if got := get(b, "value of "+sel, chromedp.Value(chromedp.CSS(sel))); got != want {
		b.fatalf("%s holds %q, want %q", sel, got, want)
	}
}

func (b *browser) wantAttr(sel, name, want string) {
	b.t.Helper()
	attrs := get(b, "attributes of "+sel, chromedp.Attributes(chromedp.CSS(sel)))
	if got, ok := attrs[name]; !ok || got != want {
		b.fatalf("%s has %s=%q (present: %v), want %q", sel, name, got, ok, want)
	}
}

func (b *browser) wantVisible(sel string) {
	b.t.Helper()
	b.step("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// wantAbsent checks that the loaded page has no element sel.
func (b *browser) wantAbsent(sel string) {
	b.t.Helper()
	n := get(b, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	if n != 0 {
		b.fatalf("%d elements %s on the page, want none", n, sel)
	}
}

// waitTrue waits until a script expression about the page is true.
func (b *browser) waitTrue(expr string) {
	b.t.Helper()
	get(b, "wait for "+expr, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(stepTimeout-time.Second)))
}

// wantDetails checks lines of an item's details: label → shown value.
func (b *browser) wantDetails(want map[string]string) {
	b.t.Helper()
	b.wantVisible("dl.details")
	got := get(b, "details", chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(document.querySelectorAll("dl.details > div"),
		d => [d.querySelector("dt").innerText.trim(), d.querySelector("dd").innerText.trim()]))`))
	for label, v := range want {
		if got[label] != v {
			b.fatalf("details: %s is %q, want %q (all: %v)", label, got[label], v, got)
		}
	}
}

// change is one row of the history table.
type change struct {
	User  string `json:"user"`
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// wantChange checks that the history table shows user changing field from old
// to new.
func (b *browser) wantChange(user, field, old, new string) {
	b.t.Helper()
	b.wantVisible("table.history")
	rows := get(b, "history", chromedp.Evaluate[[]change](`Array.from(document.querySelectorAll("table.history tbody tr"), r => {
		const t = s => { const e = r.querySelector(s); return e ? e.innerText.trim() : ""; };
		return {user: t("td:nth-child(2)"), field: t(".h-field"), old: t(".h-old"), new: t(".h-new")};
	})`))
	for _, r := range rows {
		if r.User == user && r.Field == field && r.Old == old && r.New == new {
			return
		}
	}
	b.fatalf("history lacks %s changing %s: %s → %s; rows: %+v", user, field, old, new, rows)
}

// noPageErrors fails on any script error or refused resource the console saw.
func (b *browser) noPageErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.problems) > 0 {
		b.t.Fatalf("the browser console reported:\n%s", strings.Join(b.problems, "\n"))
	}
}

// shots saves the page at desktop and phone widths, when PARC_SCREENSHOTS names
// a directory.
func (b *browser) shots(name string) {
	b.t.Helper()
	if os.Getenv("PARC_SCREENSHOTS") == "" {
		return
	}
	b.screenshot(name, false)
	b.screenshot(name, true)
}

// screenshot saves the whole page as a PNG into the test's temporary directory
// and into PARC_SCREENSHOTS when set; phone is 390 pixels wide.
func (b *browser) screenshot(name string, phone bool) {
	b.t.Helper()
	file := b.name + "-" + name + "-1280.png"
	var png []byte
	if phone {
		// A phone-wide viewport as tall as the page. Not in mobile mode: that
		// zooms an already loaded page out to the width of its scrolling tables,
		// which a phone loading the page at that width does not do.
		file = b.name + "-" + name + "-390.png"
		b.step("phone viewport", chromedp.EmulateViewport(390, 844))
		defer b.step("desktop viewport", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
			return err
		}))
		h := get(b, "page height", chromedp.Evaluate[int64](`Math.max(844, document.documentElement.scrollHeight)`))
		b.step("phone page", chromedp.EmulateViewport(390, h))
		png = get(b, "screenshot", chromedp.CaptureScreenshot())
	} else {
		png = get(b, "screenshot", chromedp.FullScreenshot(100))
	}
	dirs := []string{b.dir}
	if d := os.Getenv("PARC_SCREENSHOTS"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			b.t.Fatal(err)
		}
		p := filepath.Join(d, file)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			b.t.Fatal(err)
		}
		b.t.Logf("screenshot %s", p)
	}
}

// fatalf fails the test with what the page shows, and keeps a screenshot of it
// when PARC_SCREENSHOTS names a directory.
func (b *browser) fatalf(format string, args ...any) {
	b.t.Helper()
	msg := fmt.Sprintf(format, args...)
	if b.ctx.Err() != nil {
		b.t.Fatalf("%s (the scenario's time ran out)", msg)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if len(body) > 3000 {
		body = body[:3000] + "…"
	}
	if d := os.Getenv("PARC_SCREENSHOTS"); d != "" {
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil && os.MkdirAll(d, 0o755) == nil {
			p := filepath.Join(d, b.name+"-failure.png")
			if os.WriteFile(p, png, 0o644) == nil {
				msg += "\nscreenshot: " + p
			}
		}
	}
	b.t.Fatalf("%s\npage %s shows:\n%s", msg, loc, body)
}
