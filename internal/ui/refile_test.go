package ui_test

import (
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestRefilePreviewPage: whoever may change the dictionary sees, from its list,
// what re-filing would move; a technician neither sees the link nor the page.
func TestRefilePreviewPage(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		b := e.browser("fr")
		b.login("admin", adminPassword)
		b.get("/software-rules").must(t, 200, `href="/software-rules/refile"`, "Reclassement du catalogue")
		b.get("/software-rules/refile").must(t, 200, "<h1>Reclassement du catalogue</h1>", "rien à déplacer")
		e.create("software", record.Input{"name": "Firefox", "publisher": "Mozilla"})
		e.create("software", record.Input{"name": "Mozilla Firefox", "publisher": "Mozilla"})
		e.create("software", record.Input{"name": "WinSCP 6.3.1", "publisher": "Martin Prikryl"})
		e.create("software-rules", record.Input{"name": "Firefox", "match_name": "^Firefox$", "action": "rename", "new_name": "Mozilla Firefox"})
		b.get("/software-rules/refile").must(t, 200, "Firefox</a>", "Regroupée dans <a", "Renommée WinSCP", "<td>6.3.1</td>").lacks(t, "rien à déplacer")

		e.user("tech", "correct horse battery", "technician")
		tb := e.browser("fr")
		tb.login("tech", "correct horse battery")
		tb.get("/software-rules/refile").must(t, 403)
	})
}
