package retrieval

import (
	"context"
	"fmt"

	"github.com/citebot/citebot/corpus"
)

// batcher embeds batches on one goroutine: with the built-in embedder,
// through one session for all of them (see hashedSession), straight into
// the rows.
type batcher struct {
	emb     Embedder
	session *hashedSession
}

func newBatcher(emb Embedder) *batcher {
	b := &batcher{emb: emb}
	if h, ok := emb.(*Hashed); ok {
		b.session = h.session()
	}
	return b
}

// batchDone is a batch embedded: the error that stopped it, or with the
// built-in embedder the BM25 terms of each chunk, counted on the way.
type batchDone struct {
	err   error
	terms [][]termCount
}

// embed embeds the chunks whose targets start at first into a.
func (b *batcher) embed(ctx context.Context, a *assembly, first int, chunks []corpus.Chunk) batchDone {
	if b.session == nil {
		return batchDone{err: b.embedAny(ctx, a, first, chunks)}
	}
	if err := a.shape(b.session.h.Dim); err != nil {
		return batchDone{err: err}
	}
	terms := make([][]termCount, len(chunks))
	for i, c := range chunks {
		if i%256 == 0 && ctx.Err() != nil {
			return batchDone{err: fmt.Errorf("embed passages: %w", ctx.Err())}
		}
		r := a.targets[first+i]
		v := a.vecs[r*a.dim : (r+1)*a.dim]
		var sq float64
		sq, terms[i] = b.session.embed(v, c.Text)
		normalizeInPlace(v, sq)
	}
	return batchDone{terms: terms}
}

// embedAny embeds the chunks with any embedder, through Embed; the
// caller analyses their texts for BM25.
func (b *batcher) embedAny(ctx context.Context, a *assembly, first int, chunks []corpus.Chunk) error {
	texts := make([]string, len(chunks))
	for i, c := range chunks {
		texts[i] = c.Text
	}
	vecs, err := b.emb.Embed(ctx, texts)
	if err != nil {
		return fmt.Errorf("embed passages: %w", err)
	}
	if len(vecs) != len(chunks) {
		return fmt.Errorf("embedder returned %d vectors for %d passages", len(vecs), len(chunks))
	}
	for i, v := range vecs {
		if err := a.put(a.targets[first+i], v); err != nil {
			return err
		}
	}
	return nil
}
