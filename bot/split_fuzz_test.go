package bot

import (
	"slices"
	"strings"
	"testing"
)

// splitSeeds are texts that stress splitMessage: French typography,
// markers at and across cut points, code fences balanced or not, bidi and
// zero-width characters, invalid UTF-8, and lines longer than a message.
var splitSeeds = []string{
	"",
	" \n\n ",
	"Le Royaume-Uni signe un accord [1]. Il a levé 1,5 milliard [2, 3]… Vraiment ? « Oui » [9].",
	"aaaaaaaa[12]bbbbbbbb [1, 99] cccc [1;3]dddd",
	"NOT_FOUND",
	"Intro.\n\n```go\nfmt.Println(\"[1]\")\n\tx := 1\n```\n\nOutro [1].",
	"un ``` seul et [2",
	"```python\n" + strings.Repeat("print(1) # [1]\n", 80) + "```",
	"\u202Etexte inversé\u202C [1]\u200B[2]\u200B.",
	"\xff\xfe [1] \xc3",
	strings.Repeat("é", 2500),
	strings.Repeat("mot ", 700) + "[1].",
	strings.Repeat("[1][2]", 400),
	"[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] fin",
}

func FuzzSplitMessage(f *testing.F) {
	for i, s := range splitSeeds {
		f.Add(s, 10+i*150)
	}
	f.Fuzz(func(t *testing.T, text string, limit int) {
		limit = 10 + int(uint(limit)%1991)
		parts, cuts := splitMessageCuts(text, limit)
		if got := splitMessage(text, limit); !slices.Equal(got, parts) {
			t.Fatalf("got %q from splitMessage, want %q from splitMessageCuts", got, parts)
		}
		// splitMessage reads text as runes, each invalid byte a U+FFFD;
		// compare with that, not with bytes that join up across a space.
		runes := string([]rune(text))
		if fencesFit(text, limit) {
			checkParts(t, runes, parts, limit)
		} else {
			checkPartsUnfenced(t, runes, parts, limit)
		}
		checkMarkerCuts(t, text, limit, cuts)
	})
}

// fencesFit reports whether a part can close and reopen every code block
// of text; when one cannot (a limit shorter than its fences and info
// string), splitMessage cuts that block as plain text, by design.
func fencesFit(text string, limit int) bool {
	s := newSplitter(text, limit)
	for _, b := range s.blocks {
		if !s.fits(b) {
			return false
		}
	}
	return true
}

// checkPartsUnfenced is checkParts without the fence check.
func checkPartsUnfenced(t *testing.T, text string, parts []string, limit int) {
	t.Helper()
	for i, p := range parts {
		if n := discordLen(p); n > limit || n == 0 || strings.TrimSpace(p) != p {
			t.Errorf("part %d: got %q (%d runes), want 1 to %d runes, trimmed", i, p, n, limit)
		}
	}
	keepsNonSpace(t, text, parts)
}

// checkMarkerCuts asserts that no cut falls inside a citation marker,
// unless the marker is longer than what the part can hold after the
// fence it reopens, the code's indentation it keeps and the fence it
// closes.
func checkMarkerCuts(t *testing.T, text string, limit int, cuts []int) {
	t.Helper()
	s := newSplitter(text, limit)
	prev := 0
	for _, p := range cuts {
		pos, first := s.skipBlank(prev)
		prev = p
		if p >= len(s.r) || !s.marker[p] {
			continue
		}
		i := p - 1
		for s.r[i] != '[' {
			i--
		}
		room := limit
		if b, ok := s.bodyAt(i); ok && s.fits(b) {
			room -= discordLen(b.opener()) + len(closeFence)
			if _, ok := s.bodyAt(first); ok {
				room -= first - pos
			}
		}
		if e := markerEnd(s.r, i); e-i <= room {
			t.Errorf("limit %d: got a cut inside marker %q (%d runes, room %d) of %q, want it whole",
				limit, string(s.r[i:e]), e-i, room, text)
		}
	}
}
