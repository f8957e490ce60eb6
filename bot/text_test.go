package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"fits", "court", 5, "court"},
		{"word boundary", "the quick brown fox jumps", 18, "the quick brown…"},
		{"no boundary near the end", "abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"},
		{"runes", "ééééééééé", 5, "éééé…"},
		{"emoji", "🙂🙂🙂🙂", 3, "🙂🙂…"},
		{"cut before a marker at a word boundary", "one two three [12] four", 17, "one two three…"},
		// No space in the last fifth: only dropping the open marker keeps
		// "[1" out of the result.
		{"open marker dropped", "abcdefghijklmnop[12] four", 19, "abcdefghijklmnop…"},
		{"open marker list dropped", "abcdefghijklmnopqrstuvwx[1, 3] y", 29, "abcdefghijklmnopqrstuvwx…"},
		{"zero", "abc", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := truncate(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if !utf8.ValidString(got) || utf8.RuneCountInString(got) > tt.n {
				t.Errorf("got %q (%d runes), want valid UTF-8 within %d runes", got, utf8.RuneCountInString(got), tt.n)
			}
		})
	}
}

func TestDefuse(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"everyone", "hi @everyone", "hi @\u200beveryone"},
		{"here", "@here now", "@\u200bhere now"},
		{"masked link", "see [the site](https://evil.example/x) now", "see the site (https://evil.example/x) now"},
		{"masked link with parentheses", "[Foo](https://en.wikipedia.org/wiki/Foo_(bar))", "Foo (https://en.wikipedia.org/wiki/Foo_(bar))"},
		{"lone fence", "a ```b", "a \\`\\`\\`b"},
		{"closed fence kept", "```go\nx\n```", "```go\nx\n```"},
		{"normal text", "Le *Royaume-Uni* signe un _accord_ ~~ancien~~ [1]. a@b.fr", "Le *Royaume-Uni* signe un _accord_ ~~ancien~~ [1]. a@b.fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := defuse(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestClipStaysDefused(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
	}{
		{"cut closing fence", "a ```code``` and more text after it", 12},
		{"mention grows", "@everyone @everyone @everyone", 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clip(tt.in, tt.n)
			if utf8.RuneCountInString(got) > tt.n || strings.Count(got, "```")%2 != 0 || strings.Contains(got, "@everyone") {
				t.Errorf("got %q, want at most %d runes, no lone fence, no mention", got, tt.n)
			}
		})
	}
}
