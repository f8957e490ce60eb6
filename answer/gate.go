package answer

import (
	"math"
	"slices"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/retrieval"
)

// The gate declines a question before any answerer runs when retrieval
// shows no evidence at all: the question is about something else (a
// recipe, a match, some code). It is deliberately blunt. Whether the
// passages hold the answer is the answerer's call (the reader offline, the
// model otherwise, which may reply NOT_FOUND); the gate only saves the
// model call for questions the corpus plainly does not cover.
//
// Two figures decide, both from the index's own statistics:
//
//   - the best passage's BM25 score, against the IDF of a word no passage
//     holds (the highest there is): below gateBM25 of them, the best
//     passage matched little more than one common word;
//   - the share of the weight (IDF, see questionWords) of the question's
//     topic words (not its interrogatives or light words) that the corpus
//     knows at all, as written, translated, said otherwise (a synonym, a
//     lexicon expression: "feuille de route" is a plan) or misspelt;
//     numbers count but are never known.
//
// Only when both are low is there no evidence. Two kinds of question
// need more: one that asks about something the articles cannot serve
// (the asker's needs, advice, the best of something, now or tomorrow)
// and one that names a name or a year the corpus never has ("the capital
// of Australia", "the 2018 World Cup"), when its best passage matched
// little. Both pass only when three quarters of their weight is known:
// their known words are the common ones ("capital", "prix", "London"),
// which is how an off-topic question that names a known city looks like
// an answerable paraphrase. Measured (README) on tune, tune2 and tune3.
// The vector similarity of the built-in embedder did not separate the two
// (0.07–0.21 off-topic, 0.10–0.47 answerable), so it does not vote.
const (
	gateBM25  = 2.0 // times the IDF of an absent word
	gateKnown = 0.5 // share of the question's weight the corpus knows
	// A question about the asker, the moment or an absent name passes
	// only when most of it is known.
	gateKnownAside = 0.75
)

// personalRequest matches questions addressed to the bot about the
// asker's own needs: "how do I…", "comment je…", "explain…", "tu connais…".
var personalRequest = lazyRegexp(`(?i)^\W*(?:how (?:do|can|should|would) (?:i|we)\b|how to\b|` +
	`comment (?:je|on|faire|puis-je)\b|explain\b|explique|tell me\b|dis-moi|give me\b|donne-moi|` +
	`recommend|conseille|tu connais|vous connaissez|do you know|can you\b|peux-tu|pouvez-vous|` +
	`(?:write|make|draw|compose|translate|tell) me\b|write (?:a|an)\b|écris|fais-moi|dessine|raconte|traduis|translate\b)`)

// unservable matches what no news article answers, anywhere in a
// question: an opinion on the best of something, a recommendation, or
// what happens now or next ("the weather tomorrow", "le prix du bitcoin
// aujourd'hui", "un film pour ce soir").
var unservable = lazyRegexp(`(?i)(?:^|\P{L})(?:best|meilleure?s?|recommande\w*|tomorrow|demain|tonight|ce soir|` +
	`this weekend|ce week-?end|today|aujourd['’]hui|right now|en ce moment|weather|météo|meteo)(?:\P{L}|$)`)

// gateEvidence is what the gate saw, for the decision and for tests.
type gateEvidence struct {
	bestBM25, absentIDF, known float64
	// aside: the question is about the asker or the moment (personal,
	// unservable); absentName: it names a name or a year the corpus
	// does not have.
	aside, absentName, asked bool
}

// noEvidence reports whether the passages retrieved for the queries (the
// question, and its translation when there is one) show no evidence that
// the corpus is about the question at all.
func noEvidence(queries []string, passages []retrieval.Result, idf func(string) (float64, bool)) bool {
	return measureEvidence(queries, passages, idf).none()
}

func measureEvidence(queries []string, passages []retrieval.Result, idf func(string) (float64, bool)) gateEvidence {
	var e gateEvidence
	e.absentIDF, _ = idf("\x00") // no passage holds it: the highest IDF
	var words []string
	memo := wordMemo{}
	for _, p := range passages {
		e.bestBM25 = math.Max(e.bestBM25, p.BM25)
		words = append(words, memo.bag(p.Chunk.Text).words...)
	}
	slices.Sort(words)
	words = slices.Compact(words)
	for i, q := range queries {
		q = plain(q)
		french := analysis.Detect(q) == "fr"
		qw := questionWords(q, idf)
		e.asked = e.asked || slices.ContainsFunc(qw, topical)
		e.known = math.Max(e.known, knownShare(qw, french, idf, words))
		if i == 0 {
			e.aside = personalRequest().MatchString(q) || unservable().MatchString(q)
			e.absentName = slices.ContainsFunc(qw, func(w queryWord) bool {
				return nameLike(w, q) && !knownWord(w, french, idf, words)
			})
		}
	}
	return e
}

func (e gateEvidence) none() bool {
	weak := e.bestBM25 < gateBM25*e.absentIDF
	switch {
	case !e.asked: // only function words, or an emoji
		return true
	case e.aside && e.known < gateKnownAside:
		return true
	case e.absentName && weak && e.known < gateKnownAside:
		return true
	}
	return weak && e.known < gateKnown
}

// gateRefusal is the answer when the gate declines: the refusal, with the
// passages that showed no evidence, in lang.
func gateRefusal(question, lang, mode string, passages []retrieval.Result) Answer {
	return Answer{Question: question, Query: question, Lang: lang, Mode: mode, Passages: passages,
		Refused: true, GateRefused: true, Text: notFound(lang)}
}
