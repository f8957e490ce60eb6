package answer

import (
	"context"
	"strings"
	"testing"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/llm"
	"github.com/citebot/citebot/retrieval"
)

// An offline follow-up has no model to rewrite it: it is searched together
// with the previous question, so "and when?" after a question about the
// summit is answered about the summit, where alone it is declined.
func TestOfflineFollowUpIsSearchedWithThePreviousQuestion(t *testing.T) {
	p, mode := New(Config{Index: testIndex(t)})
	if mode != PipelineOffline {
		t.Fatalf("got mode %q, want %q", mode, PipelineOffline)
	}
	ctx := context.Background()
	history := []Turn{{Question: "Qui organise le prochain sommet sur la sécurité de l'IA ?", Answer: "La France [1]."}}

	alone, err := p(ctx, "et quand ?", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !alone.Refused {
		t.Fatalf("alone: got an answer %q, want a refusal (nothing says what 'quand' is about)", alone.Text)
	}
	followed, err := p(ctx, "et quand ?", history, nil)
	if err != nil {
		t.Fatal(err)
	}
	if followed.Refused || len(followed.Sources) == 0 || followed.Sources[0].DocID != "002_aea207a960e5faa7" {
		t.Fatalf("with history: got %q from %v, want an answer citing the summit article", followed.Text, followed.Sources)
	}
	if !strings.HasPrefix(followed.Query, history[0].Question) {
		t.Errorf("with history: searched %q, want the previous question joined in front", followed.Query)
	}
	checkCitations(t, followed)
}

func TestFollowUp(t *testing.T) {
	history := []Turn{{Question: "Qui organise le sommet ?"}, {Question: "Combien OpenAI a-t-elle levé ?"}}
	long := "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI et pour quoi faire ?"
	tests := []struct {
		name, q string
		history []Turn
		want    string
	}{
		{"no history", "et en mars ?", nil, "et en mars ?"},
		{"short follow-up joins the last question", "et en mars ?", history, "Combien OpenAI a-t-elle levé ? et en mars ?"},
		{"a long question stands alone", long, history, long},
		{"a join over the length limit is not made", "et alors ?", []Turn{{Question: strings.Repeat("mot ", MaxQuestionRunes/4)}}, "et alors ?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := followUp(tt.q, tt.history); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A question with no clue to its language (a bare name) is answered in
// the language of the best passage; a question in a language is answered
// in it; with neither, French, the corpus language.
func TestLanguage(t *testing.T) {
	en := retrieval.Result{Doc: retrieval.DocInfo{ID: "a", Lang: "en"}, Chunk: corpus.Chunk{ID: "a#0"}}
	fr := retrieval.Result{Doc: retrieval.DocInfo{ID: "b", Lang: "fr"}, Chunk: corpus.Chunk{ID: "b#0"}}
	tests := []struct {
		name, q  string
		passages []retrieval.Result
		want     string
	}{
		{"bare name, English passage first", "Bletchley ?", []retrieval.Result{en, fr}, "en"},
		{"bare name, French passage first", "Bletchley ?", []retrieval.Result{fr, en}, "fr"},
		{"English question over French passages", "Who hosts the next summit?", []retrieval.Result{fr}, "en"},
		{"French question over English passages", "Qui accueille le prochain sommet ?", []retrieval.Result{en}, "fr"},
		{"bare name, no passage", "Bletchley ?", nil, "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Language(tt.q, tt.passages); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCorpusLang(t *testing.T) {
	docs := func(langs ...string) []retrieval.DocInfo {
		var out []retrieval.DocInfo
		for _, l := range langs {
			out = append(out, retrieval.DocInfo{Lang: l})
		}
		return out
	}
	tests := []struct {
		docs []retrieval.DocInfo
		want string
	}{
		{nil, "fr"},
		{docs("en", "en", "fr"), "en"},
		{docs("fr", "en"), "fr"},
		{docs("", "", "en"), "en"},
	}
	for _, tt := range tests {
		if got := CorpusLang(tt.docs); got != tt.want {
			t.Errorf("CorpusLang(%v): got %q, want %q", tt.docs, got, tt.want)
		}
	}
}

// New picks the answerer from the configuration: a model when one is
// given, with the corpus language taken from the index.
func TestNewPicksTheModelWhenConfigured(t *testing.T) {
	_, mode := New(Config{Index: testIndex(t), LLM: nilChatter{}})
	if mode != PipelineLLM {
		t.Errorf("got mode %q, want %q", mode, PipelineLLM)
	}
}

type nilChatter struct{}

func (nilChatter) Chat(context.Context, llm.ChatRequest) (llm.ChatResponse, error) {
	return llm.ChatResponse{}, nil
}

func (nilChatter) ChatStream(context.Context, llm.ChatRequest, func(string)) (llm.ChatResponse, error) {
	return llm.ChatResponse{}, nil
}

// TestWithLanguage: a server that set its answer language gets answers
// and refusals in it, whatever the question's language; an unknown value
// changes nothing.
func TestWithLanguage(t *testing.T) {
	p, _ := New(Config{Index: testIndex(t)})
	ctx := context.Background()
	const answered = "Qui organise le prochain sommet sur la sécurité de l'IA ?"
	const declined = "Quelle est la recette de la tarte tatin ?"
	for _, tt := range []struct {
		ctx  context.Context
		q    string
		want string
	}{
		{WithLanguage(ctx, "en"), answered, "en"},
		{WithLanguage(ctx, "en"), declined, "en"},
		{WithLanguage(ctx, "fr"), "Who hosts the next AI safety summit?", "fr"},
		{WithLanguage(ctx, "asker"), answered, "fr"},
		{ctx, "Who hosts the next AI safety summit?", "en"},
	} {
		a, err := p(tt.ctx, tt.q, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if a.Lang != tt.want {
			t.Errorf("%q: answered in %q, want %q", tt.q, a.Lang, tt.want)
		}
		if a.Refused && strings.HasPrefix(a.Text, "I could not") != (tt.want == "en") {
			t.Errorf("%q: refused with %q, want the refusal in %q", tt.q, a.Text, tt.want)
		}
	}
}
