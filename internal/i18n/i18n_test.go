package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestEveryKeyInEveryLanguage(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range Languages {
		for _, b := range Languages {
			keys := c.Keys(a)
			sort.Strings(keys)
			for _, k := range keys {
				if !c.Has(b, k) {
					t.Errorf("key %s is in %s but not in %s", k, a, b)
				}
			}
		}
	}
}

func TestNegotiate(t *testing.T) {
	for in, want := range map[string]string{
		"":                                 "fr",
		"en-US,en;q=0.9":                   "en",
		"fr-FR,fr;q=0.9,en;q=0.8":          "fr",
		"de-DE,de;q=0.9,en;q=0.5,fr;q=0.4": "en",
		"de":                               "fr",
	} {
		if got := Negotiate(in); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestEveryMessageKeyInCodeIsTranslated scans the Go sources for message keys
// ("err.*") and checks each one is in the catalogue.
func TestEveryMessageKeyInCodeIsTranslated(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`"(err\.[a-z_]+)"`)
	found := 0
	err = filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			found++
			for _, lang := range Languages {
				if !c.Has(lang, m[1]) {
					t.Errorf("%s: key %s missing in %s", path, m[1], lang)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Fatalf("only %d keys found: is the scan looking in the right place?", found)
	}
}

// TestKeyArgumentsAreTranslated: an argument that is a catalogue key is shown in the
// message's language, and the caller's arguments are left as they were.
func TestKeyArgumentsAreTranslated(t *testing.T) {
	c := MustLoad()
	args := []any{Key("enum.status.new"), Key("enum.status.solved")}
	if got := c.T("fr", "err.ticket_transition", args...); got != "Un ticket ne peut pas passer du statut Nouveau au statut Résolu." {
		t.Errorf("fr: %q", got)
	}
	if got := c.T("en", "err.ticket_transition", args...); got != "A ticket cannot go from status New to status Solved." {
		t.Errorf("en: %q", got)
	}
	if args[0] != Key("enum.status.new") {
		t.Errorf("arguments changed: %v", args)
	}
}
