package retrieval

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"slices"
	"time"
)

// A clustered index can be spread over several processes: each holds the
// chromem-go collections of some of its lists (Load with Held), answers
// searches of those lists (SearchLists), and a process answering a
// question asks the holders of the lists it probes (WithRemoteLists).
// Everything else — BM25 over every chunk, the centroids, the chunk texts
// — stays whole in every process: the data file is mapped, so what is
// not read costs no memory, and what each holder spends its heap and its
// scan on is only its own lists.

// ListHit is a chunk found by a search of some lists, with its cosine
// similarity to the question as chromem-go computed it.
type ListHit struct {
	ChunkID string  `json:"id"`
	Score   float64 `json:"s"`
}

// RemoteLists searches lists held elsewhere: the n chunks most similar to
// qv among those lists. It returns what the holders that answered found;
// the lists nobody answered for are its to report.
type RemoteLists func(ctx context.Context, qv []float32, lists []int, n int) ([]ListHit, error)

// distribution is how an index shares its lists with other processes.
type distribution struct {
	// held says which lists this process holds (fills and searches);
	// nil: all of them.
	held func(list int) bool
	// remote, when set, answers the vector half of every search.
	remote RemoteLists
	// sizes is each list's number of chunks, which the centroids are
	// probed by (an unheld list's collection is empty here).
	sizes []int
}

func (d *distribution) holds(list int) bool { return d == nil || d.held == nil || d.held(list) }

// LoadOptions configure Load.
type LoadOptions struct {
	// Embedder must be the one the index was built with (its
	// fingerprint is checked); nil means NewHashed().
	Embedder     Embedder
	Logger       *slog.Logger
	QueryTimeout time.Duration
	NProbe       int
	// Held, when set, says which lists of a clustered index to install;
	// the others are left to the processes that hold them. An index of
	// one collection has one list, 0.
	Held func(list int) bool
}

// Load opens the persisted index in dir as it is, with no corpus to
// compare it with: what a worker does with an index it was sent. A
// missing, damaged or incompatible index is an error, not a rebuild.
func Load(ctx context.Context, dir string, opts LoadOptions) (*Index, error) {
	o := Options{Embedder: opts.Embedder, Logger: opts.Logger, QueryTimeout: opts.QueryTimeout}
	o.defaults()
	m, err := readManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("index in %s: %w", dir, err)
	}
	if fp := o.Embedder.Fingerprint(); m.Embedder != fp {
		return nil, fmt.Errorf("index in %s was built with embedder %s, this process embeds with %s", dir, m.Embedder, fp)
	}
	s, err := readStored(dir, m)
	if err == nil {
		err = checkRows(m.Docs, s)
	}
	if err != nil {
		return nil, fmt.Errorf("index in %s: %w", dir, err)
	}
	l := &layout{}
	for i := range s.docs {
		md := m.Docs[s.docs[i].doc.ID]
		l.add(fromStored(&s.docs[i], md.Texts, md.Name, md.Size, md.ModTime))
	}
	ix := &Index{emb: o.Embedder, log: o.Logger, queryTimeout: o.QueryTimeout, dim: s.dim, vecs: s.vecs, file: s.file,
		lex: s.lex, clusters: s.clusters, member: s.member, dist: &distribution{held: opts.Held}}
	if opts.NProbe < Exhaustive {
		return nil, fmt.Errorf("nprobe %d: want a positive number of lists, or Exhaustive", opts.NProbe)
	}
	ix.nprobe = ix.resolveNProbe(opts.NProbe)
	ix.dist.sizes = listSizes(ix.member, max(1, ix.Lists()), s.rows)
	ix.setDocs(l)
	ix.install(newChunkTable(l))
	return ix, nil
}

func listSizes(member []int32, k, rows int) []int {
	sizes := make([]int, k)
	if member == nil {
		sizes[0] = rows
	}
	for _, l := range member {
		sizes[l]++
	}
	return sizes
}

// IndexFiles lists the files of the persisted index in dir that another
// machine needs to Load it: the data file, then the manifest, which names
// it and must be written last.
func IndexFiles(dir string) ([]string, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("index in %s: %w", dir, err)
	}
	return []string{filepath.Join(dir, m.Data), filepath.Join(dir, manifestName)}, nil
}

// IndexVersion names the persisted index in dir by its data file's
// checksum and size: the same for the same index wherever and whenever it
// was written.
func IndexVersion(dir string) (string, error) {
	m, err := readManifest(dir)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%08x-%d", m.CRC32C, m.Size), nil
}

// WithRemoteLists returns the index whose searches take their vector
// candidates from remote rather than from its own collections; both
// share everything else.
func (ix *Index) WithRemoteLists(remote RemoteLists) *Index {
	c := *ix
	var d distribution
	if ix.dist != nil {
		d = *ix.dist
	} else {
		d.sizes = listSizes(ix.member, max(1, ix.Lists()), ix.Len())
	}
	d.remote = remote
	c.dist = &d
	return &c
}

// Holds reports whether this process holds list.
func (ix *Index) Holds(list int) bool { return ix.dist.holds(list) }

// ProbeLists returns the lists a search for the question vector qv scans,
// most similar centroid first (ties to the lower list): every non-empty
// list for an exhaustive search, [0] for an index of one collection.
func (ix *Index) ProbeLists(qv []float32) []int {
	if ix.clusters == nil {
		return []int{0}
	}
	type cand struct {
		list int
		sim  float32
	}
	var cands []cand
	for l := range ix.clusters.k() {
		if ix.listSize(l) > 0 {
			cands = append(cands, cand{l, dotProduct(qv, ix.clusters.list(l))})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(b.sim, a.sim); c != 0 {
			return c
		}
		return cmp.Compare(a.list, b.list)
	})
	n := len(cands)
	if ix.nprobe != Exhaustive {
		n = min(n, ix.nprobe)
	}
	out := make([]int, n)
	for i := range out {
		out[i] = cands[i].list
	}
	return out
}

func (ix *Index) listSize(l int) int {
	if ix.dist != nil && ix.dist.sizes != nil {
		return ix.dist.sizes[l]
	}
	return len(ix.lists[l].rows)
}

// ErrNotHeld is returned by SearchLists for a list this process does not
// hold.
var ErrNotHeld = errors.New("list not held here")

// SearchLists returns the n chunks most similar to qv among the given
// lists, which this process must hold, best first.
func (ix *Index) SearchLists(ctx context.Context, qv []float32, lists []int, n int) ([]ListHit, error) {
	held := make([]*list, 0, len(lists))
	for _, l := range lists {
		if l < 0 || l >= len(ix.lists) || !ix.Holds(l) {
			return nil, fmt.Errorf("list %d: %w", l, ErrNotHeld)
		}
		held = append(held, ix.lists[l])
	}
	defer runtime.KeepAlive(ix.file) // as in nearest
	found, err := ix.queryAll(ctx, held, qv, n)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(found, byRank)
	found = found[:min(n, len(found))]
	out := make([]ListHit, len(found))
	for i, s := range found {
		out[i] = ListHit{ChunkID: ix.chunks.id(s.doc), Score: s.score}
	}
	return out, nil
}

// remoteNearest is nearest when the lists are held elsewhere.
func (ix *Index) remoteNearest(ctx context.Context, qv []float32, n int) ([]scored, error) {
	hits, err := ix.dist.remote(ctx, qv, ix.ProbeLists(qv), n)
	if err != nil {
		return nil, err
	}
	out := make([]scored, 0, len(hits))
	for _, h := range hits {
		if r, ok := ix.chunks.row(h.ChunkID); ok {
			out = append(out, scored{doc: r, score: h.Score})
		}
	}
	slices.SortFunc(out, byRank)
	return out[:min(n, len(out))], nil
}
