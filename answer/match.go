package answer

import (
	"github.com/citebot/citebot/analysis"
)

// queryWord is one content word of a question with the weight of its
// rarity: matching "Synthesia" says more than matching "gouvernement".
type queryWord struct {
	folded string
	terms  []string
	weight float64
}

// questionWords returns the distinct content words of a question (of what
// it asks: see asked). A word
// of a question that is not French also matches its French equivalents
// (analysis.Translate). Each word weighs the IDF of its rarest term the
// corpus knows, or the highest IDF when the corpus knows none: a word the
// documents never use is what an off-topic question looks like.
func questionWords(q string, idf func(string) (float64, bool)) []queryWord {
	translate := analysis.Detect(q) != "fr"
	seen := map[string]bool{}
	var out []queryWord
	for _, tok := range analysis.Tokens(asked(q)) {
		terms := analysis.WordTerms(tok.Text)
		folded := analysis.Fold(tok.Text)
		if len(terms) == 0 || seen[folded] {
			continue
		}
		seen[folded] = true
		if translate {
			for _, fr := range analysis.Translate(tok.Text) {
				terms = append(terms, analysis.WordTerms(fr)...)
			}
		}
		out = append(out, queryWord{folded: folded, terms: terms, weight: wordWeight(terms, idf)})
	}
	return out
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

// bag is the analysed form of a sentence: its terms and its folded words.
type bag struct {
	terms map[string]bool
	words []string
}

func newBag(text string) bag {
	b := bag{terms: map[string]bool{}}
	for _, tok := range analysis.Tokens(text) {
		ts := analysis.WordTerms(tok.Text)
		if len(ts) == 0 {
			continue
		}
		for _, t := range ts {
			b.terms[t] = true
		}
		b.words = append(b.words, analysis.Fold(tok.Text))
	}
	return b
}

// Match strengths: a shared stem is certain; a shared long prefix or
// similar spelling catches cognates across French and English
// ("investing"/"investissement", "embassy"/"ambassade") and is worth less.
const (
	exactMatch  = 1.0
	prefixMatch = 0.8
	gramMatch   = 0.7
)

// maxInflection is how many letters past a short shared prefix still read
// as an ending of the same word.
const maxInflection = 3

// match returns how well a sentence contains a question word, in [0,1].
func (b bag) match(w queryWord) float64 {
	for _, t := range w.terms {
		if b.terms[t] {
			return exactMatch
		}
	}
	best := 0.0
	for _, sw := range b.words {
		best = max(best, cognate(w.folded, sw))
		if best == prefixMatch {
			break
		}
	}
	return best
}

// cognate scores two folded words that are not the same term. A shared
// prefix of five letters is a cognate ("invest-ing", "invest-issement");
// a shorter one only when it is nearly all of both words ("taxe",
// "taxes"): a short word is the prefix of many unrelated long ones
// ("pape", "paperasse").
func cognate(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < 4 || len(rb) < 4 {
		return 0
	}
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	if p >= 5 || (p >= 4 && p >= min(len(ra), len(rb))-1 && max(len(ra), len(rb))-p <= maxInflection) {
		return prefixMatch
	}
	if dice(ra, rb) >= 0.5 {
		return gramMatch
	}
	return 0
}

// dice is the Sørensen–Dice coefficient of the character trigram sets of
// two words.
func dice(a, b []rune) float64 {
	ga, gb := trigrams(a), trigrams(b)
	if len(ga) == 0 || len(gb) == 0 {
		return 0
	}
	common := 0
	for g := range ga {
		if gb[g] {
			common++
		}
	}
	return 2 * float64(common) / float64(len(ga)+len(gb))
}

func trigrams(r []rune) map[string]bool {
	out := map[string]bool{}
	for i := 0; i+3 <= len(r); i++ {
		out[string(r[i:i+3])] = true
	}
	return out
}

// coverage is the weighted share of question words a bag contains, and
// which words it covers.
func coverage(words []queryWord, b bag) (float64, []float64) {
	var got, total float64
	per := make([]float64, len(words))
	for i, w := range words {
		per[i] = b.match(w)
		got += w.weight * per[i]
		total += w.weight
	}
	if total == 0 {
		return 0, per
	}
	return got / total, per
}
