package bench

import (
	"context"
	"testing"

	"github.com/citebot/citebot/llm"
	"github.com/citebot/citebot/llm/llmtest"
	"github.com/citebot/citebot/retrieval"
)

// TestRemoteEmbeddingCost checks what indexing costs in embedding requests
// at scale: ceil(chunks/64) for a full index, none to reopen it unchanged.
func TestRemoteEmbeddingCost(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 10,000 chunks")
	}
	const batch = 64
	docs, err := Generate(10000, 1)
	if err != nil {
		t.Fatal(err)
	}
	fake := llmtest.New(t)
	emb, err := llm.NewEmbedder(llm.Config{BaseURL: fake.URL, EmbedModel: "test-embed", BatchSize: batch, HTTPClient: fake.Client()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	opts := retrieval.Options{Dir: t.TempDir(), Embedder: emb}
	ix, st, err := retrieval.Open(ctx, docs, opts)
	if err != nil {
		t.Fatal(err)
	}
	n := ix.Len()
	if n < 10000 {
		t.Fatalf("got %d chunks, want at least 10000", n)
	}
	calls := len(fake.EmbeddingCalls())
	if want := (n + batch - 1) / batch; calls > want || st.Embedded != n {
		t.Errorf("got %d requests for %d chunks (%d embedded), want at most %d", calls, n, st.Embedded, want)
	}

	_, st, err = retrieval.Open(ctx, docs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(fake.EmbeddingCalls()) - calls; got != 0 || !st.Loaded {
		t.Errorf("reopen: got %d requests (%+v), want a load with none", got, st)
	}
}
