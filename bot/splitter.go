// The splitter's view of a text, computed once: code blocks, citation
// markers and sentence ends, and the cut rules that read them.

package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// splitter holds what splitMessage computes once over the whole text, so
// that finding each cut costs time in proportion to the part, not the
// text. Positions index the gaps between runes: position p is before r[p].
type splitter struct {
	r        []rune
	limit    int
	end      int // after the last non-space rune
	blocks   []codeBlock
	in       []int32 // per position: the block it is strictly inside, or -1
	marker   []bool  // per position: strictly inside a citation marker
	sentence []bool  // per position: right after a sentence and its markers
	rules    []func(int) bool
}

// codeBlock is a ``` fenced block as Discord reads it: fences pair up left
// to right, anywhere in a line; an info string counts only when a newline
// follows it.
type codeBlock struct {
	start, body, close, end int // opening ```, first body rune, closing ```, after it
	last                    int // last non-space rune of the body
	info                    string
}

// opener reopens the block in the next part, with its info string so the
// code keeps its highlighting.
func (b codeBlock) opener() string { return "```" + b.info + "\n" }

// newSplitter reads text once for every part: blocks, markers and
// sentence ends, and where the text ends before trailing space.
func newSplitter(text string, limit int) *splitter {
	r := []rune(text)
	s := &splitter{r: r, limit: limit, end: len(r), in: make([]int32, len(r)+1),
		marker: make([]bool, len(r)+1), sentence: make([]bool, len(r)+1)}
	for s.end > 0 && unicode.IsSpace(r[s.end-1]) {
		s.end--
	}
	s.rules = []func(int) bool{s.paragraph, s.line, s.sentenceEnd, s.space}
	s.findBlocks()
	s.findMarkers()
	return s
}

// findBlocks finds the code blocks as Discord pairs their fences and
// marks the positions inside each, so cuts can keep code intact.
func (s *splitter) findBlocks() {
	r := s.r
	for i := range s.in {
		s.in[i] = -1
	}
	for i := 0; i+3 <= len(r); i++ {
		if !isFence(r, i) {
			continue
		}
		b := codeBlock{start: i, body: i + 3, close: len(r), end: len(r)}
		j := i + 3
		for j < len(r) && isInfoRune(r[j]) {
			j++
		}
		if j > i+3 && j < len(r) && r[j] == '\n' {
			b.info, b.body = string(r[i+3:j]), j+1
		}
		for k := b.body; k+3 <= len(r); k++ {
			if isFence(r, k) {
				b.close, b.end = k, k+3
				break
			}
		}
		b.last = b.close - 1
		for b.last >= b.body && unicode.IsSpace(r[b.last]) {
			b.last--
		}
		for p := b.start + 1; p < b.end; p++ {
			s.in[p] = int32(len(s.blocks))
		}
		s.blocks = append(s.blocks, b)
		i = b.end - 1
	}
}

// isFence reports a ``` at i; the caller ensures three runes remain.
func isFence(r []rune, i int) bool { return r[i] == '`' && r[i+1] == '`' && r[i+2] == '`' }

// isInfoRune accepts what Discord takes as a code block's language.
func isInfoRune(c rune) bool {
	return c < utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c) || strings.ContainsRune("_+-.#", c))
}

// findMarkers marks the positions inside citation markers, where no cut
// may fall, and the sentence ends, after any markers that follow them,
// since a marker belongs to the sentence before it.
func (s *splitter) findMarkers() {
	r := s.r
	for i := 0; i < len(r); i++ {
		if e := markerEnd(r, i); e > 0 {
			for p := i + 1; p < e; p++ {
				s.marker[p] = true
			}
			i = e - 1
			continue
		}
		if strings.ContainsRune(".?!…", r[i]) && i+1 < len(r) && unicode.IsSpace(r[i+1]) {
			j := i + 1
			for k := s.skipSpace(j); markerEnd(r, k) > 0; k = s.skipSpace(j) {
				j = markerEnd(r, k)
			}
			s.sentence[j] = true
		}
	}
}

// skipSpace returns the first non-space position from i.
func (s *splitter) skipSpace(i int) int {
	for i < len(s.r) && unicode.IsSpace(s.r[i]) {
		i++
	}
	return i
}

// The cut rules, best first: each tells whether position p is such a cut.
//
// paragraph: a blank line.
func (s *splitter) paragraph(p int) bool {
	return p+1 < len(s.r) && s.r[p] == '\n' && s.r[p+1] == '\n'
}

// line: a line break, or the edge of a code block.
func (s *splitter) line(p int) bool {
	edge := s.in[p] < 0 && ((p > 0 && s.in[p-1] >= 0) || (p < len(s.r) && s.in[p+1] >= 0))
	return edge || (p < len(s.r) && s.r[p] == '\n')
}

// sentenceEnd: after a sentence and its markers (see findMarkers).
func (s *splitter) sentenceEnd(p int) bool { return s.sentence[p] }

// space refuses the space before a marker: the marker belongs to the text
// before it.
func (s *splitter) space(p int) bool {
	return p < len(s.r) && unicode.IsSpace(s.r[p]) && markerEnd(s.r, s.skipSpace(p)) < 0
}

// skipBlank returns where the part after a cut at from starts: at its
// first non-space rune, or inside a code block at the start of that rune's
// line, keeping the code's indentation. After a cut in the middle of a
// line, the spaces at the cut are not indentation and are dropped.
func (s *splitter) skipBlank(from int) (pos, first int) {
	pos, first = from, from
	for first < len(s.r) && unicode.IsSpace(s.r[first]) {
		if s.r[first] == '\n' {
			pos = first + 1
		}
		first++
	}
	lineStart := pos == 0 || s.r[pos-1] == '\n'
	if _, ok := s.bodyAt(first); !ok || !lineStart {
		pos = first
	}
	return pos, first
}

// bodyAt reports the code block whose body holds rune i.
func (s *splitter) bodyAt(i int) (codeBlock, bool) {
	if i >= len(s.r) || s.in[i] < 0 {
		return codeBlock{}, false
	}
	b := s.blocks[s.in[i]]
	return b, b.body <= i && i < b.close
}

// fits reports whether a part can close b's fence, reopen it and still
// hold some code; with smaller limits a block is cut as plain text.
func (s *splitter) fits(b codeBlock) bool {
	return discordLen(b.opener())+len(closeFence) < s.limit
}
