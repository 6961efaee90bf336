package api

import (
	"encoding/json"
	"net/http"

	"parc/internal/record"
)

// registerPurchase adds purchasing's use cases; requests, orders and their lines
// are otherwise record types.
func (a *API) registerPurchase(mux *http.ServeMux) {
	p := a.Purchase
	if p == nil {
		return
	}
	decide := func(approve bool) handler {
		return func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			var in struct {
				Comment string `json:"comment"`
			}
			if r.ContentLength != 0 {
				if err := decode(w, r, &in); err != nil {
					return err
				}
			}
			rec, err := p.Decide(r.Context(), actor, id, approve, in.Comment)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, rec)
			return nil
		}
	}
	mux.HandleFunc("POST /api/v1/purchase-requests/{id}/approve", a.auth(decide(true)))
	mux.HandleFunc("POST /api/v1/purchase-requests/{id}/refuse", a.auth(decide(false)))
	mux.HandleFunc("POST /api/v1/purchase-orders/from-requests", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		var in struct {
			SupplierID int64   `json:"supplier_id"`
			OrgID      int64   `json:"organization_id"`
			LocationID int64   `json:"location_id"`
			Requests   []int64 `json:"request_ids"`
		}
		if err := decode(w, r, &in); err != nil {
			return err
		}
		rec, err := p.OrderRequests(r.Context(), actor, in.OrgID, in.SupplierID, in.LocationID, in.Requests)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, rec)
		return nil
	}))
	mux.HandleFunc("POST /api/v1/purchase-order-lines/{id}/receive", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var in struct {
			Quantity   json.Number `json:"quantity"`
			LocationID int64       `json:"location_id"`
			Comment    string      `json:"comment"`
		}
		if err := decode(w, r, &in); err != nil {
			return err
		}
		q, err := in.Quantity.Int64()
		if err != nil {
			q = 0
		}
		rc, err := p.Receive(r.Context(), actor, id, q, in.LocationID, in.Comment)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, rc)
		return nil
	}))
	mux.HandleFunc("GET /api/v1/tickets/{id}/awaited-parts", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		list, err := p.TicketParts(r.Context(), actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": list})
		return nil
	}))
	mux.HandleFunc("GET /api/v1/suppliers/{id}/deliveries", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if _, err := a.App.Records.Get(r.Context(), actor, a.App.Reg.MustType("suppliers"), id); err != nil {
			return err
		}
		d, err := p.SupplierDeliveries(r.Context(), actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, d)
		return nil
	}))
}
