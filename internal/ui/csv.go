package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"parc/internal/record"
)

// exportCSV streams the records of the current list as a CSV file. French users
// get semicolons, which their spreadsheet programs expect; sep=, or sep=; chooses.
func (u *UI) exportCSV(c *req, t *record.Type) error {
	q, err := record.ParseListQuery(t, c.R.URL.Query())
	if err != nil {
		return err
	}
	if !c.Actor.Can(t, record.Read) {
		return record.ErrForbidden()
	}
	sep := ','
	if c.Lang == "fr" {
		sep = ';'
	}
	switch c.R.URL.Query().Get("sep") {
	case ",":
		sep = ','
	case ";":
		sep = ';'
	}
	h := c.W.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, t.Name, time.Now().In(u.Loc).Format("20060102")))
	h.Set("Cache-Control", "no-store")
	if err := u.App.Records.ExportCSV(c.R.Context(), c.Actor, t, q, c.W, sep); err != nil {
		// The file has started: the error can only be logged.
		u.App.Log.Error("csv export", "type", t.Name, "err", err)
	}
	return nil
}

// ImportPage is the CSV import form and, after a post, its report.
type ImportPage struct {
	Base
	Type    TypeView
	Orgs    []Option
	DryRun  bool
	Columns []ImportColumn
	// The report of a post.
	Done    bool
	Error   string
	Summary string
	Errors  []ImportLine
}

// ImportColumn documents one column the file may hold.
type ImportColumn struct {
	Name, Label, Kind string
	Required          bool
}

// ImportLine is one problem of the file.
type ImportLine struct {
	Line           int
	Field, Message string
}

func (u *UI) importPage(c *req, t *record.Type) *ImportPage {
	tv := typeView(c, t)
	p := &ImportPage{Base: u.base(c, c.T("ui.import.title", lowerFirst(tv.Plural)), "/"+t.Name), Type: tv, DryRun: true}
	if t.HasOrg() {
		cur := c.R.PostFormValue("organization_id")
		p.Orgs = append(p.Orgs, Option{Value: "", Label: c.T("ui.import.org_from_file"), Selected: cur == ""})
		for _, o := range c.Actor.HomeOrgs(t) {
			id := strconv.FormatInt(o.ID, 10)
			p.Orgs = append(p.Orgs, Option{Value: id, Label: indent(c.Actor.Tree.Depth(o.ID)) + builtinName(c, "organizations", o.Name), Selected: id == cur})
		}
		p.Columns = append(p.Columns, ImportColumn{Name: "organization", Label: c.T("field.organization_id"), Kind: c.T("ui.import.kind_org")})
	}
	for _, f := range t.Fields {
		if f.Hidden || f.ReadOnly {
			continue
		}
		kind := c.T("kind." + string(f.Kind))
		if f.Kind == record.Enum {
			kind = c.T("ui.import.kind_enum", strings.Join(f.Options, ", "))
		}
		p.Columns = append(p.Columns, ImportColumn{Name: f.Name, Label: c.T(f.LabelKey()), Kind: kind,
			Required: f.Required && f.Default == nil && !(t.NamingPlan && f.Name == t.NameField)})
	}
	return p
}

func indent(depth int) string {
	s := ""
	for range depth {
		s += "\u00a0\u00a0"
	}
	return s
}

func (u *UI) importForm(c *req, t *record.Type) error {
	if !canCreate(c.Actor, t) {
		return record.ErrForbidden()
	}
	return u.renderPage(c, http.StatusOK, "import", u.importPage(c, t))
}

// importCSV checks (dry run) or imports an uploaded file and reports every problem
// with its line number.
func (u *UI) importCSV(c *req, t *record.Type) error {
	if !canCreate(c.Actor, t) {
		return record.ErrForbidden()
	}
	if c.R.MultipartForm == nil {
		c.R.Body = http.MaxBytesReader(c.W, c.R.Body, record.MaxImportBytes+1<<20)
		if err := c.R.ParseMultipartForm(32 << 20); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return record.E(record.CodeTooLarge, "err.csv_too_large", record.MaxImportBytes>>20)
			}
			return record.E(record.CodeInvalid, "ui.bad_form")
		}
	}
	p := u.importPage(c, t)
	p.DryRun = c.R.PostFormValue("dry_run") != ""
	opts := record.ImportOptions{DryRun: p.DryRun}
	if o := c.R.PostFormValue("organization_id"); o != "" && t.HasOrg() {
		id, err := strconv.ParseInt(o, 10, 64)
		if err != nil || id <= 0 {
			return record.ErrNotFound()
		}
		opts.OrgID = id
	}
	file, _, err := c.R.FormFile("file")
	if err != nil {
		p.Error = c.T("ui.import.no_file")
		return u.renderPage(c, http.StatusUnprocessableEntity, "import", p)
	}
	defer file.Close()
	c.Actor.Origin = record.OriginImport
	res, err := u.App.Records.ImportCSV(c.R.Context(), c.Actor, t, file, opts)
	if err != nil {
		e, ok := record.AsError(err)
		if !ok {
			return err
		}
		p.Error = c.T(e.Msg.Key, e.Msg.Args...)
		return u.renderPage(c, e.Code.HTTPStatus(), "import", p)
	}
	p.Done = true
	status := http.StatusOK
	for _, e := range res.Errors {
		p.Errors = append(p.Errors, ImportLine{Line: e.Line, Field: u.fieldLabel(c, t, e.Field), Message: c.T(e.Msg.Key, e.Msg.Args...)})
	}
	switch {
	case len(res.Errors) > 0:
		status = http.StatusUnprocessableEntity
		p.Summary = c.T("ui.import.failed", len(res.Errors), res.Rows)
	case res.DryRun:
		p.Summary = c.T("ui.import.would_create", res.Created, lowerFirst(c.T(typeKey(t, res.Created != 1))))
	default:
		p.Summary = c.T("ui.import.created", res.Created, lowerFirst(c.T(typeKey(t, res.Created != 1))))
	}
	return u.renderPage(c, status, "import", p)
}
