// Package cite defines the one grammar of citation markers — the "[2]" or
// "[1, 3]" that tie a sentence of an answer to the passages it comes from —
// for every part of citebot that reads them: the prompt check, the stream
// filter, the Discord renderer and the message splitter. They must agree on
// where a marker is, or a citation the check accepted could be shown raw,
// cut in half or dropped; so none of them parses markers on its own.
//
// The grammar:
//
//	marker = "[" blank* number ( separator number )* blank* "]"
//	separator = blank* ( "," | ";" ) blank* | blank+
//	number = one or more ASCII digits
//	blank = space or tab
//
// So "[1]", "[ 1]", "[1, 3]", "[1;3]" and "[1 3]" are markers; "[1][3]"
// is two; "[12" (unclosed), "[]", "[a]", a marker broken across lines and
// full-width brackets ("［1］") are not. "[0]" is a marker whose number
// names no passage: whether a number is valid is the caller's business.
package cite

import (
	"strconv"
	"strings"
)

// Marker is one citation marker in a text: its byte span and its numbers
// in the order written. A number too large to represent is kept as 0,
// which names no passage.
type Marker struct {
	Start, End int
	Nums       []int
}

// Find returns the markers of s, left to right. Markers never overlap: the
// scan resumes after each one.
func Find(s string) []Marker {
	var out []Marker
	for i := 0; i < len(s); i++ {
		if s[i] != '[' {
			continue
		}
		if m, ok := parseAt(s, i); ok {
			out = append(out, m)
			i = m.End - 1
		}
	}
	return out
}

// End returns the byte position just after the marker that starts at byte
// i of s, or -1 when no marker starts there.
func End(s string, i int) int {
	if m, ok := parseAt(s, i); ok {
		return m.End
	}
	return -1
}

// parseAt reads the marker starting at byte i of s.
func parseAt(s string, i int) (Marker, bool) {
	if i < 0 || i >= len(s) || s[i] != '[' {
		return Marker{}, false
	}
	m := Marker{Start: i}
	j := skipBlank(s, i+1)
	for {
		k := skipDigits(s, j)
		if k == j {
			return Marker{}, false
		}
		n, err := strconv.Atoi(s[j:k])
		if err != nil {
			n = 0
		}
		m.Nums = append(m.Nums, n)
		j = skipBlank(s, k)
		switch {
		case j < len(s) && s[j] == ']':
			m.End = j + 1
			return m, true
		case j < len(s) && (s[j] == ',' || s[j] == ';'):
			j = skipBlank(s, j+1)
		case j == k:
			return Marker{}, false // a number followed by neither blank, separator nor "]"
		}
	}
}

func skipBlank(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func skipDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// Open returns where the part of s that more text could still turn into
// (or join to) a marker begins: the first "[" of the run of marker
// characters that ends s, else len(s). A stream shows text only up to
// there, since "[1" may become "[12]" and "[5[9" may become "[5[9]]", whose
// inner marker, once removed as invalid, leaves "[5]". The run is held
// whatever its length, so no prefix of a marker is ever shown.
func Open(s string) int {
	run := len(strings.TrimRightFunc(s, IsMarkerRune))
	if i := strings.IndexByte(s[run:], '['); i >= 0 {
		return run + i
	}
	return len(s)
}

// IsMarkerRune reports whether r can appear inside a marker.
func IsMarkerRune(r rune) bool {
	return r == '[' || r == ']' || r == ',' || r == ';' || r == ' ' || r == '\t' || (r >= '0' && r <= '9')
}

// Format writes numbers as one marker, "[1, 3]", the form citebot shows.
func Format(nums []int) string {
	parts := make([]string, len(nums))
	for i, n := range nums {
		parts[i] = strconv.Itoa(n)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Remove deletes every marker of s with the blanks before it, for text
// whose markers point to passages that are no longer shown.
func Remove(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range Find(s) {
		b.WriteString(strings.TrimRight(s[last:m.Start], " \t"))
		last = m.End
	}
	b.WriteString(s[last:])
	return b.String()
}
