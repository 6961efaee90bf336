package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"golang.org/x/text/unicode/norm"
)

// maxWordLen drops longer "words" (hashes, base64, URLs glued together): nobody
// searches for them and they would bloat the index.
const maxWordLen = 40

// word is one word of a text and where it sits, for highlighting.
type word struct {
	start, end int // byte offsets in the original text
	lower      string
}

// splitWords cuts text into runs of letters and digits, lower-cased.
func splitWords(text string) []word {
	var out []word
	start := -1
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, word{start: start, end: i, lower: strings.ToLower(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{start: start, end: len(text), lower: strings.ToLower(text[start:])})
	}
	return out
}

// fold removes diacritics and expands ligatures: "réseau" and "reseau" are one term,
// as people type French without accents as often as with them.
func fold(s string) string {
	isASCII := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			isASCII = false
			break
		}
	}
	if isASCII {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// terms are the index terms of one lower-cased word: the word itself and its French
// and English stems, all without diacritics. Stemming runs before folding because
// the French stemmer reads accents ("connecté" -> "connect").
func terms(lower string) []string {
	if utf8.RuneCountInString(lower) > maxWordLen {
		return nil
	}
	out := []string{fold(lower)}
	add := func(t string) {
		t = fold(t)
		for _, x := range out {
			if x == t {
				return
			}
		}
		if t != "" {
			out = append(out, t)
		}
	}
	add(french.Stem(lower, true))
	add(english.Stem(lower, true))
	return out
}

// maxIndexedWords caps what one field puts in the index: PostgreSQL refuses a
// tsvector over 1 MB, and the head of a long text is what searches hit.
const maxIndexedWords = 20000

// Analyze turns a text into the space-separated index terms both stores hold.
func Analyze(text string) string {
	var b strings.Builder
	for i, w := range splitWords(text) {
		if i == maxIndexedWords {
			break
		}
		for _, t := range terms(w.lower) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t)
		}
	}
	return b.String()
}

// stopWords are dropped from queries (not from the index) unless the query has
// nothing else: "problème de réseau" must find "problème réseau".
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be by for from has have how i in is it its of on or that the
		this to was were what when where which who why will with my no not
		au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme mes moi mon ne nos
		notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y
		est sont ai a`) {
		stopWords[w] = true
	}
}
