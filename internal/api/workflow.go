package api

import (
	"net/http"

	"parc/internal/record"
)

// registerWorkflow adds the helpdesk's workflow actions: the requester accepts or
// refuses a solution, technicians ask for approvals and escalate, approvers answer.
func (a *API) registerWorkflow(mux *http.ServeMux) {
	hd := a.Helpdesk
	type action func(r *http.Request, actor *record.Actor, id int64, in record.Input) (*record.Record, error)
	post := func(path string, status int, act action) {
		mux.HandleFunc("POST "+path, a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
			id, err := pathID(r)
			if err != nil {
				return err
			}
			in := record.Input{}
			if r.ContentLength != 0 {
				if err := decode(w, r, &in); err != nil {
					return err
				}
			}
			rec, err := act(r, actor, id, in)
			if err != nil {
				return err
			}
			w.Header().Set("ETag", etag(rec))
			writeJSON(w, status, rec)
			return nil
		}))
	}
	post("/api/v1/tickets/{id}/accept", http.StatusOK, func(r *http.Request, actor *record.Actor, id int64, in record.Input) (*record.Record, error) {
		return hd.Accept(r.Context(), actor, id, in)
	})
	post("/api/v1/tickets/{id}/refuse", http.StatusOK, func(r *http.Request, actor *record.Actor, id int64, in record.Input) (*record.Record, error) {
		return hd.Refuse(r.Context(), actor, id, in)
	})
	post("/api/v1/tickets/{id}/escalate", http.StatusOK, func(r *http.Request, actor *record.Actor, id int64, in record.Input) (*record.Record, error) {
		return hd.Escalate(r.Context(), actor, id, in)
	})
	post("/api/v1/tickets/{id}/approvals", http.StatusCreated, func(r *http.Request, actor *record.Actor, id int64, in record.Input) (*record.Record, error) {
		return hd.RequestApproval(r.Context(), actor, id, in)
	})
	for _, verb := range []string{"approve", "refuse"} {
		approve := verb == "approve"
		post("/api/v1/ticket-approvals/{id}/"+verb, http.StatusOK, func(r *http.Request, actor *record.Actor, id int64, in record.Input) (*record.Record, error) {
			comment := ""
			for k, v := range in {
				if k != "comment" {
					fe := record.FieldErrors{}
					fe.Add(k, "err.unknown_field")
					return nil, fe.Err()
				}
				comment, _ = v.(string)
			}
			return hd.AnswerApproval(r.Context(), actor, id, approve, comment)
		})
	}
	mux.HandleFunc("GET /api/v1/tickets/{id}/approvals", a.auth(func(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		list, err := hd.Approvals(r.Context(), actor, id)
		if err != nil {
			return err
		}
		if list == nil {
			list = []*record.Record{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": list})
		return nil
	}))
}

// workflowOpenAPI describes the routes above in the OpenAPI document.
func workflowOpenAPI(paths map[string]any) {
	errResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	}
	ok := func(desc, schema string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + schema}}}}
	}
	body := func(props map[string]any, required ...string) map[string]any {
		s := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			s["required"] = required
		}
		return map[string]any{"required": len(required) > 0, "content": map[string]any{"application/json": map[string]any{"schema": s}}}
	}
	str := map[string]any{"type": "string"}
	integer := map[string]any{"type": "integer"}
	idParam := []any{map[string]any{"name": "id", "in": "path", "required": true, "schema": integer}}
	op := func(tag, summary string, req map[string]any, status, desc, schema string) map[string]any {
		return map[string]any{"parameters": idParam, "post": map[string]any{"tags": []string{tag}, "summary": summary, "requestBody": req,
			"responses": map[string]any{status: ok(desc, schema), "401": errResp("not authenticated"), "403": errResp("not allowed"),
				"404": errResp("not found, or not yours to see"), "409": errResp("not possible in the current state"), "422": errResp("invalid values")}}}
	}
	paths["/api/v1/tickets/{id}/accept"] = op("tickets", "The requester accepts the solution: the ticket is closed",
		body(map[string]any{"satisfaction": map[string]any{"type": "integer", "minimum": 1, "maximum": 5}, "comment": str}), "200", "the closed ticket", "Ticket")
	paths["/api/v1/tickets/{id}/refuse"] = op("tickets", "The requester refuses the solution: the reason becomes a follow-up and the ticket reopens",
		body(map[string]any{"reason": str}, "reason"), "200", "the reopened ticket", "Ticket")
	paths["/api/v1/tickets/{id}/escalate"] = op("tickets", "Hand the ticket to a group of a higher support level",
		body(map[string]any{"group_id": integer, "reason": str}, "group_id", "reason"), "200", "the ticket", "Ticket")
	paths["/api/v1/tickets/{id}/approvals"] = op("tickets", "Ask a user to approve the ticket; it cannot be solved until they answer",
		body(map[string]any{"user_id": integer, "comment": str}, "user_id"), "201", "the approval", "TicketApproval")
	for _, verb := range []string{"approve", "refuse"} {
		paths["/api/v1/ticket-approvals/{id}/"+verb] = op("ticket-approvals", "The approver answers ("+verb+"); refusing needs a comment",
			body(map[string]any{"comment": str}), "200", "the approval", "TicketApproval")
	}
}
