// Citation markers as the bot reads them. This file holds markerEnd
// alone so that the shared grammar of package cite can replace it with a
// one-file change; truncate and the splitter are its only callers.

package bot

import "unicode"

// markerEnd returns the position after the citation marker starting at i
// ("[12]", "[1, 3]", "[2;7]"), or -1 when none starts there.
func markerEnd(r []rune, i int) int {
	if i >= len(r) || r[i] != '[' {
		return -1
	}
	for j := i + 1; j < len(r) && j < i+40; j++ {
		c := r[j]
		switch {
		case c >= '0' && c <= '9':
		case c == ']' && j > i+1 && unicode.IsDigit(r[j-1]):
			return j + 1
		case (c == ',' || c == ';' || c == ' ') && j > i+1:
		default:
			return -1
		}
	}
	return -1
}
