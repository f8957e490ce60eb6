package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/retrieval"
)

// holds reports whether a unit holds an answer of the type part p asks
// for. Names, places and titles must be other than the question's own
// words: "Comment s'appelle l'ambassadrice du Royaume-Uni" is not answered
// by a sentence whose only name is "Royaume-Uni".
func (r reading) holds(p part, a analysedUnit) bool {
	switch p.want {
	case place:
		return r.names(a.text, p, false) > 0
	case name:
		return r.names(a.text, p, true) > 0
	case person:
		return r.names(a.text, p, false) > 0 || hasTitle(a.bag, p)
	case organisation:
		return r.names(a.text, p, false) > 0
	case role:
		return hasTitle(a.bag, p)
	case reason:
		return reasonRe().MatchString(analysis.Fold(a.text))
	case count:
		return numberRe().MatchString(analysis.Fold(a.text))
	}
	return p.want.fits(analysis.Fold(a.text))
}

var reasonRe = lazyRegexp(`\b(?:pour|afin|car|parce|grace|objectif|vise|visant|permettre|permet|` +
	`because|so that|in order|aim|goal)\b`)

// minNameIDF keeps out names most passages share ("IA" in a corpus about
// AI): they answer nothing.
const minNameIDF = 1.0

// names counts the distinct words of text written as names (a capital,
// not at the start of a sentence) that are not words of the question and
// not common to most passages; with full, only words of a name of two
// words or more ("Bruno Le Maire") or that no lexicon knows ("Synthesia";
// not "Résidence").
func (r reading) names(text string, p part, full bool) int {
	asked := map[string]bool{}
	for _, w := range p.words {
		asked[w.folded] = true
	}
	seen := map[string]bool{}
	prevEnd := -1
	for _, t := range analysis.Tokens(text) {
		c, _ := utf8.DecodeRuneInString(t.Text)
		f := analysis.Fold(t.Text)
		isName := unicode.IsUpper(c) && !sentenceStart(text, t.Start) && !asked[f] && !analysis.IsStopword(f) &&
			r.idfOf(t.Text) >= minNameIDF
		follows := prevEnd >= 0 && strings.TrimSpace(text[prevEnd:t.Start]) == ""
		if isName && (!full || follows || !analysis.Known(t.Text)) {
			seen[f] = true
		}
		prevEnd = -1
		if unicode.IsUpper(c) {
			prevEnd = t.End
		}
	}
	return len(seen)
}

// idfOf is the highest IDF of a word's terms.
func (r reading) idfOf(word string) float64 {
	best := 0.0
	for _, t := range analysis.WordTerms(word) {
		w, _ := r.idf(t)
		best = max(best, w)
	}
	return best
}

// sentenceStart reports whether the byte offset i of text starts a
// sentence, a quotation or a list item.
func sentenceStart(text string, i int) bool {
	before := strings.TrimRight(text[:i], " \u00a0\u202f")
	if before == "" {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune(".!?:«\"“-•*\n", last)
}

// hasTitle reports whether a unit names a role (PDG, ministre…) that the
// question does not.
func hasTitle(b bag, p part) bool {
	asked := map[string]bool{}
	for _, w := range p.words {
		asked[w.folded] = true
	}
	for _, t := range b.seq {
		if titleWords()[t] && !asked[t] {
			return true
		}
	}
	return false
}

// numberBefore reports whether a number comes shortly before a word that
// matches w, with nothing but words between them ("1 000 emplois",
// "deux nouveaux modèles"): "30 %. Cependant, certains syndicats" does not
// count unions.
func numberBefore(text string, w queryWord) bool {
	toks := analysis.Tokens(text)
	for i, tok := range toks {
		if !wordMatches(w, analysis.Fold(tok.Text)) {
			continue
		}
		for j := i - 1; j >= max(0, i-4); j-- {
			if strings.TrimFunc(text[toks[j].End:toks[j+1].Start], isGap) != "" {
				break
			}
			if isNumber(analysis.Fold(toks[j].Text)) {
				return true
			}
		}
	}
	return false
}

// isGap is what may separate the words of one phrase.
func isGap(r rune) bool { return unicode.IsSpace(r) || r == '\'' || r == '’' || r == '-' }

// isNumber reports whether a folded token is a number: digits or a
// number word other than "un", which is mostly an article.
func isNumber(tok string) bool {
	if tok == "un" || tok == "une" || tok == "one" {
		return false
	}
	_, ok := numberValues()[tok]
	return ok || numberRe().MatchString(tok)
}

// properWords are the folded words the passages write as names: with a
// capital where a sentence does not start.
func properWords(passages []retrieval.Result) map[string]bool {
	out := map[string]bool{}
	for _, p := range passages {
		text := p.Chunk.Text
		for _, t := range analysis.Tokens(text) {
			r, _ := utf8.DecodeRuneInString(t.Text)
			if unicode.IsUpper(r) && !sentenceStart(text, t.Start) {
				out[analysis.Fold(t.Text)] = true
			}
		}
	}
	return out
}

// wordMatches reports whether one folded token matches w.
func wordMatches(w queryWord, tok string) bool {
	b := bag{terms: map[string]bool{}, words: []string{tok}}
	for _, t := range analysis.WordTerms(tok) {
		b.terms[t] = true
	}
	return len(b.terms) > 0 && b.match(w) >= typoMatch
}
