package agent

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLoadState(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	first := time.Date(2026, 1, 5, 9, 12, 44, 0, time.Local)
	st, err := LoadState(dir, "pc42", first)
	if err != nil || st.DeviceID != "pc42-2026-01-05-09-12-44" {
		t.Fatalf("%+v %v", st, err)
	}
	// Later runs, even under another name, keep the id of the first.
	st, err = LoadState(dir, "renamed", first.Add(48*time.Hour))
	if err != nil || st.DeviceID != "pc42-2026-01-05-09-12-44" {
		t.Fatalf("%+v %v", st, err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("state dir: %v %v", fi, err)
	}
	os.WriteFile(filepath.Join(dir, StateFile), []byte("{broken"), 0o600)
	if _, err := LoadState(dir, "pc42", first); err == nil {
		t.Fatal("a corrupt state file is accepted")
	}
	if id := NewDeviceID("my host/1", first); id != "my-host-1-2026-01-05-09-12-44" {
		t.Fatalf("id %q", id)
	}
	if id := NewDeviceID("", first); id != "unknown-2026-01-05-09-12-44" {
		t.Fatalf("id %q", id)
	}
	if DefaultStateDir() == "" {
		t.Fatal("no default state directory")
	}
}
