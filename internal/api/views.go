package api

import (
	"net/http"
	"strconv"

	"parc/internal/helpdesk"
	"parc/internal/record"
)

// registerViews serves the helpdesk views on the tickets list:
// GET /api/v1/tickets?view=NAME[&limit=&cursor=&count=1] answers one page of the
// view in its order (priority, resolution due time, id), shaped as any list;
// without view= the generic list answers. GET /api/v1/ticket-views lists the
// names. The views are not list filters of the record framework: they depend on
// who asks ("mine"), which its filters are not told, and sort on two keys.
func (a *API) registerViews(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/ticket-views", a.auth(func(w http.ResponseWriter, r *http.Request, _ *record.Actor) error {
		writeJSON(w, http.StatusOK, map[string]any{"data": helpdesk.ViewNames})
		return nil
	}))
	mux.HandleFunc("GET /api/v1/tickets", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		if r.URL.Query().Has("view") {
			return a.ticketView(w, r, actor)
		}
		r.SetPathValue("type", "tickets")
		return a.list(w, r, actor)
	}))
}

func (a *API) ticketView(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	v := r.URL.Query()
	for _, k := range []string{"filter", "q", "sort", "match", "trash"} {
		if v.Has(k) {
			errs := record.FieldErrors{}
			errs.Add(k, "err.view_alone")
			return errs.Err()
		}
	}
	q := helpdesk.ViewQuery{Cursor: v.Get("cursor"), Count: v.Get("count") == "1" || v.Get("count") == "true"}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > record.MaxLimit {
			errs := record.FieldErrors{}
			errs.Add("limit", "err.bad_limit", record.MaxLimit)
			return errs.Err()
		}
		q.Limit = n
	}
	page, err := a.Helpdesk.View(r.Context(), actor, v.Get("view"), q)
	if err != nil {
		return err
	}
	writePage(w, page)
	return nil
}
