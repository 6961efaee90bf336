package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"parc/internal/app"
	"parc/internal/storetest"
)

// TestBrowserDirectoryPage: on the demo, the client's administrator (resp.martin)
// opens the directories list, then the demo's directory (disabled, no server):
// its connection, mapping and "never synchronised" are shown, the bind password
// only as "stored", and the test button reports the directory's error in words;
// every page passes axe-core.
func TestBrowserDirectoryPage(t *testing.T) {
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
		var id int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM directories WHERE name = ?", "Annuaire Boulangeries Martin").Scan(&id); err != nil {
			t.Fatal(err)
		}
		page := "/directories/" + strconv.FormatInt(id, 10)
		b := newBrowser(t, exe, srv.URL, kind+"-directories")
		b.open("/login")
		b.typeIn("#login", "resp.martin")
		b.typeIn("#password", demoPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)
		b.open("/directories")
		b.wantContains("main", "Annuaire Boulangeries Martin", "ldap://127.0.0.1:389")
		b.clickTo(`a[href="`+page+`"]`, http.StatusOK)
		b.wantContains("#directory-connection", "ldap://127.0.0.1:389", "ou=personnel,dc=boulangeries-martin,dc=fr", fr("ui.directory.password_set"))
		b.wantLacks("main", "demo-sans-serveur")
		b.wantContains("#directory-mapping", "givenName", "telephoneNumber")
		b.wantContains("#directory-sync", fr("ui.directory.never_synced"))
		b.shots("directory")
		b.clickTo("#directory-test", http.StatusOK)
		b.wantContains("#directory-test-result", fr("ui.directory.test_failed", fr("directory.err.connect")))
		b.shots("directory-test-failed")
	})
}
