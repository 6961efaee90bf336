package api

import (
	"fmt"
	"net/http"

	"parc/internal/httpctx"
	"parc/internal/ingest"
	"parc/internal/record"
)

// registerInventory adds the inventory settings and the read views of a computer's
// inventory.
func (a *API) registerInventory(mux *http.ServeMux) {
	inv := a.Inventory
	// What re-filing the software catalogue through the dictionary would move:
	// with the saved rules (GET), or with a rule being written after them (POST).
	mux.HandleFunc("GET /api/v1/software-rules/refile-preview", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		moves, err := inv.PreviewRefile(r.Context(), actor, nil)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": moves})
		return nil
	}))
	mux.HandleFunc("POST /api/v1/software-rules/refile-preview", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		var body struct {
			MatchName      string `json:"match_name"`
			MatchPublisher string `json:"match_publisher"`
			Action         string `json:"action"`
			NewName        string `json:"new_name"`
			NewPublisher   string `json:"new_publisher"`
		}
		if err := decode(w, r, &body); err != nil {
			return err
		}
		moves, err := inv.PreviewRefile(r.Context(), actor, &ingest.DictionaryRule{MatchName: body.MatchName, MatchPublisher: body.MatchPublisher,
			Action: body.Action, NewName: body.NewName, NewPublisher: body.NewPublisher})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": moves})
		return nil
	}))
	// Where new machines no rule places go, and the state they start in.
	mux.HandleFunc("GET /api/v1/settings/inventory", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		st, err := inv.Settings(r.Context(), actor)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, st)
		return nil
	}))
	mux.HandleFunc("PUT /api/v1/settings/inventory", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		var raw map[string]any
		if err := decode(w, r, &raw); err != nil {
			return err
		}
		body, err := ingest.SettingsInput(raw)
		if err != nil {
			return err
		}
		st, err := inv.SetSettings(r.Context(), actor, body, httpctx.ClientIP(r))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, st)
		return nil
	}))
	mux.HandleFunc("GET /api/v1/computers/{id}/components", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		cs, err := inv.Components(r.Context(), actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": cs})
		return nil
	}))
	mux.HandleFunc("GET /api/v1/computers/{id}/software", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		is, err := inv.Installations(r.Context(), actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": is})
		return nil
	}))
	mux.HandleFunc("GET /api/v1/computers/{id}/virtual-machines", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		vms, err := inv.VirtualMachines(r.Context(), actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": vms})
		return nil
	}))
	mux.HandleFunc("GET /api/v1/computers/{id}/inventory", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		doc, format, at, err := inv.Raw(r.Context(), actor, id)
		if err != nil {
			return err
		}
		ct, ext := "application/xml", "xml"
		if len(doc) > 0 && (doc[0] == '{' || doc[0] == '[') {
			ct, ext = "application/json", "json"
		}
		w.Header().Set("Content-Type", ct+"; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="computer-%d-%s-%s.%s"`, id, format, at.Format("20060102-150405"), ext))
		w.Write(doc)
		return nil
	}))
}
