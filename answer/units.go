package answer

import (
	"strings"
	"unicode/utf8"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

// unit is a quotable span of a passage: one sentence, or a sentence with
// the one after it (an answer often straddles two), extended over the lines
// a sentence ending in ":" announces.
type unit struct {
	passage    int // index in the retrieved passages
	index      int // index in the analysed units
	start, end int // byte offsets in the passage's chunk text
	shape      float64
	score      float64
	coverage   float64
	topic      float64 // coverage of the words that are not names
	covers     []float64
}

// pairDiscount makes a two-sentence unit win only when the second sentence
// adds evidence, not merely words.
const pairDiscount = 0.92

func (u unit) text(chunk string) string { return chunk[u.start:u.end] }

func (u unit) runes(passages []retrieval.Result) int {
	return utf8.RuneCountInString(u.text(passages[u.passage].Chunk.Text))
}

// docSpan is the unit's position in its document, to detect the same
// sentence quoted from two overlapping chunks.
func (u unit) docSpan(passages []retrieval.Result) (string, int, int) {
	c := passages[u.passage].Chunk
	return c.DocID, c.Start + u.start, c.Start + u.end
}

func overlapsAny(u unit, chosen []unit, passages []retrieval.Result) bool {
	doc, s, e := u.docSpan(passages)
	for _, c := range chosen {
		cd, cs, ce := c.docSpan(passages)
		if cd == doc && s < ce && cs < e {
			return true
		}
	}
	return false
}

// passageUnits lists the units of one passage.
func passageUnits(passage int, chunk string) []unit {
	sents := corpus.SplitSentences(chunk)
	var out []unit
	for i := range sents {
		last := extend(sents, i)
		out = append(out, unit{passage: passage, start: sents[i].Start, end: sents[last].End, shape: shapeFactor(sents[i].Text)})
		if next := last + 1; next < len(sents) {
			last = extend(sents, next)
			out = append(out, unit{passage: passage, start: sents[i].Start, end: sents[last].End,
				shape: shapeFactor(sents[i].Text) * pairDiscount})
		}
	}
	return out
}

// extend returns the index of the last sentence that belongs with sentence
// i: a sentence ending in ":" or a heading introduces what follows (up to
// three list items or one sentence), so quoting it alone would cut the
// answer off.
func extend(sents []corpus.Sentence, i int) int {
	last := i
	for n := 0; n < 3 && last+1 < len(sents); n++ {
		cur, next := strings.TrimSpace(sents[last].Text), strings.TrimSpace(sents[last+1].Text)
		introduces := strings.HasSuffix(cur, ":") || (last == i && isHeading(cur))
		inList := n > 0 && isListItem(next) && isListItem(cur)
		if !introduces && !inList {
			break
		}
		last++
	}
	return last
}

func isListItem(s string) bool {
	return strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "• ") || strings.HasPrefix(s, "* ")
}

// isHeading recognises a short line without final punctuation.
func isHeading(s string) bool {
	if len(strings.Fields(s)) > 12 || isListItem(s) {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!?…:;»\")", r)
}

// shapeFactor discounts units that rarely answer anything on their own:
// headings, fragments of a few words, and the article's own questions.
func shapeFactor(s string) float64 {
	f := 1.0
	if len(strings.Fields(s)) < 6 {
		f *= 0.6
	}
	if strings.HasSuffix(strings.TrimRight(s, " »\""), "?") {
		f *= 0.7
	}
	return f
}
