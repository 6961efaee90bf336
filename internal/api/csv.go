package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"parc/internal/httpctx"
	"parc/internal/i18n"
	"parc/internal/record"
)

// exportCSV streams the records matching the list parameters in the machine
// format; sep=; for semicolons.
func (a *API) exportCSV(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	st := record.MachineStyle()
	if r.URL.Query().Get("sep") == ";" {
		st.Sep = ';'
	}
	return a.export(w, r, actor, "csv", st)
}

// exportAny streams the records matching the list parameters: format=csv (the
// default) or xlsx, delimiter=, ; or tab for CSV. The file is in the machine
// format (field names, decimal points, ISO dates, instants in UTC) unless
// style=user asks for the caller's (labels in their language, their kept
// export format).
func (a *API) exportAny(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	v := r.URL.Query()
	format := v.Get("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "xlsx" {
		return &record.Error{Code: record.CodeInvalid, Msg: record.Msg{Key: "err.invalid"}, Fields: map[string]record.Msg{"format": {Key: "err.not_in_list", Args: []any{"csv, xlsx"}}}}
	}
	st := record.MachineStyle()
	switch v.Get("style") {
	case "", "machine":
	case "user":
		st = record.PersonStyle(a.Cat, httpctx.Lang(r.Context()), actor.ExportFormat, time.Local)
	default:
		return &record.Error{Code: record.CodeInvalid, Msg: record.Msg{Key: "err.invalid"}, Fields: map[string]record.Msg{"style": {Key: "err.not_in_list", Args: []any{"machine, user"}}}}
	}
	switch v.Get("delimiter") {
	case "":
	case ",":
		st.Sep = ','
	case ";":
		st.Sep = ';'
	case "tab", "\t":
		st.Sep = '\t'
	default:
		return &record.Error{Code: record.CodeInvalid, Msg: record.Msg{Key: "err.invalid"}, Fields: map[string]record.Msg{"delimiter": {Key: "err.not_in_list", Args: []any{", ; tab"}}}}
	}
	return a.export(w, r, actor, format, st)
}

func (a *API) export(w http.ResponseWriter, r *http.Request, actor *record.Actor, format string, st record.Style) error {
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
	write, media := a.App.Records.ExportCSV, "text/csv; charset=utf-8"
	if format == "xlsx" {
		write, media = a.App.Records.ExportXLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", media)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.%s"`, t.Name, time.Now().UTC().Format("20060102"), format))
	if err := write(r.Context(), actor, t, q, w, st); err != nil {
		// Once the file has started, the error can only be logged.
		a.App.Log.Error("export", "type", t.Name, "format", format, "err", err)
	}
	return nil
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
	// A file exported for a person reads back too: labels in either language, local instants.
	opts := record.ImportOptions{DryRun: r.URL.Query().Get("dry_run") == "1" || r.URL.Query().Get("dry_run") == "true",
		Tr: a.Cat, Langs: i18n.Languages, Loc: time.Local}
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
