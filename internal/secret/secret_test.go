package secret

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpenAndKeyFile(t *testing.T) {
	t.Setenv(EnvKey, "")
	dir := t.TempDir()
	b, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	s, err := b.Seal("ABCDE-12345", "licenses.key")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s, "ABCDE") {
		t.Fatalf("sealed value shows the secret: %s", s)
	}
	s2, _ := b.Seal("ABCDE-12345", "licenses.key")
	if s == s2 {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	// The same directory gives the same key (the file is kept, not rewritten).
	b2, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b2.Open(s, "licenses.key"); err != nil || got != "ABCDE-12345" {
		t.Fatalf("open = %q, %v", got, err)
	}
	if _, err := b2.Open(s, "other.field"); err == nil {
		t.Error("a value opened under another context")
	}
	// Another key cannot open it.
	other, _ := Load(t.TempDir())
	if _, err := other.Open(s, "licenses.key"); err == nil {
		t.Error("another key opened the value")
	}
	// The environment wins over the file.
	t.Setenv(EnvKey, strings.Repeat("ab", 32))
	env, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Open(s, "licenses.key"); err == nil {
		t.Error("PARC_SECRET_KEY did not replace the file's key")
	}
	t.Setenv(EnvKey, "short")
	if _, err := Load(dir); err == nil {
		t.Error("a bad PARC_SECRET_KEY was accepted")
	}
	t.Setenv(EnvKey, "")
	if _, err := Lazy("").Seal("x", "y"); err == nil {
		t.Error("a box without key sealed")
	}
}
