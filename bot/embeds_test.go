package bot

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

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
	if v, want := got[0].Fields[0].Value, "«The UK signed a deal.»\n000_a · [example.com](https://example.com/a)"; v != want {
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

// TestSourceLink checks the one masked link the bot writes itself: its
// text is the URL's own host, its target cannot end early, and anything
// else is shown as defused text, as defuse shows links from articles.
func TestSourceLink(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("a", 300)
	for _, tt := range []struct {
		name, url string
		room      int
		want      string
	}{
		{"host as text", "https://Example.com/a?b=1", 300, "[example.com](https://Example.com/a?b=1)"},
		{"parentheses escaped", "https://en.wikipedia.org/wiki/Foo_(bar)", 300, "[en.wikipedia.org](https://en.wikipedia.org/wiki/Foo_%28bar%29)"},
		{"masked link in the URL", "https://evil.example/x](https://good.example)", 300, "[evil.example](https://evil.example/x%5D%28https://good.example%29)"},
		{"not http", "javascript:alert(1)", 300, "javascript:alert(1)"},
		{"user info", "https://good.example@evil.example/", 300, "https://good.example@evil.example/"},
		{"too long to link", long, 40, truncate(long, 40)},
		{"empty", " ", 300, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := sourceLink(tt.url, tt.room); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// A hostile title is still defused beside the link the bot built.
	f := sourceField(answer.Source{N: 1, DocID: "web_x", Title: "[click](https://evil.example)", URL: "https://news.example/a"}).field(100)
	if f.Name != "[1] click (https://evil.example)" || !strings.HasSuffix(f.Value, "web_x · [news.example](https://news.example/a)") {
		t.Errorf("got %q / %q, want the title defused and the URL linked", f.Name, f.Value)
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
