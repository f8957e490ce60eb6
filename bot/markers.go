// Citation markers as the splitter reads them: through package cite, the
// one grammar the citation check and the stream filter use too, so that a
// marker the check kept is never split or cut in half here.

package bot

import "github.com/citebot/citebot/cite"

// markerEnd returns the position (in runes) after the citation marker
// starting at rune i of r, or -1 when none starts there. A marker is made
// of ASCII characters only, so the run of marker characters from i reads
// the same as bytes and as runes.
func markerEnd(r []rune, i int) int {
	if i >= len(r) || r[i] != '[' {
		return -1
	}
	j := i
	for j < len(r) && cite.IsMarkerRune(r[j]) {
		j++
	}
	if end := cite.End(string(r[i:j]), 0); end > 0 {
		return i + end
	}
	return -1
}
