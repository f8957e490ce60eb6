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
	// About one word in six bytes of French or English: growing the slice
	// from nothing was a tenth of indexing a corpus.
	out := make([]Token, 0, len(s)/6+1)
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
	if len(out) == 0 {
		return nil // as before the slice was sized up front
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
		return strings.ToLower(s) // nothing to decompose: the common case
	}
	if f, ok := foldLatin(s); ok {
		return f
	}
	return foldSlow(s)
}

// foldSlow is Fold by Unicode decomposition, for any script.
func foldSlow(s string) string {
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

// latinBase maps the accented lowercase letters of French and its
// neighbours to what Fold makes of them, so that most words fold without
// a Unicode decomposition; ok is false for any other letter. A switch, not
// a map: nothing to build at start, and no hashing a letter.
func latinBase(r rune) (base string, ok bool) {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		return "a", true
	case 'ç':
		return "c", true
	case 'è', 'é', 'ê', 'ë':
		return "e", true
	case 'ì', 'í', 'î', 'ï':
		return "i", true
	case 'ñ':
		return "n", true
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		return "o", true
	case 'ù', 'ú', 'û', 'ü':
		return "u", true
	case 'ý', 'ÿ':
		return "y", true
	case 'œ':
		return "oe", true
	case 'æ':
		return "ae", true
	case 'ß':
		return "ss", true
	case '’', 'ʼ', '‘':
		return "'", true
	}
	return "", false
}

// foldLatin folds s when every letter of it is ASCII or in latinBase;
// ok is false otherwise, and Fold decomposes.
func foldLatin(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		base, ok := latinBase(unicode.ToLower(r))
		if !ok {
			return "", false
		}
		b.WriteString(base)
	}
	return b.String(), true
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
