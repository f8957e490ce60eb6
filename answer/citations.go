package answer

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/citebot/citebot/prompts"
)

// markerRE matches a citation marker: [2], [1, 3], [1;3]. Adjacent markers
// ([1][3]) are separate matches.
var markerRE = regexp.MustCompile(prompts.CitationPattern)

// checked is a generated text after its citation markers were checked
// against the n passages the model was given.
type checked struct {
	text    string // markers pointing to no passage removed
	cited   []int  // valid passage numbers, ascending, each once
	removed int    // marker numbers that pointed to no passage
}

// checkMarkers keeps the numbers of each marker that name one of the n
// passages and removes the others; a marker left empty disappears with the
// space before it. Removing a marker can join the text around it into a
// new one ("[[9]5]" leaves "[5]"), so the text is checked again until no
// marker is removed: the result never shows an invalid marker, and checking
// it again changes nothing.
func checkMarkers(text string, n int) checked {
	c := checkOnce(text, n)
	for last := c.removed; last > 0; {
		next := checkOnce(c.text, n)
		last = next.removed
		next.removed += c.removed
		c = next
	}
	return c
}

// checkOnce is one pass of checkMarkers over the markers of text.
func checkOnce(text string, n int) checked {
	var c checked
	seen := map[int]bool{}
	var b strings.Builder
	last := 0
	for _, loc := range markerRE.FindAllStringIndex(text, -1) {
		before := text[last:loc[0]]
		var keep []string
		for _, f := range strings.FieldsFunc(text[loc[0]+1:loc[1]-1], func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
			k, err := strconv.Atoi(f)
			if err != nil || k < 1 || k > n {
				c.removed++
				continue
			}
			keep = append(keep, f)
			if !seen[k] {
				seen[k] = true
				c.cited = append(c.cited, k)
			}
		}
		if len(keep) == 0 {
			before = strings.TrimRight(before, " ")
		}
		b.WriteString(before)
		if len(keep) > 0 {
			b.WriteString("[" + strings.Join(keep, ", ") + "]")
		}
		last = loc[1]
	}
	b.WriteString(text[last:])
	c.text = b.String()
	slices.Sort(c.cited)
	return c
}

// streamFilter passes a streamed answer through to the user while checking
// its markers on the fly, so that an invalid citation is never shown: text
// from an unclosed "[" is held while it could still become a marker (see
// openMarker), and an answer that may still turn out to be the NotFound
// reply (mayBeNotFound) is held entirely. What it shows is always a prefix of what
// checkMarkers makes of the whole answer.
type streamFilter struct {
	n       int // passages
	raw     strings.Builder
	emitted int // bytes of the checked text already passed on
	out     func(string)
}

func (f *streamFilter) write(delta string) {
	f.raw.WriteString(delta)
	raw := f.raw.String()
	if mayBeNotFound(raw) {
		return
	}
	text := checkMarkers(raw, f.n).text
	// Trailing spaces wait too: they vanish if an invalid marker follows.
	f.emit(strings.TrimRight(text[:openMarker(text)], " "))
}

// openMarker returns where the part of text that later text could still
// change begins: the first "[" in the run of marker characters that ends
// text, else len(text). Until a character that cannot be in a marker
// arrives, that run could close into a marker ("[1" then "2]"), or lose
// one and join the rest into another ("[5[9" then "]]"), so it is held
// back however long it is, lest a prefix of an invalid marker be shown.
func openMarker(text string) int {
	run := len(strings.TrimRightFunc(text, isMarkerRune))
	if i := strings.IndexByte(text[run:], '['); i >= 0 {
		return run + i
	}
	return len(text)
}

// isMarkerRune reports the characters markerRE can match.
func isMarkerRune(r rune) bool {
	return strings.ContainsRune("[]0123456789,; \t\n\f\r", r)
}

// flush passes on whatever was held back, once the stream has ended.
func (f *streamFilter) flush() {
	raw := f.raw.String()
	if isNotFound(raw) {
		return
	}
	f.emit(checkMarkers(raw, f.n).text)
}

func (f *streamFilter) emit(text string) {
	// Removing a marker can shorten the text only at the end of what was
	// held back, never before what was already shown.
	if len(text) > f.emitted && f.out != nil {
		f.out(text[f.emitted:])
		f.emitted = len(text)
	}
}
