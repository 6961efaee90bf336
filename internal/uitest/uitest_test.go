package uitest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"parc/internal/uitest"
)

// TestCheck runs axe on a page with known faults and on a clean one: the faults
// are reported with their rule, impact, selector and help address; the clean page
// has none.
func TestCheck(t *testing.T) {
	exe := uitest.Chromium(t)
	src := uitest.Axe(t)
	pages := map[string]string{
		"/bad": `<!doctype html><html><head><title>Bad</title></head><body><main>
<h1>Bad</h1><img src="/x.png" id="pic"><input id="nolabel" type="text">
<p style="color:#aaa;background:#fff" id="faint">Faint text</p></main></body></html>`,
		"/good": `<!doctype html><html lang="en"><head><title>Good</title></head><body><main>
<h1>Good</h1><img src="/x.png" alt="A picture"><label for="name">Name</label><input id="name" type="text">
<p style="color:#333;background:#fff">Readable text</p></main></body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		html, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(html))
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tab := uitest.Start(t, ctx, exe, 1024, 768)

	check := func(path string) []uitest.Violation {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Navigate(srv.URL+path)); err != nil {
			t.Fatal(err)
		}
		v, err := uitest.Check(tab, src)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	bad := check("/bad")
	found := map[string]string{}
	for _, v := range bad {
		found[v.ID] = strings.Join(v.Nodes[0].Target, " ")
	}
	for rule, sel := range map[string]string{"html-has-lang": "html", "image-alt": "#pic", "label": "#nolabel", "color-contrast": "#faint"} {
		if found[rule] != sel {
			t.Errorf("rule %s: found on %q, want %q (all: %v)", rule, found[rule], sel, found)
		}
	}
	report := uitest.Report("/bad", bad)
	for _, want := range []string{"/bad breaks", "- image-alt [critical]", "https://dequeuniversity.com/rules/axe/", "#nolabel"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	// A second check of a page reuses the axe already injected.
	if again := check("/bad"); len(again) != len(bad) {
		t.Errorf("second check: %d violations, want %d", len(again), len(bad))
	}

	if good := check("/good"); len(good) != 0 {
		t.Errorf("clean page: %s", uitest.Report("/good", good))
	}
}
