// Package api serves parc's JSON REST API under /api/v1. Every record type of the
// registry gets the same endpoints; the OpenAPI document is generated from the registry.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"parc/internal/contract"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"parc/internal/core"
	"parc/internal/cost"
	"parc/internal/directory"
	"parc/internal/document"
	"parc/internal/helpdesk"
	"parc/internal/httpctx"
	"parc/internal/i18n"
	"parc/internal/ingest"
	"parc/internal/kb"
	"parc/internal/license"
	"parc/internal/lifecycle"
	"parc/internal/loan"
	"parc/internal/purchase"
	"parc/internal/record"
	"parc/internal/search"
	"parc/internal/stock"
)

// MaxBody is the largest JSON request body accepted.
const MaxBody = 1 << 20

// API holds the handlers' dependencies.
type API struct {
	App *core.Core
	Cat *i18n.Catalog
	Log *slog.Logger
	Services
}

// Services are the domain services the API calls.
type Services struct {
	Helpdesk  *helpdesk.Service
	KB        *kb.Service
	Search    *search.Service
	Inventory *ingest.Service
	Stock     *stock.Service
	Loans     *loan.Service // hand-overs and loans (check-in, acknowledgement, overdue)
	Licenses  *license.Service
	Contracts *contract.Service // the contracts covering an asset
	Lifecycle *lifecycle.Service
	Costs     *cost.Service     // total cost of ownership
	Documents *document.Service // files attached to records
	Purchase  *purchase.Service
	Directory *directory.Service // LDAP directories: test and synchronisation
}

// New makes the API over the core services and the domain services.
func New(c *core.Core, cat *i18n.Catalog, s Services) *API {
	return &API{App: c, Cat: cat, Log: c.Log, Services: s}
}

// Register adds the API routes to mux. Every route expects the authentication
// middleware to have run; routes answer 401 when no actor is present.
func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/openapi.json", a.openAPI)
	mux.HandleFunc("GET /api/v1/me", a.auth(a.me))
	mux.HandleFunc("GET /api/v1/tokens", a.auth(a.listTokens))
	mux.HandleFunc("POST /api/v1/tokens", a.auth(a.createToken))
	mux.HandleFunc("DELETE /api/v1/tokens/{id}", a.auth(a.revokeToken))
	mux.HandleFunc("GET /api/v1/{type}/naming-plan", a.auth(a.getNaming))
	mux.HandleFunc("PUT /api/v1/{type}/naming-plan", a.auth(a.putNaming))
	// One route per type with a plan: "DELETE /api/v1/{type}/naming-plan" would
	// overlap the tokens' and saved searches' DELETE routes.
	for _, t := range a.App.Reg.Types() {
		if t.NamingPlan {
			mux.HandleFunc("DELETE /api/v1/"+t.Name+"/naming-plan", a.auth(a.deleteNaming))
		}
	}
	a.registerInventory(mux)
	a.registerHelpdesk(mux)
	a.registerViews(mux)
	a.registerWorkflow(mux)
	a.registerKB(mux)
	a.registerLoans(mux)
	a.registerSearch(mux)
	a.registerStock(mux)
	a.registerPurchase(mux)
	a.registerLicenses(mux)
	a.registerDirectories(mux)
	a.registerContracts(mux)
	a.registerLifecycle(mux)
	a.registerCosts(mux)
	a.registerDocuments(mux)
	mux.HandleFunc("GET /api/v1/{type}/export.csv", a.auth(a.exportCSV))
	mux.HandleFunc("GET /api/v1/{type}/export", a.auth(a.exportAny))
	mux.HandleFunc("POST /api/v1/{type}/import", a.auth(a.importCSV))
	mux.HandleFunc("GET /api/v1/{type}/saved-searches", a.auth(a.listSaved))
	mux.HandleFunc("POST /api/v1/{type}/saved-searches", a.auth(a.saveSearch))
	mux.HandleFunc("DELETE /api/v1/saved-searches/{id}", a.auth(a.deleteSaved))
	mux.HandleFunc("GET /api/v1/{type}", a.auth(a.list))
	mux.HandleFunc("POST /api/v1/{type}", a.auth(a.create))
	mux.HandleFunc("PATCH /api/v1/{type}/bulk", a.auth(a.bulk))
	mux.HandleFunc("GET /api/v1/{type}/{id}", a.auth(a.get))
	mux.HandleFunc("PATCH /api/v1/{type}/{id}", a.auth(a.update))
	mux.HandleFunc("PUT /api/v1/{type}/{id}", a.auth(a.update))
	mux.HandleFunc("DELETE /api/v1/{type}/{id}", a.auth(a.delete))
	mux.HandleFunc("POST /api/v1/{type}/{id}/restore", a.auth(a.restore))
	mux.HandleFunc("GET /api/v1/{type}/{id}/history", a.auth(a.history))
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		a.Error(w, r, record.E(record.CodeNotFound, "err.not_found"))
	})
}

type handler func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error

// auth rejects anonymous calls and turns returned errors into the error envelope.
func (a *API) auth(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		actor := httpctx.Actor(r.Context())
		if actor == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="parc"`)
			a.Error(w, r, record.E(record.CodeUnauthorized, "err.unauthenticated"))
			return
		}
		if err := h(w, r, actor); err != nil {
			a.Error(w, r, err)
		}
	}
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Error writes the JSON error envelope in the request's language; unexpected errors
// are logged and answered without their details.
func (a *API) Error(w http.ResponseWriter, r *http.Request, err error) {
	lang := httpctx.Lang(r.Context())
	e, ok := record.AsError(err)
	if !ok {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			e = record.E(record.CodeTooLarge, "err.body_too_large", mbe.Limit)
		} else {
			a.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			e = record.E("internal", "err.internal")
		}
	}
	if e.Code == record.CodeForbidden {
		if actor := httpctx.Actor(r.Context()); actor != nil {
			// A denial that cannot be recorded is answered as the failure it is.
			if err := a.App.Auth.Audit(r.Context(), "permission_denied", actor.UserID, actor.Login, httpctx.ClientIP(r), r.Method+" "+r.URL.Path); err != nil {
				e = record.E("internal", "err.internal")
			}
		}
	}
	text := e.Render(a.Cat, lang, nil)
	body := errorBody{Error: errorDetail{Code: string(e.Code), Message: text.Message}}
	if len(text.Fields) > 0 {
		body.Error.Fields = text.ByField()
	}
	writeJSON(w, e.Code.HTTPStatus(), body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// decode reads a JSON object body with numbers kept exact. Text that is not UTF-8
// is refused (the JSON decoder would store it as U+FFFD), and so is a member that
// into does not have, as record routes refuse an unknown field: a client's typo
// must not be dropped silently.
func decode(w http.ResponseWriter, r *http.Request, into any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return record.E(record.CodeTooLarge, "err.body_too_large", mbe.Limit)
		}
		return err
	}
	if !utf8.Valid(body) || hasLoneSurrogate(body) {
		return record.E(record.CodeInvalid, "err.body_encoding")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		if errors.Is(err, io.EOF) {
			return record.E(record.CodeInvalid, "err.empty_body")
		}
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			name, _ = strconv.Unquote(name)
			fe := record.FieldErrors{}
			fe.Add(name, "err.unknown_field")
			return fe.Err()
		}
		return record.E(record.CodeInvalid, "err.bad_json", err.Error())
	}
	if dec.More() {
		return record.E(record.CodeInvalid, "err.bad_json", "trailing data after the JSON object")
	}
	return nil
}

// hasLoneSurrogate reports a \u escape of half a UTF-16 surrogate pair without its
// other half ("\ud800"): valid JSON syntax, but no character, which the decoder
// would also store as U+FFFD. A backslash only appears inside JSON strings, so
// escapes can be read without parsing the document.
func hasLoneSurrogate(b []byte) bool {
	escape := func(i int) (rune, bool) {
		if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 32)
		return rune(n), err == nil
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		r, ok := escape(i)
		if !ok {
			i++ // an escaped character: \\, \" ...
			continue
		}
		switch {
		case r >= 0xd800 && r < 0xdc00:
			if low, ok := escape(i + 6); !ok || low < 0xdc00 || low > 0xdfff {
				return true
			}
			i += 11
		case r >= 0xdc00 && r <= 0xdfff:
			return true
		default:
			i += 5
		}
	}
	return false
}

func (a *API) typeOf(r *http.Request) (*record.Type, error) {
	t, ok := a.App.Reg.Type(r.PathValue("type"))
	if !ok {
		return nil, record.ErrNotFound()
	}
	return t, nil
}

// typeAndID reads the {type} and {id} of a record route.
func (a *API) typeAndID(r *http.Request) (*record.Type, int64, error) {
	t, err := a.typeOf(r)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(r)
	return t, id, err
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, record.ErrNotFound()
	}
	return id, nil
}

func etag(rec *record.Record) string { return fmt.Sprintf(`"%d"`, rec.Version) }

func (a *API) list(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, err := a.typeOf(r)
	if err != nil {
		return err
	}
	q, err := record.ParseListQuery(t, r.URL.Query())
	if err != nil {
		return err
	}
	page, err := a.App.Records.List(r.Context(), actor, t, q)
	if err != nil {
		return err
	}
	writePage(w, page)
	return nil
}

func (a *API) get(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, id, err := a.typeAndID(r)
	if err != nil {
		return err
	}
	if t.Name == stock.ItemsType && a.Stock != nil {
		return a.getStockItem(w, r, actor, id)
	}
	rec, err := a.App.Records.Get(r.Context(), actor, t, id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(rec))
	if r.Header.Get("If-None-Match") == etag(rec) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func (a *API) create(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, err := a.typeOf(r)
	if err != nil {
		return err
	}
	var in record.Input
	if err := decode(w, r, &in); err != nil {
		return err
	}
	rec, err := a.App.Records.Create(r.Context(), actor, t, in)
	if err != nil {
		return err
	}
	if err := a.App.Records.Describe(r.Context(), rec); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/"+t.Name+"/"+strconv.FormatInt(rec.ID, 10))
	w.Header().Set("ETag", etag(rec))
	writeJSON(w, http.StatusCreated, rec)
	return nil
}

func (a *API) update(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, id, err := a.typeAndID(r)
	if err != nil {
		return err
	}
	var in record.Input
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if im := strings.Trim(strings.TrimPrefix(r.Header.Get("If-Match"), "W/"), `"`); im != "" && im != "*" {
		if _, err := strconv.ParseInt(im, 10, 64); err != nil {
			return record.E(record.CodeInvalid, "err.bad_if_match")
		}
		in["version"] = im
	}
	rec, err := a.App.Records.Update(r.Context(), actor, t, id, in)
	if err != nil {
		return err
	}
	if err := a.App.Records.Describe(r.Context(), rec); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(rec))
	writeJSON(w, http.StatusOK, rec)
	return nil
}

// delete moves a record to the trash; ?purge=1 deletes a trashed record for good.
func (a *API) delete(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, id, err := a.typeAndID(r)
	if err != nil {
		return err
	}
	if p := r.URL.Query().Get("purge"); p == "1" || p == "true" {
		err = a.App.Records.Purge(r.Context(), actor, t, id)
	} else {
		err = a.App.Records.Trash(r.Context(), actor, t, id)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) restore(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, id, err := a.typeAndID(r)
	if err != nil {
		return err
	}
	if err := a.App.Records.Restore(r.Context(), actor, t, id); err != nil {
		return err
	}
	rec, err := a.App.Records.Get(r.Context(), actor, t, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func (a *API) history(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, id, err := a.typeAndID(r)
	if err != nil {
		return err
	}
	limit, before, err := record.ParseHistoryQuery(r.URL.Query())
	if err != nil {
		return err
	}
	es, err := a.App.Records.History(r.Context(), actor, t, id, limit, before)
	if err != nil {
		return err
	}
	if es == nil {
		es = []record.Entry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": es})
	return nil
}

// bulk applies the same values to several records at once, all or nothing.
func (a *API) bulk(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, err := a.typeOf(r)
	if err != nil {
		return err
	}
	var body struct {
		IDs    []int64      `json:"ids"`
		Values record.Input `json:"values"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	n, err := a.App.Records.BulkUpdate(r.Context(), actor, t, body.IDs, body.Values)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"updated": n})
	return nil
}

func (a *API) me(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	type grant struct {
		OrganizationID int64  `json:"organization_id"`
		Profile        string `json:"profile"`
		Recursive      bool   `json:"recursive"`
	}
	out := struct {
		ID     int64   `json:"id"`
		Login  string  `json:"login"`
		Name   string  `json:"name"`
		Lang   string  `json:"language"`
		Grants []grant `json:"profiles"`
	}{ID: actor.UserID, Login: actor.Login, Name: actor.Name, Lang: httpctx.Lang(r.Context()), Grants: []grant{}}
	for _, g := range actor.Grants {
		out.Grants = append(out.Grants, grant{g.OrgID, g.Profile, g.Recursive})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	ts, err := a.App.Auth.Tokens(r.Context(), actor.UserID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": ts})
	return nil
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	var body struct {
		Name string `json:"name"`
		// Scope: "" (everything the user may do), "read", or "types:a,b".
		Scope string `json:"scope"`
		// ExpiresAt: an RFC 3339 time, or a date (the token works until the end
		// of that day, UTC).
		ExpiresAt string `json:"expires_at"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	var ttl time.Duration
	if body.ExpiresAt != "" {
		at, err := time.Parse(time.RFC3339, body.ExpiresAt)
		if err != nil {
			day, derr := time.Parse("2006-01-02", body.ExpiresAt)
			if derr != nil {
				return record.E(record.CodeInvalid, "err.token_expiry_bad")
			}
			at = day.AddDate(0, 0, 1)
		}
		if ttl = at.Sub(a.App.Auth.Now()); ttl <= 0 {
			return record.E(record.CodeInvalid, "err.token_expiry_past")
		}
	}
	secret, t, err := a.App.Auth.CreateScopedToken(r.Context(), actor.UserID, body.Name, ttl, body.Scope)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": secret, "id": t.ID, "name": t.Name, "prefix": t.Prefix, "scope": t.Scope, "expires_at": t.ExpiresAt})
	return nil
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.App.Auth.RevokeToken(r.Context(), actor.UserID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) namingType(r *http.Request) (*record.Type, error) {
	t, err := a.typeOf(r)
	if err != nil {
		return nil, err
	}
	if !t.NamingPlan {
		return nil, record.ErrNotFound()
	}
	return t, nil
}

// getNaming gives a type's naming plan in force for an organisation and where it
// comes from (see settingOrg for the rights).
func (a *API) getNaming(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, err := a.namingType(r)
	if err != nil {
		return err
	}
	org, err := a.settingOrg(r, actor, t, false)
	if err != nil {
		return err
	}
	return a.answerNaming(w, r, actor, t, org)
}

// putNaming sets an organisation's own naming plan for a type; it needs the right to
// purge that type over the organisation's whole sub-tree, which only its
// administrators hold.
func (a *API) putNaming(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, err := a.namingType(r)
	if err != nil {
		return err
	}
	org, err := a.settingOrg(r, actor, t, true)
	if err != nil {
		return err
	}
	var body struct {
		Template string `json:"template"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	if err := record.ValidateNamingPlan(body.Template); err != nil {
		return &record.Error{Code: record.CodeInvalid, Msg: record.Msg{Key: "err.invalid"},
			Fields: map[string]record.Msg{"template": {Key: "err.bad_naming_plan", Args: []any{err.Error()}}}}
	}
	if err := a.App.Records.SetSetting(r.Context(), record.OrgSettingKey(record.NamingKey(t), org, actor.Tree.Root), body.Template); err != nil {
		return err
	}
	a.auditSetting(r, actor, "naming_plan", org, fmt.Sprintf("type=%s template=%q", t.Name, body.Template))
	return a.answerNaming(w, r, actor, t, org)
}

// writePage answers one page of a list: its records, the cursor of the next page
// and, when counted, the total (capped, see record.CountCap).
func writePage(w http.ResponseWriter, page *record.Page) {
	out := struct {
		Data       []*record.Record `json:"data"`
		NextCursor string           `json:"next_cursor,omitempty"`
		Total      *int64           `json:"total,omitempty"`
		Capped     bool             `json:"total_capped,omitempty"`
	}{Data: page.Records, NextCursor: page.NextCursor, Capped: page.TotalCapped}
	if out.Data == nil {
		out.Data = []*record.Record{}
	}
	if page.Total >= 0 {
		out.Total = &page.Total
	}
	writeJSON(w, http.StatusOK, out)
}
