package i18n

import (
	"sort"
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
