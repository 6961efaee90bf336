package search

import (
	"strings"
	"testing"
)

func TestAnalyzeStemsFoldsAndKeepsTheWord(t *testing.T) {
	got := " " + Analyze("Les imprimantes du réseau, Printers CONNECTÉES") + " "
	for _, want := range []string{"imprimantes", "imprim", "reseau", "printers", "printer", "connectees", "connect"} {
		if !strings.Contains(got, " "+want+" ") {
			t.Errorf("Analyze lacks %q: %s", want, got)
		}
	}
	if strings.ContainsAny(got, "éÉ,") {
		t.Errorf("accents or punctuation left: %s", got)
	}
	if Analyze(strings.Repeat("x", maxWordLen+1)) != "" {
		t.Error("an over-long word is indexed")
	}
}

// TestQueryMatchesLikeTheIndex checks that a query word and a document word meet
// through the same terms: plural and singular, verb and noun, with and without
// accents, in French and English.
func TestQueryMatchesLikeTheIndex(t *testing.T) {
	for _, c := range []struct {
		query, doc string
		want       bool
	}{
		{"imprimantes", "imprimante", true},
		{"imprimante", "imprimantes", true},
		{"connecter", "connecté", true},
		{"connexion", "connexions", true},
		{"réseau", "reseau", true},
		{"reseau", "Réseaux", true},
		{"printers", "printer", true},
		{"printing", "printed", true},
		{"connection", "connected", true},
		{"écran", "clavier", false},
	} {
		q, err := ParseQuery(c.query, false)
		if err != nil {
			t.Fatal(err)
		}
		doc := " " + Analyze(c.doc) + " "
		hit := false
		for _, g := range q.groups {
			for _, term := range g.terms {
				hit = hit || strings.Contains(doc, " "+term+" ")
			}
		}
		if hit != c.want || q.matches(strings.ToLower(c.doc)) != c.want {
			t.Errorf("%q vs %q: got %v, want %v (index %q)", c.query, c.doc, hit, c.want, doc)
		}
	}
}

func TestParseQuery(t *testing.T) {
	for _, bad := range []string{"", "   ", strings.Repeat("a", MaxQueryLen+1), "!!! ???"} {
		if _, err := ParseQuery(bad, false); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	q, err := ParseQuery(`problème de "réseau" OR NEAR`, false)
	if err != nil {
		t.Fatal(err)
	}
	// Stop words go, operators are mere words, every term is quoted.
	if got := q.FTS5(); strings.Contains(got, `"de"`) || !strings.Contains(got, `("reseau"`) || !strings.Contains(got, `("near")`) {
		t.Errorf("FTS5: %s", got)
	}
	if got := q.TSQuery(); !strings.Contains(got, "(probleme | problem") || !strings.Contains(got, " & (reseau") {
		t.Errorf("tsquery: %s", got)
	}
	// Only stop words: they are kept.
	if q, err := ParseQuery("de la", false); err != nil || len(q.groups) != 2 {
		t.Errorf("stop words only: %v %v", q, err)
	}
	// As you type, the last word is also a prefix.
	q, _ = ParseQuery("imprimante bloq", true)
	if !strings.HasSuffix(q.FTS5(), `"bloq"*)`) || !strings.HasSuffix(q.TSQuery(), "bloq:*)") {
		t.Errorf("prefix: %s / %s", q.FTS5(), q.TSQuery())
	}
}

func TestHighlightEscapesAndMarks(t *testing.T) {
	q, _ := ParseQuery("imprimante <b>", false)
	got := q.Highlight(`L'imprimante <b>bloque</b> & "Imprimantes"`)
	want := `L&#39;<mark>imprimante</mark> &lt;<mark>b</mark>&gt;bloque&lt;/<mark>b</mark>&gt; &amp; &#34;<mark>Imprimantes</mark>&#34;`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestExcerptCentresOnTheFirstMatch(t *testing.T) {
	words := make([]string, 100)
	for i := range words {
		words[i] = "mot"
	}
	words[60] = "serveurs"
	q, _ := ParseQuery("serveur", false)
	got := q.Excerpt(strings.Join(words, " "))
	if !strings.HasPrefix(got, "… ") || !strings.HasSuffix(got, " …") || !strings.Contains(got, "<mark>serveurs</mark>") {
		t.Errorf("excerpt: %s", got)
	}
	if n := len(strings.Fields(got)); n > excerptWords+2 {
		t.Errorf("excerpt of %d words", n)
	}
	// No match in the text (found by its title): its start.
	if got := q.Excerpt("Bonjour à tous"); got != "Bonjour à tous" {
		t.Errorf("start: %s", got)
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"réseau", "ǅemal Œuvre", "日本語のテキスト", "a\u0301b", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Analyze(s)
		if q, err := ParseQuery(s, true); err == nil {
			q.Excerpt(s)
			q.Highlight(s)
		}
	})
}
