package ui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestThreadTaskAuthorsAndArticleSolution: a task in the thread names who wrote
// it, as a follow-up does, besides the technician it is for, and who marked it
// done when someone else did; a solution taken from a knowledge-base article
// reads as the article does, its Markdown rendered and sanitised.
func TestThreadTaskAuthorsAndArticleSolution(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		root := e.sys.Tree.Root
		e.person("claire", "Claire", "Martin", "technician", root)
		julien := e.person("julien", "Julien", "Moreau", "technician", root)
		id := e.create("tickets", record.Input{"title": "VPN coupé", "description": "Le VPN se coupe.", "organization_id": root})
		art := e.create("kb-articles", record.Input{"title": "Réinstaller le client VPN", "organization_id": root, "published": true,
			"body": "Installer **FortiClient** 7.2 :\n\n1. Désinstaller l'ancien\n2. Redémarrer\n\n<script>alert(1)</script>"})
		href := "/tickets/" + record.Format(id)

		claire := e.browser("fr")
		claire.login("claire", "claire-password-1")
		post := func(b *browser, path string, form url.Values) {
			t.Helper()
			form.Set("_csrf", b.csrf())
			if p := b.post(path, form); p.Status != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", path, p.Status, p.Body)
			}
		}
		// Claire writes a task for Julien, and one she did herself.
		post(claire, href+"/tasks", url.Values{"content": {"Changer le câble réseau"}, "user_id": {record.Format(julien)}, "duration_minutes": {"0"}})
		post(claire, href+"/tasks", url.Values{"content": {"Vérifier le pare-feu"}, "duration_minutes": {"15"}, "done": {"on"}})
		var task int64
		if err := e.app.DB.QueryRowContext(ctx, "SELECT id FROM ticket_tasks WHERE content = ?", "Changer le câble réseau").Scan(&task); err != nil {
			t.Fatal(err)
		}
		// Julien does his.
		jb := e.browser("fr")
		jb.login("julien", "julien-password-1")
		post(jb, href+"/tasks/"+record.Format(task)+"/done", url.Values{})
		// Claire solves from the article.
		post(claire, href+"/solution", url.Values{"kb_article_id": {record.Format(art)}, "solution_type": {"fixed"}})

		fr := func(key string, args ...any) string { return html.EscapeString(e.cat.T("fr", key, args...)) }
		p := claire.get(href).must(t, http.StatusOK)
		entry := func(text string) string {
			t.Helper()
			i := strings.Index(p.Body, text)
			if i < 0 {
				t.Fatalf("%q not in the thread:\n%s", text, p.Body)
			}
			start := strings.LastIndex(p.Body[:i], "<li class=\"tentry")
			end := strings.Index(p.Body[i:], `<li class="tentry`)
			if end < 0 {
				end = strings.Index(p.Body[i:], `id="reply"`)
			}
			return p.Body[start : i+end]
		}
		cable := entry("Changer le câble réseau")
		for _, want := range []string{"· Claire Martin ·", fr("timeline.task_for", "Julien Moreau"), fr("thread.task_done_by", "Julien Moreau")} {
			if !strings.Contains(cable, want) {
				t.Fatalf("the task lacks %q:\n%s", want, cable)
			}
		}
		wall := entry("Vérifier le pare-feu")
		for _, want := range []string{"· Claire Martin ·", fr("timeline.task_done")} {
			if !strings.Contains(wall, want) {
				t.Fatalf("the task lacks %q:\n%s", want, wall)
			}
		}
		sol := entry("FortiClient")
		for _, want := range []string{`class="kb-article"`, "<strong>FortiClient</strong>", "<li>Redémarrer</li>"} {
			if !strings.Contains(sol, want) {
				t.Fatalf("the solution lacks %q:\n%s", want, sol)
			}
		}
		for _, absent := range []string{"**FortiClient**", "<script>", "&lt;script&gt;"} {
			if strings.Contains(sol, absent) {
				t.Fatalf("the solution shows %q:\n%s", absent, sol)
			}
		}
	})
}
