package api

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLoneSurrogate: for a JSON document that writes no U+FFFD itself, the decoder
// makes a U+FFFD exactly when hasLoneSurrogate says so.
func FuzzLoneSurrogate(f *testing.F) {
	for _, s := range []string{`{"a":"\ud800"}`, `{"a":"\ud83d\ude00"}`, `{"a":"\\ud800"}`, `{"a":"\udc00x"}`,
		`{"a":"x\ud800\u0041"}`, `["\ud800\ud800\udc00"]`, `{"\udbff\udfff":1}`, `"\\\ud800"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if !utf8.ValidString(s) || strings.Contains(strings.ToLower(s), "fffd") || strings.ContainsRune(s, utf8.RuneError) || json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		if got, want := hasLoneSurrogate([]byte(s)), holdsFFFD(v); got != want {
			t.Fatalf("%q: hasLoneSurrogate %v, decoded text holds U+FFFD: %v", s, got, want)
		}
	})
}

func holdsFFFD(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.ContainsRune(x, utf8.RuneError)
	case []any:
		for _, e := range x {
			if holdsFFFD(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if holdsFFFD(k) || holdsFFFD(e) {
				return true
			}
		}
	}
	return false
}
