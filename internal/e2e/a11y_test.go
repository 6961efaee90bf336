package e2e_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"parc/internal/app"
	"parc/internal/demo"
	"parc/internal/storetest"
)

// crawlTimeout bounds the whole crawl of one account, browser start included.
const crawlTimeout = 5 * time.Minute

// TestBrowserAccessibility signs in to a store holding the demo data as each kind
// of account and checks with axe-core, against WCAG 2.1 A/AA, the pages it
// reaches: every page of the navigation, a record of each list with its tabs, a
// list with its filter builder open on a filter, and each "new" form refused with
// its errors shown.
//
// axe takes about half a second a page, and most pages are drawn by a few
// templates: the super-admin (who sees every type) and the requester (the
// portal) go deep; the technician and the client's administrator check their own
// navigation, and the technician the ticket and computer pages as they see them.
// The accounts crawl at once, each in its own browser, so the crawl takes about
// as long as the super-admin's. PostgreSQL draws the same pages from other
// queries, not other markup: there the super-admin's deep crawl opens every page
// and refuses every form, checking answers and script errors without axe.
func TestBrowserAccessibility(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	deep := crawlPlan{records: true, tabs: true, forms: true}
	plans := map[string][]accountPlan{
		"sqlite": {
			// The super-admin's crawl, the longest, is cut in two browsers: the
			// pages with their records and tabs, and the refused forms.
			{demo.AdminLogin, crawlPlan{records: true, tabs: true}},
			{demo.AdminLogin, crawlPlan{forms: true, formsOnly: true}},
			{"tech.paris", crawlPlan{recordsOf: []string{"/tickets", "/computers"}}},
			{"resp.martin", crawlPlan{}},
			{"marie.dupont", deep},
		},
		"postgres": {
			{demo.AdminLogin, crawlPlan{records: true, tabs: true, forms: true, noAxe: true}},
		},
	}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a := app.New(storetest.OpenTest(t, kind), nil)
		if _, err := a.Bootstrap(ctx, "fr"); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := a.LoadDemo(ctx); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: demo loaded in %s", kind, time.Since(start).Round(time.Millisecond))
		srv, _ := serve(t, a)
		for _, acc := range plans[kind] {
			name := acc.login
			if acc.plan.formsOnly {
				name += "-forms"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				start := time.Now()
				b := newBrowserFor(t, exe, srv.URL, kind+"-a11y-"+name, crawlTimeout)
				b.noAxe = acc.plan.noAxe
				n := crawl(b, acc.login, acc.plan)
				b.noPageErrors()
				t.Logf("%s: %s: %d pages checked in %s (axe: %s)", kind, name, n, time.Since(start).Round(time.Millisecond), b.axeTime.Round(time.Millisecond))
			})
		}
	})
}

type accountPlan struct {
	login string
	plan  crawlPlan
}

// crawlPlan says how deep the crawl goes from the navigation's pages.
type crawlPlan struct {
	records   bool     // the first record of every list
	recordsOf []string // else the first record of these lists
	tabs      bool     // each tab of those records, on the first record that has it
	forms     bool     // each "new" form, refused with its errors
	noAxe     bool     // open the pages (answers, script errors) without axe
	formsOnly bool     // check only the forms: the navigation is opened unchecked to find them
}

// portalForms are the requester's forms, which the portal's pages link to.
var portalForms = []string{"/portal/new?type=incident", "/portal/new?type=request"}

// crawl signs in as login and checks the pages plan asks for; it returns how
// many pages it checked.
func crawl(b *browser, login string, plan crawlPlan) int {
	b.t.Helper()
	b.open("/login")
	b.typeIn("#login", login)
	b.typeIn("#password", demo.Password)
	b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)
	checked := 2
	seen := map[string]bool{}
	tabs := map[string]bool{} // the tabs checked, by their key
	visit := func(path string) bool {
		if seen[path] {
			return false
		}
		seen[path] = true
		if plan.formsOnly {
			b.goTo(path)
			return true
		}
		b.open(path)
		checked++
		return true
	}
	// refuse opens a form unchecked (when new, its refused copy shows it all)
	// and checks it sent empty.
	refused := map[string]bool{}
	refuse := func(path string) {
		if refused[path] {
			return
		}
		refused[path] = true
		b.goTo(path)
		if b.submitInvalid() {
			checked++
		}
	}

	// The navigation and the header's links, then what each list page leads to.
	pages := b.links(`#nav a[href], header.top a[href]`)
	var forms []string
	for _, p := range pages {
		if !visit(p) {
			continue
		}
		rows := b.links(`table.list tbody a[href]`)
		forms = append(forms, b.links(`.page-head a[href$="/new"]`)...)
		if len(rows) == 0 || !(plan.records || slices.Contains(plan.recordsOf, p)) || !visit(rows[0]) {
			continue
		}
		if plan.tabs {
			for _, tab := range b.links(`nav.tabs a[href]`) {
				if key := tabKey(tab); !tabs[key] {
					tabs[key] = true
					visit(tab)
				}
			}
		}
	}
	if plan.forms {
		if slices.Contains(pages, "/portal") {
			forms = append(forms, portalForms...)
		}
		for _, f := range forms {
			refuse(f)
		}
	}

	// A list filtered, with its filter builder open.
	if slices.Contains(pages, "/computers") && !plan.formsOnly {
		visit("/computers?filter=" + url.QueryEscape("name:contains:PC") + "&sort=-name")
		b.click("details.filters > summary")
		b.wantVisible("#ff-0")
		b.accessible()
		checked++
	}
	return checked
}

// goTo loads a page of the site without checking it.
func (b *browser) goTo(path string) {
	b.t.Helper()
	resp := get(b, "open "+path, chromedp.NavigateResponse(b.base+path))
	if resp == nil || resp.Status != http.StatusOK {
		b.fatalf("open %s: response %+v", path, resp)
	}
}

// links are the distinct same-site paths of the links sel matches on the loaded
// page, in order; downloads (CSV) are left out.
func (b *browser) links(sel string) []string {
	b.t.Helper()
	hrefs := get(b, "links "+sel, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(`+jsString(sel)+`),
		a => a.getAttribute("href"))`))
	var out []string
	for _, h := range hrefs {
		if !strings.HasPrefix(h, "/") || strings.HasPrefix(h, "//") || strings.Contains(h, ".csv") || strings.Contains(h, "/export") || slices.Contains(out, h) {
			continue
		}
		out = append(out, h)
	}
	return out
}

// submitInvalid sends the page's record form without the browser's validation,
// as typed (here: empty), and checks the page that comes back. It tells whether
// the page had such a form.
func (b *browser) submitInvalid() bool {
	b.t.Helper()
	has := get(b, "record form", chromedp.Evaluate[bool](`(() => {
		const f = document.querySelector("form.record-form");
		if (!f) return false;
		f.noValidate = true;
		return true;
	})()`))
	if !has {
		return false
	}
	b.clickTo(saveButton, http.StatusUnprocessableEntity)
	b.wantVisible(".flash.error")
	return true
}

// tabKey is the tab a record page's link opens: its tab parameter, "" for the
// first tab.
func tabKey(href string) string {
	u, err := url.Parse(href)
	if err != nil {
		return href
	}
	return u.Query().Get("tab")
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// TestBrowserKeyboard walks a page with the keyboard as a person who cannot use
// a mouse would: the first Tab shows the skip link, Enter on it takes the focus
// to the page's content, and a table too wide for the screen takes the focus as
// a named region (so the arrow keys scroll it) while one that fits does not.
// Before app.js made them focusable, the demo's network interfaces table broke
// axe's scrollable-region-focusable rule.
func TestBrowserKeyboard(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		srv, _, _ := startParc(t, kind)
		b := newBrowser(t, exe, srv.URL, kind+"-keyboard")
		b.open("/login")
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)
		b.open("/computers")

		b.step("press Tab", chromedp.KeyEvent(kb.Tab))
		b.waitTrue(`document.activeElement.matches("a.skip") && document.activeElement.getBoundingClientRect().top >= 0`)
		b.step("press Enter", chromedp.KeyEvent(kb.Enter))
		b.waitTrue(`document.activeElement.id === "main"`)

		// A table that fits is no tab stop of its own.
		b.waitTrue(`Array.from(document.querySelectorAll(".table-wrap")).every(w => (w.scrollWidth > w.clientWidth + 1) === w.hasAttribute("tabindex"))`)
		// At a phone's width it scrolls: it becomes a focusable region named
		// after the page's heading, and Tab reaches it.
		b.step("phone width", chromedp.EmulateViewport(390, 844))
		b.waitTrue(`(() => { const w = document.querySelector(".table-wrap"); return w.getAttribute("tabindex") === "0" && w.getAttribute("role") === "region" && w.getAttribute("aria-label") === document.querySelector("h1").textContent.trim(); })()`)
		b.accessible()
		b.step("focus the table", chromedp.Focus(chromedp.CSS(".table-wrap")))
		b.waitTrue(`document.activeElement.classList.contains("table-wrap")`)
		b.step("press the right arrow", chromedp.KeyEvent(kb.ArrowRight))
		b.waitTrue(`document.querySelector(".table-wrap").scrollLeft > 0`)
		b.noPageErrors()
	})
}
