package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestBrowserSearchAndFilterChips: a technician searches everything from the
// header (tickets, follow-ups, articles and assets, within their organisation),
// reads an article's Markdown rendered, and narrows the ticket list with filters
// that read as words ("Technicien attribué est Julien Moreau", "Ouvert est oui"),
// one of which they remove.
func TestBrowserSearchAndFilterChips(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a, sys, org := clientA(t, kind)
		create := func(typeName string, in record.Input) int64 {
			t.Helper()
			r, err := a.Records.Create(ctx, sys, a.Reg.MustType(typeName), in)
			if err != nil {
				t.Fatalf("create %s: %v", typeName, err)
			}
			return r.ID
		}
		users := a.Reg.MustType("users")
		page, err := a.Records.List(ctx, sys, users, record.ListQuery{Filters: []record.Filter{{Field: "login", Op: record.OpEq, Value: techLogin}}})
		if err != nil || len(page.Records) != 1 {
			t.Fatalf("technician: %v", err)
		}
		tech := page.Records[0].ID
		if _, err := a.Records.Update(ctx, sys, users, tech, record.Input{"firstname": "Julien", "lastname": "Moreau", "version": page.Records[0].Version}); err != nil {
			t.Fatal(err)
		}
		other := create("organizations", record.Input{"name": "Client B", "parent_id": sys.Tree.Root})
		if sys, err = a.System(ctx, record.OriginCLI); err != nil { // sees Client B
			t.Fatal(err)
		}
		create("tickets", record.Input{"title": "Bourrage papier sur l'imprimante du 2e", "description": "Le bac 2 coince.",
			"organization_id": org.ID, "assigned_user_id": tech})
		create("tickets", record.Input{"title": "Imprimantes bloquées à l'accueil", "description": "Bourrages répétés.", "organization_id": org.ID})
		create("tickets", record.Input{"title": "Écran noir", "description": "Plus d'image.", "organization_id": org.ID, "assigned_user_id": tech,
			"status": "solved", "solution": "Câble changé."})
		create("tickets", record.Input{"title": "Bourrage imprimante chez B", "description": "Imprimante de B.", "organization_id": other})
		article := create("kb-articles", record.Input{"title": "Imprimante : débloquer un bourrage", "body": "Ouvrez le capot avec **FortiClient** fermé.\n\n<script>alert(1)</script>",
			"visibility": "internal", "published": true, "organization_id": org.ID})
		create("computers", record.Input{"name": "PC-COMPTA-7", "serial": "SN-7788", "organization_id": org.ID})
		srv, cat := serve(t, a)
		fr := func(key string, args ...any) string { return cat.T("fr", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind+"-words")

		b.open("/login")
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)

		// The header's box: words in other forms and without accents find the
		// tickets and the article; client B's ticket stays out.
		b.typeIn("#top-q", "imprimantes bourrages")
		b.clickTo(`form.top-search button[type="submit"]`, http.StatusOK)
		b.wantPath("/search?q=imprimantes+bourrages")
		b.wantText("h1", fr("ui.search.title_q", "imprimantes bourrages"))
		b.wantContains("#search-tickets + ol", "Bourrage papier sur l'imprimante du 2e", "Imprimantes bloquées à l'accueil")
		b.wantContains("#search-kb-articles + ol", "Imprimante : débloquer un bourrage")
		b.wantLacks("main", "chez B", "Écran noir")
		b.wantValue("#top-q", "imprimantes bourrages")
		b.shots("search")

		// The article opens with its Markdown rendered and its script removed.
		b.clickTo(`#search-kb-articles + ol a[href="/kb-articles/`+strconv.FormatInt(article, 10)+`"]`, http.StatusOK)
		b.wantText(".kb-article strong", "FortiClient")
		b.wantLacks("main", "**FortiClient**", "alert(1)")

		// Assets by serial, from any page.
		b.typeIn("#top-q", "SN-7788")
		b.clickTo(`form.top-search button[type="submit"]`, http.StatusOK)
		b.wantContains("#search-assets + ol", "PC-COMPTA-7", "SN-7788")

		// The ticket list, filtered with the builder in words.
		b.open("/tickets")
		b.click("details.filters summary")
		b.choose("#ff-0", "assigned_user_id")
		b.choose("#fo-0", "eq")
		b.typeIn("#fv-0", "Julien Moreau")
		b.choose("#ff-1", "open")
		b.choose("#fo-1", "eq")
		b.typeIn("#fv-1", "oui")
		b.clickTo(`details.filters button[type="submit"].primary`, http.StatusOK)
		chip1 := fr("field.assigned_user_id") + " " + fr("op.eq") + " Julien Moreau"
		chip2 := fr("ui.filter.virtual.open") + " " + fr("op.eq") + " oui"
		b.wantContains("ul.chips", chip1, chip2)
		b.wantLacks("ul.chips", "true", " "+strconv.FormatInt(tech, 10))
		b.wantValue("#fv-0", "Julien Moreau")
		b.wantValue("#fv-1", "oui")
		b.wantContains("table.list tbody", "Bourrage papier sur l'imprimante du 2e")
		b.wantLacks("table.list tbody", "Écran noir", "Imprimantes bloquées")
		b.shots("chips")

		// Removing "open" brings back the solved ticket, keeping the technician.
		b.clickTo(`ul.chips li:nth-child(2) a`, http.StatusOK)
		b.wantContains("ul.chips", chip1)
		b.wantLacks("ul.chips", chip2)
		b.wantContains("table.list tbody", "Bourrage papier sur l'imprimante du 2e", "Écran noir")

		// The list's own box matches words the same way.
		b.open("/tickets")
		b.typeIn("#q", "imprimantes bourrages")
		b.clickTo(`form#search .searchbar button[type="submit"]`, http.StatusOK)
		b.wantContains("table.list tbody", "Bourrage papier sur l'imprimante du 2e", "Imprimantes bloquées à l'accueil")
		b.noPageErrors()
	})
}
