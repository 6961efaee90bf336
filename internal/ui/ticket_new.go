package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"parc/internal/helpdesk"
	"parc/internal/record"
)

// newTicketSkips are the ticket fields a technician's new-ticket form leaves out:
// a ticket is opened new, and solved later from its page.
var newTicketSkips = map[string]bool{"status": true, "solution": true, "solution_type": true, "parts_used": true, "pending_reason": true}

// newTicketPrefill is what "New ticket" from an asset's page fills in: the
// asset's organisation, its user as the requester and its location.
func (u *UI) newTicketPrefill(c *req) formState {
	q := c.R.URL.Query()
	st := formState{typed: map[string]string{}}
	at, id := q.Get("asset_type"), q.Get("asset")
	n, _ := strconv.ParseInt(id, 10, 64)
	if !isItemType(at) || n <= 0 {
		return formState{}
	}
	asset, err := u.App.Records.Get(c.R.Context(), c.Actor, u.App.Reg.MustType(at), n)
	if err != nil {
		return formState{} // an asset the user may not see is not named
	}
	st.typed["asset_type"], st.typed["asset"] = at, id
	st.typed["organization_id"] = strconv.FormatInt(asset.OrgID, 10)
	for _, f := range []string{"user_id", "location_id"} {
		rt := u.App.Reg.MustType(asset.Type.Field(f).Ref)
		if v := asset.Int(f); v > 0 {
			if _, err := u.App.Records.Picked(c.R.Context(), c.Actor, rt, v); err == nil {
				st.typed[f] = strconv.FormatInt(v, 10) // only what the user may see and choose
			}
		}
	}
	return st
}

// templateFields are the ticket fields a template fills in.
var templateFields = []string{"category_id", "type", "title", "description", "impact", "urgency", "assigned_group_id"}

// applyTemplate fills a new ticket's form from the template given in the address
// (?template=ID): its fields, over what the asset's page filled in, and the
// template kept for its tasks. It returns the template's name.
func (u *UI) applyTemplate(c *req, st *formState) string {
	id, _ := strconv.ParseInt(c.R.URL.Query().Get("template"), 10, 64)
	if id <= 0 {
		return ""
	}
	tpl, err := u.App.Records.Get(c.R.Context(), c.Actor, u.App.Reg.MustType("ticket-templates"), id)
	if err != nil || tpl.DeletedAt != nil {
		return ""
	}
	if st.typed == nil {
		st.typed = map[string]string{}
	}
	for _, f := range templateFields {
		if v := tpl.String(f); v != "" {
			st.typed[f] = v
		}
	}
	if _, ok := st.typed["organization_id"]; !ok {
		st.typed["organization_id"] = strconv.FormatInt(tpl.OrgID, 10)
	}
	st.typed["template"] = strconv.FormatInt(id, 10)
	return tpl.Label()
}

// templateLinks are the templates a technician may start a ticket from, each a
// link to the form filled in from it (keeping the asset it is about).
func (u *UI) templateLinks(c *req) ([]Cell, error) {
	t := u.App.Reg.MustType("ticket-templates")
	if !c.Actor.Can(t, record.Read) {
		return nil, nil
	}
	page, err := u.App.Records.List(c.R.Context(), c.Actor, t, record.ListQuery{Sort: "name", Limit: 30})
	if err != nil {
		return nil, err
	}
	q := c.R.URL.Query()
	var out []Cell
	for _, r := range page.Records {
		v := url.Values{"template": {strconv.FormatInt(r.ID, 10)}}
		if a := q.Get("asset"); a != "" {
			v.Set("asset_type", q.Get("asset_type"))
			v.Set("asset", a)
		}
		label := r.Label()
		if cat := r.Display["category_id"]; cat != "" {
			label += " (" + cat + ")"
		}
		out = append(out, Cell{Text: label, Href: "/tickets/new?" + v.Encode()})
	}
	return out, nil
}

// newTicketFields are the inputs a new ticket has beyond its own fields: the
// asset it is about (its type, then a picker) and attachments.
func (u *UI) newTicketFields(c *req, st formState) []FormField {
	typed := func(k string) string {
		if v, ok := st.typed[k]; ok {
			return v
		}
		return ""
	}
	at := typed("asset_type")
	if !isItemType(at) {
		at = "computers"
	}
	kind := FormField{Name: "asset_type", ID: "f-asset_type", Label: c.T("ui.newticket.asset_type"), Control: "select"}
	for _, name := range helpdesk.ItemTypes {
		kind.Options = append(kind.Options, Option{Value: name, Label: c.T(typeKey(u.App.Reg.MustType(name), false)), Selected: name == at})
	}
	asset := FormField{Name: "asset", ID: "f-asset", Label: c.T("ui.newticket.asset"), Control: "picker",
		Suggest: "/ui/suggest/" + at, TypeFrom: "f-asset_type", Error: st.errs["asset"], Hint: c.T("ui.picker.hint_assets"), Value: typed("asset")}
	if text, ok := u.typedText(c, "asset"); ok {
		asset.RefLabel, asset.Was = text, c.R.PostFormValue("asset"+pickerWas)
	} else if id, _ := strconv.ParseInt(asset.Value, 10, 64); id > 0 {
		if sg, err := u.App.Records.Picked(c.R.Context(), c.Actor, u.App.Reg.MustType(at), id); err == nil {
			asset.RefLabel, asset.Was = sg.Label, sg.Label
		}
	}
	files := FormField{Name: "files", ID: "f-files", Label: c.T("portal.files"), Control: "files", Wide: true,
		Hint: c.T("portal.files_hint", helpdesk.MaxAttachment>>20), Error: st.errs["files"]}
	return []FormField{kind, asset, files}
}

// placeNewTicketFields puts the attachments under the description and the asset
// after the requester.
func placeNewTicketFields(fields, extra []FormField) []FormField {
	kind, asset, files := extra[0], extra[1], extra[2]
	var out []FormField
	for _, f := range fields {
		out = append(out, f)
		switch f.Name {
		case "description":
			out = append(out, files)
		case "user_id":
			out = append(out, kind, asset)
		}
	}
	return out
}

// createTicket opens a technician's ticket with its asset and files, in one
// transaction, through the helpdesk service.
func (u *UI) createTicket(c *req, t *record.Type) error {
	if c.R.MultipartForm == nil {
		c.R.Body = http.MaxBytesReader(c.W, c.R.Body, maxFiles*helpdesk.MaxAttachment+maxSmallForm)
		if err := c.R.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return err
		}
	}
	if err := parseForm(c); err != nil {
		return err
	}
	in, typed, errs, err := u.readForm(c, t)
	if err != nil {
		return err
	}
	for k := range newTicketSkips {
		delete(in, k)
	}
	f := c.R.PostFormValue
	at := f("asset_type")
	typed["asset_type"], typed["asset"] = at, f("asset")
	var item *helpdesk.Item
	if text := f("asset" + pickerText); strings.TrimSpace(text) != "" {
		if !isItemType(at) {
			return record.E(record.CodeInvalid, "ui.bad_form")
		}
		org, _ := strconv.ParseInt(f("organization_id"), 10, 64)
		rt := u.App.Reg.MustType(at)
		id, found, err := pickedID(f("asset"), text, f("asset"+pickerWas), org, func(q record.SuggestQuery) ([]record.Suggestion, error) {
			return u.App.Records.SuggestRecords(c.R.Context(), c.Actor, rt, q)
		})
		if err != nil {
			return err
		}
		if found {
			n, _ := strconv.ParseInt(id, 10, 64)
			item = &helpdesk.Item{Type: at, ID: n}
		} else {
			errs["asset"] = c.T("ui.picker.no_match", strings.TrimSpace(text))
		}
	}
	files, err := formFiles(c, errs)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return u.renderForm(c, t, nil, pickRefused(c, typed, errs))
	}
	open := helpdesk.Opening{Ticket: in, Asset: item, Files: files}
	if tpl := f("template"); tpl != "" {
		typed["template"] = tpl
		open.Template, _ = strconv.ParseInt(tpl, 10, 64)
		if open.Template <= 0 {
			return record.E(record.CodeInvalid, "ui.bad_form")
		}
	}
	tk, err := u.Helpdesk.Open(c.R.Context(), c.Actor, open)
	if err != nil {
		e, ok := record.AsError(err)
		if !ok {
			return err
		}
		known := map[string]bool{"organization_id": true, "asset": true, "files": true, "template": false}
		for _, fl := range t.Fields {
			known[fl.Name] = !fl.Hidden && !fl.ReadOnly && !newTicketSkips[fl.Name]
		}
		st := u.refusedState(c, t, e, typed, known)
		st.status = e.Code.HTTPStatus()
		return u.renderForm(c, t, nil, st)
	}
	return redirect(c, "/tickets/"+strconv.FormatInt(tk.ID, 10)+"?done=created")
}
