package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"parc/internal/httpctx"
	"parc/internal/record"
)

// Naming plans and the priority matrix are set per organisation and inherited by
// its sub-organisations (record.OrgSetting). Their routes take ?organization_id=N;
// without it they are about the root organisation, whose value is the instance-wide
// one, as before organisations had their own.

// settingOrg reads the organisation a setting request is about and checks the
// actor's right there: reading needs the right to read t in it; changing needs the
// right to purge t in it and in every organisation under it, since its value
// applies to all of them.
func (a *API) settingOrg(r *http.Request, actor *record.Actor, t *record.Type, write bool) (int64, error) {
	org := actor.Tree.Root
	if s := r.URL.Query().Get("organization_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || actor.Tree.Get(id) == nil {
			return 0, record.ErrNotFound()
		}
		org = id
	}
	if write {
		if !actor.CanInSubtree(t, record.Purge, org) {
			return 0, record.ErrForbidden()
		}
		return org, nil
	}
	if r.URL.Query().Get("organization_id") == "" {
		if !actor.Can(t, record.Read) {
			return 0, record.ErrForbidden()
		}
	} else if !actor.CanIn(t, record.Read, org) && !actor.Scope(t, record.Read).HasOwn(org) {
		return 0, record.ErrForbidden()
	}
	return org, nil
}

// orgRef names an organisation in an answer.
type orgRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// settingSource says where the value in force for an organisation comes from.
type settingSource struct {
	OrganizationID int64 `json:"organization_id"`
	// Own: the organisation has its own value; otherwise it inherits InheritedFrom's,
	// or the default when no organisation up the tree has one.
	Own           bool    `json:"own"`
	InheritedFrom *orgRef `json:"inherited_from,omitempty"`
	Default       bool    `json:"default,omitempty"`
}

func source(actor *record.Actor, org int64, v record.OrgValue) settingSource {
	s := settingSource{OrganizationID: org, Own: v.Set && v.From == org, Default: !v.Set}
	if v.Set && v.From != org {
		ref := &orgRef{ID: v.From}
		if o := actor.Tree.Get(v.From); o != nil {
			ref.Name = o.Name
		}
		s.InheritedFrom = ref
	}
	return s
}

// auditSetting records who changed an organisation's setting.
func (a *API) auditSetting(r *http.Request, actor *record.Actor, event string, org int64, detail string) {
	a.App.Auth.Audit(r.Context(), event, actor.UserID, actor.Login, httpctx.ClientIP(r), fmt.Sprintf("organization_id=%d %s", org, detail))
}

// answerNaming writes a type's naming plan in force for an organisation.
func (a *API) answerNaming(w http.ResponseWriter, r *http.Request, actor *record.Actor, t *record.Type, org int64) error {
	v, err := a.App.Records.ReadOrgSetting(r.Context(), record.NamingKey(t), org)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Template string `json:"template"`
		settingSource
	}{v.Value, source(actor, org, v)})
	return nil
}

// deleteNaming removes an organisation's own naming plan: it inherits again.
func (a *API) deleteNaming(w http.ResponseWriter, r *http.Request, actor *record.Actor) error {
	t, ok := a.App.Reg.Type(strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v1/"), "/")[0])
	if !ok || !t.NamingPlan {
		return record.ErrNotFound()
	}
	org, err := a.settingOrg(r, actor, t, true)
	if err != nil {
		return err
	}
	if err := a.App.Records.DeleteSetting(r.Context(), record.OrgSettingKey(record.NamingKey(t), org, actor.Tree.Root)); err != nil {
		return err
	}
	a.auditSetting(r, actor, "naming_plan_removed", org, "type="+t.Name)
	return a.answerNaming(w, r, actor, t, org)
}
