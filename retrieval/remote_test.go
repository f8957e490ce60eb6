package retrieval

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/corpus"
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

// openRemote indexes the test documents with the fake's embeddings model
// (one attempt per request) and returns the index and its log.
func openRemote(t *testing.T, fake *llmtest.Server, queryTimeout time.Duration) (*Index, *bytes.Buffer) {
	t.Helper()
	emb, err := llm.NewEmbedder(llm.Config{BaseURL: fake.URL, EmbedModel: "test-embed", HTTPClient: fake.Client(),
		Retry: llm.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	ix, _, err := Open(context.Background(), testDocs(t, baseTexts), Options{Embedder: emb, QueryTimeout: queryTimeout,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), Chunking: corpus.ChunkOptions{MaxChars: 80}})
	if err != nil {
		t.Fatal(err)
	}
	return ix, &logs
}

// TestSearchFallsBackToBM25 checks that a question the embedding API
// cannot embed, because it fails or hangs, is still answered from BM25
// with a DegradedError saying why, and that the next question tries the
// API again.
func TestSearchFallsBackToBM25(t *testing.T) {
	tests := []struct {
		name    string
		reply   llmtest.EmbedReply
		timeout time.Duration // of the question embedding
		cause   string
	}{
		{"HTTP 500", llmtest.EmbedReply{Status: http.StatusInternalServerError}, 0, "500"},
		// A hang is cut by the question's own deadline, however long the
		// client's timeout (60 s by default) would wait.
		{"hang", llmtest.EmbedReply{Block: true}, 50 * time.Millisecond, "no answer within 50ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := llmtest.New(t)
			ix, logs := openRemote(t, fake, tt.timeout)
			fake.ReplyEmbeddings(tt.reply)
			rs, err := ix.Search(context.Background(), "avatar Synthesia ambassade", 3)
			var d *DegradedError
			if !errors.As(err, &d) || !strings.Contains(d.Error(), tt.cause) {
				t.Fatalf("got %v, want a DegradedError mentioning %q", err, tt.cause)
			}
			if len(rs) == 0 || rs[0].Doc.ID != "b" {
				t.Fatalf("got %v, want passages of b ranked by BM25", ids(rs))
			}
			for _, r := range rs {
				if r.VectorRank != 0 || r.BM25Rank == 0 {
					t.Errorf("%s: got vector rank %d, BM25 rank %d; want BM25 alone", r.Chunk.ID, r.VectorRank, r.BM25Rank)
				}
			}
			if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "BM25 alone") {
				t.Errorf("got logs %q, want a warning", logs.String())
			}

			if tt.timeout != 0 {
				return // a 50 ms deadline is no test of a healthy API on a busy machine
			}
			// The API is back: the next question uses it.
			before := len(fake.EmbeddingCalls())
			rs, err = ix.Search(context.Background(), "avatar Synthesia ambassade", 3)
			if err != nil || len(fake.EmbeddingCalls()) != before+1 {
				t.Fatalf("got %v after %d requests, want a hybrid search again", err, len(fake.EmbeddingCalls())-before)
			}
			vector := 0
			for _, r := range rs {
				if r.VectorRank > 0 {
					vector++
				}
			}
			if vector == 0 {
				t.Errorf("got %v with no vector rank, want the vector half back", ids(rs))
			}
		})
	}
}

// TestSearchCancelledDuringQuestionEmbedding checks that a caller who
// gives up gets its context's error, not a degraded answer.
func TestSearchCancelledDuringQuestionEmbedding(t *testing.T) {
	fake := llmtest.New(t)
	ix, _ := openRemote(t, fake, time.Minute)
	fake.ReplyEmbeddings(llmtest.EmbedReply{Block: true})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-fake.Blocked()
		cancel()
	}()
	rs, err := ix.Search(ctx, "Synthesia", 3)
	var d *DegradedError
	if !errors.Is(err, context.Canceled) || errors.As(err, &d) || rs != nil {
		t.Errorf("got %v, %v; want context.Canceled and no results", ids(rs), err)
	}
}
