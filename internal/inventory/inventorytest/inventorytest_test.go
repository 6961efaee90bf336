package inventorytest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFind(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "repo", "internal", "inventory", "fusion")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, ok := find(deep); ok && !underRealShared(deep) {
		t.Fatal("found fixtures in an empty tree")
	}
	fixtures := filepath.Join(root, "shared", "fixtures", "inventory")
	if err := os.MkdirAll(fixtures, 0o755); err != nil {
		t.Fatal(err)
	}
	got, ok := find(deep)
	if !ok || got != fixtures {
		t.Fatalf("find = %q, %v; want %q", got, ok, fixtures)
	}
}

// underRealShared reports whether dir is itself below a directory holding the real
// fixtures (a temporary directory normally is not).
func underRealShared(dir string) bool {
	_, ok := find(filepath.Dir(dir))
	return ok
}

func TestDirFindsTheRecordedFixtures(t *testing.T) {
	dir := Dir(t)
	for _, name := range []string{"fusioninventory-2.6-debian12.xml", "ocsinventory-2.10-debian12.ocs", "wire", "glpi-inventory-format"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got := Glob(t, "glpi-inventory-format/fusion-*.xml"); len(got) != 19 {
		t.Errorf("%d fusion samples, want 19: %v", len(got), got)
	}
}
