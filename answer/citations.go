package answer

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/citebot/citebot/cite"
)

// checked is a generated text after its citation markers were checked
// against the n passages the model was given.
type checked struct {
	text    string // markers pointing to no passage removed
	cited   []int  // valid passage numbers, ascending, each once
	removed int    // marker numbers that pointed to no passage
}

// checkMarkers keeps the numbers of each marker (cite.Find) that name one
// of the n passages and removes the others; a marker left empty disappears
// with the blanks before it. Removing a marker can join the text around it
// into a new one ("[[9]5]" leaves "[5]"), so the text is checked again
// until no marker is removed: the result never shows an invalid marker,
// and checking it again changes nothing. Each pass is linear; only nested
// invalid markers need more than one.
func checkMarkers(text string, n int) checked {
	c := checkOnce(text, n)
	for last := c.removed; last > 0; {
		next := checkOnce(c.text, n)
		last = next.removed
		next.removed += c.removed
		next.cited = mergeCited(c.cited, next.cited)
		c = next
	}
	return c
}

// checkOnce is one pass of checkMarkers over the markers of text.
func checkOnce(text string, n int) checked {
	var c checked
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, m := range cite.Find(text) {
		before := text[last:m.Start]
		var keep []int
		for _, k := range m.Nums {
			if k < 1 || k > n {
				c.removed++
				continue
			}
			keep = append(keep, k)
			c.cited = append(c.cited, k)
		}
		if len(keep) == 0 {
			before = strings.TrimRight(before, " \t")
		}
		b.WriteString(before)
		if len(keep) > 0 {
			b.WriteString(cite.Format(keep))
		}
		last = m.End
	}
	b.WriteString(text[last:])
	c.text = b.String()
	c.cited = mergeCited(nil, c.cited)
	return c
}

// mergeCited is the numbers of a and b, ascending, each once.
func mergeCited(a, b []int) []int {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// streamFilter passes a streamed answer through to the user while checking
// its markers on the fly, so that an invalid citation is never shown. It
// works in linear time: text is checked once, in segments that end where a
// run of marker characters begins (see cite.Open), because what precedes
// such a run can no longer change whatever arrives next; the run itself is
// held until a character that cannot be in a marker closes it. An answer
// that may still turn out to be the NotFound reply (mayBeNotFound) is held
// entirely. What it shows is always a prefix of what checkMarkers makes of
// the whole answer.
type streamFilter struct {
	n   int // passages
	raw strings.Builder
	// settled is how much of raw has been checked and passed on; runStart
	// is where the trailing run of marker characters begins.
	settled, runStart int
	// answering is set once the reply can no longer be the NotFound one.
	answering bool
	out       func(string)
}

func (f *streamFilter) write(delta string) {
	start := f.raw.Len()
	f.raw.WriteString(delta)
	if i := lastNonMarker(delta); i >= 0 {
		f.runStart = start + i
	}
	raw := f.raw.String()
	if !f.answering {
		if mayBeNotFound(raw) {
			return
		}
		f.answering = true
	}
	// The run may begin with blanks that an invalid marker after them
	// would take away; text before the run is final.
	f.emitChecked(raw[f.settled:f.runStart])
	f.settled = f.runStart
}

// lastNonMarker returns the byte position just after the last rune of s
// that cannot be part of a marker, or -1 when every rune can.
func lastNonMarker(s string) int {
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !cite.IsMarkerRune(r) {
			return i
		}
		i -= size
	}
	return -1
}

// flush passes on whatever was held back, once the stream has ended.
func (f *streamFilter) flush() {
	raw := f.raw.String()
	if isNotFound(raw) {
		return
	}
	f.emitChecked(raw[f.settled:])
	f.settled = len(raw)
}

func (f *streamFilter) emitChecked(segment string) {
	if segment == "" || f.out == nil {
		return
	}
	if text := checkMarkers(segment, f.n).text; text != "" {
		f.out(text)
	}
}
