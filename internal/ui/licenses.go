package ui

import (
	"strconv"
	"time"

	"parc/internal/license"
	"parc/internal/record"
)

// LicenseView is a licence page's compliance panel: seats against what the
// inventories counted, assignments, expiry, the key (masked; shown on demand to
// those with the right) and the computers counted.
type LicenseView struct {
	// Status: over, compliant or unlimited; Verdict says it in a sentence.
	Status, Verdict string
	Figures         []LicenseFigure
	Expiry          string
	ExpiryClass     string // warn (within the notice) or error (passed)
	CountedAt       string
	Pending         bool
	// Key: HasKey (masked), CanShow (a "show" link to ShowHref), Key (shown).
	HasKey, CanShow bool
	ShowHref        string
	Key             string
	// Counted is the first page of the computers counted, NextHref the next one.
	Counted  []CountedRow
	PrevHref string
	NextHref string
	// Assigned: the licence's assignments; AssignHref a new one.
	Assigned   []Row
	AssignHref string
	AllHref    string
	Alerts     []string
}

// LicenseFigure is one number of the panel.
type LicenseFigure struct {
	ID, Label, Count string
	Alert, Zero      bool
}

// CountedRow is one computer a licence counts.
type CountedRow struct {
	Name, Href, User, Version, Cores string
}

// ComputerLicenses is a computer page's block of its licences.
type ComputerLicenses struct {
	Rows       []Row
	AssignHref string
}

// licensePanelFields are a licence's fields the compliance panel shows: the
// details below leave them out.
var licensePanelFields = map[string]bool{"seats": true, "installed_count": true, "balance": true, "assigned_count": true, "expiry_date": true}

// unitKeys and alertKeys name what a licence counts and the alerts it was sent.
var (
	unitKeys  = map[string]string{"devices": "ui.license.unit_devices", "users": "ui.license.unit_users", "cores": "ui.license.unit_cores"}
	alertKeys = map[string]string{license.AlertOver: "ui.license.alerted_license_over", license.AlertExpiring: "ui.license.alerted_license_expiring", license.AlertExpired: "ui.license.alerted_license_expired"}
)

// licenseView fills a licence page's panel.
func (u *UI) licenseView(c *req, rec *record.Record, p *ItemPage) error {
	if u.Licenses == nil {
		return nil
	}
	ctx := c.R.Context()
	comp, err := u.Licenses.Compliance(ctx, c.Actor, rec.ID)
	if err != nil {
		return err
	}
	v := &LicenseView{Status: comp.Status, Pending: comp.Pending}
	unit := c.T(unitKeys[comp.Unit])
	switch comp.Status {
	case "over":
		v.Verdict = c.T("ui.license.verdict_over", fmtInt(c.Lang, comp.Over), unit)
	case "compliant":
		v.Verdict = c.T("ui.license.verdict_ok", fmtInt(c.Lang, comp.Unused))
	default:
		v.Verdict = c.T("ui.license.verdict_unlimited")
	}
	seats := c.T("ui.license.unlimited")
	if comp.Seats != nil {
		seats = fmtInt(c.Lang, *comp.Seats)
	}
	v.Figures = []LicenseFigure{
		{ID: "lic-seats", Label: c.T("field.license_seats"), Count: seats},
		{ID: "lic-counted", Label: c.T("ui.license.counted", unit), Count: fmtInt(c.Lang, comp.Counted), Alert: comp.Over > 0},
		{ID: "lic-installs", Label: c.T("ui.license.installations"), Count: fmtInt(c.Lang, comp.Installations), Zero: comp.Installations == 0},
		{ID: "lic-assigned", Label: c.T("field.license_assigned"), Count: fmtInt(c.Lang, comp.Assigned), Zero: comp.Assigned == 0},
	}
	if comp.Over > 0 {
		v.Figures = append(v.Figures, LicenseFigure{ID: "lic-over", Label: c.T("ui.license.over"), Count: fmtInt(c.Lang, comp.Over), Alert: true})
	} else if comp.Seats != nil {
		v.Figures = append(v.Figures, LicenseFigure{ID: "lic-unused", Label: c.T("ui.license.unused"), Count: fmtInt(c.Lang, comp.Unused), Zero: comp.Unused == 0})
	}
	if comp.ExpiryDate != "" {
		now := u.Licenses.Now()
		d, _ := time.Parse("2006-01-02", comp.ExpiryDate)
		days := int64(d.Sub(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)
		switch {
		case comp.Expired:
			v.Expiry, v.ExpiryClass = c.T("ui.license.expired", fmtDate(c.Lang, comp.ExpiryDate)), "error"
		case days <= int64(u.Licenses.ExpiryNotice/(24*time.Hour)):
			v.Expiry, v.ExpiryClass = c.T("ui.license.expires_soon", fmtDate(c.Lang, comp.ExpiryDate), fmtInt(c.Lang, days)), "warn"
		default:
			v.Expiry = c.T("ui.license.expires", fmtDate(c.Lang, comp.ExpiryDate))
		}
	}
	if comp.CountedAt != nil {
		v.CountedAt = c.T("ui.license.counted_at", fmtDateTime(c.Lang, *comp.CountedAt, u.Loc))
	}
	if v.HasKey, err = u.Licenses.HasKey(ctx, rec.ID); err != nil {
		return err
	}
	if v.HasKey && u.Licenses.CanReadKey(c.Actor, rec) && rec.DeletedAt == nil {
		v.CanShow = true
		v.ShowHref = p.Href + "?show_key=1#license-key"
		if c.R.URL.Query().Get("show_key") == "1" {
			if v.Key, err = u.Licenses.Key(ctx, c.Actor, rec.ID); err != nil {
				return err
			}
			c.W.Header().Set("Cache-Control", "no-store")
		}
	}
	after, _ := strconv.ParseInt(c.R.URL.Query().Get("after"), 10, 64)
	pcs, next, err := u.Licenses.Counted(ctx, c.Actor, rec.ID, max(after, 0))
	if err != nil {
		return err
	}
	for _, pc := range pcs {
		row := CountedRow{Name: pc.Name, Href: "/computers/" + strconv.FormatInt(pc.ID, 10), User: pc.LastUser, Version: pc.Version}
		if pc.Cores > 0 {
			row.Cores = fmtInt(c.Lang, pc.Cores)
		}
		v.Counted = append(v.Counted, row)
	}
	if next > 0 {
		v.NextHref = p.Href + "?after=" + strconv.FormatInt(next, 10) + "#counted"
	}
	if after > 0 {
		v.PrevHref = p.Href + "#counted"
	}
	// Assignments.
	at := u.App.Reg.MustType("license-assignments")
	if c.Actor.Can(at, record.Read) {
		page, err := u.App.Records.List(ctx, c.Actor, at, record.ListQuery{Filters: []record.Filter{{Field: "license_id", Op: record.OpEq, Value: strconv.FormatInt(rec.ID, 10)}}, Limit: 20})
		if err != nil {
			return err
		}
		for _, r := range page.Records {
			v.Assigned = append(v.Assigned, u.assignmentRow(c, r, "license"))
		}
		if page.NextCursor != "" {
			v.AllHref = "/license-assignments?filter=license_id:eq:" + strconv.FormatInt(rec.ID, 10)
		}
		if rec.DeletedAt == nil && c.Actor.CanIn(at, record.Create, rec.OrgID) {
			v.AssignHref = "/license-assignments/new?license_id=" + strconv.FormatInt(rec.ID, 10)
		}
	}
	if u.Notify != nil {
		if err := u.Notify.SeenRecord(ctx, c.Actor, "licenses", rec.ID); err != nil {
			return err
		}
	}
	alerted, err := u.Licenses.Alerted(ctx, rec.ID)
	if err != nil {
		return err
	}
	for _, k := range []string{license.AlertOver, license.AlertExpiring, license.AlertExpired} {
		if at, ok := alerted[k]; ok {
			v.Alerts = append(v.Alerts, c.T(alertKeys[k], fmtDateTime(c.Lang, at, u.Loc)))
		}
	}
	p.License = v
	return nil
}

// assignmentRow is one assignment as a licence page (the computer or user) or a
// computer page (the licence) lists it.
func (u *UI) assignmentRow(c *req, r *record.Record, from string) Row {
	row := Row{ID: r.ID, Href: "/license-assignments/" + strconv.FormatInt(r.ID, 10)}
	if from == "license" {
		if id := r.Int("computer_id"); id > 0 {
			row.Cells = append(row.Cells, Cell{Text: r.Display["computer_id"], Href: "/computers/" + strconv.FormatInt(id, 10)}, Cell{Text: c.T("type.computer")})
		} else {
			row.Cells = append(row.Cells, Cell{Text: r.Display["assigned_user_id"], Href: "/users/" + strconv.FormatInt(r.Int("assigned_user_id"), 10)}, Cell{Text: c.T("field.user_id")})
		}
	} else {
		row.Cells = append(row.Cells, Cell{Text: r.Display["license_id"], Href: "/licenses/" + strconv.FormatInt(r.Int("license_id"), 10)})
	}
	row.Cells = append(row.Cells, Cell{Text: r.String("comment")})
	return row
}

// computerLicenses fills a computer page's block of the licences assigned to it.
func (u *UI) computerLicenses(c *req, rec *record.Record, p *ItemPage) error {
	at, ok := u.App.Reg.Type("license-assignments")
	if !ok || u.Licenses == nil || !c.Actor.Can(at, record.Read) {
		return nil
	}
	list, err := u.Licenses.OfComputer(c.R.Context(), c.Actor, rec.ID)
	if err != nil {
		return err
	}
	b := &ComputerLicenses{}
	for _, r := range list {
		b.Rows = append(b.Rows, u.assignmentRow(c, r, "computer"))
	}
	if rec.DeletedAt == nil && c.Actor.CanIn(at, record.Create, rec.OrgID) {
		b.AssignHref = "/license-assignments/new?computer_id=" + strconv.FormatInt(rec.ID, 10)
	}
	if len(b.Rows) == 0 && b.AssignHref == "" {
		return nil
	}
	p.ComputerLicenses = b
	return nil
}
