package bot

import (
	"context"
	"hash/fnv"
	"log/slog"
	"strings"
	"time"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/store"
)

// answerCache keeps answers by key for the buttons under them: the
// Sources button shows their passages, a vote records their content.
// It keeps only what the buttons need (keptAnswer), copied, so that a
// kept answer holds neither the model's response nor any of the index —
// passages are kept as references and read again from the library when
// Sources is clicked, so a /reindex can free the old index.
//
// The store keeps them across restarts; the LRU in front of it, bounded
// in bytes as well as in answers, spares a read for recent answers and
// holds one the store has not written yet.
type answerCache struct {
	c   *lru[keptAnswer]
	st  store.Store
	log *slog.Logger
}

// newAnswerCache caches the last size answers weighing at most bytes in
// all in front of st; buttons whose answer neither has say the sources
// have expired, and votes on them are recorded from the message's text.
func newAnswerCache(st store.Store, log *slog.Logger, size, bytes int) *answerCache {
	return &answerCache{c: newCostLRU(size, bytes, func(key string, k keptAnswer) int { return len(key) + k.cost() }),
		st: st, log: log}
}

// put keeps what the buttons need of ans under key, the ID they carry,
// with who asked it where, so that /forget-me reaches it.
func (a *answerCache) put(key string, who origin, ans answer.Answer) {
	k := keep(ans)
	k.at, k.guild, k.user = time.Now().UTC(), who.guild, who.user
	a.c.put(key, k)
	a.st.PutAnswer(key, k.stored())
}

// get returns the answer a button's key names, if still kept.
func (a *answerCache) get(ctx context.Context, key string) (keptAnswer, bool) {
	if k, ok := a.c.get(key); ok {
		return k, true
	}
	ctx, cancel := context.WithTimeout(ctx, storeReadTimeout)
	defer cancel()
	s, ok, err := a.st.Answer(ctx, key)
	if err != nil {
		a.log.Warn("cannot read a kept answer from the store", "key", key, "err", err)
	}
	if !ok || err != nil {
		return keptAnswer{}, false
	}
	k := fromStored(s)
	a.c.put(key, k)
	return k, true
}

// forgetUser drops the cached answers user asked for.
func (a *answerCache) forgetUser(user string) {
	a.c.removeIf(func(_ string, k keptAnswer) bool { return k.user == user })
}

// keptAnswer is what the buttons under an answer need of it: a vote's
// record (question, text, mode, cited chunk IDs) and the passages the
// Sources button shows.
type keptAnswer struct {
	at                   time.Time
	guild, user          string // where and by whom it was asked
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
	n := 160 + len(k.guild) + len(k.user) + len(k.question) + len(k.text) + len(k.mode)
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

// stored is k as the store keeps it.
func (k keptAnswer) stored() store.KeptAnswer {
	s := store.KeptAnswer{Time: k.at, Guild: k.guild, User: k.user, Question: k.question, Text: k.text, Mode: k.mode,
		Sources: k.sources}
	for _, p := range k.passages {
		s.Passages = append(s.Passages, store.KeptPassage{ChunkID: p.chunkID, DocID: p.docID, Title: p.title, Sum: p.sum,
			Fused: p.fused, Vector: p.vector, BM25: p.bm25})
	}
	return s
}

// fromStored is a kept answer read back from the store.
func fromStored(s store.KeptAnswer) keptAnswer {
	k := keptAnswer{at: s.Time, guild: s.Guild, user: s.User, question: s.Question, text: s.Text, mode: s.Mode, sources: s.Sources}
	for _, p := range s.Passages {
		k.passages = append(k.passages, keptPassage{chunkID: p.ChunkID, docID: p.DocID, title: p.Title, sum: p.Sum,
			fused: p.Fused, vector: p.Vector, bm25: p.BM25})
	}
	return k
}
