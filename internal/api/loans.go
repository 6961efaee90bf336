package api

import (
	"net/http"

	"parc/internal/httpctx"
	"parc/internal/loan"
	"parc/internal/record"
)

// registerLoans adds the hand-over and loan actions beside the generic routes of
// handovers, reservations and loan-items (creating a hand-over is the check-out):
// the check-in, the recipient's acknowledgement, and the overdue loans.
func (a *API) registerLoans(mux *http.ServeMux) {
	if a.Loans == nil {
		return
	}
	svc := a.Loans
	mux.HandleFunc("POST /api/v1/handovers/{id}/check-in", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var in struct {
			ReturnStateID     int64  `json:"return_state_id"`
			ReturnAccessories string `json:"return_accessories"`
			ReturnComment     string `json:"return_comment"`
		}
		if r.ContentLength != 0 {
			if err := decode(w, r, &in); err != nil {
				return err
			}
		}
		h, err := svc.CheckIn(r.Context(), actor, id, loan.CheckInInput{StateID: in.ReturnStateID, Accessories: in.ReturnAccessories, Comment: in.ReturnComment})
		if err != nil {
			return err
		}
		w.Header().Set("ETag", etag(h))
		writeJSON(w, http.StatusOK, h)
		return nil
	}))
	mux.HandleFunc("POST /api/v1/handovers/{id}/acknowledge", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		h, err := svc.Acknowledge(r.Context(), actor, id, httpctx.ClientIP(r))
		if err != nil {
			return err
		}
		w.Header().Set("ETag", etag(h))
		writeJSON(w, http.StatusOK, h)
		return nil
	}))
	mux.HandleFunc("GET /api/v1/reservations/overdue", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		rs, err := svc.Overdue(r.Context(), actor)
		if err != nil {
			return err
		}
		if rs == nil {
			rs = []*record.Record{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": rs})
		return nil
	}))
}
