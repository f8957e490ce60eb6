package bot

import (
	"hash/fnv"
	"strings"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

// answerCache keeps recent answers by key for the buttons under them:
// the Sources button shows their passages, a vote records their content.
// It keeps only what the buttons need (keptAnswer), copied, so that a
// kept answer holds neither the model's response nor any of the index —
// passages are kept as references and read again from the library when
// Sources is clicked, so a /reindex can free the old index — and it is
// bounded in bytes as well as in answers.
type answerCache struct{ c *lru[keptAnswer] }

// newAnswerCache keeps the last size answers weighing at most bytes in
// all; older buttons then say the sources have expired, and votes on them
// are recorded from the message's text.
func newAnswerCache(size, bytes int) *answerCache {
	return &answerCache{newCostLRU(size, bytes, func(key string, k keptAnswer) int { return len(key) + k.cost() })}
}

// put keeps what the buttons need of ans under key, the ID they carry.
func (a *answerCache) put(key string, ans answer.Answer) { a.c.put(key, keep(ans)) }

// get returns the answer a button's key names, if still kept.
func (a *answerCache) get(key string) (keptAnswer, bool) { return a.c.get(key) }

// keptAnswer is what the buttons under an answer need of it: a vote's
// record (question, text, mode, cited chunk IDs) and the passages the
// Sources button shows.
type keptAnswer struct {
	question, text, mode string
	sources              []string
	passages             []keptPassage
}

// keptPassage is a passage by reference: where it is, a checksum of its
// text, and the scores that ranked it.
type keptPassage struct {
	chunkID, docID, title string
	sum                   uint64 // FNV-1a of the chunk's text
	fused, vector, bm25   float64
}

// keep copies what the buttons need of a.
func keep(a answer.Answer) keptAnswer {
	k := keptAnswer{question: strings.Clone(a.Question), text: strings.Clone(a.Text), mode: a.Mode}
	for _, s := range a.Sources {
		k.sources = append(k.sources, strings.Clone(s.ChunkID))
	}
	for _, r := range a.Passages {
		k.passages = append(k.passages, keptPassage{chunkID: strings.Clone(r.Chunk.ID), docID: strings.Clone(r.Chunk.DocID),
			title: strings.Clone(firstNonBlank(r.Doc.Title, r.Doc.ID)), sum: checksum(r.Chunk.Text),
			fused: r.Fused, vector: r.Vector, bm25: r.BM25})
	}
	return k
}

// cost approximates the bytes k holds: its strings and a few words of
// bookkeeping per part.
func (k keptAnswer) cost() int {
	n := 128 + len(k.question) + len(k.text) + len(k.mode)
	for _, s := range k.sources {
		n += 16 + len(s)
	}
	for _, p := range k.passages {
		n += 88 + len(p.chunkID) + len(p.docID) + len(p.title)
	}
	return n
}

// results are the kept passages as the Sources embed shows them, their
// text read again from lib. A passage no longer indexed as it was when
// the answer was given — the article changed and was re-indexed — says
// so rather than showing other text under the answer's scores.
func (k keptAnswer) results(lib Library, lang string) []retrieval.Result {
	byDoc := map[string][]corpus.Chunk{}
	out := make([]retrieval.Result, len(k.passages))
	for i, p := range k.passages {
		chunks, ok := byDoc[p.docID]
		if !ok {
			chunks = lib.Chunks(p.docID)
			byDoc[p.docID] = chunks
		}
		text := say(lang, "passageChanged")
		for _, c := range chunks {
			if c.ID == p.chunkID && checksum(c.Text) == p.sum {
				text = c.Text
				break
			}
		}
		out[i] = retrieval.Result{Chunk: corpus.Chunk{ID: p.chunkID, DocID: p.docID, Text: text},
			Doc: retrieval.DocInfo{ID: p.docID, Title: p.title}, Fused: p.fused, Vector: p.vector, BM25: p.bm25}
	}
	return out
}

// checksum tells whether a chunk's text is still the one an answer used.
func checksum(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
