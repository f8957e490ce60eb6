package retrieval

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/citebot/citebot/corpus"
)

// encodeFixture is the data file of a small index: the fixture texts with
// vectors from the built-in embedder.
func encodeFixture(t testing.TB) ([]byte, []float32, *bm25) {
	t.Helper()
	vs, err := NewHashed().Embed(context.Background(), fixture)
	if err != nil {
		t.Fatal(err)
	}
	var flat []float32
	for _, v := range vs {
		flat = append(flat, v...)
	}
	lex := newBM25(fixture)
	var buf bytes.Buffer
	c := train(flat, DefaultHashedDim, clusterSeed)
	member := make([]int32, len(fixture))
	c.assignRows(flat, nil, member)
	c.largest = largestList(member, c.k())
	s := &stored{dim: DefaultHashedDim, vecs: flat, lex: lex, docs: fixtureDocs(), clusters: c, member: member}
	if err := writeData(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), flat, lex
}

func TestDataRoundTrip(t *testing.T) {
	b, flat, lex := encodeFixture(t)
	s, err := readData(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if s.dim != DefaultHashedDim || s.rows != len(fixture) || !slices.Equal(s.vecs, flat) {
		t.Errorf("got %d rows of %d dimensions (vectors equal: %v), want %d of %d, equal", s.rows, s.dim, slices.Equal(s.vecs, flat), len(fixture), DefaultHashedDim)
	}
	if !slices.Equal(s.lex.lengths, lex.lengths) || s.lex.numTerms() != lex.numTerms() || lex.numTerms() == 0 {
		t.Fatalf("got lengths %v and %d terms, want %v and %d", s.lex.lengths, s.lex.numTerms(), lex.lengths, lex.numTerms())
	}
	for i := range lex.numTerms() {
		term, ps := lex.term(i), lex.postingsAt(i)
		if s.lex.term(i) != term || !slices.Equal(s.lex.postings(term), ps) {
			t.Errorf("term %d %q: got %q with postings %v, want %v", i, term, s.lex.term(i), s.lex.postings(term), ps)
		}
	}
	if s.lex.avgLen != lex.avgLen {
		t.Errorf("got average length %v, want %v", s.lex.avgLen, lex.avgLen)
	}
	if diff := cmp.Diff(fixtureDocs(), s.docs, cmp.AllowUnexported(storedDoc{})); diff != "" {
		t.Errorf("documents mismatch (-want +got):\n%s", diff)
	}
	want := train(flat, DefaultHashedDim, clusterSeed)
	want.largest = s.clusters.largest
	if diff := cmp.Diff(want, s.clusters, cmp.AllowUnexported(clustering{})); diff != "" || len(s.member) != len(fixture) {
		t.Errorf("clustering mismatch (-want +got):\n%s; %d lists of rows", diff, len(s.member))
	}
}

func TestReadDataRejectsDamage(t *testing.T) {
	b, _, _ := encodeFixture(t)
	cases := map[string][]byte{
		"empty":                   nil,
		"wrong magic":             append([]byte("CBIX0001"), b[8:]...),
		"truncated":               b[:len(b)-3],
		"trailing byte":           append(slices.Clone(b), 0),
		"huge row count":          withUint32(b, 12, math.MaxUint32),
		"huge dimension":          withUint32(b, 8, math.MaxUint32),
		"half of vectors":         b[:16+len(b)/2],
		"huge term count":         withUint32(b, termsAt(b), math.MaxUint32),
		"posting beyond the rows": withUint32(b, postingsAt(b), uint32(len(fixture))),
		"zero frequency":          withUint32(b, postingsAt(b)+4, 0),
		"terms out of order":      withUint32(b, termsAt(b)+4, math.MaxUint32),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := readData(bytes.NewReader(data), int64(len(data))); err == nil {
				t.Error("got no error, want the damage reported")
			}
		})
	}
}

// termsAt is where the term count of the encoded fixture b is, and
// postingsAt where its first posting is (see format.go).
func termsAt(b []byte) int {
	return 16 + 4*len(fixture)*DefaultHashedDim + 4*len(fixture)
}

func postingsAt(b []byte) int {
	n := int(binary.LittleEndian.Uint32(b[termsAt(b):]))
	return termsAt(b) + 4 + 8*n
}

// termBytesAt is where the first term of the encoded fixture b starts.
func termBytesAt(b []byte) int {
	n := int(binary.LittleEndian.Uint32(b[termsAt(b):]))
	total := int(binary.LittleEndian.Uint32(b[termsAt(b)+4+8*n-4:]))
	return postingsAt(b) + 8*total
}

func withByte(b []byte, at int, v byte) []byte {
	out := slices.Clone(b)
	out[at] = v
	return out
}

func withUint32(b []byte, at int, v uint32) []byte {
	out := slices.Clone(b)
	out[at], out[at+1], out[at+2], out[at+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	return out
}

// FuzzReadData feeds arbitrary bytes to the decoder: it must fail cleanly
// or return an index whose every posting points at a row it has.
func FuzzReadData(f *testing.F) {
	b, _, _ := encodeFixture(f)
	f.Add(b)
	f.Add(b[:100])
	f.Add([]byte(dataMagic + "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := readData(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if len(s.vecs) != s.rows*s.dim || len(s.lex.lengths) != s.rows || len(s.lex.norm) != s.rows {
			t.Fatalf("got %d values, %d lengths for %d rows of %d", len(s.vecs), len(s.lex.lengths), s.rows, s.dim)
		}
		for j := range s.lex.numTerms() {
			ps := s.lex.postingsAt(j)
			if j > 0 && s.lex.term(j-1) >= s.lex.term(j) {
				t.Fatalf("term %d %q after %q", j, s.lex.term(j), s.lex.term(j-1))
			}
			for i, p := range ps {
				if p.doc < 0 || int(p.doc) >= s.rows || (i > 0 && p.doc <= ps[i-1].doc) || p.tf <= 0 {
					t.Fatalf("term %q: posting %d is %+v of %d rows", s.lex.term(j), i, p, s.rows)
				}
			}
			if got := s.lex.postings(s.lex.term(j)); len(got) != len(ps) {
				t.Fatalf("term %q: found %d postings, want %d", s.lex.term(j), len(got), len(ps))
			}
		}
		s.lex.search([]string{"gouvern"}, 3) // must not panic
		rows := 0
		for _, d := range s.docs {
			for i := 0; i < len(d.spans); i += 2 {
				if d.spans[i] > d.spans[i+1] || int(d.spans[i+1]) > len(d.doc.Text) {
					t.Fatalf("document %q: chunk %d spans %d..%d of %d bytes", d.doc.ID, i/2, d.spans[i], d.spans[i+1], len(d.doc.Text))
				}
			}
			rows += len(d.spans) / 2
		}
		if rows != s.rows {
			t.Fatalf("got documents of %d chunks for %d rows", rows, s.rows)
		}
		if s.clusters != nil {
			for _, m := range s.member {
				if int(m) >= s.clusters.k() || m < 0 {
					t.Fatalf("got a row in list %d of %d", m, s.clusters.k())
				}
			}
			for i := range s.member {
				s.clusters.assign(row(s.vecs, s.dim, i)) // must not panic
			}
		}
	})
}

// sameResults compares two indexes' answers to the same questions, scores
// included: a loaded or incrementally updated index must rank exactly as
// one built from scratch.
func sameResults(t *testing.T, got, want *Index, queries ...string) {
	t.Helper()
	for _, q := range queries {
		a, err1 := got.Search(context.Background(), q, 6)
		b, err2 := want.Search(context.Background(), q, 6)
		if err1 != nil || err2 != nil {
			t.Fatalf("%q: errors %v, %v", q, err1, err2)
		}
		if len(a) != len(b) {
			t.Errorf("%q: got %v, want %v", q, ids(a), ids(b))
			continue
		}
		for i := range a {
			if a[i].Chunk.ID != b[i].Chunk.ID || a[i].Vector != b[i].Vector || a[i].BM25 != b[i].BM25 || a[i].Chunk.Text != b[i].Chunk.Text {
				t.Errorf("%q rank %d: got %s (%.6f, %.6f), want %s (%.6f, %.6f)", q, i+1,
					a[i].Chunk.ID, a[i].Vector, a[i].BM25, b[i].Chunk.ID, b[i].Vector, b[i].BM25)
			}
		}
	}
}

var probeQueries = []string{"avatar Synthesia", "gouvernement partenariat", "risques Bletchley", "cassoulet Sud-Ouest", "soirée entreprises Londres"}

func TestLoadedAndUpdatedIndexesRankAsFreshOnes(t *testing.T) {
	dir := t.TempDir()
	steps := []map[string]string{
		baseTexts,
		withText("b.txt", "Synthesia a créé un avatar. Le cassoulet est un plat du Sud-Ouest. La soirée réunit des entreprises."),
		withText("a.txt", ""),
		baseTexts,
	}
	for i, texts := range steps {
		docs := testDocs(t, texts)
		persisted, _, _ := open(t, dir, docs, NewHashed())
		reloaded, st, _ := open(t, dir, docs, NewHashed())
		fresh, _, _ := open(t, "", docs, NewHashed())
		if !st.Loaded || st.Embedded != 0 || st.Saved {
			t.Errorf("step %d: got %+v on reopening, want a load with nothing embedded or saved", i, st)
		}
		sameResults(t, persisted, fresh, probeQueries...)
		sameResults(t, reloaded, fresh, probeQueries...)
	}
}

func TestOpenRebuildsOldFormatOnce(t *testing.T) {
	dir := t.TempDir()
	old := map[string]any{"version": 1, "embedder": NewHashed().Fingerprint(), "data": "vectors-1.gob", "documents": map[string]any{}}
	b, _ := json.Marshal(old)
	os.WriteFile(filepath.Join(dir, manifestName), b, 0o644)
	os.WriteFile(filepath.Join(dir, "vectors-1.gob"), []byte("gob"), 0o644)

	_, st, logs := open(t, dir, testDocs(t, baseTexts), NewHashed())
	if st.Loaded || st.Rebuilt != "index format changed" || !st.Saved {
		t.Errorf("got %+v, want a rebuild for the format change, saved", st)
	}
	if strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "older format") {
		t.Errorf("got logs %q, want one informational line and no warning", logs)
	}
	if _, err := os.Stat(filepath.Join(dir, "vectors-1.gob")); !os.IsNotExist(err) {
		t.Errorf("got %v for the old data file, want it removed", err)
	}
}

// scaledEmbedder returns vectors that are not unit length, as some
// OpenAI-compatible servers do.
type scaledEmbedder struct {
	*Hashed
	by float32
}

func (s scaledEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	vs, err := s.Hashed.Embed(ctx, texts)
	for _, v := range vs {
		for i := range v {
			v[i] *= s.by
		}
	}
	return vs, err
}

func (s scaledEmbedder) Fingerprint() string { return "scaled" }

func TestStoredVectorsAreUnitLength(t *testing.T) {
	docs := testDocs(t, baseTexts)
	for _, by := range []float32{1, 3, 0.01} {
		ix, _, _ := open(t, "", docs, scaledEmbedder{NewHashed(), by})
		for r := range ix.Len() {
			var sq float64
			for _, x := range ix.vecs[r*ix.dim : (r+1)*ix.dim] {
				sq += float64(x) * float64(x)
			}
			// chromem-go copies any vector whose norm is off by 1e-6 or more.
			if d := math.Abs(math.Sqrt(sq) - 1); d >= 1e-6 {
				t.Fatalf("scale %v, row %d: norm off by %g, want under 1e-6", by, r, d)
			}
		}
	}
}

// shrinkingEmbedder changes its dimension without changing its
// fingerprint: a server that swapped the model behind the same name.
type shrinkingEmbedder struct{ *Hashed }

func (s shrinkingEmbedder) Fingerprint() string { return "same-name" }

func TestOpenReportsADimensionChange(t *testing.T) {
	dir := t.TempDir()
	open(t, dir, testDocs(t, baseTexts), shrinkingEmbedder{NewHashed()})
	changed := testDocs(t, withText("c.txt", "Un texte nouveau sur la sécurité."))
	_, _, err := Open(context.Background(), changed, Options{Dir: dir, Embedder: shrinkingEmbedder{&Hashed{Dim: 64}},
		Chunking: corpus.ChunkOptions{MaxChars: 80, OverlapSentences: 0}})
	if err == nil || !strings.Contains(err.Error(), "64 dimensions") {
		t.Errorf("got %v, want an error naming the new dimension", err)
	}
	if _, st, _ := open(t, dir, testDocs(t, baseTexts), shrinkingEmbedder{NewHashed()}); !st.Loaded {
		t.Errorf("got %+v, want the previous index still loadable", st)
	}
}

// fixtureDocs are the fixture texts as one-chunk documents, in row order.
func fixtureDocs() []storedDoc {
	out := make([]storedDoc, len(fixture))
	for i, text := range fixture {
		d := corpus.Document{ID: fmt.Sprintf("f%d", i), Title: "T", Lang: "fr", Hash: "h", Text: text}
		out[i] = storedDoc{doc: d, spans: []int32{0, int32(len(text))}}
	}
	return out
}
