package ui

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"parc/internal/record"
)

// FormPage is the create or edit form of a record.
type FormPage struct {
	Base
	Type       TypeView
	Action     string
	New        bool
	Version    int64
	Fields     []FormField
	Error      string   // the form's problem, shown at the top
	Details    []string // problems of values without an input of their own
	ReloadHref string   // after a version conflict: the form with fresh values
	CancelHref string
	Multipart  bool // the form sends files
	// A new ticket's templates (links to the form filled in from each), the one
	// applied (its id, posted with the form) and a line saying so.
	Templates    []Cell
	Template     string
	TemplateNote string
}

// FormField is one input of a form.
type FormField struct {
	Name, ID, Label string
	// Control is text, textarea, checkbox, select or refid (an id box with the
	// current record's name, for references with too many records to list).
	Control      string
	Type         string // the input's type attribute
	InputMode    string
	Value        string
	Checked      bool
	Options      []Option
	Required     bool
	Error        string
	Hint         string
	Max          int
	Autocomplete string
	Wide         bool
	// A picker's text shown (RefLabel), the text its id was shown as (Was), and
	// where it asks for suggestions (Suggest).
	RefLabel string
	Was      string
	Suggest  string
	TypeFrom string // the id of the select naming the type a picker suggests records of
	// Choices are the boxes of a "checks" control (the fields locked against
	// inventory), posted as several values of one name.
	Choices []Choice
}

// formState is what a re-rendered form keeps: the typed values and the errors.
type formState struct {
	typed   map[string]string
	errs    map[string]string
	status  int
	message string
	details []string
	reload  bool
}

func (u *UI) newForm(c *req, t *record.Type) error {
	if !canCreate(c.Actor, t) {
		return record.ErrForbidden()
	}
	if t.Name == "tickets" {
		st := u.newTicketPrefill(c)
		u.applyTemplate(c, &st)
		return u.renderForm(c, t, nil, st)
	}
	if isLoanType(t) {
		return u.loanNew(c, t) // hand-overs and loans start from their asset (loans.go)
	}
	return u.renderForm(c, t, nil, formState{})
}

func (u *UI) create(c *req, t *record.Type) error {
	if !canCreate(c.Actor, t) {
		return record.ErrForbidden()
	}
	if t.Name == "tickets" {
		return u.createTicket(c, t)
	}
	if err := parseForm(c); err != nil {
		return err
	}
	in, typed, picks, err := u.readForm(c, t)
	if err != nil {
		return err
	}
	if len(picks) > 0 {
		return u.renderForm(c, t, nil, pickRefused(c, typed, picks))
	}
	rec, err := u.App.Records.Create(c.R.Context(), c.Actor, t, in)
	if err != nil {
		return u.formFailed(c, t, nil, typed, err)
	}
	return redirect(c, "/"+t.Name+"/"+strconv.FormatInt(rec.ID, 10)+"?done=created")
}

// loadForEdit reads a record the actor may change.
func (u *UI) loadForEdit(c *req, t *record.Type) (*record.Record, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	rec, err := u.App.Records.Get(c.R.Context(), c.Actor, t, id)
	if err != nil {
		return nil, err
	}
	if !canUpdate(c.Actor, rec) {
		return nil, record.ErrForbidden()
	}
	if rec.DeletedAt != nil {
		return nil, record.E(record.CodeConflict, "err.in_trash")
	}
	return rec, nil
}

func (u *UI) editForm(c *req, t *record.Type) error {
	rec, err := u.loadForEdit(c, t)
	if err != nil {
		return err
	}
	return u.renderForm(c, t, rec, formState{})
}

func (u *UI) update(c *req, t *record.Type) error {
	rec, err := u.loadForEdit(c, t)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	in, typed, picks, err := u.readForm(c, t)
	if err != nil {
		return err
	}
	if len(picks) > 0 {
		typed["version"] = c.R.PostFormValue("version")
		return u.renderForm(c, t, rec, pickRefused(c, typed, picks))
	}
	in["version"] = c.R.PostFormValue("version")
	typed["version"] = c.R.PostFormValue("version")
	if _, err := u.App.Records.Update(c.R.Context(), c.Actor, t, rec.ID, in); err != nil {
		return u.formFailed(c, t, rec, typed, err)
	}
	return redirect(c, "/"+t.Name+"/"+strconv.FormatInt(rec.ID, 10)+"?done=updated")
}

// readForm turns the posted form into the service's input: strings by field name,
// "" clearing a value. Fields absent from the form are left alone. A picker's
// text that names no single record is returned in picks, by field, with its message.
func (u *UI) readForm(c *req, t *record.Type) (record.Input, map[string]string, map[string]string, error) {
	in, typed, picks := record.Input{}, map[string]string{}, map[string]string{}
	form := c.R.PostForm
	org, _ := strconv.ParseInt(form.Get("organization_id"), 10, 64)
	for _, f := range t.Fields {
		if f.Hidden || f.ReadOnly {
			continue
		}
		vs, ok := form[f.Name]
		if !ok || len(vs) == 0 {
			continue
		}
		v := vs[len(vs)-1] // a checkbox follows its hidden "false"
		if text, ok := form[f.Name+pickerText]; ok && f.Kind == record.Ref {
			typed[f.Name+pickerText] = text[0]
			id, found, err := pickedID(v, text[0], form.Get(f.Name+pickerWas), org, func(q record.SuggestQuery) ([]record.Suggestion, error) {
				return u.App.Records.SuggestRef(c.R.Context(), c.Actor, t, f.Name, q)
			})
			if err != nil {
				return nil, nil, nil, err
			}
			if !found {
				picks[f.Name] = c.T("ui.picker.no_match", strings.TrimSpace(text[0]))
				continue
			}
			v = id
		}
		if f == lockField(t) {
			v = joinLocks(vs) // boxes, after a hidden "" that lets all be unticked
		}
		typed[f.Name] = v
		if f.Kind == record.DateTime && v != "" {
			if tm, err := time.ParseInLocation("2006-01-02T15:04", v, u.Loc); err == nil {
				in[f.Name] = tm.Format(time.RFC3339)
				continue
			}
		}
		in[f.Name] = v
	}
	if t.HasOrg() {
		if vs, ok := form["organization_id"]; ok && len(vs) > 0 {
			typed["organization_id"] = vs[0]
			if vs[0] != "" {
				in["organization_id"] = vs[0]
			} else if t.Scope == record.OrgShared {
				in["organization_id"] = nil // "every organisation": shared
			}
		}
	}
	for _, x := range t.Extras {
		if v := form.Get(x); v != "" {
			in[x] = v
		}
	}
	return in, typed, picks, nil
}

// pickRefused is the form shown again when a picker's text named no single record.
func pickRefused(c *req, typed, picks map[string]string) formState {
	return formState{typed: typed, errs: picks, status: http.StatusUnprocessableEntity, message: c.T("err.invalid")}
}

// formFailed shows the form again with the service's messages and the typed values.
func (u *UI) formFailed(c *req, t *record.Type, rec *record.Record, typed map[string]string, err error) error {
	e, ok := record.AsError(err)
	if !ok {
		return err
	}
	known := map[string]bool{"organization_id": t.HasOrg()}
	for _, f := range t.Fields {
		known[f.Name] = !f.Hidden && !f.ReadOnly
	}
	for _, x := range t.Extras {
		known[x] = true
	}
	st := u.refusedState(c, t, e, typed, known)
	st.status = e.Code.HTTPStatus()
	return u.renderForm(c, t, rec, st)
}

// refusedState is what a form shows after the service refused it: the message on
// top, each message by its input when the form has one (known), the others listed
// under the message with their field's name, the typed values kept, and a reload
// link after a version conflict.
func (u *UI) refusedState(c *req, t *record.Type, e *record.Error, typed map[string]string, known map[string]bool) formState {
	text := c.errText(t, e)
	st := formState{typed: typed, errs: map[string]string{}, message: text.Message}
	st.reload = isVersionConflict(e)
	for _, f := range text.Fields {
		if known[f.Field] {
			st.errs[f.Field] = f.Text
		} else {
			st.details = append(st.details, f.Line)
		}
	}
	return st
}

func isVersionConflict(e *record.Error) bool { return e.Msg.Key == "err.version_conflict" }

func (u *UI) renderForm(c *req, t *record.Type, rec *record.Record, st formState) error {
	tv := typeView(c, t)
	p := &FormPage{Type: tv, New: rec == nil, Error: st.message, Details: st.details}
	if rec == nil {
		title := c.T("ui.form.new_title", lowerFirst(tv.One))
		if t.Name == "tickets" {
			title = c.T("ui.ticket.new_title")
		}
		p.Base = u.base(c, title, "/"+t.Name)
		p.Action = "/" + t.Name + "/new"
		p.CancelHref = "/" + t.Name
	} else {
		p.Base = u.base(c, c.T("ui.form.edit_title", rec.Label()), "/"+t.Name)
		p.Action = "/" + t.Name + "/" + strconv.FormatInt(rec.ID, 10) + "/edit"
		p.CancelHref = "/" + t.Name + "/" + strconv.FormatInt(rec.ID, 10)
		p.Version = rec.Version
		if v, err := strconv.ParseInt(st.typed["version"], 10, 64); err == nil {
			p.Version = v
		}
		if st.reload {
			p.ReloadHref = p.Action
		}
	}
	// value is what an input shows: what was typed, else the stored value, else the
	// default or a value given in the address (/monitors/new?computer_id=4).
	value := func(f *record.Field) string {
		if v, ok := st.typed[f.Name]; ok {
			return v
		}
		if rec != nil {
			return u.formValue(c, f, rec.Get(f.Name))
		}
		if v := c.R.URL.Query().Get(f.Name); v != "" && c.R.Method == http.MethodGet {
			return v
		}
		return u.formValue(c, f, f.Default)
	}

	if t.Scope == record.OrgScoped && t.OrgFrom == "" {
		// (A type whose organisation comes from a reference, a wipe's asset's,
		// has no organisation to choose.)
		p.Fields = append(p.Fields, u.orgField(c, t, rec, st))
	} else if t.Scope == record.OrgShared {
		p.Fields = append(p.Fields, u.ownerField(c, t, rec, st))
	}
	plan := ""
	if t.NamingPlan && rec == nil {
		var err error
		if plan, err = u.namingHint(c, t, st); err != nil {
			return err
		}
	}
	newTicket := rec == nil && t.Name == "tickets"
	for _, f := range t.Fields {
		if f.Hidden || f.ReadOnly || newTicket && newTicketSkips[f.Name] {
			continue
		}
		if rec != nil && (f.Name == "asset_type" || f.Name == "asset_id") && t.HasField("asset_type") {
			continue // a hand-over's or a loan's asset does not change
		}
		v := value(f)
		if f.Name == "asset_type" && v == "" && t.HasField("asset_id") && len(f.Options) > 0 {
			v = f.Options[0] // the asset picker below needs a type to suggest from
		}
		ff, err := u.formField(c, t, f, rec, v, st.errs[f.Name], plan)
		if err != nil {
			return err
		}
		if f.Name == "asset_id" && t.HasField("asset_type") {
			at := value(t.Field("asset_type"))
			if at == "" && len(t.Field("asset_type").Options) > 0 {
				at = t.Field("asset_type").Options[0]
			}
			u.assetPicker(c, &ff, at)
		}
		p.Fields = append(p.Fields, ff)
	}
	if newTicket {
		p.Multipart = true
		p.Fields = placeNewTicketFields(p.Fields, u.newTicketFields(c, st))
		p.Template = st.typed["template"]
		if p.Template != "" {
			if id, err := strconv.ParseInt(p.Template, 10, 64); err == nil {
				if tpl, err := u.App.Records.Get(c.R.Context(), c.Actor, u.App.Reg.MustType("ticket-templates"), id); err == nil {
					p.TemplateNote = c.T("ui.newticket.template_applied", tpl.Label())
				}
			}
		}
		var err error
		if p.Templates, err = u.templateLinks(c); err != nil {
			return err
		}
	}
	for _, x := range t.Extras {
		switch x {
		case "password":
			pf := FormField{Name: x, ID: "f-" + x, Label: c.T("field.password"), Control: "text", Type: "password",
				Autocomplete: "new-password", Error: st.errs[x]}
			if rec != nil {
				pf.Hint = c.T("ui.form.password_keep")
			}
			p.Fields = append(p.Fields, pf)
		case "license_key": // a secret never sent back to the browser
			p.Fields = append(p.Fields, FormField{Name: x, ID: "f-" + x, Label: c.T("field.license_key"), Control: "text", Type: "password",
				Autocomplete: "off", Error: st.errs[x], Hint: c.T("ui.form.license_key_keep")})
		case "bind_password": // a directory's bind password, write-only
			p.Fields = append(p.Fields, FormField{Name: x, ID: "f-" + x, Label: c.T("field.directory_bind_password"), Control: "text", Type: "password",
				Autocomplete: "new-password", Error: st.errs[x], Hint: c.T("ui.form.directory_password_keep")})
		}
	}
	status := st.status
	if status == 0 {
		status = http.StatusOK
	}
	return u.renderPage(c, status, "form", p)
}

// formField is the input of one field of a record form, its value and error given.
func (u *UI) formField(c *req, t *record.Type, f *record.Field, rec *record.Record, value, errText, plan string) (FormField, error) {
	ff := FormField{Name: f.Name, ID: "f-" + f.Name, Label: c.T(f.LabelKey()), Value: value, Required: f.Required,
		Error: errText, Max: f.Max, Control: "text", Type: "text"}
	switch f.Kind {
	case record.LongText:
		ff.Control, ff.Wide = "textarea", true
	case record.Email:
		ff.Type = "email"
	case record.URL:
		ff.Type = "url"
	case record.Int, record.Decimal, record.Money:
		ff.InputMode = "decimal"
		if f.Kind == record.Int {
			ff.InputMode = "numeric"
		}
	case record.Date:
		ff.Type = "date"
	case record.DateTime:
		ff.Type = "datetime-local"
	case record.IP, record.MAC, record.Serial:
		ff.Autocomplete = "off"
	case record.Bool:
		ff.Control = "checkbox"
		ff.Checked = ff.Value == "true" || ff.Value == "on" || ff.Value == "1"
		ff.Required = false
	case record.Enum:
		ff.Control = "select"
		if !f.Required || ff.Value == "" {
			ff.Options = append(ff.Options, Option{Value: "", Label: c.T("ui.form.none")})
		}
		for _, o := range f.Options {
			ff.Options = append(ff.Options, Option{Value: o, Label: enumLabel(c, f, o), Selected: strings.EqualFold(o, ff.Value)})
		}
	case record.Ref:
		if err := u.refField(c, t, f, rec, &ff); err != nil {
			return ff, err
		}
	}
	if f == lockField(t) {
		ff.Control, ff.Wide = "checks", true
		ff.Choices = u.lockChoices(c, t, ff.Value)
		ff.Hint = c.T("ui.form.locks_hint")
	}
	if f.Name == t.NameField && plan != "" {
		ff.Required = false
		ff.Hint = c.T("ui.form.naming_hint", plan)
	}
	if t.Name == "users" && f.Name == "login" {
		ff.Autocomplete = "off"
	}
	if (t.Name == "tickets" || t.Name == "ticket-templates") && (f.Name == "impact" || f.Name == "urgency") {
		// Chosen by name (Très bas ... Très haut), never as a bare number.
		ff.Control, ff.Label, ff.InputMode = "select", c.T("timeline."+f.Name), ""
		if !f.Required || ff.Value == "" {
			ff.Options = append(ff.Options, Option{Value: "", Label: c.T("ui.form.none")})
		}
		for v := int64(1); v <= 5; v++ {
			s := strconv.FormatInt(v, 10)
			ff.Options = append(ff.Options, Option{Value: s, Label: levelLabel(c, v), Selected: s == ff.Value})
		}
	}
	return ff, nil
}

// orgField is the organisation select of org-scoped types: the organisations the
// actor may create in, indented by depth.
func (u *UI) orgField(c *req, t *record.Type, rec *record.Record, st formState) FormField {
	ff := FormField{Name: "organization_id", ID: "f-organization_id", Label: c.T("field.organization_id"), Control: "select",
		Required: true, Error: st.errs["organization_id"]}
	homes := c.Actor.HomeOrgs(t)
	cur := ""
	switch {
	case st.typed != nil && st.typed["organization_id"] != "":
		cur = st.typed["organization_id"]
	case rec != nil:
		cur = strconv.FormatInt(rec.OrgID, 10)
	case c.R.URL.Query().Get("organization_id") != "":
		cur = c.R.URL.Query().Get("organization_id")
	default:
		// The record service's default: what an unchosen select would get anyway.
		if id, ok := c.Actor.DefaultOrg(t); ok {
			cur = strconv.FormatInt(id, 10)
		}
	}
	if cur == "" {
		ff.Options = append(ff.Options, Option{Value: "", Label: c.T("ui.form.choose")})
	}
	seen := false
	for _, o := range homes {
		id := strconv.FormatInt(o.ID, 10)
		seen = seen || id == cur
		ff.Options = append(ff.Options, Option{Value: id, Label: indent(c.Actor.Tree.Depth(o.ID)) + builtinName(c, "organizations", o.Name), Selected: id == cur})
	}
	if !seen && rec != nil {
		ff.Options = append([]Option{{Value: cur, Label: orgName(c.Actor, rec.OrgID), Selected: true}}, ff.Options...)
	}
	return ff
}

// ownerField is the organisation select of catalogue types (OrgShared): "every
// organisation" for a shared record, or one organisation the actor may create in.
func (u *UI) ownerField(c *req, t *record.Type, rec *record.Record, st formState) FormField {
	ff := u.orgField(c, t, rec, st)
	ff.Required = false
	ff.Hint = c.T("ui.catalog.owner_hint")
	cur := ""
	if st.typed != nil {
		cur = st.typed["organization_id"]
	} else if rec != nil && rec.OrgID != 0 {
		cur = strconv.FormatInt(rec.OrgID, 10)
	} else if rec == nil {
		cur = c.R.URL.Query().Get("organization_id")
		if cur == "" && !c.Actor.CanEverywhere(t, record.Create) {
			if homes := c.Actor.HomeOrgs(t); len(homes) > 0 {
				cur = strconv.FormatInt(homes[0].ID, 10)
			}
		}
	}
	var opts []Option
	if cur == "" || c.Actor.CanEverywhere(t, record.Create) {
		opts = append(opts, Option{Value: "", Label: c.T("ui.catalog.shared"), Selected: cur == ""})
	}
	for _, o := range ff.Options {
		if o.Value == "" || o.Value == "0" {
			continue
		}
		o.Selected = o.Value == cur
		opts = append(opts, o)
	}
	ff.Options = opts
	return ff
}

// refField fills a reference input: a select when the field takes one of a few
// shared records (states, asset types), else a picker where the user types a name
// and picks among suggestions (static/picker.js, /ui/suggest/...).
func (u *UI) refField(c *req, t *record.Type, f *record.Field, rec *record.Record, ff *FormField) error {
	rt := u.App.Reg.MustType(f.Ref)
	cur, _ := strconv.ParseInt(ff.Value, 10, 64)
	if (rt.Scope == record.Global || rt.Scope == record.OrgShared) && t.PickScopes[f.Name] == nil && c.Actor.Can(rt, record.Read) {
		lq := record.ListQuery{Sort: rt.NameField, Limit: u.RefLimit}
		if rt.Scope == record.OrgShared && t.Scope == record.OrgScoped {
			// Only the catalogue records the record's organisation may use.
			lq.VisibleFrom = u.formOrg(c, t, rec)
		}
		page, err := u.App.Records.List(c.R.Context(), c.Actor, rt, lq)
		if err != nil {
			return err
		}
		if page.NextCursor == "" {
			refSelect(c, t, rec, ff, page.Records, cur)
			return nil
		}
	}
	ff.Control = "picker"
	ff.Suggest = "/ui/suggest/" + t.Name + "/" + f.Name
	if rt.OwnerField() != "" {
		ff.Hint = c.T("ui.picker.hint_assets") // what it is found by is not obvious
	}
	if text, ok := u.typedText(c, f.Name); ok {
		ff.RefLabel, ff.Was = text, c.R.PostFormValue(f.Name+pickerWas)
		return nil
	}
	if cur > 0 {
		if sg, err := u.App.Records.Picked(c.R.Context(), c.Actor, rt, cur); err == nil {
			ff.RefLabel = sg.Label
		} else if rec != nil && rec.Int(f.Name) == cur && rec.Display[f.Name] != "" {
			ff.RefLabel = rec.Display[f.Name]
		} else {
			ff.RefLabel = c.T("ui.picker.unreadable")
		}
		ff.Was = ff.RefLabel
	}
	return nil
}

// assetPicker makes the asset of a record naming one by type and number (a
// disposal, a wipe, a loan) a picker of that type's assets, found by name,
// serial, inventory number or user, never a number to type. The type's select
// (f-asset_type) tells the picker what to suggest.
func (u *UI) assetPicker(c *req, ff *FormField, assetType string) {
	ff.Control, ff.Type, ff.InputMode = "picker", "", ""
	ff.Suggest, ff.TypeFrom = "/ui/suggest/"+assetType, "f-asset_type"
	ff.Hint = c.T("ui.picker.hint_assets")
	if text, ok := u.typedText(c, ff.Name); ok {
		ff.RefLabel, ff.Was = text, c.R.PostFormValue(ff.Name+pickerWas)
		return
	}
	at, ok := u.App.Reg.Type(assetType)
	id, _ := strconv.ParseInt(ff.Value, 10, 64)
	if !ok || id <= 0 {
		return
	}
	if sg, err := u.App.Records.Picked(c.R.Context(), c.Actor, at, id); err == nil {
		ff.RefLabel = sg.Label
	} else {
		ff.RefLabel = c.T("ui.picker.unreadable")
	}
	ff.Was = ff.RefLabel
}

// typedText is a picker's text as posted, when the form is shown again.
func (u *UI) typedText(c *req, name string) (string, bool) {
	if c.R.Method != http.MethodPost || c.R.PostForm == nil {
		return "", false
	}
	vs, ok := c.R.PostForm[name+pickerText]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// refSelect makes a reference a select of the few records it may take.
func refSelect(c *req, t *record.Type, rec *record.Record, ff *FormField, recs []*record.Record, cur int64) {
	ff.Control = "select"
	opts := []Option{{Value: "", Label: c.T("ui.form.none")}}
	found := false
	for _, r := range recs {
		if r.Type == t && rec != nil && r.ID == rec.ID {
			continue // a record cannot be its own parent
		}
		found = found || r.ID == cur
		opts = append(opts, Option{Value: strconv.FormatInt(r.ID, 10), Label: builtinName(c, r.Type.Name, r.Label()), Selected: r.ID == cur})
	}
	if r := recs; len(r) > 0 && r[0].Type.LabelSQL != "" {
		sort.SliceStable(opts[1:], func(i, j int) bool {
			return strings.ToLower(opts[1+i].Label) < strings.ToLower(opts[1+j].Label)
		})
	}
	if cur > 0 && !found {
		label := ""
		if rec != nil && rec.Int(ff.Name) == cur {
			label = rec.Display[ff.Name]
		}
		if label == "" {
			label = c.T("ui.picker.unreadable")
		}
		opts = append(opts, Option{Value: strconv.FormatInt(cur, 10), Label: label, Selected: true})
	}
	ff.Options = opts
}

// formOrg is the organisation a form's record is in, or will be in when it is the
// only choice (or given in the address); 0 when not known yet.
func (u *UI) formOrg(c *req, t *record.Type, rec *record.Record) int64 {
	if rec != nil {
		return rec.OrgID
	}
	if v := c.R.PostFormValue("organization_id"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		return id
	}
	if id, err := strconv.ParseInt(c.R.URL.Query().Get("organization_id"), 10, 64); err == nil {
		return id
	}
	if homes := c.Actor.HomeOrgs(t); len(homes) == 1 {
		return homes[0].ID
	}
	return 0
}

// refLabel names one record by id, when the actor may read it.
func (u *UI) refLabel(c *req, t *record.Type, id int64) string {
	r, err := u.App.Records.Get(c.R.Context(), c.Actor, t, id)
	if err != nil {
		return ""
	}
	return r.Label()
}
