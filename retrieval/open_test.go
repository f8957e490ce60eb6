package retrieval

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/citebot/citebot/corpus"
)

// countingEmbedder counts the texts it embeds, to prove what Open reused.
type countingEmbedder struct {
	*Hashed
	texts atomic.Int64
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.texts.Add(int64(len(texts)))
	return c.Hashed.Embed(ctx, texts)
}

func testDocs(t *testing.T, texts map[string]string) []corpus.Document {
	t.Helper()
	var docs []corpus.Document
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		text, ok := texts[name]
		if !ok {
			continue
		}
		d, err := corpus.Parse(name, []byte(text))
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		docs = append(docs, d)
	}
	return docs
}

var baseTexts = map[string]string{
	"a.txt": "Le Royaume-Uni signe un partenariat avec OpenAI. Les centres de données sont au cœur de l'accord. Le gouvernement veut accélérer.",
	"b.txt": "Synthesia a créé un avatar pour la soirée à l'ambassade. La soirée réunit des entreprises. Mistral AI double son effectif à Londres.",
	"c.txt": "Le sommet de Bletchley Park analyse les risques existentiels. La France accueillera la prochaine édition.",
}

func withText(name, text string) map[string]string {
	m := map[string]string{}
	for k, v := range baseTexts {
		m[k] = v
	}
	if text == "" {
		delete(m, name)
	} else {
		m[name] = text
	}
	return m
}

func open(t *testing.T, dir string, docs []corpus.Document, emb Embedder) (*Index, Stats, string) {
	t.Helper()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ix, st, err := Open(context.Background(), docs, Options{Dir: dir, Embedder: emb, Logger: log,
		Chunking: corpus.ChunkOptions{MaxChars: 80, OverlapSentences: 0}})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return ix, st, logs.String()
}

func chunksOf(ix *Index, doc string) int { return len(ix.Chunks(doc)) }

func TestOpenReloadsWithoutReembedding(t *testing.T) {
	dir := t.TempDir()
	emb := &countingEmbedder{Hashed: NewHashed()}
	ix, st, _ := open(t, dir, testDocs(t, baseTexts), emb)
	if !st.Saved || st.Embedded != ix.Len() || st.Loaded {
		t.Fatalf("first open: got %+v, want everything embedded and saved", st)
	}
	before, _ := ix.Search(context.Background(), "avatar Synthesia", 3)

	emb.texts.Store(0)
	ix2, st, _ := open(t, dir, testDocs(t, baseTexts), emb)
	if !st.Loaded || st.Embedded != 0 || st.Reused != ix2.Len() || emb.texts.Load() != 0 {
		t.Errorf("second open: got %+v and %d texts embedded, want a load with nothing embedded", st, emb.texts.Load())
	}
	after, _ := ix2.Search(context.Background(), "avatar Synthesia", 3)
	if len(after) == 0 || len(before) != len(after) || before[0].Chunk.ID != after[0].Chunk.ID {
		t.Errorf("got results %v after reload, want the same as before %v", ids(after), ids(before))
	}
}

func ids(rs []Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Chunk.ID)
	}
	return out
}

func TestOpenIncrementalUpdate(t *testing.T) {
	dir := t.TempDir()
	emb := &countingEmbedder{Hashed: NewHashed()}
	ix, _, _ := open(t, dir, testDocs(t, baseTexts), emb)
	oldB := chunksOf(ix, "b")

	emb.texts.Store(0)
	changed := withText("b.txt", "Synthesia a créé un avatar. Le cassoulet est un plat du Sud-Ouest.")
	ix, st, _ := open(t, dir, testDocs(t, changed), emb)
	newB := chunksOf(ix, "b")
	if st.Embedded != newB || int(emb.texts.Load()) != newB || st.Removed != oldB {
		t.Errorf("changed file: got %+v (%d texts embedded), want %d embedded and %d removed", st, emb.texts.Load(), newB, oldB)
	}
	if st.Reused != ix.Len()-newB {
		t.Errorf("changed file: got %d reused, want %d", st.Reused, ix.Len()-newB)
	}
	if rs, _ := ix.Search(context.Background(), "cassoulet", 1); len(rs) == 0 || rs[0].Doc.ID != "b" {
		t.Errorf("got %v for the new text, want a passage of b", ids(rs))
	}

	emb.texts.Store(0)
	removed := withText("b.txt", "") // b is gone
	ix, st, _ = open(t, dir, testDocs(t, removed), emb)
	if st.Removed != newB || st.Embedded != 0 || emb.texts.Load() != 0 {
		t.Errorf("removed file: got %+v, want %d removed and nothing embedded", st, newB)
	}
	rs, _ := ix.Search(context.Background(), "avatar Synthesia cassoulet", 10)
	for _, r := range rs {
		if r.Doc.ID == "b" {
			t.Errorf("got passage %s of a removed document", r.Chunk.ID)
		}
	}
}

func TestOpenRebuildsForAnotherEmbedder(t *testing.T) {
	dir := t.TempDir()
	open(t, dir, testDocs(t, baseTexts), NewHashed())
	ix, st, _ := open(t, dir, testDocs(t, baseTexts), &Hashed{Dim: 256})
	if st.Loaded || st.Embedded != ix.Len() || !strings.Contains(st.Rebuilt, "embedder changed") {
		t.Errorf("got %+v, want a full rebuild because the embedder changed", st)
	}
}

func TestOpenRecoversFromDamagedIndex(t *testing.T) {
	damage := map[string]func(t *testing.T, dir string){
		"truncated vectors": func(t *testing.T, dir string) {
			f := vectorsFile(t, dir)
			info, _ := os.Stat(f)
			if err := os.Truncate(f, info.Size()/2); err != nil {
				t.Fatal(err)
			}
		},
		"flipped byte": func(t *testing.T, dir string) {
			f := vectorsFile(t, dir)
			b, _ := os.ReadFile(f)
			b[len(b)-10] ^= 0xff
			os.WriteFile(f, b, 0o644)
		},
		"flipped vector byte": func(t *testing.T, dir string) {
			// Inside the first vector: the file still decodes, only the
			// checksum can tell.
			f := vectorsFile(t, dir)
			b, _ := os.ReadFile(f)
			b[40] ^= 0x01
			os.WriteFile(f, b, 0o644)
		},
		"missing vectors": func(t *testing.T, dir string) { os.Remove(vectorsFile(t, dir)) },
		"garbage manifest": func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, manifestName), []byte("{not json"), 0o644)
		},
		"half-written manifest": func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, manifestName))
			os.WriteFile(filepath.Join(dir, manifestName), b[:len(b)/2], 0o644)
		},
	}
	for name, spoil := range damage {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			open(t, dir, testDocs(t, baseTexts), NewHashed())
			spoil(t, dir)
			ix, st, logs := open(t, dir, testDocs(t, baseTexts), NewHashed())
			if st.Loaded || st.Rebuilt == "" || st.Embedded != ix.Len() {
				t.Errorf("got %+v, want a full rebuild", st)
			}
			if !strings.Contains(logs, "level=WARN") {
				t.Errorf("got logs %q, want a warning", logs)
			}
			if rs, _ := ix.Search(context.Background(), "Bletchley", 1); len(rs) == 0 {
				t.Error("got no result after recovery, want the rebuilt index to answer")
			}
			// The rebuilt index was saved and loads cleanly next time.
			if _, st, _ := open(t, dir, testDocs(t, baseTexts), NewHashed()); !st.Loaded {
				t.Errorf("got %+v after the rebuild, want a clean load", st)
			}
		})
	}
}

func vectorsFile(t *testing.T, dir string) string {
	t.Helper()
	m, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, m.Data)
}

func TestOpenUnwritableDirWorksInMemory(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ix, st, logs := open(t, filepath.Join(blocker, "index"), testDocs(t, baseTexts), NewHashed())
	if st.Saved || st.SaveErr == nil || !strings.Contains(logs, "working in memory") {
		t.Errorf("got %+v and logs %q, want an unsaved index, the reason and a warning", st, logs)
	}
	if rs, _ := ix.Search(context.Background(), "Synthesia", 1); len(rs) == 0 {
		t.Error("got no result, want the in-memory index to answer")
	}
}

func TestSearchCancelledContext(t *testing.T) {
	ix, _, _ := open(t, "", testDocs(t, baseTexts), NewHashed())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, "Synthesia", 3); err == nil {
		t.Error("got no error for a cancelled search, want one (chromem-go alone returns nothing and nil)")
	}
}

func TestSearchScoresAndOrder(t *testing.T) {
	ix, _, _ := open(t, "", testDocs(t, baseTexts), NewHashed())
	rs, err := ix.Search(context.Background(), "risques existentiels Bletchley", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 || rs[0].Doc.ID != "c" {
		t.Fatalf("got %v, want a passage of c first", ids(rs))
	}
	for i, r := range rs {
		if i > 0 && r.Fused > rs[i-1].Fused {
			t.Errorf("rank %d: fused %.4f above the previous %.4f", i+1, r.Fused, rs[i-1].Fused)
		}
		if r.VectorRank == 0 && r.BM25Rank == 0 {
			t.Errorf("%s: in neither list", r.Chunk.ID)
		}
	}
	if rs[0].BM25 <= 0 || rs[0].Vector <= 0 {
		t.Errorf("got scores %+v for the best passage, want both positive", rs[0])
	}
}
