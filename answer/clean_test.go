package answer

import (
	"context"
	"strings"
	"testing"

	"github.com/citebot/citebot/llm/llmtest"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<@123> Quel partenariat ?", "Quel partenariat ?"},
		{"<@!123> <@&456> dans <#789> quoi ?", "dans quoi ?"},
		{"Bletchley <:pog:112233> <a:dance:445566> ?", "Bletchley ?"},
		{"Quel partenariat ? [clique](https://x)", "Quel partenariat ? clique"},
		{`voir [l'article](https://example.com/a "titre") ici`, "voir l'article ici"},
		{"source: https://example.com/a?b=c et <https://x.org/y> www.example.com fin", "source: et fin"},
		{"lance </ask:987654> à <t:1700000000:R>", "lance à"},
		{"Qui est Peter Kyle 🤔 ?", "Qui est Peter Kyle 🤔 ?"}, // Unicode emoji are text
		{"<@123>", ""},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Chat markup around an answerable question must not make it unanswerable,
// offline or with a model, and a question that is only markup is declined
// without searching.
func TestMarkupDoesNotHideTheQuestion(t *testing.T) {
	questions := []string{
		"<@123> " + frQuestion,
		"<@&456> " + frQuestion + " <#789>",
		"<:pog:123> " + frQuestion + " <a:dance:456>",
		frQuestion + " [clique](https://x)",
		frQuestion + " https://example.com/article?id=42",
	}
	ix := testIndex(t)
	fake := llmtest.New(t)
	fake.SetDefault(func(llmtest.ChatRequest) llmtest.Reply {
		return llmtest.Reply{Content: "Un partenariat stratégique [1]."}
	})
	g, _, _ := newGenerator(t, fake)
	pipelines := map[string]Pipeline{"extractive": (&Extractive{Index: ix}).Answer, "llm": g.Answer}
	for name, p := range pipelines {
		for _, q := range questions {
			t.Run(name+"/"+q, func(t *testing.T) {
				a, err := p(context.Background(), q, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				if a.Refused || len(a.Sources) == 0 || !strings.Contains(a.Text, "partenariat") {
					t.Errorf("got %q (refused %v), want the answer to the question without its markup", a.Text, a.Refused)
				}
				if !strings.HasPrefix(a.Question, frQuestion) || strings.ContainsAny(a.Question, "<>()") {
					t.Errorf("got question %q, want %q without its markup", a.Question, frQuestion)
				}
			})
		}
		t.Run(name+"/markup only", func(t *testing.T) {
			a, err := p(context.Background(), "<@123> <:pog:456>", nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Refused || !a.GateRefused || len(a.Passages) != 0 {
				t.Errorf("got %+v, want a refusal before any search", a)
			}
		})
	}
}

func TestAsked(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Quel partenariat ? clique", "Quel partenariat ?"},
		{"NHS ? merci !", "NHS ?"},
		{"Qui ? Quand ?", "Qui ? Quand ?"},
		{"pas de question", "pas de question"},
		{"? Bletchley", "? Bletchley"},
	}
	for _, tt := range tests {
		if got := asked(tt.in); got != tt.want {
			t.Errorf("asked(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
