// Package directory is LDAP directories: where an organisation's people are
// kept (OpenLDAP, Active Directory), how parc binds to them, the test of a
// directory, the synchronisation of its users and groups into parc, and the
// sign-in of a user a directory keeps by a bind as that user (docs/directory.md).
// The bind password is sealed with internal/secret and never given back.
package directory

import (
	"errors"
	"net/url"
	"strings"

	"parc/internal/record"
)

// PasswordField is the input that sets a directory's bind password (write-only;
// an empty string keeps the one stored, null removes it). It is stored sealed in
// bind_password_cipher, a hidden field.
const PasswordField = "bind_password"

// passwordContext binds sealed passwords to their column.
const passwordContext = "directories.bind_password_cipher"

// Types are the directory record types.
func Types() []*record.Type {
	return []*record.Type{
		{Name: "directories", Table: "directories", Singular: "directory", Area: record.AreaAdmin, Scope: record.OrgScoped, NameField: "name",
			Extras: []string{PasswordField},
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Unique: true, Search: true, Sort: true, List: true, Max: 255},
				{Name: "url", Label: "field.directory_url", Kind: record.Text, Required: true, Max: 512, List: true},
				{Name: "start_tls", Label: "field.directory_start_tls", Kind: record.Bool, Default: false},
				{Name: "ca_pem", Label: "field.directory_ca_pem", Kind: record.LongText},
				{Name: "bind_dn", Label: "field.directory_bind_dn", Kind: record.Text, Max: 512},
				{Name: "bind_password_cipher", Kind: record.Text, Hidden: true, Label: "field.directory_bind_password"},
				{Name: "base_dn", Label: "field.directory_base_dn", Kind: record.Text, Required: true, Max: 512, List: true},
				{Name: "user_filter", Label: "field.directory_user_filter", Kind: record.Text, Required: true, Max: 1024, Default: "(objectClass=inetOrgPerson)"},
				{Name: "group_filter", Label: "field.directory_group_filter", Kind: record.Text, Max: 1024, Default: "(objectClass=groupOfNames)"},
				{Name: "attr_login", Label: "field.directory_attr_login", Kind: record.Text, Required: true, Max: 64, Default: "uid"},
				{Name: "attr_firstname", Label: "field.directory_attr_firstname", Kind: record.Text, Max: 64, Default: "givenName"},
				{Name: "attr_lastname", Label: "field.directory_attr_lastname", Kind: record.Text, Max: 64, Default: "sn"},
				{Name: "attr_email", Label: "field.directory_attr_email", Kind: record.Text, Max: 64, Default: "mail"},
				{Name: "attr_phone", Label: "field.directory_attr_phone", Kind: record.Text, Max: 64, Default: "telephoneNumber"},
				{Name: "attr_title", Label: "field.directory_attr_title", Kind: record.Text, Max: 64, Default: "title"},
				{Name: "attr_member", Label: "field.directory_attr_member", Kind: record.Text, Max: 64, Default: "member"},
				{Name: "enabled", Label: "field.directory_enabled", Kind: record.Bool, Default: true, List: true},
				{Name: "last_sync_at", Label: "field.directory_last_sync_at", Kind: record.DateTime, ReadOnly: true, NoHistory: true, Sort: true, List: true},
				{Name: "last_sync_status", Label: "field.directory_last_sync_status", Kind: record.Text, ReadOnly: true, NoHistory: true, List: true},
				{Name: "last_sync_report", Label: "field.directory_last_sync_report", Kind: record.LongText, ReadOnly: true, NoHistory: true, Hidden: true},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: beforeWrite}},
	}
}

// beforeWrite checks the URL and filters and seals a bind password given.
func beforeWrite(w *record.Write) error {
	if u := strings.TrimSpace(w.New.String("url")); u != "" {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "ldap" && p.Scheme != "ldaps") || p.Host == "" {
			w.Errors.Add("url", "err.directory_url")
		} else if p.Scheme == "ldaps" && w.New.Bool("start_tls") {
			w.Errors.Add("start_tls", "err.directory_start_tls_ldaps")
		}
	}
	for _, f := range []string{"user_filter", "group_filter"} {
		if v := strings.TrimSpace(w.New.String(f)); v != "" && !balanced(v) {
			w.Errors.Add(f, "err.directory_filter")
		}
	}
	if pem := strings.TrimSpace(w.New.String("ca_pem")); pem != "" && !strings.Contains(pem, "-----BEGIN CERTIFICATE-----") {
		w.Errors.Add("ca_pem", "err.directory_ca_pem")
	}
	if raw, ok := w.Extra[PasswordField]; ok {
		switch v := raw.(type) {
		case nil:
			w.New.Values["bind_password_cipher"] = nil
		case string:
			if v == "" {
				break // a form left empty keeps the stored password
			}
			if len(v) > 1024 {
				w.Errors.Add(PasswordField, "err.too_long", 1024)
				break
			}
			if w.Service == nil || w.Service.Sealer == nil {
				return errors.New("directories: no secret key configured")
			}
			sealed, err := w.Service.Sealer.Seal(v, passwordContext)
			if err != nil {
				return err
			}
			w.New.Values["bind_password_cipher"] = sealed
		default:
			w.Errors.Add(PasswordField, "err.not_text")
		}
	}
	return nil
}

// balanced: an LDAP filter in parentheses whose parentheses pair up.
func balanced(f string) bool {
	if !strings.HasPrefix(f, "(") || !strings.HasSuffix(f, ")") {
		return false
	}
	depth := 0
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}
