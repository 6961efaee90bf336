// Package i18n holds parc's French and English message catalogues and picks the
// language of a request.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

//go:embed catalog
var files embed.FS

// Languages are the supported languages; the first is the default.
var Languages = []string{"fr", "en"}

// Catalog maps language -> key -> message.
type Catalog struct {
	msgs map[string]map[string]string
}

// Load reads the embedded catalogues: catalog/<lang>/*.json.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]string{}}
	for _, lang := range Languages {
		c.msgs[lang] = map[string]string{}
		entries, err := fs.ReadDir(files, "catalog/"+lang)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			b, err := files.ReadFile(path.Join("catalog", lang, e.Name()))
			if err != nil {
				return nil, err
			}
			var m map[string]string
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("catalog %s/%s: %w", lang, e.Name(), err)
			}
			for k, v := range m {
				if _, dup := c.msgs[lang][k]; dup {
					return nil, fmt.Errorf("catalog %s: key %s defined twice", lang, k)
				}
				c.msgs[lang][k] = v
			}
		}
	}
	return c, nil
}

// MustLoad is Load for program start, where a broken embedded catalogue is a bug.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Has reports whether a key exists in a language.
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.msgs[lang][key]
	return ok
}

// Keys lists a language's keys.
func (c *Catalog) Keys(lang string) []string {
	var out []string
	for k := range c.msgs[lang] {
		out = append(out, k)
	}
	return out
}

// T translates a key, formatting args into it; an unknown key falls back to English,
// then to the key itself so that a gap shows instead of hiding.
func (c *Catalog) T(lang, key string, args ...any) string {
	msg, ok := c.msgs[lang][key]
	if !ok {
		msg, ok = c.msgs["en"][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		shown := make([]any, len(args))
		for i, a := range args {
			if k, ok := a.(Key); ok {
				a = c.T(lang, string(k))
			}
			shown[i] = a
		}
		return fmt.Sprintf(msg, shown...)
	}
	return msg
}

// Key is a message argument that is itself a catalogue key, such as a status name:
// T writes its translation in the message.
type Key string

// Supported reports whether lang is one of parc's languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Negotiate picks the best language from an Accept-Language header.
func Negotiate(header string) string {
	best, bestQ := Languages[0], -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			fmt.Sscanf(v, "%g", &q)
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if Supported(base) && q > bestQ {
			best, bestQ = base, q
		}
	}
	return best
}
