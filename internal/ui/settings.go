package ui

import (
	"net/http"

	"parc/internal/record"
)

// NamingPage sets the naming plan of each asset type.
type NamingPage struct {
	Base
	Plans []NamingPlan
}

// NamingPlan is the form of one type's plan.
type NamingPlan struct {
	Type     TypeView
	Template string
	Error    string
}

// namingTypes are the types whose naming plan the actor may set: those with a plan
// on which they hold the purge right, which only administrators have.
func (u *UI) namingTypes(c *req) []*record.Type {
	var out []*record.Type
	for _, t := range u.App.Reg.Types() {
		if t.NamingPlan && c.Actor.CanEverywhere(t, record.Purge) {
			out = append(out, t)
		}
	}
	return out
}

func (u *UI) naming(c *req) error { return u.renderNaming(c, "", "", "", http.StatusOK) }

func (u *UI) renderNaming(c *req, typeName, typed, msg string, status int) error {
	types := u.namingTypes(c)
	if len(types) == 0 {
		return record.ErrForbidden()
	}
	p := &NamingPage{Base: u.base(c, c.T("ui.naming.title"), "/settings/naming")}
	for _, t := range types {
		v, err := u.App.Records.ReadSetting(c.R.Context(), record.NamingKey(t))
		if err != nil {
			return err
		}
		np := NamingPlan{Type: typeView(c, t), Template: v}
		if t.Name == typeName {
			np.Template, np.Error = typed, msg
		}
		p.Plans = append(p.Plans, np)
	}
	return u.renderPage(c, status, "naming", p)
}

func (u *UI) saveNaming(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	t, ok := u.App.Reg.Type(c.R.PostFormValue("type"))
	if !ok || !t.NamingPlan {
		return record.ErrNotFound()
	}
	if !c.Actor.CanEverywhere(t, record.Purge) {
		return record.ErrForbidden()
	}
	plan := c.R.PostFormValue("template")
	if err := record.ValidateNamingPlan(plan); err != nil {
		return u.renderNaming(c, t.Name, plan, c.T("err.bad_naming_plan", err.Error()), http.StatusUnprocessableEntity)
	}
	if err := u.App.Records.SetSetting(c.R.Context(), record.NamingKey(t), plan); err != nil {
		return err
	}
	return redirect(c, "/settings/naming?done=naming#naming-"+t.Name)
}
