package retrieval

import (
	"context"
	"runtime"
	"testing"
	"unsafe"

	"github.com/citebot/citebot/corpus"
)

func TestChunkTableFindsEveryRowByID(t *testing.T) {
	var docs []corpus.Document
	for _, name := range []string{"a#b.txt", "c.txt"} {
		d, err := corpus.Parse(name, []byte("Une phrase. Une autre phrase. Encore une phrase, plus longue que les autres."))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	ix, _, _ := open(t, "", docs, NewHashed())
	for r := range ix.Len() {
		c := ix.chunks.chunk(r)
		if got, ok := ix.chunks.row(c.ID); !ok || got != r || c.Text != docs[r/(ix.Len()/2)].Text[c.Start:c.End] {
			t.Errorf("row %d: %q found at %d (%v)", r, c.ID, got, ok)
		}
	}
	for _, bad := range []string{"", "a#b", "a#b#", "a#b#-1", "a#b#99", "c#x", "zz#0"} {
		if r, ok := ix.chunks.row(bad); ok {
			t.Errorf("%q: got row %d, want none", bad, r)
		}
	}
}

// TestHandedOutTextsAreCopies checks that no text a loaded index hands
// out points into its mapped data file, which is released with the index.
func TestHandedOutTextsAreCopies(t *testing.T) {
	src, dir := t.TempDir(), t.TempDir()
	writeCorpus(t, src, baseTexts)
	openFiles(t, src, dir)
	ix, st := openFiles(t, src, dir)
	if !st.Loaded || ix.file == nil || len(ix.file.b) == 0 {
		t.Fatalf("got %+v, want a load from a mapped file", st)
	}
	lo := uintptr(unsafe.Pointer(&ix.file.b[0]))
	hi := lo + uintptr(len(ix.file.b))
	inside := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return len(s) > 0 && p >= lo && p < hi
	}
	if !inside(ix.chunks.text(0)) {
		t.Fatal("the index's own texts are copies; this test no longer tests anything")
	}
	rs, err := ix.Search(context.Background(), "Synthesia avatar", 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if inside(r.Chunk.Text) || inside(r.Chunk.ID) || inside(r.Doc.Title) {
			t.Errorf("%s: a result points into the mapped file", r.Chunk.ID)
		}
	}
	for _, c := range ix.Chunks("b") {
		if inside(c.Text) {
			t.Errorf("%s: a chunk points into the mapped file", c.ID)
		}
	}
	// An update keeps no text of the file it started from: that file is
	// deleted by the save and unmapped with the old index.
	writeCorpus(t, src, map[string]string{"c.txt": "Un autre texte, sur la sécurité."})
	updated, st := openFiles(t, src, dir)
	if st.Loaded != true || st.Embedded == 0 || updated.file != nil {
		t.Fatalf("got %+v, want an update", st)
	}
	for r := range updated.Len() {
		if inside(updated.chunks.text(r)) {
			t.Errorf("row %d of the updated index points into the old file", r)
		}
	}
	runtime.KeepAlive(ix)
}
