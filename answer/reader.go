package answer

import (
	"cmp"
	"slices"
	"strings"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

// The reader decides, for each part of a question, which retrieved
// sentence answers it, if any. A sentence answers when
//
//   - it covers enough of the question's weighted words (coverage), and
//     enough of the words that are not names (a sentence about Keir
//     Starmer does not answer "how much does Keir Starmer earn" unless it
//     says something about earning);
//   - every name, number, year or month of the question is in the
//     sentence's document ("how much did OpenAI raise in 2022" is not
//     answered by the 2025 round);
//   - it holds the asked noun ("quelle superficie…") and, for "how many
//     N", a number before N;
//   - it holds the kind of answer asked for: a sum, a date, a percentage,
//     a place, a title (see answerType).
//
// A question none of whose parts is answered is declined, naming a term
// no passage has when there is one; a question some of whose parts are
// answered gets those answers and a line saying what is missing.

// reading is the reader's view of the retrieved passages.
type reading struct {
	passages []retrieval.Result
	units    []analysedUnit
	// docText has the text of each document of the passages (the whole
	// document when the index lists chunks, else its retrieved passages),
	// with its title and date; docs their bags, made on demand (doc).
	docText map[string]string
	docs    map[string]bag
	memo    wordMemo
	// proper holds the folded words the passages write as names.
	proper map[string]bool
	idf    func(string) (float64, bool)
}

// chunkLister is what a Searcher may also do: list a document's chunks
// (a *retrieval.Index and a retrieval.Live do), so that the names of a
// question are looked for in the whole document of a quote, not only in
// the passages retrieved from it.
type chunkLister interface {
	Chunks(docID string) []corpus.Chunk
}

func newReading(passages []retrieval.Result, units []analysedUnit, ix Searcher) reading {
	r := reading{passages: passages, units: units, docs: map[string]bag{}, docText: map[string]string{},
		memo: wordMemo{}, proper: properWords(passages), idf: ix.IDF}
	lister, whole := ix.(chunkLister)
	for _, p := range passages {
		if _, ok := r.docText[p.Doc.ID]; ok {
			continue
		}
		var b strings.Builder
		b.WriteString(p.Doc.Title + "\n" + p.Doc.Date + "\n")
		var chunks []corpus.Chunk
		if whole {
			chunks = lister.Chunks(p.Doc.ID)
		}
		for _, q := range passages {
			if q.Doc.ID == p.Doc.ID && len(chunks) == 0 {
				b.WriteString(q.Chunk.Text + "\n")
			}
		}
		for _, c := range chunks {
			b.WriteString(c.Text + "\n")
		}
		r.docText[p.Doc.ID] = b.String()
	}
	return r
}

// doc returns the bag of a document's text, analysed on first use: most
// questions name nothing, and their documents are never analysed.
func (r reading) doc(id string) bag {
	b, ok := r.docs[id]
	if !ok {
		b = r.memo.bag(r.docText[id])
		r.docs[id] = b
	}
	return b
}

// Thresholds of the reader, measured with citebot eval on the tuning,
// dev and held-out sets (README): DefaultMinCoverage is the share of the
// question's weight a quote must cover (Extractive.MinCoverage,
// -min-coverage), and minTopicCoverage the share of the weight of its
// words that are not names. Fact recall and refusal accuracy are flat for
// 0.35–0.4 and 0.27–0.34; below, quotes about something else come in
// (held-out refusal accuracy 0.9), above, answers are lost (tuning fact
// recall 0.74 at 0.5).
const (
	DefaultMinCoverage = 0.4
	minTopicCoverage   = 0.3
	// minAnchoredCoverage is the coverage an anchored unit needs.
	minAnchoredCoverage = 0.15
)

// verdict is how one part fared: the units that answer it, best first.
type verdict struct {
	part    part
	answers []unit
}

// read returns a verdict for each part of the question.
func (r reading) read(parts []part, minCoverage float64) []verdict {
	var out []verdict
	for _, p := range parts {
		v := verdict{part: p}
		for _, u := range r.score(p) {
			covered := u.coverage >= minCoverage && u.topic >= minTopicCoverage
			if (covered || r.anchored(p, u)) && r.accepts(p, u) {
				v.answers = append(v.answers, u)
			}
		}
		out = append(out, v)
	}
	return out
}

// score scores every unit for part p, best first.
func (r reading) score(p part) []unit {
	out := make([]unit, 0, len(r.units))
	for _, a := range r.units {
		u := a.unit
		u.coverage, u.topic, u.covers = weightedCoverage(p.words, a.bag)
		u.score = u.coverage*u.shape + 0.05/float64(u.passage+1)
		if p.want != anyAnswer && r.holds(p, a) {
			u.score *= typeBonus
		}
		out = append(out, u)
	}
	slices.SortStableFunc(out, func(a, b unit) int { return cmp.Compare(b.score, a.score) })
	return out
}

// accepts applies the checks that do not depend on coverage.
func (r reading) accepts(p part, u unit) bool {
	a := r.units[u.index]
	doc := r.doc(r.passages[u.passage].Doc.ID)
	for _, w := range p.words {
		switch w.role {
		case specific:
			if doc.match(w) < typoMatch {
				return false
			}
		case focus:
			if a.bag.match(w) < typoMatch {
				return false
			}
		case counted:
			if !numberBefore(a.text, w) {
				return false
			}
		}
	}
	return (!p.want.required() || r.holds(p, a)) && r.listScoped(p, a)
}

// anchored reports whether a unit holds, itself, every name of the part
// and its asked noun (or the type that noun asks for): such a sentence
// answers a paraphrase whose other words the articles say otherwise
// ("which organisation had looked at the Microsoft tie-up" is answered
// by "…Microsoft avait suscité l'attention du régulateur…"), however
// little of them it covers.
func (r reading) anchored(p part, u unit) bool {
	a := r.units[u.index]
	names, asked := 0, false
	for i, w := range p.words {
		switch w.role {
		case specific:
			if u.covers[i] < relatedMatch {
				return false
			}
			names++
		case focus, counted:
			asked = true // checked by accepts
		case attribute:
			asked = asked || u.covers[i] >= relatedMatch || p.want != anyAnswer && r.holds(p, a)
		}
	}
	return names > 0 && asked && u.coverage >= minAnchoredCoverage
}
