package answer

import (
	"strings"

	"github.com/citebot/citebot/analysis"
)

// wordRole is what a question word must do for a quote to answer it.
type wordRole int

const (
	soft      wordRole = iota // counts towards coverage
	light                     // counts a third (lightWords)
	specific                  // a name, a number, a year, a month: its document must have it
	focus                     // the asked noun ("quelle superficie"): the quote must have it
	counted                   // the noun of "how many": the quote must have a number before it
	attribute                 // names the answer's type ("quel montant"): checked as a type
)

// queryWord is one content word of a question with the weight of its
// rarity: matching "Synthesia" says more than matching "gouvernement".
type queryWord struct {
	folded string
	// text is the word as written.
	text string
	// terms are the word's own terms and those of its translations: a
	// match on one is certain.
	terms []string
	// related are synonyms and other names of the word, each the terms of
	// one (possibly multi-word) expression, all of which must be present.
	related [][]string
	weight  float64
	// known is true when the corpus has one of the terms; an unknown word
	// may be a typo of a word the passages have.
	known bool
	role  wordRole
}

// questionWords returns the distinct content words of a question (of what
// it asks: see asked). A word the corpus does not know, or any word of a
// question that is not all French, also matches its French translations
// (analysis.Translate); every word matches its synonyms and aliases, less
// surely. Each word weighs the IDF of its rarest term the corpus knows, or
// the highest IDF when the corpus knows none: a word the documents never
// use is what an off-topic question looks like.
func questionWords(q string, idf func(string) (float64, bool)) []queryWord {
	notFrench := analysis.Detect(q) != "fr" || analysis.HasEnglish(q)
	seen := map[string]bool{}
	var out []queryWord
	toks := analysis.Tokens(asked(q))
	inPhrase := phraseSynonyms(toks)
	for i, tok := range toks {
		terms := analysis.WordTerms(tok.Text)
		folded := analysis.Fold(tok.Text)
		if len(terms) == 0 || seen[folded] {
			continue
		}
		seen[folded] = true
		w := queryWord{folded: folded, text: tok.Text}
		w.known = anyKnown(terms, idf)
		var forms, phrases []string
		if notFrench || !w.known {
			for _, fr := range analysis.Translate(tok.Text) {
				if len(analysis.Tokens(fr)) > 1 {
					phrases = append(phrases, fr) // "fonction publique": both words, not either
					continue
				}
				forms = append(forms, fr)
				terms = append(terms, analysis.WordTerms(fr)...)
			}
		}
		if n := thousandsSep().ReplaceAllString(folded, "$1$2"); n != folded {
			terms = append(terms, n) // "1,000" is the "1 000" of the articles
		}
		w.terms = terms
		w.known = anyKnown(terms, idf)
		w.related = relatedTerms(append([]string{tok.Text}, forms...))
		w.related = append(w.related, inPhrase[i]...)
		for _, ph := range phrases {
			w.related = append(w.related, analysis.Terms(ph))
		}
		w.weight = wordWeight(terms, idf)
		out = append(out, w)
	}
	return out
}

// phraseSynonyms finds the expressions of two or three words that the
// synonym lexicon knows ("feuille de route", "jeune pousse") and gives
// each of their words the terms of the expression's synonyms: neither
// "feuille" nor "route" is a plan, the expression is.
func phraseSynonyms(toks []analysis.Token) map[int][][]string {
	out := map[int][][]string{}
	for i := range toks {
		for n := 2; n <= 3 && i+n <= len(toks); n++ {
			words := make([]string, n)
			for j := range n {
				words[j] = analysis.Fold(toks[i+j].Text)
			}
			var related [][]string
			for _, r := range analysis.Synonyms(strings.Join(words, " ")) {
				if ts := analysis.Terms(r); len(ts) > 0 {
					related = append(related, ts)
				}
			}
			for j := range n {
				out[i+j] = append(out[i+j], related...)
			}
		}
	}
	return out
}

// thousandsSep is a thousands separator inside a number: "1,000", "1.000".
var thousandsSep = lazyRegexp(`(\d)[,.](\d{3})\b`)

// relatedTerms are the terms of the synonyms and aliases of words.
func relatedTerms(words []string) [][]string {
	var out [][]string
	seen := map[string]bool{}
	for _, w := range words {
		for _, r := range append(analysis.Synonyms(w), analysis.Aliases(w)...) {
			if seen[r] {
				continue
			}
			seen[r] = true
			if ts := analysis.Terms(r); len(ts) > 0 {
				out = append(out, ts)
			}
		}
	}
	return out
}

func anyKnown(terms []string, idf func(string) (float64, bool)) bool {
	for _, t := range terms {
		if _, ok := idf(t); ok {
			return true
		}
	}
	return false
}

func wordWeight(terms []string, idf func(string) (float64, bool)) float64 {
	known, unknown := 0.0, 0.0
	for _, t := range terms {
		w, ok := idf(t)
		if ok {
			known = max(known, w)
		} else {
			unknown = max(unknown, w)
		}
	}
	if known > 0 {
		return known
	}
	return unknown
}
