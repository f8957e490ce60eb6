package retrieval

import (
	"strconv"
	"strings"

	"github.com/citebot/citebot/corpus"
)

// chunkTable is how an index keeps its chunks: 12 bytes each (its document
// and its span) where a corpus.Chunk took 64, plus its ID string and a map
// entry to find its row by ID. A corpus.Chunk is made when one is handed
// out, with its text copied: the texts of a loaded index are the mapped
// bytes of its data file, which must not outlive the index.
type chunkTable struct {
	refs  []chunkRef
	docs  []tableDoc       // in row order
	byDoc map[string]int32 // document ID → index in docs
}

type chunkRef struct{ doc, start, end int32 }

type tableDoc struct {
	id, text string
	first    int32 // row of the document's first chunk
}

func newChunkTable(l *layout) chunkTable {
	t := chunkTable{refs: make([]chunkRef, 0, l.rows), docs: make([]tableDoc, len(l.docs)), byDoc: make(map[string]int32, len(l.docs))}
	for i, d := range l.docs {
		t.docs[i] = tableDoc{id: d.ID, text: d.Text, first: int32(l.first[i])}
		t.byDoc[d.ID] = int32(i)
		for j := 0; j+1 < len(l.spans[i]); j += 2 {
			t.refs = append(t.refs, chunkRef{doc: int32(i), start: l.spans[i][j], end: l.spans[i][j+1]})
		}
	}
	return t
}

func (t *chunkTable) len() int { return len(t.refs) }

// id is the ID of the chunk in row r: DOC_ID#N (see corpus.Chunk).
func (t *chunkTable) id(r int) string {
	d := t.docs[t.refs[r].doc]
	return d.id + "#" + strconv.Itoa(r-int(d.first))
}

// text is the chunk's text, as the index holds it: not for handing out.
func (t *chunkTable) text(r int) string {
	ref := t.refs[r]
	return t.docs[ref.doc].text[ref.start:ref.end]
}

// chunk returns the chunk in row r with its own copy of the text.
func (t *chunkTable) chunk(r int) corpus.Chunk {
	ref := t.refs[r]
	d := t.docs[ref.doc]
	return corpus.Chunk{ID: t.id(r), DocID: d.id, Text: strings.Clone(t.text(r)), Start: int(ref.start), End: int(ref.end)}
}

// row finds the row of the chunk whose ID is id.
func (t *chunkTable) row(id string) (int, bool) {
	i := strings.LastIndexByte(id, '#')
	if i < 0 {
		return 0, false
	}
	d, ok := t.byDoc[id[:i]]
	n, err := strconv.Atoi(id[i+1:])
	if !ok || err != nil || n < 0 {
		return 0, false
	}
	r := int(t.docs[d].first) + n
	if r >= len(t.refs) || t.refs[r].doc != d {
		return 0, false
	}
	return r, true
}

// docChunks returns the chunks of document id in order; nil for an
// unknown ID.
func (t *chunkTable) docChunks(id string) []corpus.Chunk {
	d, ok := t.byDoc[id]
	if !ok {
		return nil
	}
	var out []corpus.Chunk
	for r := int(t.docs[d].first); r < len(t.refs) && t.refs[r].doc == d; r++ {
		out = append(out, t.chunk(r))
	}
	return out
}
