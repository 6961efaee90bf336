package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"parc/internal/app"
	"parc/internal/ldaptest"
	"parc/internal/record"
	"parc/internal/store"
)

// TestDirectorySync: `parc directory sync --name X` synchronises a directory
// against a real slapd and prints its report.
func TestDirectorySync(t *testing.T) {
	srv := ldaptest.Start(t)
	data := filepath.Join(t.TempDir(), "data")
	t.Setenv("PARC_DATABASE_URL", "")
	if out, err := runCmd(t, "a long enough password\n", "user", "create", "--data", data, "--login", "jdoe", "--profile", "admin", "--password-stdin"); err != nil {
		t.Fatalf("user create: %v %s", err, out)
	}
	ctx := context.Background()
	a, err := app.OpenWith(ctx, store.Config{DataDir: data}, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("directories"), record.Input{"name": "Corp", "organization_id": sys.Tree.Root,
		"url": srv.URL, "bind_dn": "cn=reader," + ldaptest.Base, "bind_password": "reader-secret", "base_dn": ldaptest.Base,
		"user_filter": "(&(objectClass=inetOrgPerson)(employeeType=staff))"}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	out, err := runCmd(t, "", "directory", "sync", "--data", data, "--name", "Corp")
	if err != nil || !strings.Contains(out, "done: 3 found, 3 created, 0 updated, 0 unchanged, 0 disabled; 1 groups created, 2 memberships added") {
		t.Fatalf("directory sync: %v %s", err, out)
	}
	if _, err := runCmd(t, "", "directory", "sync", "--data", data, "--name", "Nope"); err == nil || !strings.Contains(err.Error(), `no directory named "Nope"`) {
		t.Fatalf("unknown directory: %v", err)
	}
}
