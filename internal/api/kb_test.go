package api_test

import (
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/storetest"
)

func kbPath(id int64, rest ...string) string {
	return apitest.Path("/api/v1/kb-articles/%d", id) + strings.Join(rest, "")
}

// TestKBArticleAudience checks who reads which article through the generic routes.
func TestKBArticleAudience(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		w := newSearchWorld(t, kind)
		ids := func(c *apitest.Client) map[int64]bool {
			out := map[int64]bool{}
			for _, d := range c.Must(200, "GET", "/api/v1/kb-articles?limit=100", nil).Data() {
				out[int64(d["id"].(float64))] = true
			}
			return out
		}
		got := ids(w.req1)
		if len(got) != 3 || !got[w.kbPublic] || !got[w.kbSubShared] || !got[w.kbRootShared] {
			t.Errorf("requester's FAQ: %v", got)
		}
		w.req1.Must(200, "GET", kbPath(w.kbPublic), nil)
		for _, id := range []int64{w.kbInternal, w.kbDraft, w.kbB, w.kbRootOnly} {
			w.req1.Must(404, "GET", kbPath(id), nil)
			w.req1.Must(404, "GET", kbPath(id, "/html"), nil)
		}
		w.req1.Must(403, "POST", "/api/v1/kb-articles", map[string]any{"title": "Mine", "organization_id": w.orgA})
		// A trashed article leaves the FAQ, trash list included.
		w.techA.Must(204, "DELETE", kbPath(w.kbSubShared), nil)
		w.req1.Must(404, "GET", kbPath(w.kbSubShared), nil)
		if d := w.req1.Must(200, "GET", "/api/v1/kb-articles?trash=1", nil).Data(); len(d) != 0 {
			t.Errorf("requester lists the trash: %v", d)
		}
		w.techA.Must(200, "POST", kbPath(w.kbSubShared, "/restore"), nil)
		w.req1.Must(403, "PATCH", kbPath(w.kbPublic), map[string]any{"title": "Hacked"})
		got = ids(w.techA)
		for _, id := range []int64{w.kbPublic, w.kbInternal, w.kbDraft, w.kbSubShared, w.kbRootShared} {
			if !got[id] {
				t.Errorf("tech-a misses %d", id)
			}
		}
		if got[w.kbB] || got[w.kbRootOnly] {
			t.Errorf("tech-a sees too much: %v", got)
		}
		w.techB.Must(404, "GET", kbPath(w.kbInternal), nil)
		w.techB.Must(404, "PATCH", kbPath(w.kbPublic), map[string]any{"title": "Hacked"})
		// A shared article from above is read, not edited, by the sub-organisation's staff.
		w.techA.Must(403, "PATCH", kbPath(w.kbRootShared), map[string]any{"title": "Mine now"})
	})
}

func TestKBRevisionsAndRestore(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		w := newSearchWorld(t, kind)
		id := w.techA.Must(201, "POST", "/api/v1/kb-articles", map[string]any{"title": "VPN", "body": "Installez le client wireguard.", "organization_id": w.orgA}).ID()
		w.techA.Must(200, "PATCH", kbPath(id), map[string]any{"body": "Installez le client openvpn."})
		w.techA.Must(200, "PATCH", kbPath(id), map[string]any{"published": true}) // no new revision
		w.techA.Must(200, "PATCH", kbPath(id), map[string]any{"title": "VPN nomade"})
		revs := w.techA.Must(200, "GET", kbPath(id, "/revisions"), nil).Data()
		if len(revs) != 3 || revs[0]["revision"] != 3.0 || revs[2]["body"] != "Installez le client wireguard." || revs[0]["user_id"] != float64(w.techA.UserID) {
			t.Fatalf("revisions: %v", revs)
		}
		art := w.techA.Must(200, "POST", kbPath(id, "/revisions/1/restore"), nil).JSON
		if art["title"] != "VPN" || art["body"] != "Installez le client wireguard." || art["published"] != true {
			t.Fatalf("restored: %v", art)
		}
		revs = w.techA.Must(200, "GET", kbPath(id, "/revisions"), nil).Data()
		if len(revs) != 4 || revs[0]["restored_from"] != 1.0 || revs[0]["title"] != "VPN" {
			t.Fatalf("after restore: %v", revs)
		}
		// The history has the field changes; the search index follows the restore.
		if h := w.techA.Must(200, "GET", kbPath(id, "/history"), nil).Data(); len(h) < 4 {
			t.Errorf("history: %v", h)
		}
		if got, _ := search(t, w.techA, "wireguard"); len(got) != 1 || got[0].ID != id {
			t.Errorf("search after restore: %v", got)
		}
		if got, _ := search(t, w.techA, "openvpn"); len(got) != 0 {
			t.Errorf("old text still found: %v", got)
		}
		w.techA.Must(404, "POST", kbPath(id, "/revisions/9/restore"), nil)
		w.techA.Must(404, "POST", kbPath(id, "/revisions/x/restore"), nil)
		// Requesters and other organisations see no revisions.
		w.req1.Must(404, "GET", kbPath(id, "/revisions"), nil)
		w.req1.Must(403, "GET", kbPath(w.kbPublic, "/revisions"), nil)
		w.req1.Must(403, "POST", kbPath(w.kbPublic, "/revisions/1/restore"), nil)
		w.techB.Must(404, "GET", kbPath(id, "/revisions"), nil)
		w.techB.Must(404, "POST", kbPath(id, "/revisions/1/restore"), nil)
	})
}

func TestKBRenderingIsSanitised(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		w := newSearchWorld(t, kind)
		body := "## Étapes\n\n<script>alert('x')</script>\n\n<img src=\"a.png\" onerror=\"alert(1)\">\n\n[clic](javascript:alert(2)) **fin**"
		id := w.techA.Must(201, "POST", "/api/v1/kb-articles", map[string]any{"title": "Piège", "body": body,
			"visibility": "public", "published": true, "organization_id": w.orgA}).ID()
		r := w.req1.Must(200, "GET", kbPath(id, "/html"), nil).JSON
		h, _ := r["html"].(string)
		for _, bad := range []string{"<script", "onerror", "javascript:", "alert("} {
			if strings.Contains(h, bad) {
				t.Errorf("%s in %s", bad, h)
			}
		}
		if !strings.Contains(h, "<h2>Étapes</h2>") || !strings.Contains(h, "<strong>fin</strong>") || r["views"] != 1.0 {
			t.Errorf("rendered: %v", r)
		}
		w.req1.Must(200, "GET", kbPath(id, "/html"), nil)
		if v := w.techA.Must(200, "GET", kbPath(id), nil).JSON; v["views"] != 2.0 || v["version"] != 1.0 {
			t.Errorf("views: %v", v)
		}
	})
}

func TestKBArticleFromTicketAndAsSolution(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		w := newSearchWorld(t, kind)
		fr := *w.techA
		fr.Lang = "fr"
		// Drafting from an unsolved ticket is refused with a message.
		r := w.techA.Must(422, "POST", tpath(w.t1, "/kb-article"), nil)
		if m := r.FieldError("solution"); m == "" || strings.HasPrefix(m, "err.") {
			t.Errorf("unsolved: %s", r.Body)
		}
		w.techA.Must(200, "PUT", tpath(w.t1, "/solution"), map[string]any{"solution": "Retirer le papier coincé.", "solution_type": "fixed"})
		r = fr.Must(201, "POST", tpath(w.t1, "/kb-article"), nil)
		art := r.JSON
		b, _ := art["body"].(string)
		if art["title"] != "Imprimante bloquée au 2e étage" || art["published"] != false || art["visibility"] != "internal" ||
			art["organization_id"] != float64(w.orgA) || !strings.Contains(b, "## Problème") || !strings.Contains(b, "## Solution\n\nRetirer le papier coincé.") {
			t.Fatalf("draft: %v", art)
		}
		links := w.techA.Must(200, "GET", apitest.Path("/api/v1/kb-article-tickets?filter=ticket_id:eq:%d", w.t1), nil).Data()
		if len(links) != 1 || links[0]["article_id"] != float64(r.ID()) {
			t.Errorf("links: %v", links)
		}
		// Requesters and other organisations cannot draft from the ticket.
		w.req1.Must(403, "POST", tpath(w.t1, "/kb-article"), nil)
		w.techB.Must(404, "POST", tpath(w.t1, "/kb-article"), nil)

		// An article as a ticket's solution: its text becomes the solution and the
		// two are linked.
		sol := w.techA.Must(200, "PUT", tpath(w.t2, "/solution"), map[string]any{"kb_article_id": w.kbPublic, "solution_type": "fixed"}).JSON
		if sol["solution"] != "Ouvrez le capot et retirez le papier." || sol["status"] != "solved" {
			t.Fatalf("solution from article: %v", sol)
		}
		links = w.techA.Must(200, "GET", apitest.Path("/api/v1/kb-article-tickets?filter=article_id:eq:%d", w.kbPublic), nil).Data()
		if len(links) != 1 || links[0]["ticket_id"] != float64(w.t2) {
			t.Errorf("links: %v", links)
		}
		// An article the technician may not read, or nonsense, is a field error.
		for _, bad := range []any{w.kbB, "12", -1, 999999} {
			r := w.techA.Must(422, "PUT", tpath(w.t2, "/solution"), map[string]any{"kb_article_id": bad})
			if r.FieldError("kb_article_id") == "" {
				t.Errorf("%v: %s", bad, r.Body)
			}
		}
		// Linking by hand: no duplicates; an article of another organisation refused.
		w.techA.Must(422, "POST", "/api/v1/kb-article-tickets", map[string]any{"article_id": w.kbPublic, "ticket_id": w.t2})
		w.techB.Must(422, "POST", "/api/v1/kb-article-tickets", map[string]any{"article_id": w.kbB, "ticket_id": w.t1})
		link := w.techA.Must(201, "POST", "/api/v1/kb-article-tickets", map[string]any{"article_id": w.kbRootShared, "ticket_id": w.t1}).JSON
		if link["organization_id"] != float64(w.orgA) {
			t.Errorf("link org: %v", link)
		}
	})
}
