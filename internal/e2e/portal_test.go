package e2e_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"parc/internal/app"
	"parc/internal/record"
	"parc/internal/storetest"
)

const demoPassword = "demo-password"

// TestBrowserPortalOnDemo drives the portal as the demo's marie.dupont, a
// requester of Boulangeries Martin (with its subsidiary): she lands on the portal
// home, opens an incident without being asked for an organisation, among the
// categories her provider shares; the knowledge base suggests articles matching
// any of her words; a refused title is marked on its input; the FAQ lists the
// articles published for her, rendered from Markdown. Then tech.paris sees a
// refused ticket form mark its field with the field's label.
func TestBrowserPortalOnDemo(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a := app.New(storetest.OpenTest(t, kind), nil)
		if _, err := a.Bootstrap(ctx, "fr"); err != nil {
			t.Fatal(err)
		}
		if err := a.LoadDemo(ctx); err != nil {
			t.Fatal(err)
		}
		srv, cat := serve(t, a)
		fr := func(key string, args ...any) string { return cat.T("fr", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind+"-portal")
		login := func(user string) {
			b.open("/login")
			b.typeIn("#login", user)
			b.typeIn("#password", demoPassword)
			b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)
		}

		login("marie.dupont")
		b.wantPath("/portal")
		b.wantText("h1", fr("portal.title"))
		b.wantVisible("#faq-link")
		b.shots("portal-home")

		// A new incident: no organisation asked, the provider's shared categories offered.
		b.clickTo("#new-incident", http.StatusOK)
		b.wantAbsent("#p-org")
		b.wantContains("#p-category", "VPN / accès distant", "Mot de passe")

		// Suggestions match any of the words.
		b.typeIn("#p-title", "mot de passe oublié")
		b.waitTrue(`document.querySelector("#kb-suggest").innerText.includes("Changer son mot de passe Windows")`)
		get(b, "empty the title", chromedp.Evaluate[bool](`(document.querySelector("#p-title").value = "") === ""`))
		b.typeIn("#p-title", "problème VPN")
		b.waitTrue(`document.querySelector("#kb-suggest").innerText.includes("Se connecter au VPN depuis chez soi")`)
		b.shots("portal-suggest")

		// A blank title comes back marked on its input.
		get(b, "empty the title", chromedp.Evaluate[bool](`(document.querySelector("#p-title").value = "") === ""`))
		b.typeIn("#p-title", "   ")
		b.typeIn("#p-description", "Le VPN refuse mon identifiant depuis ce matin.")
		b.clickTo("#p-submit", http.StatusUnprocessableEntity)
		b.wantAttr("#p-title", "aria-invalid", "true")
		b.wantAttr("#p-title", "aria-describedby", "p-title-err")
		b.wantText("#p-title-err", fr("err.required"))
		b.wantValue("#p-description", "Le VPN refuse mon identifiant depuis ce matin.")
		b.shots("portal-refused")

		// Corrected, with a category: the ticket opens in her company.
		b.typeIn("#p-title", "VPN refusé")
		vpn := get(b, "VPN category", chromedp.Evaluate[string](`(Array.from(document.querySelectorAll("#p-category option")).find(o => o.textContent.trim() === "VPN / accès distant") || {value: ""}).value`))
		b.choose("#p-category", vpn)
		b.clickTo("#p-submit", http.StatusOK)
		m := regexp.MustCompile(`^/portal/tickets/(\d+)\?done=ticket_created$`).FindStringSubmatch(b.path())
		if m == nil {
			b.fatalf("after sending: at %s", b.path())
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		sys, err := a.System(ctx, record.OriginCLI)
		if err != nil {
			t.Fatal(err)
		}
		tk, err := a.Records.Get(ctx, sys, a.Reg.MustType("tickets"), id)
		if err != nil {
			t.Fatal(err)
		}
		if got := tk.Display["organization_id"]; got != "Boulangeries Martin" {
			t.Errorf("ticket in %q, want her company", got)
		}
		if got := tk.Display["category_id"]; got != "VPN / accès distant" {
			t.Errorf("ticket category %q", got)
		}

		// The FAQ: the four articles published for requesters, by category.
		b.clickTo(`#nav a[href="/portal/faq"]`, http.StatusOK)
		b.wantText("h1", fr("portal.faq"))
		n := get(b, "FAQ articles", chromedp.Evaluate[int](`document.querySelectorAll("ul.faq li a").length`))
		if n != 4 {
			b.fatalf("FAQ lists %d articles, want the demo's 4", n)
		}
		b.wantContains("main", "Accès distant", "Se connecter au VPN depuis chez soi", "Changer son mot de passe Windows")
		b.wantLacks("main", "Procédure : préparer et livrer un nouveau poste de travail")
		b.shots("portal-faq")
		b.clickTo(`ul.faq a[href^="/portal/kb/"]`, http.StatusOK)
		b.wantVisible("article.kb-article strong")
		b.wantVisible("article.kb-article ol li")
		b.shots("portal-article")

		// A solution taken from an article reads as the article does.
		b.open("/portal/tickets")
		solved := get(b, "solved ticket", chromedp.Evaluate[string](`(Array.from(document.querySelectorAll("#my-tickets a")).find(a => a.textContent.includes("Mot de passe de la messagerie oublié")) || {}).getAttribute("href")`))
		b.open(solved)
		b.wantVisible("#solution strong")
		b.wantLacks("#solution", "**")
		b.shots("portal-solution")
		b.clickTo(logoutButton, http.StatusOK)

		// The technician's ticket form refused: the field marked with its label's message.
		login("tech.paris")
		b.open("/tickets/new")
		b.typeIn("#f-title", "   ")
		b.clickTo(saveButton, http.StatusUnprocessableEntity)
		b.wantAttr("#f-title", "aria-invalid", "true")
		b.wantContains(".field-error", fr("err.required"))
		b.wantLacks("main", "organization_id", "title:")
		b.shots("ticket-form-refused")
		b.noPageErrors()
	})
}
