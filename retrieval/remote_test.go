package retrieval

import (
	"context"
	"testing"

	"github.com/citebot/citebot/llm"
	"github.com/citebot/citebot/llm/llmtest"
)

func TestRemoteEmbedderIsBatched(t *testing.T) {
	fake := llmtest.New(t)
	emb, err := llm.NewEmbedder(llm.Config{BaseURL: fake.URL, EmbedModel: "test-embed", BatchSize: 4, HTTPClient: fake.Client()})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ix, st, _ := open(t, dir, testDocs(t, baseTexts), emb)
	n := ix.Len()
	if n <= 4 {
		t.Fatalf("fixture has %d chunks; the test needs more than one batch", n)
	}
	calls := fake.EmbeddingCalls()
	if got, want := len(calls), (n+3)/4; got != want || st.Embedded != n {
		t.Errorf("got %d requests for %d chunks, want %d", got, n, want)
	}
	seen := 0
	for i, c := range calls {
		if len(c.Input) > 4 || (i < len(calls)-1 && len(c.Input) != 4) {
			t.Errorf("request %d: got %d inputs, want full batches of 4", i, len(c.Input))
		}
		if c.Model != "test-embed" {
			t.Errorf("request %d: got model %q, want test-embed", i, c.Model)
		}
		seen += len(c.Input)
	}
	if seen != n {
		t.Errorf("got %d texts sent, want %d", seen, n)
	}

	// A question costs one request; an unchanged corpus costs none.
	before := len(fake.EmbeddingCalls())
	if _, err := ix.Search(context.Background(), "Synthesia", 2); err != nil {
		t.Fatal(err)
	}
	if got := len(fake.EmbeddingCalls()) - before; got != 1 {
		t.Errorf("got %d requests for one question, want 1", got)
	}
	before = len(fake.EmbeddingCalls())
	if _, st, _ := open(t, dir, testDocs(t, baseTexts), emb); !st.Loaded || len(fake.EmbeddingCalls()) != before {
		t.Errorf("reopen: got %+v and %d new requests, want a load with none", st, len(fake.EmbeddingCalls())-before)
	}
}
