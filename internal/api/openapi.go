package api

import (
	"net/http"

	"parc/internal/record"
	"parc/internal/version"
)

// schemaOf gives the JSON schema of a field kind.
func schemaOf(f *record.Field) map[string]any {
	s := map[string]any{}
	switch f.Kind {
	case record.Int, record.Ref:
		s["type"] = "integer"
		s["format"] = "int64"
	case record.Decimal, record.Money:
		s["type"] = "number"
	case record.Bool:
		s["type"] = "boolean"
	case record.Date:
		s["type"], s["format"] = "string", "date"
	case record.DateTime:
		s["type"], s["format"] = "string", "date-time"
	case record.Enum:
		s["type"], s["enum"] = "string", f.Options
	case record.Email:
		s["type"], s["format"] = "string", "email"
	case record.IP:
		s["type"], s["format"] = "string", "ip"
	case record.URL:
		s["type"], s["format"] = "string", "uri"
	default:
		s["type"] = "string"
		if f.Max > 0 {
			s["maxLength"] = f.Max
		}
	}
	if f.Kind == record.Ref {
		s["description"] = "id of a " + f.Ref + " record"
	}
	if f.Min != nil {
		s["minimum"] = *f.Min
	}
	if f.MaxNum != nil {
		s["maximum"] = *f.MaxNum
	}
	if f.ReadOnly {
		s["readOnly"] = true
	}
	s["nullable"] = !f.Required
	return s
}

// OpenAPI builds the OpenAPI 3 document from the registry.
func (a *API) OpenAPI() map[string]any {
	schemas := map[string]any{
		"Error": map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{
			"type": "object", "required": []string{"code", "message"},
			"properties": map[string]any{
				"code":    map[string]any{"type": "string", "enum": []string{"invalid", "not_found", "conflict", "forbidden", "unauthorized", "too_large", "rate_limited", "internal"}},
				"message": map[string]any{"type": "string"},
				"fields":  map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
			}}}},
		"HistoryEntry": map[string]any{"type": "object", "properties": map[string]any{
			"id": map[string]any{"type": "integer"}, "action": map[string]any{"type": "string", "enum": []string{"create", "update", "trash", "restore", "purge"}},
			"field": map[string]any{"type": "string"}, "old_value": map[string]any{"type": "string"}, "new_value": map[string]any{"type": "string"},
			"origin":  map[string]any{"type": "string", "enum": []string{"web", "api", "import", "inventory", "rule", "job", "cli"}},
			"user_id": map[string]any{"type": "integer"}, "user_name": map[string]any{"type": "string"}, "created_at": map[string]any{"type": "string", "format": "date-time"}}},
	}
	paths := map[string]any{}
	errResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	}
	std := map[string]any{"401": errResp("not authenticated"), "403": errResp("not allowed"), "404": errResp("not found, or outside your organisations"), "422": errResp("invalid values")}
	with := func(extra map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range std {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	listParams := []any{
		map[string]any{"name": "filter", "in": "query", "schema": map[string]any{"type": "array", "items": map[string]any{"type": "string"}}, "style": "form", "explode": true,
			"description": "FIELD:OP:VALUE, repeatable; OP is one of eq, ne, contains, starts, lt, lte, gt, gte, empty, notempty"},
		map[string]any{"name": "match", "in": "query", "schema": map[string]any{"type": "string", "enum": []string{"all", "any"}}, "description": "combine filters with AND (all, default) or OR (any)"},
		map[string]any{"name": "q", "in": "query", "schema": map[string]any{"type": "string"}, "description": "free text over the searchable fields"},
		map[string]any{"name": "sort", "in": "query", "schema": map[string]any{"type": "string"}, "description": "field name, '-' prefixed for descending"},
		map[string]any{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": record.MaxLimit, "default": record.DefaultLimit}},
		map[string]any{"name": "cursor", "in": "query", "schema": map[string]any{"type": "string"}, "description": "next_cursor of the previous page"},
		map[string]any{"name": "count", "in": "query", "schema": map[string]any{"type": "boolean"}, "description": "also return the total count"},
		map[string]any{"name": "trash", "in": "query", "schema": map[string]any{"type": "boolean"}, "description": "list the trash"},
	}
	idParam := map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "integer"}}
	for _, t := range a.App.Reg.Types() {
		props := map[string]any{
			"id":         map[string]any{"type": "integer", "readOnly": true},
			"version":    map[string]any{"type": "integer", "description": "send it back on update to refuse lost updates (or use If-Match)"},
			"created_at": map[string]any{"type": "string", "format": "date-time", "readOnly": true},
			"updated_at": map[string]any{"type": "string", "format": "date-time", "readOnly": true},
			"deleted_at": map[string]any{"type": "string", "format": "date-time", "readOnly": true, "description": "set while in the trash"},
			"display":    map[string]any{"type": "object", "readOnly": true, "additionalProperties": map[string]any{"type": "string"}, "description": "labels of referenced records"},
		}
		var required []string
		if t.Scope == record.OrgScoped {
			props["organization_id"] = map[string]any{"type": "integer"}
		} else if t.Scope == record.OrgShared {
			props["organization_id"] = map[string]any{"type": "integer", "nullable": true,
				"description": "the organisation the record belongs to; null (or absent on create): shared by every organisation"}
		}
		for _, f := range t.VisibleFields() {
			props[f.Name] = schemaOf(f)
			if f.Required && !(t.NamingPlan && f.Name == t.NameField) {
				required = append(required, f.Name)
			}
		}
		for _, x := range t.Extras {
			props[x] = map[string]any{"type": "string", "writeOnly": true}
		}
		name := schemaName(t)
		sch := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			sch["required"] = required
		}
		schemas[name] = sch
		ref := map[string]any{"$ref": "#/components/schemas/" + name}
		body := map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref}}}
		one := map[string]any{"description": "the record", "content": map[string]any{"application/json": map[string]any{"schema": ref}}}
		tag := []string{t.Name}
		paths["/api/v1/"+t.Name] = map[string]any{
			"get": map[string]any{"tags": tag, "summary": "List " + t.Name, "parameters": listParams, "responses": with(map[string]any{"200": map[string]any{"description": "one page",
				"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{
					"data": map[string]any{"type": "array", "items": ref}, "next_cursor": map[string]any{"type": "string"}, "total": map[string]any{"type": "integer"}}}}}}})},
			"post": map[string]any{"tags": tag, "summary": "Create a record of " + t.Name, "requestBody": body, "responses": with(map[string]any{"201": one, "409": errResp("conflict")})},
		}
		paths["/api/v1/"+t.Name+"/{id}"] = map[string]any{
			"parameters": []any{idParam},
			"get":        map[string]any{"tags": tag, "summary": "Read one record", "responses": with(map[string]any{"200": one})},
			"patch":      map[string]any{"tags": tag, "summary": "Change some fields", "parameters": []any{map[string]any{"name": "If-Match", "in": "header", "schema": map[string]any{"type": "string"}}}, "requestBody": body, "responses": with(map[string]any{"200": one, "409": errResp("edited meanwhile, or not allowed in this state")})},
			"delete":     map[string]any{"tags": tag, "summary": "Move to the trash (purge=1: delete a trashed record for good)", "parameters": []any{map[string]any{"name": "purge", "in": "query", "schema": map[string]any{"type": "boolean"}}}, "responses": with(map[string]any{"204": map[string]any{"description": "done"}})},
		}
		paths["/api/v1/"+t.Name+"/{id}/history"] = map[string]any{"parameters": []any{idParam},
			"get": map[string]any{"tags": tag, "summary": "Changes, newest first", "responses": with(map[string]any{"200": map[string]any{"description": "history",
				"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{"data": map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/HistoryEntry"}}}}}}}})}}
		paths["/api/v1/"+t.Name+"/{id}/restore"] = map[string]any{"parameters": []any{idParam},
			"post": map[string]any{"tags": tag, "summary": "Take out of the trash", "responses": with(map[string]any{"200": one})}}
		paths["/api/v1/"+t.Name+"/bulk"] = map[string]any{
			"patch": map[string]any{"tags": tag, "summary": "Set the same values on several records, all or nothing", "requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object",
				"properties": map[string]any{"ids": map[string]any{"type": "array", "items": map[string]any{"type": "integer"}}, "values": ref}}}}}, "responses": with(map[string]any{"200": map[string]any{"description": "count of updated records"}})}}
	}
	helpdeskOpenAPI(paths)
	workflowOpenAPI(paths)
	kbSearchOpenAPI(paths)
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "parc API", "version": version.Version, "description": "IT asset and service management. Authenticate with a personal token: Authorization: Bearer parc_..."},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{"schemas": schemas, "securitySchemes": map[string]any{
			"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
		"security": []any{map[string]any{"bearer": []string{}}},
	}
}

func schemaName(t *record.Type) string {
	out := []byte{}
	up := true
	for _, c := range []byte(t.Singular) {
		if c == '_' || c == '-' {
			up = true
			continue
		}
		if up && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		up = false
		out = append(out, c)
	}
	return string(out)
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.OpenAPI())
}
