package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"parc/internal/cost"
	"parc/internal/document"
	"parc/internal/record"
)

// registerCosts adds an asset's total cost of ownership,
// GET /api/v1/{fleet type}/{id}/costs, and the report per model or
// organisation, GET /api/v1/costs (internal/cost, docs/lifecycle.md).
func (a *API) registerCosts(mux *http.ServeMux) {
	cs := a.Costs
	if cs == nil {
		return
	}
	for _, typ := range cost.FleetTypes {
		t := typ
		mux.HandleFunc("GET /api/v1/"+t+"/{id}/costs", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			tc, err := cs.Asset(r.Context(), actor, t, id)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, tc)
			return nil
		}))
	}
	mux.HandleFunc("GET /api/v1/costs", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		v := r.URL.Query()
		q := cost.ReportQuery{Type: v.Get("asset_type"), By: v.Get("by"), Sort: v.Get("sort"), Limit: 100}
		if x := v.Get("limit"); x != "" {
			n, err := strconv.Atoi(x)
			if err != nil || n < 1 || n > 5000 {
				return record.E(record.CodeInvalid, "err.bad_limit", 5000)
			}
			q.Limit = n
		}
		if x := v.Get("offset"); x != "" {
			n, err := strconv.Atoi(x)
			if err != nil || n < 0 {
				return record.E(record.CodeInvalid, "err.invalid")
			}
			q.Offset = n
		}
		rep, err := cs.Report(r.Context(), actor, q)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, rep)
		return nil
	}))
}

// registerDocuments adds the documents of every type that accepts them:
// GET and POST /api/v1/{type}/{id}/documents, GET (download) and DELETE
// /api/v1/{type}/{id}/documents/{doc} (internal/document, docs/documents.md).
func (a *API) registerDocuments(mux *http.ServeMux) {
	ds := a.Documents
	if ds == nil {
		return
	}
	for _, typ := range document.Types {
		if !ds.Accepts(typ) {
			continue
		}
		t := typ
		base := "/api/v1/" + t + "/{id}/documents"
		mux.HandleFunc("GET "+base, a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			rec, docs, err := ds.List(r.Context(), actor, t, id)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, map[string]any{"data": docs, "can_write": document.CanWrite(actor, rec), "max_size": document.MaxSize})
			return nil
		}))
		mux.HandleFunc("POST "+base, a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			name, data, err := readUpload(w, r)
			if err != nil {
				return err
			}
			d, err := ds.Add(r.Context(), actor, t, id, name, data)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusCreated, d)
			return nil
		}))
		mux.HandleFunc("GET "+base+"/{doc}", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			doc, err := strconv.ParseInt(r.PathValue("doc"), 10, 64)
			if err != nil {
				return record.ErrNotFound()
			}
			d, err := ds.Get(r.Context(), actor, t, id, doc)
			if err != nil {
				return err
			}
			SendDocument(w, d)
			return nil
		}))
		mux.HandleFunc("DELETE "+base+"/{doc}", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			doc, err := strconv.ParseInt(r.PathValue("doc"), 10, 64)
			if err != nil {
				return record.ErrNotFound()
			}
			if err := ds.Delete(r.Context(), actor, t, id, doc); err != nil {
				return err
			}
			w.WriteHeader(http.StatusNoContent)
			return nil
		}))
	}
}

// SendDocument answers a document as a download: never shown inline, so an
// uploaded page cannot run as the site (as the helpdesk's attachments).
func SendDocument(w http.ResponseWriter, d *document.Doc) {
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.FormatInt(int64(len(d.Content)), 10))
	w.Write(d.Content)
}

// uploadSlack is what a multipart body may carry beyond the file itself.
const uploadSlack = 64 << 10

// readUpload reads the one file of a multipart/form-data body (its part "file"),
// streamed: a file over document.MaxSize is refused without being kept.
func readUpload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	if r.ContentLength > document.MaxSize+uploadSlack {
		return "", nil, document.TooLarge("")
	}
	r.Body = http.MaxBytesReader(w, r.Body, document.MaxSize+uploadSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, record.E(record.CodeInvalid, "err.document_multipart")
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return "", nil, record.E(record.CodeInvalid, "err.document_multipart")
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", nil, document.TooLarge("")
		}
		if err != nil {
			return "", nil, record.E(record.CodeInvalid, "err.document_multipart")
		}
		if p.FormName() != "file" || p.FileName() == "" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(p, document.MaxSize+1))
		if errors.As(err, &mbe) || int64(len(data)) > document.MaxSize {
			return "", nil, document.TooLarge(p.FileName())
		}
		if err != nil {
			return "", nil, err
		}
		return p.FileName(), data, nil
	}
}
