package ui

import (
	"net/http"
	"strconv"

	"parc/internal/httpctx"
	"parc/internal/record"
)

// NamingPage sets the naming plan of each asset type for one organisation; its
// sub-organisations inherit it unless they have their own.
type NamingPage struct {
	Base
	Org   int64    // the organisation whose plans are shown
	Orgs  []Option // the organisations whose plans the actor may change
	Plans []NamingPlan
}

// NamingPlan is the form of one type's plan in the organisation.
type NamingPlan struct {
	Type     TypeView
	Template string // the organisation's own plan
	Own      bool
	// Inherited is the plan in force when the organisation has none of its own, and
	// From the organisation it comes from ("" when no plan applies).
	Inherited, From string
	Error           string
}

// namingTypes are the types whose naming plan the actor may set in organisation
// org (0: in any): those with a plan on which they hold the purge right over the
// organisation's whole sub-tree, which only its administrators have.
func (u *UI) namingTypes(c *req, org int64) []*record.Type {
	var out []*record.Type
	for _, t := range u.App.Reg.Types() {
		if !t.NamingPlan {
			continue
		}
		orgs := c.Actor.SubtreeOrgs(t, record.Purge)
		if org == 0 && len(orgs) > 0 || orgs[org] {
			out = append(out, t)
		}
	}
	return out
}

// namingOrgs lists the organisations where the actor may set some naming plan, in
// tree order.
func (u *UI) namingOrgs(c *req) []*record.Org {
	any := map[int64]bool{}
	for _, t := range u.namingTypes(c, 0) {
		for id := range c.Actor.SubtreeOrgs(t, record.Purge) {
			any[id] = true
		}
	}
	var out []*record.Org
	for _, o := range c.Actor.Tree.Orgs() {
		if any[o.ID] {
			out = append(out, o)
		}
	}
	return out
}

func (u *UI) naming(c *req) error {
	org, _ := strconv.ParseInt(c.R.URL.Query().Get("org"), 10, 64)
	return u.renderNaming(c, org, "", "", "", http.StatusOK)
}

func (u *UI) renderNaming(c *req, org int64, typeName, typed, msg string, status int) error {
	orgs := u.namingOrgs(c)
	if len(orgs) == 0 {
		return record.ErrForbidden()
	}
	if org == 0 {
		org = orgs[0].ID
	}
	types := u.namingTypes(c, org)
	if len(types) == 0 {
		return record.ErrForbidden()
	}
	p := &NamingPage{Base: u.base(c, c.T("ui.naming.title"), "/settings/naming"), Org: org}
	for _, o := range orgs {
		p.Orgs = append(p.Orgs, Option{Value: strconv.FormatInt(o.ID, 10), Label: indent(c.Actor.Tree.Depth(o.ID)) + o.Name, Selected: o.ID == org})
	}
	ctx := c.R.Context()
	for _, t := range types {
		v, err := u.App.Records.ReadOrgSetting(ctx, record.NamingKey(t), org)
		if err != nil {
			return err
		}
		np := NamingPlan{Type: typeView(c, t), Own: v.Set && v.From == org}
		if np.Own {
			np.Template = v.Value
			// What removing it would bring back: the parent's plan in force.
			if o := c.Actor.Tree.Get(org); o != nil && o.ParentID != 0 {
				if v, err = u.App.Records.ReadOrgSetting(ctx, record.NamingKey(t), o.ParentID); err != nil {
					return err
				}
			} else {
				v = record.OrgValue{}
			}
		}
		if v.Set && v.Value != "" {
			np.Inherited, np.From = v.Value, orgName(c.Actor, v.From)
		}
		if t.Name == typeName {
			np.Template, np.Error = typed, msg
		}
		p.Plans = append(p.Plans, np)
	}
	return u.renderPage(c, status, "naming", p)
}

// saveNaming sets (or, with remove, removes) an organisation's own plan for a type.
func (u *UI) saveNaming(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	t, ok := u.App.Reg.Type(c.R.PostFormValue("type"))
	if !ok || !t.NamingPlan {
		return record.ErrNotFound()
	}
	org := c.Actor.Tree.Root
	if s := c.R.PostFormValue("org"); s != "" {
		org, _ = strconv.ParseInt(s, 10, 64)
	}
	if c.Actor.Tree.Get(org) == nil {
		return record.ErrNotFound()
	}
	if !c.Actor.CanInSubtree(t, record.Purge, org) {
		return record.ErrForbidden()
	}
	ctx := c.R.Context()
	key := record.OrgSettingKey(record.NamingKey(t), org, c.Actor.Tree.Root)
	target := "/settings/naming?org=" + strconv.FormatInt(org, 10) + "&done=naming#naming-" + t.Name
	if c.R.PostFormValue("remove") != "" {
		if err := u.App.Records.DeleteSetting(ctx, key); err != nil {
			return err
		}
		u.App.Auth.Audit(ctx, "naming_plan_removed", c.Actor.UserID, c.Actor.Login, httpctx.ClientIP(c.R), "organization_id="+strconv.FormatInt(org, 10)+" type="+t.Name)
		return redirect(c, target)
	}
	plan := c.R.PostFormValue("template")
	if err := record.ValidateNamingPlan(plan); err != nil {
		return u.renderNaming(c, org, t.Name, plan, c.T("err.bad_naming_plan", err.Error()), http.StatusUnprocessableEntity)
	}
	if err := u.App.Records.SetSetting(ctx, key, plan); err != nil {
		return err
	}
	u.App.Auth.Audit(ctx, "naming_plan", c.Actor.UserID, c.Actor.Login, httpctx.ClientIP(c.R), "organization_id="+strconv.FormatInt(org, 10)+" type="+t.Name+" template="+strconv.Quote(plan))
	return redirect(c, target)
}

// namingHint is the plan that will name a new record of t left without a name: that
// of the organisation chosen in the form, or else of the first one the actor may
// file it in that has a plan.
func (u *UI) namingHint(c *req, t *record.Type, st formState) (string, error) {
	var orgs []int64
	for _, s := range []string{st.typed["organization_id"], c.R.URL.Query().Get("organization_id")} {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && s != "" {
			orgs = append(orgs, id)
			break
		}
	}
	if len(orgs) == 0 {
		for _, o := range c.Actor.HomeOrgs(t) {
			orgs = append(orgs, o.ID)
		}
	}
	for _, org := range orgs {
		v, err := u.App.Records.ReadOrgSetting(c.R.Context(), record.NamingKey(t), org)
		if err != nil || v.Value != "" {
			return v.Value, err
		}
	}
	return "", nil
}
