package corpus

import (
	"strconv"
	"unicode/utf8"
)

// Chunk is the unit citebot indexes and cites: a run of whole sentences of
// one document. Text is exactly Document.Text[Start:End], so a cited passage
// can always be found again in its document.
type Chunk struct {
	ID         string // DOC_ID#N, N counting from 0 (contract)
	DocID      string
	Text       string // == doc.Text[Start:End]
	Start, End int    // byte offsets in Document.Text
}

// ChunkOptions sets the size of chunks. Small chunks make precise
// citations; large ones give the answerer more context. The evaluation tunes
// the trade-off, so the defaults live only in DefaultChunkOptions.
type ChunkOptions struct {
	MaxChars         int // longest chunk, in runes, unless one sentence is longer
	OverlapSentences int // sentences repeated at the start of the next chunk
}

// DefaultChunkOptions returns the chunk size used unless the caller asks
// otherwise: about a paragraph of a news article, with one sentence of
// overlap so that a fact stated across a chunk boundary is still retrieved.
func DefaultChunkOptions() ChunkOptions {
	return ChunkOptions{MaxChars: 600, OverlapSentences: 1}
}

// ChunkDocument packs the sentences of d into chunks of at most o.MaxChars
// runes (MaxChars <= 0 means the default; a negative overlap means none).
// A sentence longer than MaxChars is kept whole as a chunk of its own rather
// than cut, since a chunk must only hold whole, quotable sentences.
// Consecutive chunks share o.OverlapSentences sentences, but every chunk
// brings at least one new sentence. A heading-like line (short, no final
// punctuation) starts a chunk rather than ending one: it is moved from the
// end of a chunk to the next, a chunk already half full ends before it, and
// no overlap is carried across it, so that a section starts with its title.
func ChunkDocument(d Document, o ChunkOptions) []Chunk {
	if o.MaxChars <= 0 {
		o.MaxChars = DefaultChunkOptions().MaxChars
	}
	o.OverlapSentences = max(o.OverlapSentences, 0)
	sents := SplitSentences(d.Text)
	p := packer{text: d.Text, sents: sents, max: o.MaxChars}
	var chunks []Chunk
	for first := 0; first < len(sents); {
		last := p.fill(first)
		chunks = append(chunks, p.chunk(d.ID, len(chunks), first, last))
		if last == len(sents)-1 {
			break
		}
		first = p.nextStart(first, last, o.OverlapSentences)
	}
	return chunks
}

// packer holds what the chunking steps share.
type packer struct {
	text  string
	sents []Sentence
	max   int
}

// runes is the length in runes of the span from sentence i to sentence j.
func (p packer) runes(i, j int) int {
	return utf8.RuneCountInString(p.text[p.sents[i].Start:p.sents[j].End])
}

// fill returns the last sentence of the chunk starting at sentence first:
// as many sentences as fit, but ending before a heading once the chunk is
// half full, so that a section starts a chunk when that costs little.
// Trailing headings move to the next chunk unless the chunk holds nothing
// else.
func (p packer) fill(first int) int {
	last, n := first, p.runes(first, first)
	for last+1 < len(p.sents) {
		more := utf8.RuneCountInString(p.text[p.sents[last].End:p.sents[last+1].End])
		if n+more > p.max {
			break
		}
		if p.isHeading(last+1) && !p.isHeading(last) && n >= p.max/2 {
			return last
		}
		last, n = last+1, n+more
	}
	if last+1 == len(p.sents) {
		return last
	}
	k := last
	for k > first && p.isHeading(k) {
		k--
	}
	if p.isHeading(k) {
		return last
	}
	return k
}

// nextStart returns the first sentence of the chunk after [first, last]:
// overlap sentences back from last+1, but never first itself (no progress),
// no sentence before a heading, and only as many as fit with the new
// sentence.
func (p packer) nextStart(first, last, overlap int) int {
	next := last + 1
	if p.isHeading(next) {
		return next
	}
	start := max(next-overlap, first+1)
	for start < next && p.runes(start, next) > p.max {
		start++
	}
	return start
}

// isHeading reports a sentence that is a whole heading-like line.
func (p packer) isHeading(i int) bool {
	s := p.sents[i]
	wholeLine := atLineStart(p.text, s.Start) && (s.End == len(p.text) || p.text[s.End] == '\n')
	return wholeLine && isHeadingLike(s.Text)
}

func (p packer) chunk(docID string, index, first, last int) Chunk {
	start, end := p.sents[first].Start, p.sents[last].End
	return Chunk{
		ID:    docID + "#" + strconv.Itoa(index),
		DocID: docID,
		Text:  p.text[start:end],
		Start: start,
		End:   end,
	}
}
