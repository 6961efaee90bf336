package search

import (
	"html"
	"strings"
)

// excerptWords is the length of an excerpt, in words.
const excerptWords = 30

// Highlight escapes the whole text as HTML and wraps the words that match the query
// in <mark>.
func (q *Query) Highlight(text string) string {
	return q.mark(text, splitWords(text), 0, len(text))
}

// Excerpt is a short piece of text around its first match (its start when nothing
// matches, as for a document found by its title), escaped and marked like Highlight.
func (q *Query) Excerpt(text string) string {
	ws := splitWords(text)
	if len(ws) == 0 {
		return ""
	}
	first := 0
	for i, w := range ws {
		if q.matches(w.lower) {
			first = i
			break
		}
	}
	from := max(first-excerptWords/3, 0)
	to := min(from+excerptWords, len(ws))
	from = max(to-excerptWords, 0)
	start, end := ws[from].start, ws[to-1].end
	if from == 0 {
		start = 0
	}
	if to == len(ws) {
		end = len(text)
	}
	out := q.mark(text, ws[from:to], start, end)
	if from > 0 {
		out = "… " + out
	}
	if to < len(ws) {
		out += " …"
	}
	return strings.Join(strings.Fields(out), " ")
}

// mark writes text[start:end] escaped, with the matching words of ws marked.
func (q *Query) mark(text string, ws []word, start, end int) string {
	var b strings.Builder
	at := start
	for _, w := range ws {
		if !q.matches(w.lower) {
			continue
		}
		b.WriteString(html.EscapeString(text[at:w.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[w.start:w.end]))
		b.WriteString("</mark>")
		at = w.end
	}
	b.WriteString(html.EscapeString(text[at:end]))
	return b.String()
}
