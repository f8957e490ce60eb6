package answer

import (
	"strings"

	"github.com/citebot/citebot/analysis"
)

// bag is the analysed form of a sentence: its terms, its folded content
// words, and every folded token in order (with stopwords and numbers, for
// "a number before the noun").
type bag struct {
	terms map[string]bool
	words []string
	seq   []string
}

func newBag(text string) bag { return wordMemo(nil).bag(text) }

// wordMemo remembers how words were analysed while one question is
// answered: the same words recur across sentences, sentence pairs and
// documents, and stemming them is most of the cost of reading.
type wordMemo map[string]wordForm

type wordForm struct {
	folded string
	terms  []string
}

// thousands reports whether two tokens are the groups of one number
// written with a space: "1 000", "11 500".
func thousands(text string, prev, cur analysis.Token) bool {
	gap := strings.TrimFunc(text[prev.End:cur.Start], func(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' })
	return gap == "" && prev.End < cur.Start && len(cur.Text) == 3 && isDigits(cur.Text) && isDigits(prev.Text)
}

func isDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

func (m wordMemo) form(word string) wordForm {
	if f, ok := m[word]; ok {
		return f
	}
	f := wordForm{folded: analysis.Fold(word), terms: analysis.WordTerms(word)}
	if m != nil {
		m[word] = f
	}
	return f
}

// bag analyses text.
func (m wordMemo) bag(text string) bag {
	b := bag{terms: map[string]bool{}}
	toks := analysis.Tokens(text)
	for i, tok := range toks {
		if i > 0 && thousands(text, toks[i-1], tok) {
			// "1 000" is one number: 1000
			b.terms[toks[i-1].Text+tok.Text] = true
		}
		f := m.form(tok.Text)
		b.seq = append(b.seq, f.folded)
		if d, ok := numberValues()[f.folded]; ok {
			b.terms[d] = true // "un dollar" has the "1" of "$1"
		}
		if len(f.terms) == 0 {
			continue
		}
		for _, t := range f.terms {
			b.terms[t] = true
		}
		b.words = append(b.words, f.folded)
	}
	return b
}

// Match strengths: a shared stem is certain; a synonym or another name
// of the same entity nearly so; a shared long prefix or similar spelling
// catches cognates across French and English ("investing"/
// "investissement", "embassy"/"ambassade"); a word one or two edits away
// from a word the corpus lacks catches typos ("starmr").
const (
	exactMatch   = 1.0
	relatedMatch = 0.85
	prefixMatch  = 0.8
	typoMatch    = 0.75
	gramMatch    = 0.7
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
	for _, r := range w.related {
		if b.hasAll(r) {
			return relatedMatch
		}
	}
	if w.known {
		return 0 // the corpus spells it as asked: a look-alike is another word
	}
	best := 0.0
	for _, sw := range b.words {
		best = max(best, cognate(w.folded, sw))
		if isTypo(w.folded, sw) {
			best = max(best, typoMatch)
		}
		if best == prefixMatch {
			break
		}
	}
	return best
}

func (b bag) hasAll(terms []string) bool {
	for _, t := range terms {
		if !b.terms[t] {
			return false
		}
	}
	return true
}

// cognate scores two folded words that are not the same term. A shared
// prefix of five letters or more, over half the shorter word, is a
// cognate ("invest-ing", "invest-issement"; not "super-ficie",
// "super-puissance");
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
	short := min(len(ra), len(rb))
	if (p >= 5 && 2*p > short) || (p >= 4 && p >= short-1 && max(len(ra), len(rb))-p <= maxInflection) {
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

// isTypo reports whether a (a word the corpus lacks) is a misspelling of
// b: same first letter, one edit for words of five letters or more, two
// from eight.
func isTypo(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	n := min(len(ra), len(rb))
	if n < 5 || ra[0] != rb[0] {
		return false
	}
	limit := 1
	if n >= 8 {
		limit = 2
	}
	return editDistance(ra, rb, limit) <= limit
}

// editDistance is the Damerau–Levenshtein distance of a and b (adjacent
// swaps count one), or limit+1 when it is larger than limit.
func editDistance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2, prev, cur := make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// Role weights: a light word counts a third; a name half, since its
// document must have it anyway and the quote may say "elle"; the noun that
// names the answer's type counts nothing, since the type itself is
// checked.
var roleWeight = map[wordRole]float64{soft: 1, light: 1.0 / 3, specific: 0.5, focus: 1, counted: 1, attribute: 0}

// weightedCoverage is the weighted share of question words a bag
// contains, the same share over the words that are not names (1 when all
// are names or light), and which words it covers.
func weightedCoverage(words []queryWord, b bag) (all, topic float64, per []float64) {
	var got, total, topicGot, topicTotal float64
	per = make([]float64, len(words))
	for i, w := range words {
		per[i] = b.match(w)
		weight := w.weight * roleWeight[w.role]
		got += weight * per[i]
		total += weight
		if w.role != specific && w.role != light {
			topicGot += weight * per[i]
			topicTotal += weight
		}
	}
	all, topic = 1, 1
	if total > 0 {
		all = got / total
	}
	if topicTotal > 0 {
		topic = topicGot / topicTotal
	}
	return all, topic, per
}
