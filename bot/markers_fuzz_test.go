package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/citebot/citebot/cite"
)

// FuzzMarkersAgree checks that the splitter and truncate see citation
// markers exactly where package cite (and so the citation check and the
// stream filter) sees them: no cut falls inside a marker cite finds, and
// a shortened text never ends in part of one.
func FuzzMarkersAgree(f *testing.F) {
	for i, s := range []string{"Fait [1]. Autre [1, 3] et [ 2] puis [1 3][4].", "[12 fin [5[9]] x", strings.Repeat("mot [1, 22] ", 60)} {
		f.Add(s, 20+i*40)
	}
	f.Fuzz(func(t *testing.T, text string, limit int) {
		// Code fences change where cuts may go; they have their own test.
		text = strings.ToValidUTF8(strings.ReplaceAll(text, "`", ""), "?")
		limit = 20 + int(uint(limit)%400)
		runes := []rune(text)
		markers := runeSpans(text)
		_, cuts := splitMessageCuts(text, limit)
		for _, p := range cuts {
			for _, m := range markers {
				if m[0] < p && p < m[1] && m[1]-m[0] <= limit {
					t.Fatalf("limit %d: cut at %d inside marker %q of %q", limit, p, string(runes[m[0]:m[1]]), text)
				}
			}
		}
		short := strings.TrimSuffix(truncate(text, limit), cite.Ellipsis)
		if j := strings.LastIndexByte(short, '['); j >= 0 && short != text {
			if end := cite.End(text, j); end > len(short) {
				t.Fatalf("limit %d: %q ends inside marker %q", limit, short, text[j:end])
			}
		}
	})
}

// runeSpans returns cite.Find's markers of text as rune offsets.
func runeSpans(text string) [][2]int {
	var out [][2]int
	for _, m := range cite.Find(text) {
		start := utf8.RuneCountInString(text[:m.Start])
		out = append(out, [2]int{start, start + utf8.RuneCountInString(text[m.Start:m.End])})
	}
	return out
}
