package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"parc/internal/httpctx"
	"parc/internal/record"
)

// exportCSV streams the records matching the list parameters; sep=; for semicolons.
func (a *API) exportCSV(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, err := a.typeOf(r)
	if err != nil {
		return err
	}
	q, err := record.ParseListQuery(t, r.URL.Query())
	if err != nil {
		return err
	}
	if !actor.Can(t, record.Read) {
		return record.ErrForbidden()
	}
	sep := ','
	if r.URL.Query().Get("sep") == ";" {
		sep = ';'
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, t.Name, time.Now().UTC().Format("20060102")))
	return a.App.Records.ExportCSV(r.Context(), actor, t, q, w, sep)
}

type importError struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// importCSV creates records from a CSV body; dry_run=1 checks without writing, and
// organization_id=N puts every row in that organisation.
func (a *API) importCSV(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, err := a.typeOf(r)
	if err != nil {
		return err
	}
	opts := record.ImportOptions{DryRun: r.URL.Query().Get("dry_run") == "1" || r.URL.Query().Get("dry_run") == "true"}
	if o := r.URL.Query().Get("organization_id"); o != "" {
		id, err := strconv.ParseInt(o, 10, 64)
		if err != nil || id <= 0 {
			return &record.Error{Code: record.CodeInvalid, Msg: record.Msg{Key: "err.invalid"}, Fields: map[string]record.Msg{"organization_id": {Key: "err.not_integer"}}}
		}
		opts.OrgID = id
	}
	actor.Origin = record.OriginImport
	res, err := a.App.Records.ImportCSV(r.Context(), actor, t, http.MaxBytesReader(w, r.Body, record.MaxImportBytes+1), opts)
	if err != nil {
		return err
	}
	lang := httpctx.Lang(r.Context())
	out := struct {
		Rows    int           `json:"rows"`
		Created int           `json:"created"`
		DryRun  bool          `json:"dry_run"`
		Errors  []importError `json:"errors"`
	}{res.Rows, res.Created, res.DryRun, []importError{}}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, importError{e.Line, e.Field, a.Cat.T(lang, e.Msg.Key, e.Msg.Args...)})
	}
	status := http.StatusOK
	if len(res.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else if !res.DryRun {
		status = http.StatusCreated
	}
	writeJSON(w, status, out)
	return nil
}

func (a *API) listSaved(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, err := a.typeOf(r)
	if err != nil {
		return err
	}
	ss, err := a.App.Records.SavedSearches(r.Context(), actor, t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": ss})
	return nil
}

func (a *API) saveSearch(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, err := a.typeOf(r)
	if err != nil {
		return err
	}
	var body struct {
		Name  string `json:"name"`
		Query string `json:"query"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	ss, err := a.App.Records.SaveSearch(r.Context(), actor, t, body.Name, body.Query)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, ss)
	return nil
}

func (a *API) deleteSaved(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.App.Records.DeleteSavedSearch(r.Context(), actor, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
