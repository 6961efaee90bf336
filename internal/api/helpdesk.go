package api

import (
	"net/http"
	"strconv"

	"parc/internal/helpdesk"
	"parc/internal/helpdesk/priority"
	"parc/internal/record"
)

// registerHelpdesk adds the ticket-centred routes beside the generic ones: a
// ticket's follow-ups and tasks (public ones only for requesters), its solution, and
// the priority matrix.
func (a *API) registerHelpdesk(mux *http.ServeMux) {
	hd := a.Helpdesk
	for _, c := range []struct{ path, typeName string }{{"followups", "ticket-followups"}, {"tasks", "ticket-tasks"}} {
		mux.HandleFunc("GET /api/v1/tickets/{id}/"+c.path, a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			q, err := record.ParseListQuery(a.App.Reg.MustType(c.typeName), r.URL.Query())
			if err != nil {
				return err
			}
			page, err := hd.Children(r.Context(), actor, c.typeName, id, q)
			if err != nil {
				return err
			}
			out := map[string]any{"data": page.Records}
			if page.Records == nil {
				out["data"] = []*record.Record{}
			}
			if page.NextCursor != "" {
				out["next_cursor"] = page.NextCursor
			}
			if page.Total >= 0 {
				out["total"] = page.Total
			}
			writeJSON(w, http.StatusOK, out)
			return nil
		}))
		mux.HandleFunc("POST /api/v1/tickets/{id}/"+c.path, a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			var in record.Input
			if err := decode(w, r, &in); err != nil {
				return err
			}
			rec, err := hd.AddChild(r.Context(), actor, c.typeName, id, in)
			if err != nil {
				return err
			}
			w.Header().Set("Location", "/api/v1/"+c.typeName+"/"+strconv.FormatInt(rec.ID, 10))
			writeJSON(w, http.StatusCreated, rec)
			return nil
		}))
	}
	mux.HandleFunc("GET /api/v1/tickets/{id}/solution", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		sol, err := hd.Solution(r.Context(), actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, sol)
		return nil
	}))
	mux.HandleFunc("PUT /api/v1/tickets/{id}/solution", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var in record.Input
		if err := decode(w, r, &in); err != nil {
			return err
		}
		sol, err := a.solve(r.Context(), hd, actor, id, in)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, sol)
		return nil
	}))
	// The matrix in force for an organisation's tickets: its own, or inherited (see
	// settingOrg for ?organization_id and the rights).
	tickets := a.App.Reg.MustType("tickets")
	answer := func(w http.ResponseWriter, r *http.Request, actor *record.Actor, org int64) error {
		m, err := helpdesk.LoadMatrix(r.Context(), a.App.Records, a.App.DB, org)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, struct {
			Matrix [][]int `json:"matrix"`
			settingSource
		}{m.Rows(), source(actor, org, m.OrgValue)})
		return nil
	}
	mux.HandleFunc("GET /api/v1/tickets/priority-matrix", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		org, err := a.settingOrg(r, actor, tickets, false)
		if err != nil {
			return err
		}
		return answer(w, r, actor, org)
	}))
	// Changing an organisation's matrix needs the right to purge tickets in it and in
	// every organisation under it: it applies to all of them.
	mux.HandleFunc("PUT /api/v1/tickets/priority-matrix", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		org, err := a.settingOrg(r, actor, tickets, true)
		if err != nil {
			return err
		}
		var body struct {
			Matrix [][]int `json:"matrix"`
		}
		if err := decode(w, r, &body); err != nil {
			return err
		}
		m, err := priority.FromRows(body.Matrix)
		if err != nil {
			return &record.Error{Code: record.CodeInvalid, Msg: record.Msg{Key: "err.invalid"},
				Fields: map[string]record.Msg{"matrix": {Key: "err.bad_priority_matrix", Args: []any{err.Error()}}}}
		}
		if err := helpdesk.SaveMatrix(r.Context(), a.App.Records, org, actor.Tree.Root, m); err != nil {
			return err
		}
		a.auditSetting(r, actor, "priority_matrix", org, "matrix="+m.String())
		return answer(w, r, actor, org)
	}))
	mux.HandleFunc("DELETE /api/v1/tickets/priority-matrix", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		org, err := a.settingOrg(r, actor, tickets, true)
		if err != nil {
			return err
		}
		if err := helpdesk.DeleteMatrix(r.Context(), a.App.Records, org, actor.Tree.Root); err != nil {
			return err
		}
		a.auditSetting(r, actor, "priority_matrix_removed", org, "")
		return answer(w, r, actor, org)
	}))
}

// helpdeskOpenAPI describes the routes above in the OpenAPI document.
func helpdeskOpenAPI(paths map[string]any) {
	errResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	}
	json := func(desc string, schema map[string]any) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": schema}}}
	}
	ref := func(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }
	idParam := map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "integer"}}
	tag := []string{"tickets"}
	std := func(extra map[string]any) map[string]any {
		out := map[string]any{"401": errResp("not authenticated"), "403": errResp("not allowed"), "404": errResp("no such ticket, or not yours to see"), "422": errResp("invalid values")}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	for path, schema := range map[string]string{"followups": "TicketFollowup", "tasks": "TicketTask"} {
		list := map[string]any{"type": "object", "properties": map[string]any{"data": map[string]any{"type": "array", "items": ref(schema)}, "next_cursor": map[string]any{"type": "string"}, "total": map[string]any{"type": "integer"}}}
		paths["/api/v1/tickets/{id}/"+path] = map[string]any{"parameters": []any{idParam},
			"get": map[string]any{"tags": tag, "summary": "The ticket's " + path + ", oldest first; requesters see the public ones only",
				"responses": std(map[string]any{"200": json("one page", list)})},
			"post": map[string]any{"tags": tag, "summary": "Add to the ticket's " + path + " (ticket_id and organization_id come from the ticket)",
				"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(schema)}}},
				"responses":   std(map[string]any{"201": json("the new record", ref(schema)), "409": errResp("the ticket is closed")})},
		}
	}
	sol := map[string]any{"type": "object", "properties": map[string]any{
		"ticket_id": map[string]any{"type": "integer", "readOnly": true}, "status": map[string]any{"type": "string", "readOnly": true},
		"solution": map[string]any{"type": "string"}, "solution_type": map[string]any{"type": "string", "enum": helpdesk.SolutionTypes},
		"solved_at": map[string]any{"type": "string", "format": "date-time", "readOnly": true}, "version": map[string]any{"type": "integer"}}}
	paths["/api/v1/tickets/{id}/solution"] = map[string]any{"parameters": []any{idParam},
		"get": map[string]any{"tags": tag, "summary": "The ticket's solution", "responses": std(map[string]any{"200": json("the solution", sol)})},
		"put": map[string]any{"tags": tag, "summary": "Solve the ticket: write its solution and move it to solved",
			"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": sol}}},
			"responses":   std(map[string]any{"200": json("the solution", sol), "409": errResp("the ticket cannot be solved from its status, or was edited meanwhile")})},
	}
	matrix := map[string]any{"type": "object", "properties": map[string]any{"matrix": map[string]any{"type": "array", "minItems": 5, "maxItems": 5,
		"description": "rows: urgency 1 to 5; cells: impact 1 to 5; values: priority 1 to 6",
		"items":       map[string]any{"type": "array", "minItems": 5, "maxItems": 5, "items": map[string]any{"type": "integer", "minimum": 1, "maximum": 6}}}}}
	matrix["properties"].(map[string]any)["organization_id"] = map[string]any{"type": "integer", "readOnly": true}
	matrix["properties"].(map[string]any)["own"] = map[string]any{"type": "boolean", "readOnly": true, "description": "the organisation has its own matrix"}
	matrix["properties"].(map[string]any)["inherited_from"] = map[string]any{"type": "object", "readOnly": true, "description": "the ancestor whose matrix applies",
		"properties": map[string]any{"id": map[string]any{"type": "integer"}, "name": map[string]any{"type": "string"}}}
	matrix["properties"].(map[string]any)["default"] = map[string]any{"type": "boolean", "readOnly": true, "description": "no organisation up the tree has one: the default applies"}
	orgParam := map[string]any{"name": "organization_id", "in": "query", "schema": map[string]any{"type": "integer"},
		"description": "the organisation (default: the root, whose matrix is the instance-wide one); sub-organisations inherit it"}
	paths["/api/v1/tickets/priority-matrix"] = map[string]any{"parameters": []any{orgParam},
		"get": map[string]any{"tags": tag, "summary": "The priority matrix in force for an organisation's tickets", "responses": std(map[string]any{"200": json("the matrix", matrix)})},
		"put": map[string]any{"tags": tag, "summary": "Set an organisation's own priority matrix (needs the right to purge tickets over its whole sub-tree)",
			"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": matrix}}},
			"responses":   std(map[string]any{"200": json("the matrix", matrix)})},
		"delete": map[string]any{"tags": tag, "summary": "Remove an organisation's own priority matrix: it inherits again",
			"responses": std(map[string]any{"200": json("the matrix now in force", matrix)})},
	}
}
