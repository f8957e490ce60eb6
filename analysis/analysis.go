// Package analysis turns French and English text into comparable terms.
//
// Retrieval (BM25, the hashed embedder) and the extractive answerer must agree
// on what a "word" is, or a question would match a passage in one place and
// not in the other; this package is that single definition. It folds case and
// accents (so "État" and "etat" meet), splits French elisions ("l'IA"), drops
// stopwords of both languages and stems with the Snowball stemmer of the
// text's language.
package analysis

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"golang.org/x/text/unicode/norm"
)

// Token is one word of a text with its byte offsets, so that callers can
// quote or highlight exactly what matched.
type Token struct {
	Text       string // the word as written
	Start, End int    // byte offsets in the analysed text
}

// Tokens splits s into words: runs of letters and digits. Apostrophes and
// hyphens separate words ("l'IA" gives "l" and "IA"), while a comma or a dot
// between digits stays inside a number ("1,5").
func Tokens(s string) []Token {
	var out []Token
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && (r == ',' || r == '.') && digitBefore(s, i) && digitAfter(s, i+1) {
			continue
		}
		if start >= 0 {
			out = append(out, Token{Text: s[start:i], Start: start, End: i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, Token{Text: s[start:], Start: start, End: len(s)})
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func digitBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsDigit(r)
}

func digitAfter(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsDigit(r)
}

// Fold lowercases s and removes diacritics and ligatures, so that spellings
// with and without accents compare equal ("Économie" → "economie").
func Fold(s string) string {
	if isASCII(s) {
		// No diacritics, ligatures or curly quotes to fold: only case.
		// Most words are ASCII, and NFD normalisation was most of the
		// time of detecting a document's language.
		return strings.ToLower(s)
	}
	if f, ok := foldLatin(s); ok {
		return f
	}
	return foldUnicode(s)
}

// latinFolds holds the fold of each character from U+0080 to U+024F (the
// Latin supplements and extensions, which are the accented letters of
// French and English), computed on first use by foldUnicode; "" marks a
// character that does not fold on its own (a combining mark).
var latinFolds = sync.OnceValue(func() []string {
	out := make([]string, latinEnd-utf8.RuneSelf)
	for r := rune(utf8.RuneSelf); r < latinEnd; r++ {
		if !unicode.Is(unicode.Mn, r) {
			out[r-utf8.RuneSelf] = foldUnicode(string(r))
		}
	}
	return out
})

const latinEnd = 0x250

// foldLatin folds s character by character with latinFolds, which gives
// foldUnicode's result when every character is ASCII or in the table: NFD
// then only decomposes each letter into itself and its own marks, which
// folding drops. ok is false when s holds anything else.
func foldLatin(s string) (string, bool) {
	table := latinFolds()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteByte(byte(unicode.ToLower(r)))
		case r < latinEnd && table[r-utf8.RuneSelf] != "":
			b.WriteString(table[r-utf8.RuneSelf])
		default:
			return "", false
		}
	}
	return b.String(), true
}

// foldUnicode is Fold for any text: NFD, marks dropped, lowercased,
// ligatures spelled out, curly apostrophes straightened.
func foldUnicode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r = unicode.ToLower(r); r {
		case 'œ':
			b.WriteString("oe")
		case 'æ':
			b.WriteString("ae")
		case 'ß':
			b.WriteString("ss")
		case '’', 'ʼ', '‘':
			b.WriteByte('\'')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Stem reduces a lowercase word to its Snowball stem for lang ("fr" or "en";
// anything else uses French, the corpus language) and folds the result.
func Stem(word, lang string) string {
	if lang == "en" {
		return Fold(english.Stem(word, true))
	}
	return Fold(french.Stem(word, true))
}

// Terms returns the content terms of s, each word stemmed with both the
// French and the English stemmer (once when they agree). A question may be
// asked in either language while the passages are in one, and each stemmer
// conflates a different set of forms; analysing passages and questions the
// same way keeps term statistics comparable. Order follows the text and
// repeated words repeat their terms, so counts are term frequencies.
func Terms(s string) []string {
	var out []string
	for _, t := range Tokens(s) {
		out = appendWordTerms(out, t.Text)
	}
	return out
}

// WordTerms returns the terms of one word, as Terms would.
func WordTerms(word string) []string {
	return appendWordTerms(nil, word)
}

// appendWordTerms is the hot path of indexing: it runs for every word of
// every chunk. Only stemming depends on the language (stopwords are those
// of either language, numbers are kept as folded), so the word is lowered,
// folded and filtered once and only the stemmer runs twice.
func appendWordTerms(out []string, word string) []string {
	lower := strings.ToLower(word)
	folded := Fold(lower)
	if utf8.RuneCountInString(folded) < 2 || IsStopword(folded) {
		return out // no topic in any language
	}
	if isNumber(folded) {
		return append(out, folded)
	}
	fr := Stem(lower, "fr")
	out = append(out, fr)
	if en := Stem(lower, "en"); en != fr {
		out = append(out, en)
	}
	return out
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && r != ',' && r != '.' {
			return false
		}
	}
	return true
}
