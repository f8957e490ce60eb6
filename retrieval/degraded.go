package retrieval

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultQueryTimeout bounds the embedding of one question by a remote
// model. A hosted or local embedding model answers a one-sentence request
// in well under a second once it is loaded, so five seconds only trips
// when the API is down or hung; the question then waits five seconds more
// than usual and is answered from BM25, rather than waiting for the chat
// timeout and its retries (minutes) and failing. Retries of a failed
// request (CITEBOT_LLM_ATTEMPTS) happen only within this deadline.
const DefaultQueryTimeout = 5 * time.Second

// DegradedError comes with the results of a search that could not embed
// the question (the embedding API failed or did not answer within
// Options.QueryTimeout) and so ranked passages by BM25 alone. The results
// are usable: callers that know this error show them with a notice;
// callers that do not fail as they would have without the fallback,
// rather than serve a weaker ranking without saying so. The vectors of a
// remote model cannot be searched with the built-in embedder, which is
// why BM25 is the fallback. The next search tries the embedder again.
type DegradedError struct {
	// Cause is why the question could not be embedded.
	Cause error
}

func (e *DegradedError) Error() string {
	return "vector search unavailable, passages ranked by BM25 alone: " + e.Cause.Error()
}

func (e *DegradedError) Unwrap() error { return e.Cause }

// errQuestionTimeout is the cause of a question embedding cut by
// Options.QueryTimeout, which tells it apart from the caller giving up.
var errQuestionTimeout = errors.New("question embedding timed out")

// embedQuestion computes the question's vector: the hashed embedder weighs
// the expanded question by IDF; a remote model embeds the question as
// asked, within the index's query timeout.
func (ix *Index) embedQuestion(ctx context.Context, query, expanded string) ([]float32, error) {
	if h, ok := ix.emb.(*Hashed); ok {
		return h.EmbedQuery(expanded, ix.lex.idf), nil
	}
	qctx, cancel := context.WithTimeoutCause(ctx, ix.queryTimeout, errQuestionTimeout)
	defer cancel()
	vs, err := ix.emb.Embed(qctx, []string{query})
	if err != nil {
		if ctx.Err() == nil && errors.Is(context.Cause(qctx), errQuestionTimeout) {
			return nil, fmt.Errorf("embed question: no answer within %v: %w", ix.queryTimeout, err)
		}
		return nil, fmt.Errorf("embed question: %w", err)
	}
	if len(vs) != 1 || len(vs[0]) != ix.dim {
		return nil, fmt.Errorf("embed question: got %d vectors, want 1 of the index's %d dimensions", len(vs), ix.dim)
	}
	return vs[0], nil
}
