package demo

import (
	"context"

	"parc/internal/record"
)

// loadDirectories records the directory of Boulangeries Martin's Active
// Directory, disabled: the demo has no server to reach, the page shows what a
// directory looks like (its connection, mapping, test and sync buttons).
func loadDirectories(ctx context.Context, a *Services, orgs map[string]int64) error {
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		return err
	}
	_, err = a.Records.Create(ctx, sys, a.Reg.MustType("directories"), record.Input{
		"name": "Annuaire Boulangeries Martin", "organization_id": orgs["bm"], "url": "ldap://127.0.0.1:389",
		"bind_dn": "cn=parc-lecture,ou=services,dc=boulangeries-martin,dc=fr", "bind_password": "demo-sans-serveur",
		"base_dn": "ou=personnel,dc=boulangeries-martin,dc=fr", "user_filter": "(&(objectClass=inetOrgPerson)(employeeType=salarie))",
		"group_filter": "(objectClass=groupOfNames)", "enabled": false,
		"comment": "Exemple de démonstration : aucun serveur ne répond à cette adresse.",
	})
	if err != nil {
		return describe("directories", "Annuaire Boulangeries Martin", err)
	}
	return nil
}
