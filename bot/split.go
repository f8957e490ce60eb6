// Message splitting: an answer longer than Discord's 2000-rune limit as
// several messages, each cut where a reader expects a break.

package bot

import (
	"strings"
	"unicode"
)

// splitMessage splits text into parts of at most limit runes, for
// Discord's 2000-rune message limit. Each part ends at the best cut that
// fits, in this order: the last paragraph break ("\n\n"), the last line
// break (or code block edge), the last sentence end (". ", "? ", "! ",
// "… ", after any [n] markers that follow it), the last space, else
// anywhere. A cut never falls inside a citation marker like [12] or
// [1, 3], since a reader could not follow half a marker, nor inside a ```
// code block, which would show the rest of the message as code — unless
// the block alone is longer than a part: then the part closes the fence
// and the next reopens it with the same info string. Parts are trimmed of
// surrounding blank lines and never empty; blank text gives no parts.
func splitMessage(text string, limit int) []string {
	parts, _ := splitMessageCuts(text, limit)
	return parts
}

// splitMessageCuts is splitMessage also returning, for each part, the rune
// position in text where it was cut, so tests can check the cuts against
// citation markers on the very loop the bot runs.
func splitMessageCuts(text string, limit int) (parts []string, cuts []int) {
	s := newSplitter(text, max(limit, 1))
	p := 0
	for pos, first := s.skipBlank(0); first < s.end; pos, first = s.skipBlank(p) {
		var part string
		part, p = s.next(pos, first)
		parts, cuts = append(parts, part), append(cuts, p)
	}
	return parts, cuts
}

// closeFence ends a part cut inside a code block.
const closeFence = "\n```"

// next returns the part starting at pos, whose first non-space rune is at
// first, and the position after it.
func (s *splitter) next(pos, first int) (string, int) {
	prefix := ""
	if b, ok := s.bodyAt(first); ok && s.fits(b) {
		prefix = b.opener()
	}
	w := pos + s.limit - discordLen(prefix)
	if prefix == "" || first >= w-len(closeFence) { // no code line to indent, or no room
		w, pos = w+first-pos, first
	}
	if s.end <= w {
		return prefix + string(s.r[pos:s.end]), s.end
	}
	p, inside := s.cut(first, w)
	if b, ok := s.fenceOutOfReach(first, w, p, inside); ok {
		return prefix + strings.TrimRightFunc(string(s.r[pos:b.last+1]), unicode.IsSpace) + closeFence, b.end
	}
	part := prefix + strings.TrimRightFunc(string(s.r[pos:p]), unicode.IsSpace)
	if inside {
		part += closeFence
	}
	return part, p
}

// fenceOutOfReach reports a window that holds the rest of a closed block's
// code but ends in the spaces or the fence after it, where cut found no
// better place than inside them ("```go\nx" + many spaces + "\n```"). The
// part then ends the code and closes the block with its own fence, and
// the next part starts after the block's fence.
func (s *splitter) fenceOutOfReach(first, w, p int, inside bool) (codeBlock, bool) {
	if p != w || inside || s.in[w] < 0 {
		return codeBlock{}, false
	}
	b := s.blocks[s.in[w]]
	ok := b.close < len(s.r) && s.fits(b) && first <= b.last &&
		(first <= b.start || first >= b.body) && b.last+1+len(closeFence) <= w
	return b, ok
}

// cut returns the best cut in (first, w] and whether it is inside a code
// block, which the part must then close. A natural cut outside blocks
// comes first, then a natural cut inside the block that the window ends
// in (it is longer than a part), then any cut outside, then any inside.
func (s *splitter) cut(first, w int) (int, bool) {
	b, lo, hi, fenced := int32(-1), 0, 0, true
	if b = s.in[w]; b >= 0 {
		blk := s.blocks[b]
		// Leave room to close the fence, and body text to reopen it with.
		lo, hi = max(first, blk.body), min(w-len(closeFence), blk.last)
		if fenced = s.fits(blk); !fenced {
			lo, hi = first, w // no room for fences: cut the block as text
		}
	}
	anywhere := []func(int) bool{func(int) bool { return true }}
	for _, rules := range [][]func(int) bool{s.rules, anywhere} {
		if p := s.scan(rules, -1, first, w); p >= 0 {
			return p, false
		}
		if b < 0 {
			continue
		}
		if p := s.scan(rules, b, lo, hi); p >= 0 {
			return p, fenced
		}
	}
	if b >= 0 && hi > lo { // a marker longer than the part: the fences matter more
		return hi, fenced
	}
	return w, false
}

// scan returns the last position in (lo, hi] inside block b (-1: outside
// every block) and outside markers that the first accepting rule allows.
func (s *splitter) scan(rules []func(int) bool, b int32, lo, hi int) int {
	for _, ok := range rules {
		for p := hi; p > lo; p-- {
			if s.in[p] == b && !s.marker[p] && ok(p) {
				return p
			}
		}
	}
	return -1
}
