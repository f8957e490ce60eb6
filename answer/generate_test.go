package answer

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citebot/citebot/llm"
	"github.com/citebot/citebot/llm/llmtest"
	"github.com/citebot/citebot/retrieval"
)

func newClient(t *testing.T, fake *llmtest.Server, timeout time.Duration, slept *llmtest.Sleeps) *llm.Client {
	t.Helper()
	c, err := llm.NewClient(llm.Config{BaseURL: fake.URL, APIKey: "sk-test", ChatModel: "test-chat", HTTPClient: fake.Client(),
		Timeout: timeout, Retry: llm.RetryPolicy{MaxAttempts: 3, Sleep: slept.Sleep}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// recordingIndex remembers the queries it was searched with.
type recordingIndex struct {
	*retrieval.Index
	mu      sync.Mutex
	queries []string
}

func (r *recordingIndex) Search(ctx context.Context, q string, k int) ([]retrieval.Result, error) {
	r.mu.Lock()
	r.queries = append(r.queries, q)
	r.mu.Unlock()
	return r.Index.Search(ctx, q, k)
}

// newGenerator hands the model six passages (frQuestion asks one
// thing): the tests' markers [7] and above name none.
func newGenerator(t *testing.T, fake *llmtest.Server) (*Generator, *recordingIndex, *llmtest.Sleeps) {
	slept := &llmtest.Sleeps{}
	ix := &recordingIndex{Index: testIndex(t)}
	return &Generator{Index: ix, LLM: newClient(t, fake, 2*time.Second, slept), CorpusLang: "fr", K: 6}, ix, slept
}

const frQuestion = "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?"

func TestGeneratedAnswerStreamsCheckedCitations(t *testing.T) {
	fake := llmtest.New(t)
	fake.Reply(llmtest.Reply{Content: "Le Royaume-Uni a signé un partenariat stratégique avec OpenAI [1]. Il vise la sécurité de l'IA [1, 9]. Un fait inventé [12]."})
	g, _, _ := newGenerator(t, fake)
	var shown strings.Builder
	a, err := g.Answer(context.Background(), frQuestion, nil, func(s string) { shown.WriteString(s) })
	if err != nil {
		t.Fatal(err)
	}
	want := "Le Royaume-Uni a signé un partenariat stratégique avec OpenAI [1]. Il vise la sécurité de l'IA [1]. Un fait inventé."
	if a.Text != want || shown.String() != want || !a.Streamed {
		t.Errorf("got text %q, shown %q (streamed %v), want %q both", a.Text, shown.String(), a.Streamed, want)
	}
	if a.RemovedMarkers != 2 || len(a.Sources) != 1 || a.Sources[0].N != 1 || a.Mode != ModeLLM {
		t.Errorf("got %d removed, sources %+v, mode %s; want 2 removed and only [1]", a.RemovedMarkers, a.Sources, a.Mode)
	}
	checkCitations(t, a)
	reqs := fake.ChatRequests()
	if len(reqs) != 1 {
		t.Fatalf("got %d chat requests, want 1 (a French question needs no rewrite)", len(reqs))
	}
	r := reqs[0]
	if !r.Stream || r.Model != "test-chat" || r.Temperature == nil || *r.Temperature != 0 || r.Header.Get("Authorization") != "Bearer sk-test" {
		t.Errorf("got stream=%v model=%q temperature=%v auth=%q", r.Stream, r.Model, r.Temperature, r.Header.Get("Authorization"))
	}
	user := r.Messages[len(r.Messages)-1].Content
	for i, p := range a.Passages {
		header := `<passage n="` + strconv.Itoa(i+1) + `"`
		if !strings.Contains(user, header) || !strings.Contains(user, p.Chunk.Text[:40]) {
			t.Errorf("prompt lacks passage %d (%s)", i+1, p.Chunk.ID)
		}
	}
	if !strings.Contains(user, frQuestion) || !strings.Contains(r.Messages[0].Content, "French") {
		t.Error("prompt lacks the question or the answer language")
	}
}

func TestFollowUpIsRewrittenWithHistory(t *testing.T) {
	fake := llmtest.New(t)
	fake.Reply(
		llmtest.Reply{Content: "QUERY: Quelle valorisation OpenAI a-t-elle atteinte en mars ?\nTRANSLATION: Quelle valorisation OpenAI a-t-elle atteinte en mars ?"},
		llmtest.Reply{Content: "Une valorisation de 300 milliards [1]."},
	)
	g, ix, _ := newGenerator(t, fake)
	history := []Turn{{Question: "Combien d'argent OpenAI a-t-elle levé en mars ?", Answer: "40 milliards de dollars [1]."}}
	a, err := g.Answer(context.Background(), "et quelle valorisation ?", history, nil)
	if err != nil {
		t.Fatal(err)
	}
	reqs := fake.ChatRequests()
	if len(reqs) != 2 || reqs[0].Stream {
		t.Fatalf("got %d requests, want a plain rewrite then the answer", len(reqs))
	}
	rewrite := reqs[0].Messages[len(reqs[0].Messages)-1].Content
	if !strings.Contains(rewrite, history[0].Question) || !strings.Contains(rewrite, "et quelle valorisation ?") {
		t.Errorf("rewrite prompt lacks the history or the follow-up:\n%s", rewrite)
	}
	if a.Query != "Quelle valorisation OpenAI a-t-elle atteinte en mars ?" || len(ix.queries) != 1 || ix.queries[0] != a.Query {
		t.Errorf("got query %q, searches %q; want the rewritten question searched once", a.Query, ix.queries)
	}
	if len(a.Sources) == 0 || a.Sources[0].DocID != "001_cb6bb33158675418" {
		t.Errorf("got sources %+v, want the fundraising article", a.Sources)
	}
}

func TestCrossLingualQuestionSearchesBothLanguages(t *testing.T) {
	fake := llmtest.New(t)
	fake.Reply(
		llmtest.Reply{Content: "QUERY: How much did OpenAI raise in March?\nTRANSLATION: Combien OpenAI a-t-elle levé en mars ?"},
		llmtest.Reply{Content: "OpenAI raised 40 billion dollars [1]."},
	)
	g, ix, _ := newGenerator(t, fake)
	a, err := g.Answer(context.Background(), "How much did OpenAI raise in March?", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ix.queries) != 2 || ix.queries[1] != "Combien OpenAI a-t-elle levé en mars ?" {
		t.Errorf("got searches %q, want the question and its French translation", ix.queries)
	}
	english, _ := ix.Index.Search(context.Background(), ix.queries[0], 6)
	french, _ := ix.Index.Search(context.Background(), ix.queries[1], 6)
	if !containsChunk(a.Passages, french[0].Chunk.ID) || !containsChunk(a.Passages, english[0].Chunk.ID) {
		t.Errorf("got passages %v, want the best of both searches fused", chunkIDs(a.Passages))
	}
	if a.Lang != "en" || !strings.Contains(fake.ChatRequests()[1].Messages[0].Content, "English") {
		t.Errorf("got lang %q, want an English answer asked for", a.Lang)
	}
}

func containsChunk(rs []retrieval.Result, id string) bool {
	for _, r := range rs {
		if r.Chunk.ID == id {
			return true
		}
	}
	return false
}

func chunkIDs(rs []retrieval.Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Chunk.ID)
	}
	return out
}
