package ui

import (
	"net/http"
	"strconv"

	"parc/internal/httpctx"
	"parc/internal/ingest"
	"parc/internal/record"
)

// InventorySettingsPage sets where new machines no assignment rule places go and
// the state machines created by an inventory start in.
type InventorySettingsPage struct {
	Base
	Fields []FormField // the default organisation, then the default state
}

// inventorySettings is for those who may change the settings, as the menu: others
// read them through the API.
func (u *UI) inventorySettings(c *req) error {
	if !u.Inventory.MayManage(c.Actor) {
		return record.ErrForbidden()
	}
	st, err := u.Inventory.Settings(c.R.Context(), c.Actor)
	if err != nil {
		return err
	}
	return u.renderInventorySettings(c, st, nil, http.StatusOK)
}

func (u *UI) renderInventorySettings(c *req, st ingest.Settings, errs map[string]string, status int) error {
	p := &InventorySettingsPage{Base: u.base(c, c.T("ui.invset.title"), "/settings/inventory")}
	org := FormField{Name: "default_organization_id", ID: "f-default-org", Label: c.T("ui.invset.default_org"), Control: "select",
		Hint: c.T("ui.invset.default_org_hint"), Error: errs["default_organization_id"]}
	state := FormField{Name: "default_state_id", ID: "f-default-state", Label: c.T("ui.invset.default_state"), Control: "select",
		Hint: c.T("ui.invset.default_state_hint"), Error: errs["default_state_id"]}
	cur := strconv.FormatInt(st.DefaultOrgID, 10)
	org.Options = append(org.Options, Option{Value: "0", Label: c.T("ui.invset.root"), Selected: st.DefaultOrgID == 0})
	for _, o := range c.Actor.Tree.Orgs() {
		id := strconv.FormatInt(o.ID, 10)
		if o.ID == c.Actor.Tree.Root {
			continue // "the root" above says it
		}
		org.Options = append(org.Options, Option{Value: id, Label: indent(c.Actor.Tree.Depth(o.ID)) + o.Name, Selected: id == cur})
	}
	states, err := u.App.Records.List(c.R.Context(), c.Actor, u.App.Reg.MustType("states"), record.ListQuery{Sort: "name", Limit: record.MaxLimit})
	if err != nil {
		return err
	}
	state.Options = append(state.Options, Option{Value: "0", Label: c.T("ui.invset.no_state"), Selected: st.DefaultStateID == 0})
	for _, r := range states.Records {
		state.Options = append(state.Options, Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Label(), Selected: r.ID == st.DefaultStateID})
	}
	p.Fields = []FormField{org, state}
	return u.renderPage(c, status, "inventory_settings", p)
}

func (u *UI) saveInventorySettings(c *req) error {
	if err := parseForm(c); err != nil {
		return err
	}
	if !u.Inventory.MayManage(c.Actor) {
		return record.ErrForbidden()
	}
	in, err := ingest.SettingsInput(map[string]any{
		"default_organization_id": c.R.PostFormValue("default_organization_id"),
		"default_state_id":        c.R.PostFormValue("default_state_id"),
	})
	if err == nil {
		_, err = u.Inventory.SetSettings(c.R.Context(), c.Actor, in, httpctx.ClientIP(c.R))
	}
	var errs map[string]string
	if e, ok := record.AsError(err); ok && len(e.Fields) > 0 {
		errs = c.errText(nil, e).ByField()
	} else if err != nil {
		return err
	}
	if len(errs) > 0 {
		return u.renderInventorySettings(c, in, errs, http.StatusUnprocessableEntity)
	}
	return redirect(c, "/settings/inventory?done=inventory_settings")
}
