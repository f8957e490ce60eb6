package answer

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"

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
//     knows at all, as written, translated or misspelt; numbers count but
//     are never known.
//
// Only when both are low is there no evidence. Measured (README): every
// off-topic question of tune.jsonl and 15 of the 18 of tune2.jsonl fall
// under both lines, no answerable question of dev, held-out and tune does
// (1 of tune2's 16 does). The vector similarity of the built-in embedder
// did not separate the two (0.07–0.21 off-topic, 0.10–0.47 answerable), so
// it does not vote.
const (
	gateBM25  = 2.0 // times the IDF of an absent word (7.3 on the default corpus)
	gateKnown = 0.5 // share of the question's weight the corpus knows
	// A question that asks the bot for instructions or advice ("how do I
	// center a div", "tu connais un bon resto") is about the asker, not
	// about the articles: it passes only when most of it is known.
	gateKnownPersonal = 0.75
)

// personalRequest matches questions addressed to the bot about the
// asker's own needs: "how do I…", "comment je…", "explain…", "tu connais…".
var personalRequest = regexp.MustCompile(`(?i)^\W*(?:how (?:do|can|should|would) (?:i|we)\b|how to\b|` +
	`comment (?:je|on|faire|puis-je)\b|explain\b|explique|tell me\b|dis-moi|give me\b|donne-moi|` +
	`recommend|conseille|tu connais|vous connaissez|do you know|can you\b|peux-tu|pouvez-vous|` +
	`(?:write|make|draw|compose|translate|tell) me\b|write (?:a|an)\b|écris|fais-moi|dessine|raconte|traduis|translate\b)`)

// gateEvidence is what the gate saw, for the decision and for tests.
type gateEvidence struct {
	bestBM25, absentIDF, known float64
	personal, asked            bool
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
		qw := questionWords(q, idf)
		e.asked = e.asked || slices.ContainsFunc(qw, topical)
		e.known = math.Max(e.known, knownShare(qw, analysis.Detect(q) == "fr", idf, words))
		if i == 0 {
			e.personal = personalRequest.MatchString(q)
		}
	}
	return e
}

func (e gateEvidence) none() bool {
	switch {
	case !e.asked: // only function words, or an emoji
		return true
	case e.personal && e.known < gateKnownPersonal:
		return true
	}
	return e.bestBM25 < gateBM25*e.absentIDF && e.known < gateKnown
}

// knownShare is the share of the words' weight that the corpus knows,
// as written or misspelt (a typo of a word of the passages: "starmr"). A
// word of a French question counts only as written: its translations are
// guesses for mixed questions, and would make "Tour de France" known by
// its English reading.
func knownShare(words []queryWord, french bool, idf func(string) (float64, bool), passageWords []string) float64 {
	var known, total float64
	for _, w := range words {
		if !topical(w) {
			continue
		}
		total += w.weight
		terms := w.terms
		if french {
			terms = analysis.WordTerms(w.text)
		}
		number := strings.ContainsFunc(w.folded, unicode.IsDigit)
		if !number && anyKnown(terms, idf) ||
			slices.ContainsFunc(passageWords, func(p string) bool { return isTypo(w.folded, p) }) {
			known += w.weight
		}
	}
	if total == 0 {
		return 0
	}
	return known / total
}

// topical reports whether a word says what a question is about:
// interrogatives and light words ("aujourd'hui", "say") do not. Numbers
// do, but never as known: "12" in "combien font 12 fois 7" is no evidence
// that the articles are about it, and a year they never give ("le Tour de
// France 2022") is evidence that they are not.
func topical(w queryWord) bool {
	return !lightWords[w.folded] && !cueWords[w.folded]
}

// gateRefusal is the answer when the gate declines: the refusal, with the
// passages that showed no evidence.
func gateRefusal(question, mode string, passages []retrieval.Result) Answer {
	lang := Language(question, passages)
	return Answer{Question: question, Query: question, Lang: lang, Mode: mode, Passages: passages,
		Refused: true, GateRefused: true, Text: notFound(lang)}
}
