package bot

import (
	"fmt"
	"log/slog"
	"testing"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/store"
)

// TestAnswerCacheKeepsWhatButtonsNeed keeps a real answer: the passages
// are kept as references and read again for Sources, a passage whose text
// changed says so, and the cache stays within its bytes.
func TestAnswerCacheKeepsWhatButtonsNeed(t *testing.T) {
	ix := defaultIndex(t)
	a, err := (&answer.Extractive{Index: ix}).Answer(t.Context(), question, nil, nil)
	if err != nil || len(a.Passages) < 2 {
		t.Fatalf("got %d passages, %v; want an answer with passages", len(a.Passages), err)
	}
	k := keep(a)
	got := k.results(ix, "en")
	for i, r := range got {
		want := a.Passages[i]
		if r.Chunk.ID != want.Chunk.ID || r.Chunk.Text != want.Chunk.Text || r.Fused != want.Fused || r.Doc.Title != want.Doc.Title {
			t.Errorf("passage %d: got %s %.40q (fused %v), want %s %.40q (fused %v)", i, r.Chunk.ID, r.Chunk.Text, r.Fused, want.Chunk.ID, want.Chunk.Text, want.Fused)
		}
	}
	k.passages[1].sum++ // as if the article had changed since
	if got := k.results(ix, "en"); got[1].Chunk.Text != say("en", "passageChanged") || got[0].Chunk.Text != a.Passages[0].Chunk.Text {
		t.Errorf("got %.40q and %.40q, want the first passage and a note for the changed one", got[0].Chunk.Text, got[1].Chunk.Text)
	}
	if k.question != a.Question || k.text != a.Text || len(k.sources) != len(a.Sources) {
		t.Errorf("got %+v, want the question, text and cited chunk IDs", k)
	}

	bound := 20 * k.cost()
	c := newAnswerCache(store.NewMemory(store.MemoryLimits{}), slog.New(slog.DiscardHandler), 1000, bound)
	for i := range 100 {
		c.put(fmt.Sprint(i), origin{}, a)
	}
	if got := c.c.cost(); got > bound || c.c.len() >= 100 {
		t.Errorf("got %d answers weighing %d, want fewer than 100 within %d", c.c.len(), got, bound)
	}
	if _, ok := c.get(t.Context(), "99"); !ok {
		t.Error("the last answer is not kept")
	}
}

var _ Library = (*retrieval.Live)(nil) // the library cmd/citebot gives the bot
