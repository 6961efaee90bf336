package api_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// searchWorld is two client organisations (A with a sub-organisation) and the root,
// with their people, tickets, follow-ups and articles.
type searchWorld struct {
	e                              *apitest.Env
	orgA, orgA1, orgB              int64
	techA, techB, req1, req2, reqB *apitest.Client
	reqA1                          *apitest.Client
	// tickets
	t1, t2, tB int64
	// follow-ups on t1
	pubFU, privFU int64
	// articles
	kbPublic, kbInternal, kbDraft, kbSubShared, kbB, kbRootShared, kbRootOnly int64
}

func newSearchWorld(t *testing.T, kind string) *searchWorld {
	e := apitest.New(t, kind)
	w := &searchWorld{e: e}
	w.orgA = e.Org("Client A", e.Root)
	w.orgA1 = e.Org("Client A Lyon", w.orgA)
	w.orgB = e.Org("Client B", e.Root)
	w.techA = e.User("tech-a", "technician", w.orgA)
	w.techB = e.User("tech-b", "technician", w.orgB)
	w.req1 = e.User("req-1", "self-service", w.orgA)
	w.req2 = e.User("req-2", "self-service", w.orgA)
	w.reqA1 = e.User("req-a1", "self-service", w.orgA1)
	w.reqB = e.User("req-b", "self-service", w.orgB)

	w.t1 = w.req1.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Imprimante bloquée au 2e étage", "organization_id": w.orgA,
		"description": "L'écran de la machine affiche une erreur réseau <script>alert(1)</script> depuis ce matin."}).ID()
	w.t2 = w.req2.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Écran noir sur mon poste", "organization_id": w.orgA,
		"description": "Je ne suis plus connecté et l'imprimante du couloir fonctionne."}).ID()
	w.tB = w.reqB.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Imprimante hors service", "description": "Printer offline."}).ID()
	w.pubFU = w.techA.Must(201, "POST", tpath(w.t1, "/followups"), map[string]any{"content": "Nous remplaçons l'imprimante demain."}).ID()
	w.privFU = w.techA.Must(201, "POST", tpath(w.t1, "/followups"), map[string]any{"content": "Imprimante : mot de passe admin zorglub", "private": true}).ID()

	art := func(c *apitest.Client, in map[string]any) int64 {
		t.Helper()
		if _, ok := in["organization_id"]; !ok && c == w.techA {
			in["organization_id"] = w.orgA
		}
		return c.Must(201, "POST", "/api/v1/kb-articles", in).ID()
	}
	w.kbPublic = art(w.techA, map[string]any{"title": "Débloquer une imprimante", "body": "Ouvrez le capot et retirez le papier.", "visibility": "public", "published": true, "language": "fr"})
	w.kbInternal = art(w.techA, map[string]any{"title": "Imprimantes : accès administrateur", "body": "Le compte de service des imprimantes.", "visibility": "internal", "published": true})
	w.kbDraft = art(w.techA, map[string]any{"title": "Brouillon imprimante", "body": "À finir.", "visibility": "public", "published": false})
	w.kbSubShared = art(w.techA, map[string]any{"title": "Imprimante partagée des agences", "body": "Pour toutes les agences.", "visibility": "public", "published": true, "recursive": true})
	w.kbB = art(w.techB, map[string]any{"title": "Imprimante du client B", "body": "Chez B.", "visibility": "public", "published": true})
	w.kbRootShared = e.Create("kb-articles", record.Input{"title": "Clearing a paper jam in the printer", "body": "Open the **tray** and pull the sheet.",
		"visibility": "public", "published": true, "recursive": true, "language": "en", "organization_id": e.Root})
	w.kbRootOnly = e.Create("kb-articles", record.Input{"title": "Printer fleet contract", "body": "Root organisation only.",
		"visibility": "public", "published": true, "organization_id": e.Root})
	return w
}

type hit struct {
	Type string
	ID   int64
}

// search runs a search and returns its hits in order.
func search(t *testing.T, c *apitest.Client, q string, extra ...string) ([]hit, *apitest.Response) {
	t.Helper()
	v := url.Values{"q": {q}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	r := c.Must(200, "GET", "/api/v1/search?"+v.Encode(), nil)
	if _, ok := r.JSON["partial"]; len(r.JSON) != 1 && !(len(r.JSON) == 2 && ok) {
		t.Fatalf("the answer holds more than its data (a count?): %s", r.Body)
	}
	var out []hit
	for _, d := range r.Data() {
		out = append(out, hit{d["type"].(string), int64(d["id"].(float64))})
	}
	return out, r
}

func has(hs []hit, typ string, id int64) bool { return slices.Contains(hs, hit{typ, id}) }

func TestSearchStemsFrenchAndEnglishAndFoldsAccents(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		w := newSearchWorld(t, kind)
		for _, c := range []struct {
			q    string
			want []hit
		}{
			// French plural finds the singular, in titles and bodies.
			{"imprimantes", []hit{{"tickets", w.t1}, {"tickets", w.t2}, {"ticket-followups", w.pubFU}, {"kb-articles", w.kbPublic}}},
			// A participle finds the infinitive's family.
			{"connectée", []hit{{"tickets", w.t2}}},
			// English plural finds the singular.
			{"printers", []hit{{"kb-articles", w.kbRootShared}}},
			// Accents do not matter, either way.
			{"reseau", []hit{{"tickets", w.t1}}},
			{"RÉSEAU", []hit{{"tickets", w.t1}}},
			{"ecrans noirs", []hit{{"tickets", w.t2}}},
		} {
			got, _ := search(t, w.techA, c.q)
			for _, h := range c.want {
				if !has(got, h.Type, h.ID) {
					t.Errorf("%q: %v missing from %v", c.q, h, got)
				}
			}
		}
		// Every word must match: nothing has both.
		if got, _ := search(t, w.techA, "imprimante zèbre"); len(got) != 0 {
			t.Errorf("two words, one unknown: %v", got)
		}
	})
}

func TestSearchRanksAndHighlights(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		w := newSearchWorld(t, kind)
		got, r := search(t, w.techA, "imprimante", "types", "tickets")
		if len(got) != 2 || got[0] != (hit{"tickets", w.t1}) || got[1] != (hit{"tickets", w.t2}) {
			t.Fatalf("title match first, then body match: %v", got)
		}
		first := r.Data()[0]
		if first["title_html"] != "<mark>Imprimante</mark> bloquée au 2e étage" {
			t.Errorf("title_html: %v", first["title_html"])
		}
		if first["url"] != apitest.Path("/tickets/%d", w.t1) || first["organization_id"] != float64(w.orgA) {
			t.Errorf("hit: %v", first)
		}
		second := r.Data()[1]["excerpt_html"].(string)
		if !strings.Contains(second, "l&#39;<mark>imprimante</mark> du couloir") {
			t.Errorf("excerpt: %s", second)
		}
		// The excerpt is escaped: a script in a description is text.
		_, r = search(t, w.techA, "réseau", "types", "tickets")
		ex := r.Data()[0]["excerpt_html"].(string)
		if !strings.Contains(ex, "<mark>réseau</mark> &lt;script&gt;") || strings.Contains(ex, "<script") {
			t.Errorf("excerpt not escaped: %s", ex)
		}
		// limit keeps the best.
		if got, _ := search(t, w.techA, "imprimante", "types", "tickets", "limit", "1"); len(got) != 1 || got[0].ID != w.t1 {
			t.Errorf("limit 1: %v", got)
		}
		// A changed title is searchable at once; a trashed ticket is not found.
		w.techA.Must(200, "PATCH", tpath(w.t2), map[string]any{"title": "Scanner en panne"})
		if got, _ := search(t, w.techA, "scanners", "types", "tickets"); len(got) != 1 || got[0].ID != w.t2 {
			t.Errorf("after the change: %v", got)
		}
		w.techA.Must(204, "DELETE", tpath(w.t2), nil)
		if got, _ := search(t, w.techA, "scanner"); len(got) != 0 {
			t.Errorf("trashed ticket found: %v", got)
		}
	})
}

func TestSearchRespectsPermissions(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		w := newSearchWorld(t, kind)
		words := "imprimante"
		all := func(c *apitest.Client) []hit {
			a, _ := search(t, c, words, "limit", "50")
			b, _ := search(t, c, "printer", "limit", "50")
			return append(a, b...)
		}
		check := func(who string, got []hit, want, never []hit) {
			t.Helper()
			for _, h := range want {
				if !has(got, h.Type, h.ID) {
					t.Errorf("%s: %v missing from %v", who, h, got)
				}
			}
			for _, h := range never {
				if has(got, h.Type, h.ID) {
					t.Errorf("%s sees %v", who, h)
				}
			}
		}
		orgB := []hit{{"tickets", w.tB}, {"kb-articles", w.kbB}}
		// A requester: their own ticket, its public follow-up, the FAQ of their
		// organisation and the articles shared from above.
		check("req-1", all(w.req1),
			[]hit{{"tickets", w.t1}, {"ticket-followups", w.pubFU}, {"kb-articles", w.kbPublic}, {"kb-articles", w.kbSubShared}, {"kb-articles", w.kbRootShared}},
			append([]hit{{"tickets", w.t2}, {"ticket-followups", w.privFU}, {"kb-articles", w.kbInternal}, {"kb-articles", w.kbDraft}, {"kb-articles", w.kbRootOnly}}, orgB...))
		// Another requester of the same organisation sees none of req-1's ticket.
		check("req-2", all(w.req2), []hit{{"tickets", w.t2}, {"kb-articles", w.kbPublic}},
			append([]hit{{"tickets", w.t1}, {"ticket-followups", w.pubFU}, {"ticket-followups", w.privFU}}, orgB...))
		// In a sub-organisation: only the articles A shares with it.
		check("req-a1", all(w.reqA1), []hit{{"kb-articles", w.kbSubShared}, {"kb-articles", w.kbRootShared}},
			append([]hit{{"kb-articles", w.kbPublic}, {"tickets", w.t1}}, orgB...))
		// The technician of A: everything of A, private follow-ups and drafts included,
		// what the root shares, nothing of B.
		check("tech-a", all(w.techA),
			[]hit{{"tickets", w.t1}, {"tickets", w.t2}, {"ticket-followups", w.pubFU}, {"ticket-followups", w.privFU},
				{"kb-articles", w.kbInternal}, {"kb-articles", w.kbDraft}, {"kb-articles", w.kbRootShared}},
			append([]hit{{"kb-articles", w.kbRootOnly}}, orgB...))
		// The technician of B gets nothing of A.
		check("tech-b", all(w.techB), []hit{{"tickets", w.tB}, {"kb-articles", w.kbB}},
			[]hit{{"tickets", w.t1}, {"tickets", w.t2}, {"ticket-followups", w.pubFU}, {"ticket-followups", w.privFU}, {"kb-articles", w.kbPublic}, {"kb-articles", w.kbInternal}})
		// The private follow-up's own words find nothing for the requester.
		if got, _ := search(t, w.req1, "zorglub"); len(got) != 0 {
			t.Errorf("requester finds a private follow-up: %v", got)
		}
		if got, _ := search(t, w.techA, "zorglub"); len(got) != 1 || got[0] != (hit{"ticket-followups", w.privFU}) {
			t.Errorf("technician: %v", got)
		}
		// Suggestions while typing: published public articles, the last word a
		// prefix, those matching any word, the one matching most first.
		r := w.req1.Must(200, "GET", "/api/v1/kb-articles/suggest?q="+url.QueryEscape("débloquer imprim"), nil)
		if d := r.Data(); len(d) == 0 || d[0]["id"] != float64(w.kbPublic) {
			t.Errorf("suggest: %s", r.Body)
		}
		for _, d := range r.Data() {
			if id := int64(d["id"].(float64)); id == w.kbDraft || id == w.kbInternal || id == w.kbB {
				t.Errorf("requester offered %v", d)
			}
		}
		// A word no article holds does not hide the one that holds the others.
		r = w.req1.Must(200, "GET", "/api/v1/kb-articles/suggest?q="+url.QueryEscape("débloquer oublié"), nil)
		if d := r.Data(); len(d) == 0 || d[0]["id"] != float64(w.kbPublic) {
			t.Errorf("suggest with an unknown word: %s", r.Body)
		}
		r = w.techA.Must(200, "GET", "/api/v1/kb-articles/suggest?q=imprim", nil)
		for _, d := range r.Data() {
			if id := int64(d["id"].(float64)); id == w.kbDraft || id == w.kbB || d["type"] != "kb-articles" {
				t.Errorf("suggest offers %v", d)
			}
		}
		if n := len(r.Data()); n == 0 || n > 5 {
			t.Errorf("suggest gave %d", n)
		}
	})
}

func TestSearchBadInput(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		tech := e.User("tech", "technician", e.Org("A", e.Root))
		fr := *tech
		fr.Lang = "fr"
		for _, c := range []struct{ query, field string }{
			{"q=", "q"},
			{"q=%20%20", "q"},
			{"", "q"},
			{"q=" + strings.Repeat("a", 201), "q"},
			{"q=%21%3F%21", "q"},
			{"q=x&types=tickets,users", "types"},
			{"q=x&limit=0", "limit"},
			{"q=x&limit=51", "limit"},
			{"q=x&limit=ten", "limit"},
		} {
			r := tech.Must(422, "GET", "/api/v1/search?"+c.query, nil)
			if m := r.FieldError(c.field); m == "" || strings.HasPrefix(m, "err.") {
				t.Errorf("%s: no message for %s: %s", c.query, c.field, r.Body)
			}
		}
		if m := fr.Must(422, "GET", "/api/v1/search?q=", nil).FieldError("q"); !strings.Contains(m, "rechercher") {
			t.Errorf("French message: %s", m)
		}
		tech.Must(422, "GET", "/api/v1/kb-articles/suggest?q=", nil)
		(&apitest.Client{T: t, Base: e.Srv.URL}).Must(401, "GET", "/api/v1/search?q=x", nil)
		// FTS and tsquery syntax is only words here.
		for _, q := range []string{`"imprimante`, `a AND OR NOT`, `x*`, `(a | b) & !c`, `NEAR(a b)`, `a:*`, `l'a`} {
			tech.Must(200, "GET", "/api/v1/search?q="+url.QueryEscape(q), nil)
		}
	})
}

// TestSearchSaysWhenPartial: a word in more documents than are ranked (2,000 on
// SQLite, 10,000 on PostgreSQL, docs/search.md "Bounds") gives the best of the
// most recent ones, and the answer says "partial"; otherwise the key is absent. The index rows are written
// directly: their records need not exist to be counted as matches.
func TestSearchSaysWhenPartial(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		boss := e.User("boss", "super-admin", e.Root)
		tk := e.Create("tickets", record.Input{"title": "Zorglub et imprimante", "organization_id": e.Root})
		gen := "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10001) SELECT 'tickets', 1000000000 + i, 'zorglub', '' FROM n"
		if kind == "postgres" {
			gen = "SELECT 'tickets', 1000000000 + i, 'zorglub', '' FROM generate_series(1, 10001) i"
		}
		if _, err := e.App.DB.W.Exec("INSERT INTO search_docs (kind, record_id, title, body) " + gen); err != nil {
			t.Fatal(err)
		}
		got, r := search(t, boss, "zorglub")
		if r.JSON["partial"] != true || len(got) != 0 {
			t.Errorf("common word: %v %s", got, r.Body)
		}
		// The ticket is not among the best candidates of so many matches; two
		// words meet in it alone, and that answer is whole.
		got, r = search(t, boss, "zorglub imprimante")
		if _, ok := r.JSON["partial"]; ok || len(got) != 1 || got[0] != (hit{"tickets", tk}) {
			t.Errorf("two words: %v %s", got, r.Body)
		}
		// A requester is searched within their own tickets: never partial.
		req := e.User("req", "self-service", e.Root)
		if _, r := search(t, req, "zorglub"); r.JSON["partial"] != nil {
			t.Errorf("requester: %s", r.Body)
		}
	})
}
