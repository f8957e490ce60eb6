package answer

import (
	"slices"
	"strings"
	"unicode"

	"github.com/citebot/citebot/analysis"
)

// What the gate knows of a question's words: whether the corpus knows
// each (see knownShare), and which are names.

// knownShare is the share of the words' weight that the corpus knows
// (see knownWord).
func knownShare(words []queryWord, french bool, idf func(string) (float64, bool), passageWords []string) float64 {
	var known, total float64
	for _, w := range words {
		if !topical(w) {
			continue
		}
		total += w.weight
		if knownWord(w, french, idf, passageWords) {
			known += w.weight
		}
	}
	if total == 0 {
		return 0
	}
	return known / total
}

// relatedKnown reports whether the corpus has every term of one of the
// expressions a word can stand for (its synonyms, the synonyms of an
// expression it is part of, the other names of a name).
func relatedKnown(related [][]string, idf func(string) (float64, bool)) bool {
	for _, terms := range related {
		known := len(terms) > 0
		for _, t := range terms {
			if _, ok := idf(t); !ok {
				known = false
				break
			}
		}
		if known {
			return true
		}
	}
	return false
}

// topical reports whether a word says what a question is about:
// interrogatives and light words ("aujourd'hui", "say") do not. Numbers
// do, but never as known: "12" in "combien font 12 fois 7" is no evidence
// that the articles are about it, and a year they never give ("le Tour de
// France 2022") is evidence that they are not.
func topical(w queryWord) bool {
	return !lightWords()[w.folded] && !cueWords()[w.folded]
}

// knownWord reports whether the corpus knows w: as written, by one of
// the expressions it can stand for (a synonym, the synonyms of a lexicon
// expression it is part of, another name), or as a misspelling of a word
// of the passages ("starmr"). A word of a French question counts as
// written, not translated: its translations are guesses for mixed
// questions, and would make "Tour de France" known by its English
// reading; a word of another language counts translated. A number is
// never known.
func knownWord(w queryWord, french bool, idf func(string) (float64, bool), passageWords []string) bool {
	if strings.ContainsFunc(w.folded, unicode.IsDigit) {
		return false
	}
	terms := w.terms
	if french {
		terms = analysis.WordTerms(w.text)
	}
	return anyKnown(terms, idf) || relatedKnown(w.related, idf) ||
		slices.ContainsFunc(passageWords, func(p string) bool { return isTypo(w.folded, p) })
}

// nameLike reports whether w is written as a name in a question written
// in both cases (a capital inside the word, or at its start anywhere but
// at the start of the question), or is a year.
func nameLike(w queryWord, q string) bool {
	if yearRe().MatchString(w.folded) {
		return true
	}
	oneCase := !strings.ContainsFunc(q, unicode.IsUpper) || !strings.ContainsFunc(q, unicode.IsLower)
	return !oneCase && topical(w) && writtenAsName(w.text, q)
}
