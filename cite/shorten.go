package cite

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ellipsis marks where Shorten cut a text.
const Ellipsis = "…"

// Shorten returns s cut to at most n runes, the ending Ellipsis included.
// It counts runes so that a multibyte character is never split, cuts at a
// word boundary when one lies in the last fifth of the room (a half word
// reads as a typo, but a long word should not empty the text), and drops a
// citation marker the cut would leave open ("[1" is noise). Text that fits
// is returned as is.
func Shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	cut := n - 1 // room for the ellipsis
	for i := cut; i > 0 && i >= cut/2; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
	}
	kept := string(r[:cut])
	if j := strings.LastIndexByte(kept, '['); j >= 0 {
		if end := End(s, j); end > len(kept) {
			kept = kept[:j]
		}
	}
	return strings.TrimRightFunc(kept, unicode.IsSpace) + Ellipsis
}
