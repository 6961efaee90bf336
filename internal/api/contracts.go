package api

import (
	"net/http"

	"parc/internal/contract"
	"parc/internal/record"
)

// registerContracts adds GET /api/v1/{asset type}/{id}/contracts: the contracts
// covering an asset and whether one covers it today.
func (a *API) registerContracts(mux *http.ServeMux) {
	if a.Contracts == nil {
		return
	}
	for _, typ := range contract.ItemTypes {
		t := typ
		mux.HandleFunc("GET /api/v1/"+t+"/{id}/contracts", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			cov, err := a.Contracts.OfAsset(r.Context(), actor, t, id)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, cov)
			return nil
		}))
	}
}
