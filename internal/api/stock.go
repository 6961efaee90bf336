package api

import (
	"encoding/json"
	"net/http"

	"parc/internal/record"
	"parc/internal/stock"
)

// registerStock adds the stock's own routes; items and movements are otherwise
// record types (POST /api/v1/stock-movements records a movement).
func (a *API) registerStock(mux *http.ServeMux) {
	if a.Stock == nil {
		return
	}
	// The items below their threshold per location, with the quantity to order.
	mux.HandleFunc("GET /api/v1/stock-items/reorder", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		if !actor.Can(a.App.Reg.MustType(stock.ItemsType), record.Read) {
			return record.ErrForbidden()
		}
		list, err := a.Stock.Reorder(r.Context(), actor)
		if err != nil {
			return err
		}
		if list == nil {
			list = []stock.Suggestion{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": list, "default_lead_time_days": stock.DefaultLeadDays,
			"consumption_days": stock.ConsumptionDays, "safety_days": stock.SafetyDays})
		return nil
	}))
}

// getStockItem answers GET /api/v1/stock-items/{id}: the item with its quantity
// per location ("levels").
func (a *API) getStockItem(w http.ResponseWriter, r *http.Request, actor *record.Actor, id int64) error {
	rec, levels, err := a.Stock.Levels(r.Context(), actor, id)
	if err != nil {
		return err
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if levels == nil {
		levels = []stock.Level{}
	}
	m["levels"] = levels
	w.Header().Set("ETag", etag(rec))
	writeJSON(w, http.StatusOK, m)
	return nil
}
