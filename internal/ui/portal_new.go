package ui

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"parc/internal/helpdesk"
	"parc/internal/record"
)

// maxFiles bounds the attachments of one new ticket.
const maxFiles = 5

// PortalNewPage is the form to report an incident or make a request.
type PortalNewPage struct {
	Base
	Type               string // incident or request
	Heading, Intro     string
	Categories, Assets []Option
	// Orgs is offered only to requesters who belong to several organisations (or
	// to none obviously): the others never see an organisation.
	Orgs               []Option
	Urgencies          []Option
	Title, Description string
	Errors             map[string]string
	Message            string
	Others             []string // the refused fields the form does not show, label and message
	MaxFileMB          int
}

func (u *UI) portalNew(c *req) error {
	return u.renderPortalNew(c, c.R.URL.Query().Get("type"), nil, nil, "", http.StatusOK)
}

// portalInputs are the fields the portal's form shows (the organisation only
// when it offers a choice): a refusal of any other is listed above the form.
var portalInputs = map[string]bool{"category_id": true, "title": true, "description": true, "urgency": true, "asset": true, "files": true}

func (u *UI) renderPortalNew(c *req, typ string, typed map[string]string, refused []record.FieldText, msg string, status int) error {
	errs := map[string]string{}
	for _, f := range refused {
		errs[f.Field] = f.Text
	}
	if typ != "request" {
		typ = "incident"
	}
	p := &PortalNewPage{Base: u.base(c, c.T("portal.new_"+typ), "/portal/new?type="+typ), Type: typ,
		Heading: c.T("portal.new_" + typ), Intro: c.T("portal.intro_" + typ), Errors: errs, Message: msg, MaxFileMB: helpdesk.MaxAttachment >> 20}
	cat, _ := strconv.ParseInt(typed["category_id"], 10, 64)
	tickets := u.App.Reg.MustType("tickets")
	org, _ := c.Actor.DefaultOrg(tickets)
	if v, ok := typed["organization_id"]; ok {
		org, _ = strconv.ParseInt(v, 10, 64)
	}
	choices := c.Actor.OrgChoices(tickets)
	if len(choices) > 0 {
		p.Orgs = append(p.Orgs, Option{Value: "", Label: c.T("portal.org_choose")})
		for _, o := range choices {
			p.Orgs = append(p.Orgs, Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Selected: o.ID == org})
		}
	}
	// The categories that apply to the organisation, or to any offered while none is chosen.
	orgs := []int64{org}
	if org == 0 {
		orgs = orgs[:0]
		for _, o := range choices {
			orgs = append(orgs, o.ID)
		}
	}
	var cats []*record.Record
	seen := map[int64]bool{}
	for _, o := range orgs {
		list, err := u.Helpdesk.Categories(c.R.Context(), c.Actor, o)
		if err != nil {
			return err
		}
		for _, r := range list {
			if !seen[r.ID] {
				seen[r.ID] = true
				cats = append(cats, r)
			}
		}
	}
	p.Categories = categoryOptions(c, cats, cat)
	for _, f := range refused {
		if !portalInputs[f.Field] && (f.Field != "organization_id" || len(p.Orgs) == 0) {
			p.Others = append(p.Others, f.Line)
		}
	}
	var err error
	if p.Assets, err = u.ownAssets(c, typed["asset"]); err != nil {
		return err
	}
	urg := typed["urgency"]
	if urg == "" {
		urg = "3"
	}
	for i := 1; i <= 5; i++ {
		v := strconv.Itoa(i)
		p.Urgencies = append(p.Urgencies, Option{Value: v, Label: c.T("portal.urgency." + v), Selected: v == urg})
	}
	p.Title, p.Description = typed["title"], typed["description"]
	return u.renderPage(c, status, "portal_new", p)
}

// portalCreate opens the ticket with the chosen asset and the files, through the
// helpdesk service (one transaction).
func (u *UI) portalCreate(c *req) error {
	if c.R.MultipartForm == nil {
		c.R.Body = http.MaxBytesReader(c.W, c.R.Body, maxFiles*helpdesk.MaxAttachment+maxSmallForm)
		if err := c.R.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return err
		}
	}
	f := c.R.PostFormValue
	typed := map[string]string{"title": f("title"), "description": f("description"), "category_id": f("category_id"),
		"urgency": f("urgency"), "asset": f("asset")}
	if _, ok := c.R.PostForm["organization_id"]; ok {
		typed["organization_id"] = f("organization_id")
	}
	typ := f("type")
	if typ != "request" {
		typ = "incident"
	}
	errs := map[string]string{}
	files, err := formFiles(c, errs)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return u.renderPortalNew(c, typ, typed, []record.FieldText{{Field: "files", Text: errs["files"]}}, c.T("err.invalid"), http.StatusUnprocessableEntity)
	}
	in := record.Input{"title": typed["title"], "description": typed["description"], "type": typ, "urgency": typed["urgency"]}
	for _, k := range []string{"category_id", "organization_id"} {
		if typed[k] != "" {
			in[k] = typed[k]
		}
	}
	open := helpdesk.Opening{Ticket: in, Files: files}
	if a := typed["asset"]; a != "" {
		name, idText, _ := strings.Cut(a, ":")
		id, _ := strconv.ParseInt(idText, 10, 64) // the service refuses a bad one
		open.Asset = &helpdesk.Item{Type: name, ID: id}
	}
	tk, err := u.Helpdesk.Open(c.R.Context(), c.Actor, open)
	if e, ok := record.AsError(err); ok && (e.Code == record.CodeInvalid || e.Code == record.CodeTooLarge) {
		msg := c.T("err.invalid")
		if len(e.Fields) == 0 {
			msg = c.T(e.Msg.Key, e.Msg.Args...)
		}
		return u.renderPortalNew(c, typ, typed, c.errText(u.App.Reg.MustType("tickets"), e).Fields, msg, e.Code.HTTPStatus())
	}
	if err != nil {
		return err
	}
	return redirect(c, "/portal/tickets/"+strconv.FormatInt(tk.ID, 10)+"?done=ticket_created")
}

func isItemType(name string) bool {
	for _, t := range helpdesk.ItemTypes {
		if t == name {
			return true
		}
	}
	return false
}

// formFiles reads the attached files of a multipart form, refusing too many or
// too large ones with a message on the "files" field.
func formFiles(c *req, errs map[string]string) ([]helpdesk.File, error) {
	if c.R.MultipartForm == nil {
		return nil, nil
	}
	var heads []*multipart.FileHeader
	for _, h := range c.R.MultipartForm.File["files"] {
		if h.Filename != "" {
			heads = append(heads, h)
		}
	}
	if len(heads) > maxFiles {
		errs["files"] = c.T("err.too_many_files", maxFiles)
		return nil, nil
	}
	var out []helpdesk.File
	for _, h := range heads {
		if h.Size > helpdesk.MaxAttachment {
			errs["files"] = c.T("err.attachment_too_large", h.Filename, helpdesk.MaxAttachment>>20)
			return nil, nil
		}
		fh, err := h.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(fh, helpdesk.MaxAttachment+1))
		fh.Close()
		if err != nil {
			return nil, err
		}
		typ := h.Header.Get("Content-Type")
		if typ == "" {
			typ = "application/octet-stream"
		}
		out = append(out, helpdesk.File{Name: h.Filename, Type: typ, Content: data})
	}
	return out, nil
}
