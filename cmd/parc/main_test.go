package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parc/internal/app"
	"parc/internal/store"
)

func runCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestUserTokenBackupRestore(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	t.Setenv("PARC_DATABASE_URL", "")
	out, err := runCmd(t, "a long enough password\n", "user", "create", "--data", data, "--login", "jdoe", "--profile", "technician", "--password-stdin")
	if err != nil || !strings.Contains(out, "user jdoe created") {
		t.Fatalf("user create: %v %s", err, out)
	}
	if _, err := runCmd(t, "short\n", "user", "create", "--data", data, "--login", "jshort", "--profile", "technician", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "at least 10 characters") {
		t.Fatalf("short password: %v", err)
	}
	if _, err := runCmd(t, "a long enough password\n", "user", "create", "--data", data, "--login", "x", "--profile", "wizard", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "wizard") {
		t.Fatalf("unknown profile: %v", err)
	}
	out, err = runCmd(t, "", "user", "list", "--data", data)
	if err != nil || !strings.Contains(out, "jdoe") {
		t.Fatalf("user list: %v %s", err, out)
	}
	tok, err := runCmd(t, "", "token", "create", "--data", data, "--login", "jdoe")
	if err != nil || !strings.HasPrefix(tok, "parc_") {
		t.Fatalf("token: %v %q", err, tok)
	}
	a, err := app.Open(context.Background(), store.Config{DataDir: data}, nil)
	if err != nil {
		t.Fatal(err)
	}
	uid, err := a.Auth.UserByToken(context.Background(), strings.TrimSpace(tok))
	a.Close()
	if err != nil || uid == 0 {
		t.Fatalf("token does not authenticate: %v", err)
	}
	if _, err := runCmd(t, "another long password\n", "user", "reset-password", "--data", data, "--login", "jdoe", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	bak := filepath.Join(dir, "backup.db")
	if out, err := runCmd(t, "", "backup", "--data", data, "--out", bak); err != nil {
		t.Fatalf("backup: %v %s", err, out)
	}
	// Changes after the backup disappear on restore.
	if _, err := runCmd(t, "a long enough password\n", "user", "create", "--data", data, "--login", "late", "--profile", "observer", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, "", "restore", "--data", data, "--in", bak); err != nil || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %v %s", err, out)
	}
	out, _ = runCmd(t, "", "user", "list", "--data", data)
	if !strings.Contains(out, "jdoe") || strings.Contains(out, "late") {
		t.Fatalf("after restore: %s", out)
	}
	if _, err := os.Stat(filepath.Join(data, "parc.db.before-restore")); err != nil {
		t.Fatalf("replaced store not kept aside: %v", err)
	}
	if _, err := runCmd(t, "", "restore", "--data", data, "--in", filepath.Join(dir, "nope.db")); err == nil {
		t.Fatal("restore of a missing file succeeded")
	}
	if out, err := runCmd(t, "", "version"); err != nil || !strings.HasPrefix(out, "parc ") {
		t.Fatalf("version: %v %s", err, out)
	}
}
