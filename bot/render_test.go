package bot

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
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
		{"open marker dropped", "one two three [12] four", 17, "one two three…"},
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

func TestAnswerEmbeds(t *testing.T) {
	three := answer.Answer{Lang: "en", Mode: answer.ModeExtractive, Sources: []answer.Source{
		{N: 1, DocID: "000_a", Title: "UK signs deal", Date: "2025-07-21", URL: "https://example.com/a", Quote: "The UK  signed\na deal."},
		{N: 2, DocID: "001_b", Title: "OpenAI for @everyone", Quote: "A dollar."},
		{N: 3, DocID: "002_c", Quote: "No title."},
	}}
	got := answerEmbeds(three)
	checkEmbeds(t, got)
	if len(got) != 1 {
		t.Fatalf("got %d embeds, want 1", len(got))
	}
	var names []string
	for _, f := range got[0].Fields {
		names = append(names, f.Name)
	}
	wantNames := []string{"[1] UK signs deal (2025-07-21)", "[2] OpenAI for @\u200beveryone", "[3] 002_c"}
	if !slices.Equal(names, wantNames) {
		t.Errorf("got names %q, want %q", names, wantNames)
	}
	if v, want := got[0].Fields[0].Value, "«The UK signed a deal.»\n000_a · https://example.com/a"; v != want {
		t.Errorf("got value %q, want %q", v, want)
	}
	if got[0].Title != "Sources" || got[0].Footer == nil || got[0].Footer.Text != "extracted passages" {
		t.Errorf("got title %q footer %+v, want Sources and extracted passages", got[0].Title, got[0].Footer)
	}

	for _, tt := range []struct {
		name string
		a    answer.Answer
	}{
		{"refused", answer.Answer{Refused: true, Sources: three.Sources}},
		{"no sources", answer.Answer{Text: "x"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := answerEmbeds(tt.a); got != nil {
				t.Errorf("got %d embeds, want nil", len(got))
			}
		})
	}
}

func TestAnswerEmbedsManySources(t *testing.T) {
	for _, tt := range []struct {
		name    string
		n       int
		wantAll bool
	}{
		{"40 sources spill", 40, true},
		{"300 sources end with a count", 300, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := answer.Answer{Lang: "fr", Mode: answer.ModeLLM}
			for i := 1; i <= tt.n; i++ {
				a.Sources = append(a.Sources, answer.Source{N: i, DocID: fmt.Sprintf("%03d_e36295c6d4f2ae41", i),
					Title: fmt.Sprintf("Article numéro %d sur l'accord", i), Date: "2025-07-21",
					URL: fmt.Sprintf("https://example.com/articles/%d", i), Quote: strings.Repeat("Une phrase citée. ", 50)})
			}
			embeds := answerEmbeds(a)
			checkEmbeds(t, embeds)
			seen, more := map[int]bool{}, 0
			for _, e := range embeds {
				for _, f := range e.Fields {
					var n int
					if _, err := fmt.Sscanf(f.Name, "[%d]", &n); err == nil {
						seen[n] = true
					} else if _, err := fmt.Sscanf(f.Name, "… et %d autres", &more); err != nil {
						t.Errorf("got field %q, want a source or a count", f.Name)
					}
				}
			}
			for i := 1; i <= tt.n-more; i++ {
				if !seen[i] {
					t.Errorf("got no field for [%d], want every source shown or counted", i)
				}
			}
			if len(seen)+more != tt.n || (more == 0) != tt.wantAll {
				t.Errorf("got %d sources shown and %d counted, want %d in all (all shown: %v)", len(seen), more, tt.n, tt.wantAll)
			}
			if f := embeds[0].Fields[0].Value; tt.wantAll && !strings.HasPrefix(f, "«Une phrase") {
				t.Errorf("got first value %q, want a shortened quote", f)
			}
		})
	}
}

// embedLength counts an embed's characters as Discord does against its
// 6000-character limit: title, description, field names and values,
// footer text and author name.
func embedLength(e *discordgo.MessageEmbed) int {
	if e == nil {
		return 0
	}
	n := discordLen(e.Title) + discordLen(e.Description)
	for _, f := range e.Fields {
		n += fieldLen(f)
	}
	if e.Footer != nil {
		n += discordLen(e.Footer.Text)
	}
	if e.Author != nil {
		n += discordLen(e.Author.Name)
	}
	return n
}

// checkEmbeds asserts every Discord limit on the embeds of one message.
func checkEmbeds(t *testing.T, embeds []*discordgo.MessageEmbed) {
	t.Helper()
	if len(embeds) > 10 {
		t.Errorf("got %d embeds, want at most 10", len(embeds))
	}
	total := 0
	for i, e := range embeds {
		total += embedLength(e)
		limits := []struct {
			what      string
			got, want int
		}{
			{"title", utf8.RuneCountInString(e.Title), 256},
			{"description", utf8.RuneCountInString(e.Description), 4096},
			{"fields", len(e.Fields), 25},
			{"embed", embedLength(e), 6000},
		}
		if e.Footer != nil {
			limits = append(limits, struct {
				what      string
				got, want int
			}{"footer", utf8.RuneCountInString(e.Footer.Text), 2048})
		}
		for _, l := range limits {
			if l.got > l.want {
				t.Errorf("embed %d: got %s of %d, want at most %d", i, l.what, l.got, l.want)
			}
		}
		for _, f := range e.Fields {
			n, v := utf8.RuneCountInString(f.Name), utf8.RuneCountInString(f.Value)
			if strings.TrimSpace(f.Name) == "" || n > 256 || strings.TrimSpace(f.Value) == "" || v > 1024 {
				t.Errorf("embed %d: got field name of %d and value of %d runes, want 1-256 and 1-1024 not blank", i, n, v)
			}
		}
	}
	if total > 6000 {
		t.Errorf("got %d runes in the message's embeds, want at most 6000", total)
	}
}

func TestListEmbedsWithinLimits(t *testing.T) {
	var docs []retrieval.DocInfo
	var results []retrieval.Result
	for i := range 100 {
		d := retrieval.DocInfo{ID: fmt.Sprintf("%03d_e36295c6d4f2ae41", i), Title: strings.Repeat("Un très long titre ", 20),
			Date: "2025-07-21", Lang: "fr", Chunks: 12}
		docs = append(docs, d)
		results = append(results, retrieval.Result{Doc: d, Fused: 0.0328, Vector: 0.35, BM25: 19.82,
			Chunk: corpus.Chunk{ID: d.ID + "#3", DocID: d.ID, Text: strings.Repeat("Un passage @everyone [x](https://e.x). ", 40)}})
	}
	for _, tt := range []struct {
		name string
		e    *discordgo.MessageEmbed
	}{
		{"documents", documentsEmbed("en", docs)},
		{"passages", passagesEmbed("Question @here", "en", results)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkEmbeds(t, []*discordgo.MessageEmbed{tt.e})
			var more int
			last := tt.e.Fields[len(tt.e.Fields)-1].Name
			if _, err := fmt.Sscanf(last, "… and %d more", &more); err != nil || len(tt.e.Fields)-1+more != 100 {
				t.Errorf("got %d fields ending with %q, want the last one to count the rest of 100", len(tt.e.Fields), last)
			}
			for _, f := range tt.e.Fields {
				if strings.Contains(f.Value, "@everyone") || strings.Contains(f.Value, "](") {
					t.Errorf("got value %q, want it defused", f.Value)
				}
			}
		})
	}
	e := passagesEmbed("q", "en", results[:1])
	if v := e.Fields[0].Value; !strings.HasPrefix(v, "fused 0.0328 · vector 0.350 · BM25 19.82\nUn passage") {
		t.Errorf("got value %q, want the scores then the passage", v)
	}
	if e := documentsEmbed("fr", docs[:1]); e.Fields[0].Name != docs[0].ID || !strings.HasSuffix(e.Fields[0].Value, "\n2025-07-21 · fr · 12 passages") {
		t.Errorf("got field %q %q, want the ID, then the title and metadata", e.Fields[0].Name, e.Fields[0].Value)
	}
}
