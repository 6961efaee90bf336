package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"parc/internal/httpctx"
	"parc/internal/lifecycle"
	"parc/internal/record"
)

// registerLifecycle adds the renewal plan and its settings, a budget's spending
// and an asset's depreciation (internal/lifecycle, docs/lifecycle.md).
func (a *API) registerLifecycle(mux *http.ServeMux) {
	lc := a.Lifecycle
	if lc == nil {
		return
	}
	mux.HandleFunc("GET /api/v1/renewal", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		q := lifecycle.PlanQuery{Type: r.URL.Query().Get("asset_type")}
		if v := r.URL.Query().Get("organization_id"); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || actor.Tree.Get(id) == nil {
				return record.ErrNotFound()
			}
			q.Org = id
		}
		if q.Type != "" && !isFleet(q.Type) {
			return record.E(record.CodeInvalid, "err.not_in_list", strings.Join(lifecycle.FleetTypes, ", "))
		}
		// limit: a page of the list (100 unless said, at most 5,000), from cursor
		// (next_cursor of the page before).
		limit := 100
		if v := r.URL.Query().Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 5000 {
				return record.E(record.CodeInvalid, "err.bad_limit", 5000)
			}
			limit = n
		}
		now := lc.Rec.Now()
		p, pg, err := lc.PlanPage(r.Context(), actor, q, now, r.URL.Query().Get("cursor"), limit)
		if err != nil {
			return err
		}
		p.Assets = pg.Assets
		total := p.Due
		lang := httpctx.Lang(r.Context())
		type reason struct {
			lifecycle.Reason
			Text string `json:"text"`
		}
		type asset struct {
			lifecycle.Candidate
			Reasons []reason `json:"reasons"`
		}
		out := make([]asset, len(p.Assets))
		for i, c := range p.Assets {
			out[i].Candidate = c
			out[i].Reasons = make([]reason, len(c.Reasons))
			for j, rs := range c.Reasons {
				out[i].Reasons[j] = reason{rs, a.Cat.T(lang, rs.Key, rs.Args...)}
			}
		}
		body := map[string]any{"settings": p.Settings, "fleet": p.Fleet, "total": total, "data": out, "forecast": p.Forecast}
		if pg.Next != "" {
			body["next_cursor"] = pg.Next
		}
		writeJSON(w, http.StatusOK, body)
		return nil
	}))
	mux.HandleFunc("GET /api/v1/settings/renewal", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		st, err := lc.Settings(r.Context())
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, st)
		return nil
	}))
	mux.HandleFunc("PUT /api/v1/settings/renewal", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		st, err := lc.Settings(r.Context())
		if err != nil {
			return err
		}
		if err := decode(w, r, &st); err != nil {
			return err
		}
		if st, err = lc.SetSettings(r.Context(), actor, st); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, st)
		return nil
	}))
	mux.HandleFunc("GET /api/v1/budgets/{id}/spending", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		_, sp, err := lc.BudgetSpending(r.Context(), actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"budget": sp.Budget, "spent": sp.Spent, "committed": sp.Committed,
			"left": sp.Left, "percent": sp.Percent, "lines": sp.Lines})
		return nil
	}))
	for _, name := range lifecycle.FleetTypes {
		t := a.App.Reg.MustType(name)
		mux.HandleFunc("GET /api/v1/"+name+"/{id}/depreciation", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			rec, err := a.App.Records.Get(r.Context(), actor, t, id)
			if err != nil {
				return err
			}
			now := lc.Rec.Now()
			sc, book, ok := lc.Depreciation(rec, now)
			if !ok {
				writeJSON(w, http.StatusOK, map[string]any{"depreciable": false})
				return nil
			}
			rows := make([]map[string]any, len(sc.Rows))
			for i, y := range sc.Rows {
				rows[i] = map[string]any{"year": y.N, "from": y.From.Format(time.DateOnly), "to": y.To.Format(time.DateOnly),
					"opening": y.Opening, "charge": y.Charge, "closing": y.Closing}
			}
			writeJSON(w, http.StatusOK, map[string]any{"depreciable": true, "purchase_price": sc.Price, "purchase_date": sc.Start.Format(time.DateOnly),
				"method": sc.Method, "years": sc.Years, "rate": sc.Rate, "book_value": book, "as_of": now.Format(time.DateOnly), "schedule": rows})
			return nil
		}))
	}
}

func isFleet(name string) bool {
	for _, t := range lifecycle.FleetTypes {
		if t == name {
			return true
		}
	}
	return false
}
