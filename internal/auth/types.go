// Package auth holds organisations, users, groups, profiles and their grants, and
// the ways people prove who they are: passwords, sessions and API tokens.
package auth

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"parc/internal/record"
	"parc/internal/store"
)

var loginPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$`)

// Bounds of a group's support level.
var supportLevelMin, supportLevelMax = 1.0, 3.0

// Types returns the record types of this package; reg is consulted lazily by hooks
// that must look at other types (the registry is built from all packages' types).
func Types(reg func() *record.Registry) []*record.Type {
	return []*record.Type{
		{Name: "organizations", Table: "organizations", Singular: "organization", Area: record.AreaAdmin, Scope: record.SelfScoped,
			NameField: "name", DefaultSort: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "parent_id", Kind: record.Ref, Ref: "organizations", Sort: true, List: true},
				{Name: "code", Kind: record.Text, Max: 32, Search: true, List: true},
				{Name: "path", Kind: record.Text, ReadOnly: true, Default: ""},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: orgBeforeWrite, AfterWrite: orgAfterWrite, BeforeDelete: orgBeforeDelete(reg)}},
		{Name: "users", Table: "users", Singular: "user", Area: record.AreaAdmin, Scope: record.OrgScoped,
			NameField: "login", DefaultSort: "login", Extras: []string{"password"},
			LabelSQL: "COALESCE(NULLIF(TRIM(COALESCE(firstname, '') || ' ' || COALESCE(lastname, '')), ''), login)",
			Fields: []*record.Field{
				{Name: "login", Kind: record.Text, Required: true, Max: 100, Search: true, Sort: true, List: true},
				{Name: "firstname", Kind: record.Text, Search: true, Sort: true, List: true},
				{Name: "lastname", Kind: record.Text, Search: true, Sort: true, List: true},
				{Name: "email", Kind: record.Email, Search: true, Sort: true, List: true},
				{Name: "phone", Kind: record.Text, Max: 32},
				{Name: "language", Kind: record.Enum, Options: []string{"fr", "en"}},
				// export_format: how CSV and XLSX exports are written for the user; empty follows the language.
				{Name: "export_format", Kind: record.Enum, Options: []string{record.ExportFormatFR, record.ExportFormatEN}},
				// notify_by_mail off: no helpdesk notification is mailed to the user.
				{Name: "notify_by_mail", Kind: record.Bool, Default: true},
				{Name: "active", Kind: record.Bool, Default: true, List: true},
				{Name: "last_login_at", Kind: record.DateTime, ReadOnly: true, Sort: true},
				{Name: "password_hash", Kind: record.Text, Hidden: true, Max: 512},
				{Name: "title", Label: "field.user_title", Kind: record.Text, Max: 255},
				// A user a directory keeps (internal/directory): its directory and DN there,
				// written by the synchronisation only; such a user signs in by the directory.
				{Name: "directory_id", Label: "field.user_directory", Kind: record.Ref, Ref: "directories", ReadOnly: true},
				{Name: "external_id", Label: "field.user_external_id", Kind: record.Text, ReadOnly: true, Max: 1024},
				{Name: "directory_seen_at", Label: "field.user_directory_seen_at", Kind: record.DateTime, ReadOnly: true, NoHistory: true},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: userBeforeWrite}},
		{Name: "groups", Table: "groups", Singular: "group", Area: record.AreaAdmin, Scope: record.OrgScoped, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Unique: true, Search: true, Sort: true, List: true},
				// support_level (1-3) orders the helpdesk groups tickets are escalated through.
				{Name: "support_level", Kind: record.Int, Min: &supportLevelMin, MaxNum: &supportLevelMax, Sort: true, List: true},
				{Name: "comment", Kind: record.LongText, List: true},
			}},
		{Name: "group-members", Table: "group_members", Singular: "group_member", Area: record.AreaAdmin, Scope: record.OrgScoped,
			NameField: "group_id", DefaultSort: "group_id", NoTrash: true,
			LabelSQL: "(SELECT name FROM groups WHERE groups.id = group_members.group_id)",
			Fields: []*record.Field{
				{Name: "group_id", Kind: record.Ref, Ref: "groups", Required: true, Sort: true, List: true},
				{Name: "user_id", Kind: record.Ref, Ref: "users", Required: true, Sort: true, List: true},
				{Name: "is_manager", Kind: record.Bool, Default: false, List: true},
			}},
		{Name: "profiles", Table: "profiles", Singular: "profile", Area: record.AreaAdmin, Scope: record.Global, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Unique: true, Search: true, Sort: true, List: true},
				{Name: "rights", Kind: record.LongText, Required: true, Default: "{}"},
				// two_factor_required: holders must sign in with a second factor (enrolled at their next sign-in).
				{Name: "two_factor_required", Kind: record.Bool, Default: false, List: true},
				{Name: "comment", Kind: record.LongText, List: true},
			},
			Hooks: record.Hooks{BeforeWrite: profileBeforeWrite(reg)}},
		// Authorizations go to the trash like other records: a grant deleted by mistake
		// is restored with its history, and a trashed one grants nothing.
		{Name: "authorizations", Table: "authorizations", Singular: "authorization", Area: record.AreaAdmin, Scope: record.OrgScoped,
			NameField: "user_id", DefaultSort: "user_id", OrgChosen: true,
			LabelSQL: "(SELECT login FROM users WHERE users.id = authorizations.user_id)",
			Fields: []*record.Field{
				{Name: "user_id", Kind: record.Ref, Ref: "users", Required: true, Sort: true, List: true},
				{Name: "profile_id", Kind: record.Ref, Ref: "profiles", Required: true, Sort: true, List: true},
				{Name: "recursive", Kind: record.Bool, Default: true, List: true},
			},
			Hooks: record.Hooks{BeforeWrite: authorizationBeforeWrite(reg), BeforeRestore: authorizationBeforeWrite(reg)}},
	}
}

func orgBeforeWrite(w *record.Write) error {
	parent, _ := w.New.Values["parent_id"].(int64)
	oldParent := int64(-1)
	if w.Old != nil {
		oldParent = w.Old.Int("parent_id")
	}
	if parent == oldParent {
		return nil
	}
	if parent == 0 {
		// Only the system makes a root organisation; everybody else files under a parent.
		if !w.Actor.System {
			w.Errors.Add("parent_id", "err.required")
		}
		return nil
	}
	orgs := w.Service.Reg.MustType("organizations")
	if !w.Actor.CanIn(orgs, record.Create, parent) {
		w.Errors.Add("parent_id", "err.org_not_allowed")
		return nil
	}
	if w.Old != nil {
		var ppath string
		if err := w.Tx.QueryRowContext(w.Ctx, "SELECT path FROM organizations WHERE id = ?", parent).Scan(&ppath); err != nil {
			return err
		}
		if strings.HasPrefix(ppath, w.Old.String("path")) {
			w.Errors.Add("parent_id", "err.org_cycle")
		}
	}
	return nil
}

// orgAfterWrite keeps the materialised path of the organisation and its sub-tree.
func orgAfterWrite(w *record.Write) error {
	parent, _ := w.New.Values["parent_id"].(int64)
	ppath := "/"
	if parent != 0 {
		if err := w.Tx.QueryRowContext(w.Ctx, "SELECT path FROM organizations WHERE id = ?", parent).Scan(&ppath); err != nil {
			return err
		}
	}
	path := fmt.Sprintf("%s%d/", ppath, w.New.ID)
	old := ""
	if w.Old != nil {
		old = w.Old.String("path")
	}
	if path == old {
		return nil
	}
	w.New.Values["path"] = path
	if old == "" {
		_, err := w.Tx.ExecContext(w.Ctx, "UPDATE organizations SET path = ? WHERE id = ?", path, w.New.ID)
		return err
	}
	_, err := w.Tx.ExecContext(w.Ctx, "UPDATE organizations SET path = ? || substr(path, ?) WHERE path LIKE ?",
		path, len(old)+1, old+"%")
	return err
}

func orgBeforeDelete(reg func() *record.Registry) func(ctx context.Context, tx *store.Tx, db *store.DB, r *record.Record, purge bool) error {
	return func(ctx context.Context, tx *store.Tx, db *store.DB, r *record.Record, purge bool) error {
		if r.Int("parent_id") == 0 {
			return record.E(record.CodeConflict, "err.org_root")
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM organizations WHERE parent_id = ? AND deleted_at IS NULL", r.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return record.E(record.CodeConflict, "err.org_not_empty")
		}
		for _, t := range reg().Types() {
			if !t.HasOrg() { // (its own catalogue records too)
				continue
			}
			q := "SELECT COUNT(*) FROM " + t.Table + " WHERE organization_id = ?"
			if !t.NoTrash && !purge {
				q += " AND deleted_at IS NULL"
			}
			if err := tx.QueryRowContext(ctx, q, r.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return record.E(record.CodeConflict, "err.org_not_empty")
			}
		}
		return nil
	}
}

func userBeforeWrite(w *record.Write) error {
	login := w.New.String("login")
	if login != "" && (w.Old == nil || w.Old.String("login") != login) {
		if !loginPattern.MatchString(login) {
			w.Errors.Add("login", "err.bad_login")
		} else {
			var n int
			if err := w.Tx.QueryRowContext(w.Ctx, "SELECT COUNT(*) FROM users WHERE lower(login) = lower(?) AND id <> ?", login, w.New.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				w.Errors.Add("login", "err.duplicate")
			}
		}
	}
	if raw, ok := w.Extra["password"]; ok && raw != nil {
		pw, isStr := raw.(string)
		if !isStr {
			w.Errors.Add("password", "err.not_text")
			return nil
		}
		if pw == "" {
			return nil
		}
		if key := CheckPasswordRules(pw, login); key != "" {
			w.Errors.Add("password", key, MinPasswordLength)
			return nil
		}
		h, err := HashPassword(pw)
		if err != nil {
			return err
		}
		w.New.Values["password_hash"] = h
	}
	return nil
}

func profileBeforeWrite(reg func() *record.Registry) func(w *record.Write) error {
	return func(w *record.Write) error {
		if _, err := record.ParseRights(w.New.String("rights"), reg()); err != nil {
			w.Errors.Add("rights", "err.bad_rights", err.Error())
		}
		return nil
	}
}

// authorizationBeforeWrite stops anyone from granting rights they do not hold
// themselves, by a new authorization, a change, or a restore from the trash.
func authorizationBeforeWrite(reg func() *record.Registry) func(w *record.Write) error {
	return func(w *record.Write) error {
		pid, _ := w.New.Values["profile_id"].(int64)
		if pid == 0 || w.New.OrgID == 0 {
			return nil
		}
		var rights string
		err := w.Tx.QueryRowContext(w.Ctx, "SELECT rights FROM profiles WHERE id = ? AND deleted_at IS NULL", pid).Scan(&rights)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		r, err := record.ParseRights(rights, nil)
		if err != nil {
			return err
		}
		if !w.Actor.CanRights(r, w.New.OrgID, reg()) {
			w.Errors.Add("profile_id", "err.escalation")
		}
		return nil
	}
}
