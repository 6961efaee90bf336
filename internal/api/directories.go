package api

import (
	"net/http"

	"parc/internal/directory"
	"parc/internal/httpctx"
	"parc/internal/record"
)

// registerDirectories adds the directories' test and synchronisation.
func (a *API) registerDirectories(mux *http.ServeMux) {
	d := a.Services.Directory
	if d == nil {
		return
	}
	mux.HandleFunc("POST /api/v1/directories/{id}/test", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		res, err := d.Test(r.Context(), actor, id)
		if err != nil {
			return err
		}
		res.Error = a.directoryWords(r, res.Problem)
		writeJSON(w, http.StatusOK, map[string]any{"data": res})
		return nil
	}))
	mux.HandleFunc("POST /api/v1/directories/{id}/sync", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		rep, err := d.Start(r.Context(), actor, id)
		if err != nil {
			return err
		}
		w.Header().Set("Location", r.URL.Path)
		writeJSON(w, http.StatusAccepted, map[string]any{"data": rep})
		return nil
	}))
	mux.HandleFunc("GET /api/v1/directories/{id}/sync", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		rep, err := d.LastReport(r.Context(), actor, id)
		if err != nil {
			return err
		}
		if rep == nil {
			writeJSON(w, http.StatusOK, map[string]any{"data": nil})
			return nil
		}
		rep.Error = a.directoryWords(r, rep.Problem)
		writeJSON(w, http.StatusOK, map[string]any{"data": rep})
		return nil
	}))
}

// directoryWords is a directory's problem in the request's language.
func (a *API) directoryWords(r *http.Request, p *directory.Problem) string {
	if p == nil {
		return ""
	}
	return a.Cat.T(httpctx.Lang(r.Context()), p.Key) + ": " + p.Detail
}
