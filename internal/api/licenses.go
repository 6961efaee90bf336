package api

import (
	"net/http"
	"strconv"

	"parc/internal/record"
)

// registerLicenses adds the licences' routes: compliance, the computers counted
// and the key (for profiles with read_key only).
func (a *API) registerLicenses(mux *http.ServeMux) {
	lic := a.Services.Licenses
	if lic == nil {
		return
	}
	mux.HandleFunc("GET /api/v1/licenses/compliance", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		all, err := lic.ComplianceAll(r.Context(), actor)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": all})
		return nil
	}))
	mux.HandleFunc("GET /api/v1/licenses/{id}/compliance", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		c, err := lic.Compliance(r.Context(), actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": c})
		return nil
	}))
	mux.HandleFunc("GET /api/v1/licenses/{id}/computers", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var after int64
		if c := r.URL.Query().Get("cursor"); c != "" {
			if after, err = strconv.ParseInt(c, 10, 64); err != nil || after < 0 {
				return record.E(record.CodeInvalid, "err.bad_cursor")
			}
		}
		list, next, err := lic.Counted(r.Context(), actor, id, after)
		if err != nil {
			return err
		}
		body := map[string]any{"data": list}
		if next > 0 {
			body["next_cursor"] = strconv.FormatInt(next, 10)
		}
		writeJSON(w, http.StatusOK, body)
		return nil
	}))
	mux.HandleFunc("GET /api/v1/licenses/{id}/key", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		key, err := lic.Key(r.Context(), actor, id)
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"license_key": key}})
		return nil
	}))
}
