package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"parc/internal/helpdesk"
	"parc/internal/httpctx"
	"parc/internal/kb"
	"parc/internal/record"
	"parc/internal/search"
)

// registerKB adds the knowledge-base routes beside the generic ones: revisions and
// their restoration, the rendered article, suggestions while a title is typed, and
// an article drafted from a ticket's solution.
func (a *API) registerKB(mux *http.ServeMux) {
	svc := a.KB
	mux.HandleFunc("GET /api/v1/kb-articles/{id}/revisions", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		revs, err := svc.Revisions(r.Context(), actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": revs})
		return nil
	}))
	mux.HandleFunc("POST /api/v1/kb-articles/{id}/revisions/{rev}/restore", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		rev, err := strconv.ParseInt(r.PathValue("rev"), 10, 64)
		if err != nil || rev <= 0 {
			return record.ErrNotFound()
		}
		art, err := svc.Restore(r.Context(), actor, id, rev)
		if err != nil {
			return err
		}
		w.Header().Set("ETag", etag(art))
		writeJSON(w, http.StatusOK, art)
		return nil
	}))
	mux.HandleFunc("GET /api/v1/kb-articles/{id}/html", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		out, err := svc.View(r.Context(), actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	}))
	mux.HandleFunc("GET /api/v1/kb-articles/suggest", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		q := r.URL.Query()
		q.Set("types", "kb-articles")
		if q.Get("limit") == "" {
			q.Set("limit", "5")
		}
		p, err := search.ParseParams(q)
		if err != nil {
			return err
		}
		p.AsYouType, p.PublishedOnly, p.AnyWord = true, true, true
		hits, err := a.Search.Search(r.Context(), actor, p)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": hits})
		return nil
	}))
	mux.HandleFunc("POST /api/v1/tickets/{id}/kb-article", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		lang := httpctx.Lang(r.Context())
		art, err := svc.FromTicket(r.Context(), actor, id, kb.Headings{Problem: a.Cat.T(lang, "kb.heading.problem"), Solution: a.Cat.T(lang, "kb.heading.solution")})
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/kb-articles/"+strconv.FormatInt(art.ID, 10))
		writeJSON(w, http.StatusCreated, art)
		return nil
	}))
}

// solve writes a ticket's solution; with kb_article_id the article (one the caller
// may read) gives the solution text unless one is sent, and is linked to the ticket.
func (a *API) solve(ctx context.Context, hd *helpdesk.Service, actor *record.Actor, id int64, in record.Input) (*helpdesk.Solution, error) {
	raw, ok := in["kb_article_id"]
	if !ok {
		return hd.Solve(ctx, actor, id, in)
	}
	delete(in, "kb_article_id")
	bad := func() error {
		fe := record.FieldErrors{}
		fe.Add("kb_article_id", "err.bad_reference")
		return fe.Err()
	}
	n, ok := raw.(json.Number)
	artID, err := n.Int64()
	if !ok || err != nil || artID <= 0 {
		return nil, bad()
	}
	return a.KB.SolveFrom(ctx, actor, hd, id, artID, "", in)
}
