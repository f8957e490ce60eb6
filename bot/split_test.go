package bot

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSplitMessage(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"short text unchanged", "Le Royaume-Uni signe un accord [1].", 2000, []string{"Le Royaume-Uni signe un accord [1]."}},
		{"blank text", " \n\n ", 10, nil},
		{"paragraph", "First paragraph here.\n\nSecond one. It is here.", 30,
			[]string{"First paragraph here.", "Second one. It is here."}},
		{"line before sentence", "One. Two three\nfour five six", 20, []string{"One. Two three", "four five six"}},
		{"sentence after its marker", "Alpha beta gamma. [1] Delta epsilon zeta eta.", 30,
			[]string{"Alpha beta gamma. [1]", "Delta epsilon zeta eta."}},
		{"sentence marks", "Vraiment ? Oui ! Bien… Fin du texte ici", 22, []string{"Vraiment ? Oui ! Bien…", "Fin du texte ici"}},
		{"space", "aaaa bbbb cccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"hard", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"marker at the cut point", "aaaaaaaa[12]bbbbbbbb", 10, []string{"aaaaaaaa", "[12]bbbbbb", "bb"}},
		{"marker stays with its text", "aaaa bbbb [12] cccc", 12, []string{"aaaa", "bbbb [12]", "cccc"}},
		{"marker list", "aaaa [1, 3] bb", 9, []string{"aaaa", "[1, 3] bb"}},
		{"short code block moves whole", "Intro text.\n```\nab cd\n```\nend", 18,
			[]string{"Intro text.", "```\nab cd\n```\nend"}},
		{"runes not bytes", strings.Repeat("é", 1500) + " " + strings.Repeat("🙂", 1000), 2000,
			[]string{strings.Repeat("é", 1500), strings.Repeat("🙂", 1000)}},
		{"hard cut in runes", strings.Repeat("é", 2500), 2000, []string{strings.Repeat("é", 2000), strings.Repeat("é", 500)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitMessage(tt.text, tt.limit)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			checkParts(t, tt.text, got, tt.limit)
		})
	}
}

func TestSplitMessageLongCodeBlock(t *testing.T) {
	var code strings.Builder
	for i := range 60 {
		fmt.Fprintf(&code, "\tfmt.Println(\"ligne %d é\")\n", i)
	}
	text := "Intro.\n\n```go\n" + code.String() + "```\n\nOutro."
	parts := splitMessage(text, 200)
	if len(parts) < 3 {
		t.Fatalf("got %d parts, want the block split over several", len(parts))
	}
	if parts[0] != "Intro." {
		t.Errorf("got first part %q, want %q", parts[0], "Intro.")
	}
	for i, p := range parts[1:] {
		if !strings.HasPrefix(p, "```go\n\t") {
			t.Errorf("part %d: got %q, want it to open the block with ```go and keep the indentation", i+1, p)
		}
		if i+2 < len(parts) && !strings.HasSuffix(p, "\n```") {
			t.Errorf("part %d: got %q, want it to close the block", i+1, p)
		}
	}
	if last := parts[len(parts)-1]; !strings.HasSuffix(last, "```\n\nOutro.") && last != "Outro." {
		t.Errorf("got last part %q, want the block's end then Outro.", last)
	}
	checkParts(t, text, parts, 200)
}

func TestSplitMessageLargeInput(t *testing.T) {
	text := largeText(1 << 20)
	parts := splitMessage(text, 2000)
	checkParts(t, text, parts, 2000)
	for i, p := range parts {
		if strings.Count(p, "[") != strings.Count(p, "]") {
			t.Fatalf("part %d: got unbalanced brackets in %q, want whole markers", i, p)
		}
	}
}

// TestSplitMessageSmallLimits checks the invariants where fences barely
// fit, or not at all, on short random texts made of what splitting meets.
func TestSplitMessageSmallLimits(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	atoms := []string{"a", "é", "🙂", " ", "\n", "\n\n", "```", "```go\n", "[1]", "[1, 3]", ". ", "… ", "\t", "[", "]", "word"}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(120) {
			b.WriteString(atoms[rng.IntN(len(atoms))])
		}
		text, limit := b.String(), 1+rng.IntN(80)
		parts := splitMessage(text, limit)
		for _, p := range parts {
			if n := utf8.RuneCountInString(p); n == 0 || n > limit || strings.TrimSpace(p) != p {
				t.Fatalf("limit %d, text %q: got part %q, want 1 to %d runes, trimmed", limit, text, p, limit)
			}
		}
		keepsNonSpace(t, text, parts)
		if t.Failed() {
			t.Fatalf("limit %d, text %q: got %q", limit, text, parts)
		}
	}
}

// checkParts asserts what every split must keep: parts within limit runes,
// non-empty, trimmed, with balanced fences when the text's are, and every
// non-space rune of text in order, only fences added.
func checkParts(t *testing.T, text string, parts []string, limit int) {
	t.Helper()
	balanced := strings.Count(text, "```")%2 == 0
	for i, p := range parts {
		if n := utf8.RuneCountInString(p); n > limit || n == 0 {
			t.Errorf("part %d: got %d runes, want 1 to %d", i, n, limit)
		}
		if strings.TrimSpace(p) != p {
			t.Errorf("part %d: got %q, want no surrounding blank", i, p)
		}
		if balanced && strings.Count(p, "```")%2 != 0 {
			t.Errorf("part %d: got an unclosed fence in %q", i, p)
		}
	}
	keepsNonSpace(t, text, parts)
}

// keepsNonSpace asserts that the non-space runes of text appear in order in
// parts, and that anything added is no longer than the fences closing and
// reopening code blocks between parts.
func keepsNonSpace(t *testing.T, text string, parts []string) {
	t.Helper()
	want, got := nonSpace(text), nonSpace(strings.Join(parts, ""))
	allowed := 0
	for i := 1; i < len(parts); i++ {
		if strings.HasSuffix(parts[i-1], "```") && strings.HasPrefix(parts[i], "```") {
			opener, _, _ := strings.Cut(parts[i], "\n")
			allowed += 3 + utf8.RuneCountInString(opener)
		}
	}
	j := 0
	for _, c := range got {
		if j < len(want) && c == want[j] {
			j++
		}
	}
	if j < len(want) {
		t.Fatalf("got rune %d of %d kept (%q lost), want every non-space rune in order", j, len(want), string(want[j:min(j+20, len(want))]))
	}
	if extra := len(got) - len(want); extra > allowed {
		t.Errorf("got %d added runes, want at most %d of fences", extra, allowed)
	}
}

// nonSpace is s without its white space, what splitting must keep.
func nonSpace(s string) []rune {
	return []rune(strings.Join(strings.FieldsFunc(s, unicode.IsSpace), ""))
}

// largeText is a deterministic mix of what splitMessage meets: paragraphs
// of French and English sentences with markers, accents and emoji, code
// blocks short and long, and words longer than a message.
func largeText(size int) string {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"le", "Royaume-Uni", "signe", "un", "accord", "café", "élève", "naïve", "🙂", "déjà", "OpenAI", "2023", "model", "news", "the", "of"}
	var b strings.Builder
	for b.Len() < size {
		switch rng.IntN(30) {
		case 0:
			fmt.Fprintf(&b, "```%s\n", []string{"", "go", "c++"}[rng.IntN(3)])
			for i := range rng.IntN(200) {
				fmt.Fprintf(&b, "%sx := f(%d) // é\n%s", strings.Repeat("\t", rng.IntN(3)), i, []string{"", "\n"}[rng.IntN(2)])
			}
			b.WriteString("```\n\n")
		case 1:
			b.WriteString(strings.Repeat("aé🙂", 700+rng.IntN(1000)) + "\n\n")
		default:
			for range 1 + rng.IntN(12) {
				for k := range 3 + rng.IntN(25) {
					if k > 0 {
						b.WriteByte(' ')
					}
					b.WriteString(words[rng.IntN(len(words))])
				}
				b.WriteString([]string{".", "?", "!", "…", " [1].", ". [2]", " [1, 3]."}[rng.IntN(7)] + " ")
			}
			b.WriteString([]string{"\n\n", "\n", "\n\n\n"}[rng.IntN(3)])
		}
	}
	return b.String()
}
