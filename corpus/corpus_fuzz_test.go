package corpus

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fuzzSeeds are texts that have tripped, or could trip, cleaning and
// splitting: French typography, abbreviations, numbers, markers, fences,
// bidi and zero-width characters, invalid UTF-8, and nothing at all.
var fuzzSeeds = []string{
	"",
	" \n\t\u00a0",
	".",
	"Le Royaume-Uni signe un accord. M. Dupont l’a dit : « C’est fait. » Puis ?",
	"Vraiment ? Oui ! Bien… Fin du texte ici",
	"Il a levé 1,5 milliard (soit 2.5 fois plus) en 2023. Ensuite, etc. La suite.",
	"J. K. Rowling, U.S. et J.-C. sont cités, cf. p. 12. Fin.",
	"1. Premier point\n2. Second point [9] et [1, 99].",
	"NOT_FOUND",
	"```go\nfmt.Println(\"x\")\n```\nTexte après.",
	"\u202Egnp.exe\u202C et \u200Bmot\u200Bcaché\u2060 ici.",
	"e\u200B\u0301 accent détaché par un espace de largeur nulle.",
	"artificielle. [...] La première étape. (…) Suite.",
	"« Une citation. » Et la suite. \"Une autre.\" Fin.",
	"\xff\xfe invalide \xc3",
	"---\ntitle: \"Un titre\"\ndate: 2024-02-10\nurl: https://example.org\n---\n# Titre\nTexte.",
	"date 2023-11 Après Londres, Paris.\r\n\r\nSuite\u2028du\u2029texte\u0085fin.",
	"Lire aussi : autre chose\nVrai texte.\n---|---|\n| a | b |",
	strings.Repeat("mot ", 3000) + ".",
	strings.Repeat("Phrase courte. ", 200),
	strings.Repeat("a", 5000),
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := Parse("f.txt", raw)
		if err != nil {
			return
		}
		checkCleanText(t, d.Text)
		if d.ID != "f" {
			t.Errorf("got ID %q, want %q", d.ID, "f")
		}
		if strings.TrimSpace(d.Title) == "" {
			t.Errorf("got blank title %q for text %q, want one", d.Title, d.Text)
		}
	})
}

// checkCleanText asserts what cleanText promises about Document.Text.
func checkCleanText(t *testing.T, text string) {
	t.Helper()
	if !utf8.ValidString(text) {
		t.Fatalf("got invalid UTF-8 text %q", text)
	}
	if !norm.NFC.IsNormalString(text) {
		t.Errorf("got text %q, want it in NFC (%q)", text, norm.NFC.String(text))
	}
	if strings.Contains(text, "\r") {
		t.Errorf("got a \\r in %q", text)
	}
	if i := strings.IndexFunc(text, isZeroWidth); i >= 0 {
		t.Errorf("got zero-width %U at byte %d of %q", []rune(text[i:])[0], i, text)
	}
	for i, line := range strings.Split(text, "\n") {
		if strings.TrimFunc(line, unicode.IsSpace) == "" {
			t.Errorf("got blank line %d in %q", i, text)
		}
	}
}

func FuzzSplitSentences(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkSentences(t, text, SplitSentences(text))
	})
}

// FuzzChunk chunks documents as Parse makes them, with the option ranges
// citebot can be configured with; FuzzChunkDocument covers raw texts.
func FuzzChunk(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, 50+i*97, i%4)
	}
	f.Fuzz(func(t *testing.T, text string, maxChars, overlap int) {
		d, err := Parse("f.txt", []byte(text))
		if err != nil {
			return
		}
		o := ChunkOptions{MaxChars: 50 + int(uint(maxChars)%1951), OverlapSentences: int(uint(overlap) % 4)}
		checkChunks(t, d, o, ChunkDocument(d, o))
	})
}
