package api

import (
	"net/http"
	"strings"

	"parc/internal/record"
	"parc/internal/search"
)

// registerSearch adds the full-text search over tickets, follow-ups and articles.
func (a *API) registerSearch(mux *http.ServeMux) {
	svc := a.Search
	mux.HandleFunc("GET /api/v1/search", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		p, err := search.ParseParams(r.URL.Query())
		if err != nil {
			return err
		}
		res, err := svc.Find(r.Context(), actor, p)
		if err != nil {
			return err
		}
		out := map[string]any{"data": res.Hits}
		if res.Partial {
			// Only said when true: the answer otherwise stays its data alone.
			out["partial"] = true
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	}))
}

// kbSearchOpenAPI describes the search and knowledge-base routes.
func kbSearchOpenAPI(paths map[string]any) {
	obj := func(props map[string]any) map[string]any {
		return map[string]any{"type": "object", "properties": props}
	}
	str := map[string]any{"type": "string"}
	num := map[string]any{"type": "integer"}
	resp := func(desc string, schema map[string]any) map[string]any {
		out := map[string]any{"401": map[string]any{"description": "not authenticated"}, "404": map[string]any{"description": "not found, or not yours to see"},
			"422": map[string]any{"description": "invalid input, with a message per field"}}
		out["200"] = map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": schema}}}
		return out
	}
	hit := obj(map[string]any{"type": map[string]any{"type": "string", "enum": search.Kinds}, "id": num, "ticket_id": num, "organization_id": num,
		"title": str, "title_html": str, "excerpt_html": str, "score": map[string]any{"type": "number"}, "url": str})
	hits := obj(map[string]any{"data": map[string]any{"type": "array", "items": hit},
		"partial": map[string]any{"type": "boolean", "description": "present and true when the word matched too many documents for all to be ranked: the hits are the best of the most recent matches (docs/search.md, Bounds)"}})
	q := func(name, desc string) map[string]any {
		return map[string]any{"name": name, "in": "query", "description": desc, "schema": str}
	}
	paths["/api/v1/search"] = map[string]any{"get": map[string]any{"tags": []string{"search"},
		"summary":    "Full-text search over tickets, follow-ups and articles, best first, within the caller's rights (docs/search.md)",
		"parameters": []any{q("q", "words (200 characters at most)"), q("types", "comma-separated: "+strings.Join(search.Kinds, ", ")), q("limit", "1-50, default 20")},
		"responses":  resp("hits", hits)}}
	paths["/api/v1/kb-articles/suggest"] = map[string]any{"get": map[string]any{"tags": []string{"kb-articles"},
		"summary":    "Published articles matching a title being typed (the last word may be unfinished)",
		"parameters": []any{q("q", "the text typed so far"), q("limit", "1-50, default 5")}, "responses": resp("hits", hits)}}
	id := map[string]any{"name": "id", "in": "path", "required": true, "schema": num}
	rev := obj(map[string]any{"revision": num, "title": str, "body": str, "user_id": num, "user_name": str, "restored_from": num, "created_at": str})
	paths["/api/v1/kb-articles/{id}/revisions"] = map[string]any{"parameters": []any{id}, "get": map[string]any{"tags": []string{"kb-articles"},
		"summary": "Every version of the title and body, newest first (technicians)", "responses": resp("revisions", obj(map[string]any{"data": map[string]any{"type": "array", "items": rev}}))}}
	paths["/api/v1/kb-articles/{id}/revisions/{rev}/restore"] = map[string]any{"parameters": []any{id, map[string]any{"name": "rev", "in": "path", "required": true, "schema": num}},
		"post": map[string]any{"tags": []string{"kb-articles"}, "summary": "Make an earlier revision current (writes a new revision)",
			"responses": resp("the article", map[string]any{"$ref": "#/components/schemas/KbArticle"})}}
	paths["/api/v1/kb-articles/{id}/html"] = map[string]any{"parameters": []any{id}, "get": map[string]any{"tags": []string{"kb-articles"},
		"summary": "The article rendered from Markdown to sanitised HTML; counts a view", "responses": resp("rendered", obj(map[string]any{"id": num, "title": str, "html": str, "views": num}))}}
	paths["/api/v1/tickets/{id}/kb-article"] = map[string]any{"parameters": []any{id}, "post": map[string]any{"tags": []string{"tickets"},
		"summary":   "Draft an internal, unpublished article from the solved ticket's title, description and solution, linked to the ticket",
		"responses": map[string]any{"201": map[string]any{"description": "the draft"}, "403": map[string]any{"description": "may not write articles"}, "404": map[string]any{"description": "no such ticket"}, "422": map[string]any{"description": "the ticket has no solution"}}}}
}
