package retrieval

import (
	"context"
	"sync/atomic"

	"github.com/citebot/citebot/corpus"
)

// Live is an index that can be replaced while it serves, so that a
// long-running bot can re-index without a restart: searches in flight
// finish on the index they started with.
type Live struct {
	cur atomic.Pointer[Index]
}

// NewLive serves ix.
func NewLive(ix *Index) *Live {
	l := &Live{}
	l.cur.Store(ix)
	return l
}

// Swap serves ix from now on.
func (l *Live) Swap(ix *Index) { l.cur.Store(ix) }

// Current is the index being served.
func (l *Live) Current() *Index { return l.cur.Load() }

// Search searches the current index.
func (l *Live) Search(ctx context.Context, q string, k int) ([]Result, error) {
	return l.Current().Search(ctx, q, k)
}

// IDF reads the current index.
func (l *Live) IDF(term string) (float64, bool) { return l.Current().IDF(term) }

// Documents lists the current index's documents.
func (l *Live) Documents() []DocInfo { return l.Current().Documents() }

// Chunks lists a document's chunks in the current index.
func (l *Live) Chunks(docID string) []corpus.Chunk { return l.Current().Chunks(docID) }
