package search

import (
	"strings"
	"unicode/utf8"

	"parc/internal/record"
)

// Limits of a query.
const (
	MaxQueryLen  = 200 // characters
	MaxWords     = 12
	DefaultLimit = 20
	MaxLimit     = 50
)

// group is one query word: a document matches it through any of its terms.
type group struct {
	terms  []string
	prefix string // set on the last word of a suggestion query: matches a term's start
}

// Query is a parsed search: every group must match, or any with anyWord.
type Query struct {
	groups  []group
	set     map[string]bool // every term, for highlighting
	anyWord bool
}

// ParseQuery analyses the text a user typed. With asYouType the last word may be
// unfinished and also matches as a prefix.
func ParseQuery(text string, asYouType bool) (*Query, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, fieldErr("q", "err.search_empty")
	}
	if utf8.RuneCountInString(text) > MaxQueryLen {
		return nil, fieldErr("q", "err.search_too_long", MaxQueryLen)
	}
	words := splitWords(text)
	kept := words[:0:0]
	for _, w := range words {
		if !stopWords[fold(w.lower)] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		kept = words
	}
	if len(kept) > MaxWords {
		kept = kept[:MaxWords]
	}
	q := &Query{set: map[string]bool{}}
	for i, w := range kept {
		g := group{terms: terms(w.lower)}
		if len(g.terms) == 0 {
			continue
		}
		if asYouType && i == len(kept)-1 && w.end == len(text) {
			g.prefix = fold(w.lower)
		}
		for _, t := range g.terms {
			q.set[t] = true
		}
		q.groups = append(q.groups, g)
	}
	if len(q.groups) == 0 {
		return nil, fieldErr("q", "err.search_no_words")
	}
	return q, nil
}

func fieldErr(field, key string, args ...any) error {
	fe := record.FieldErrors{}
	fe.Add(field, key, args...)
	return fe.Err()
}

// FTS5 is the query in SQLite FTS5 syntax. Terms are letters and digits only, and
// quoted all the same so that none reads as an operator.
func (q *Query) FTS5() string {
	parts := make([]string, len(q.groups))
	for i, g := range q.groups {
		var alt []string
		for _, t := range g.terms {
			alt = append(alt, `"`+t+`"`)
		}
		if g.prefix != "" {
			alt = append(alt, `"`+g.prefix+`"*`)
		}
		parts[i] = "(" + strings.Join(alt, " OR ") + ")"
	}
	if q.anyWord {
		return strings.Join(parts, " OR ")
	}
	return strings.Join(parts, " AND ")
}

// TSQuery is the query in PostgreSQL to_tsquery syntax (same safety argument).
func (q *Query) TSQuery() string {
	parts := make([]string, len(q.groups))
	for i, g := range q.groups {
		alt := append([]string{}, g.terms...)
		if g.prefix != "" {
			alt = append(alt, g.prefix+":*")
		}
		parts[i] = "(" + strings.Join(alt, " | ") + ")"
	}
	if q.anyWord {
		return strings.Join(parts, " | ")
	}
	return strings.Join(parts, " & ")
}

// matches reports whether a lower-cased word of a document matches the query.
func (q *Query) matches(lower string) bool {
	for _, t := range terms(lower) {
		if q.set[t] {
			return true
		}
	}
	f := fold(lower)
	for _, g := range q.groups {
		if g.prefix != "" && strings.HasPrefix(f, g.prefix) {
			return true
		}
	}
	return false
}
