package ui

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"parc/internal/directory"
	"parc/internal/record"
)

// Directory pages: a directory's page shows its connection, its attribute
// mapping and its last synchronisation, with buttons that test it and
// synchronise it; a user a directory keeps says so on its page.

func init() {
	pageParts["item"] = append(pageParts["item"], "templates/directory_parts.html")
	doneKeys["directory_sync"] = "ui.directory.sync_started"
}

// directoryPanelFields are shown in the directory's panel, not in the details.
var directoryPanelFields = map[string]bool{"url": true, "start_tls": true, "ca_pem": true, "bind_dn": true, "base_dn": true,
	"user_filter": true, "group_filter": true, "attr_login": true, "attr_firstname": true, "attr_lastname": true, "attr_email": true,
	"attr_phone": true, "attr_title": true, "attr_member": true, "last_sync_at": true, "last_sync_status": true}

// DirectoryView is a directory's panel.
type DirectoryView struct {
	Connection, Mapping []Detail
	// Status and Counts say what the last synchronisation did; Errors lists
	// the entries it could not take; Problem is its failure in words.
	Status, Counts, Problem string
	Errors                  []string
	Never                   bool
	// Test is what the test button found (after it was pressed).
	TestOK      bool
	TestText    string
	TestSamples string
	TestFailed  string
	// TestHref and SyncHref are set for those who may change the directory.
	TestHref, SyncHref, CSRF string
}

type directoryTestKey struct{}

// registerDirectories adds the test and synchronisation buttons' routes.
func (u *UI) registerDirectories(mux *http.ServeMux) {
	if u.Directory == nil {
		return
	}
	t := u.App.Reg.MustType("directories")
	mux.HandleFunc("POST /directories/{id}/test", u.typed(t, func(c *req, t *record.Type) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		if err := parseForm(c); err != nil {
			return err
		}
		res, err := u.Directory.Test(c.R.Context(), c.Actor, id)
		if err != nil {
			return err
		}
		c.R = c.R.WithContext(context.WithValue(c.R.Context(), directoryTestKey{}, res))
		return u.renderItem(c, t, "details", nil, http.StatusOK)
	}))
	mux.HandleFunc("POST /directories/{id}/sync", u.typed(t, func(c *req, t *record.Type) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		if err := parseForm(c); err != nil {
			return err
		}
		if _, err := u.Directory.Start(c.R.Context(), c.Actor, id); err != nil {
			return err
		}
		return redirect(c, "/directories/"+strconv.FormatInt(id, 10)+"?done=directory_sync")
	}))
}

// directoryPanel fills a directory's panel, or a directory user's origin line.
func (u *UI) directoryPanel(c *req, t *record.Type, rec *record.Record, p *ItemPage) error {
	if u.Directory == nil {
		return nil
	}
	switch t.Name {
	case "users":
		dir, ok := rec.Values["directory_id"].(int64)
		if !ok {
			return nil
		}
		name := u.cell(c, rec, t.Field("directory_id")).Text
		if name == "" {
			name = "#" + strconv.FormatInt(dir, 10)
		}
		if seen, ok := rec.Values["directory_seen_at"]; ok && seen != nil {
			p.DirectoryFrom = c.T("ui.directory.from", name, u.cell(c, rec, t.Field("directory_seen_at")).Text)
		} else {
			p.DirectoryFrom = c.T("ui.directory.from_never", name)
		}
		return nil
	case "directories":
	default:
		return nil
	}
	v := &DirectoryView{CSRF: p.CSRF}
	detail := func(name string) Detail {
		f := t.Field(name)
		d := Detail{Label: shownLabel(c, f)}
		d.Text = u.cell(c, rec, f).Text
		if f.Kind == record.LongText {
			d.Text = u.display(c, f, rec.Values[name])
		}
		return d
	}
	for _, f := range []string{"url", "start_tls", "base_dn", "user_filter", "group_filter"} {
		v.Connection = append(v.Connection, detail(f))
	}
	bind := detail("bind_dn")
	if strings.TrimSpace(bind.Text) == "" {
		bind.Text = c.T("ui.directory.no_bind")
	}
	v.Connection = append(v.Connection, bind)
	hasPW, err := u.Directory.HasPassword(c.R.Context(), rec.ID)
	if err != nil {
		return err
	}
	pw := Detail{Label: c.T("field.directory_bind_password"), Text: c.T("ui.directory.password_none")}
	if hasPW {
		pw.Text = c.T("ui.directory.password_set")
	}
	v.Connection = append(v.Connection, pw)
	if strings.TrimSpace(rec.String("ca_pem")) != "" {
		v.Connection = append(v.Connection, Detail{Label: c.T("field.directory_ca_pem"), Text: firstLine(rec.String("ca_pem"))})
	}
	for _, f := range []string{"attr_login", "attr_firstname", "attr_lastname", "attr_email", "attr_phone", "attr_title", "attr_member"} {
		v.Mapping = append(v.Mapping, detail(f))
	}
	rep, err := u.Directory.LastReport(c.R.Context(), c.Actor, rec.ID)
	if err != nil {
		return err
	}
	if rep == nil {
		v.Never = true
	} else {
		when := rep.StartedAt
		if !rep.FinishedAt.IsZero() {
			when = rep.FinishedAt
		}
		v.Status = c.T("ui.directory.status."+rep.Status, fmtDateTime(c.Lang, when, u.Loc))
		if rep.Status != directory.StatusRunning {
			v.Counts = c.T("ui.directory.counts", rep.Found, rep.Created, rep.Updated, rep.Unchanged, rep.Disabled, rep.GroupsCreated, rep.MembersAdded, rep.MembersRemoved)
		}
		if rep.Problem != nil {
			v.Problem = c.T(rep.Problem.Key) + ": " + rep.Problem.Detail
		}
		v.Errors = rep.Errors
	}
	if res, ok := c.R.Context().Value(directoryTestKey{}).(*directory.TestResult); ok {
		if res.Problem != nil {
			v.TestFailed = c.T("ui.directory.test_failed", c.T(res.Problem.Key)+": "+res.Problem.Detail)
		} else {
			v.TestOK = true
			v.TestText = c.T("ui.directory.test_ok", res.Users, res.Groups)
			if len(res.Samples) > 0 {
				v.TestSamples = c.T("ui.directory.test_samples", strings.Join(res.Samples, ", "))
			}
		}
	}
	if rec.DeletedAt == nil && c.Actor.CanRecord(rec, record.Update) {
		href := "/directories/" + strconv.FormatInt(rec.ID, 10)
		v.TestHref, v.SyncHref = href+"/test", href+"/sync"
	}
	p.Directory = v
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
