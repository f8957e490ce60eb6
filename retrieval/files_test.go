package retrieval

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/citebot/citebot/corpus"
)

// writeCorpus writes texts (file name → text) into dir.
func writeCorpus(t *testing.T, dir string, texts map[string]string) {
	t.Helper()
	for name, text := range texts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func openFiles(t *testing.T, corpusDir, dir string) (*Index, Stats) {
	t.Helper()
	files, _, err := corpus.ScanDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	ix, st, err := OpenFiles(context.Background(), files, Options{Dir: dir, Chunking: crashChunking})
	if err != nil {
		t.Fatalf("open files: %v", err)
	}
	return ix, st
}

func TestOpenFilesReadsOnlyWhatChanged(t *testing.T) {
	src, dir := t.TempDir(), t.TempDir()
	writeCorpus(t, src, baseTexts)
	first, st := openFiles(t, src, dir)
	if st.Read != 3 || st.Parsed != 3 || !st.Saved {
		t.Fatalf("got %+v, want three files read, parsed and saved", st)
	}
	ix, st := openFiles(t, src, dir)
	if st.Read != 0 || st.Parsed != 0 || !st.Loaded || st.Saved {
		t.Errorf("got %+v, want nothing read or saved for an unchanged corpus", st)
	}
	sameResults(t, ix, first, probeQueries...)
	if got, want := ix.Chunks("b"), first.Chunks("b"); len(got) != len(want) || got[0] != want[0] {
		t.Errorf("got chunks %v, want %v", got, want)
	}

	// Touched, same content: read and hashed, not parsed; the manifest
	// alone is rewritten.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(src, "a.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	data := vectorsFile(t, dir)
	_, st = openFiles(t, src, dir)
	if st.Read != 1 || st.Parsed != 0 || st.Embedded != 0 || !st.Saved || vectorsFile(t, dir) != data {
		t.Errorf("got %+v, want one file read, none parsed, the manifest saved over the same data", st)
	}
	if _, st = openFiles(t, src, dir); st.Read != 0 || st.Saved {
		t.Errorf("got %+v, want the new time recorded", st)
	}

	// Changed, removed and added files.
	writeCorpus(t, src, map[string]string{"b.txt": "Synthesia a créé un avatar. Le cassoulet est un plat du Sud-Ouest.", "d.txt": "Un nouveau texte sur la sécurité."})
	os.Remove(filepath.Join(src, "c.txt"))
	ix, st = openFiles(t, src, dir)
	if st.Read != 2 || st.Parsed != 2 || st.Removed == 0 || st.Embedded == 0 {
		t.Errorf("got %+v, want b and d read and parsed, c removed", st)
	}
	var got []string
	for _, d := range ix.Documents() {
		got = append(got, d.ID)
	}
	if !slices.Equal(got, []string{"a", "b", "d"}) {
		t.Errorf("got documents %v, want a, b and d", got)
	}
}

func TestOpenFilesSkipsWhatItCannotUse(t *testing.T) {
	src := t.TempDir()
	writeCorpus(t, src, map[string]string{"a.txt": baseTexts["a.txt"], "bad.txt": "\x00\x01", "empty.md": "  "})
	os.MkdirAll(filepath.Join(src, "sub"), 0o755)
	writeCorpus(t, filepath.Join(src, "sub"), map[string]string{"a.md": "Un autre a."})
	ix, st := openFiles(t, src, t.TempDir())
	if len(ix.Documents()) != 1 || len(st.Skipped) != 3 {
		t.Errorf("got %d documents and skipped %v, want a, and bad, empty and the second a skipped", len(ix.Documents()), st.Skipped)
	}

	only := t.TempDir()
	writeCorpus(t, only, map[string]string{"bad.txt": "\x00"})
	files, _, _ := corpus.ScanDir(only)
	_, _, err := OpenFiles(context.Background(), files, Options{Dir: t.TempDir()})
	if !errors.Is(err, corpus.ErrNoDocuments) || !errors.Is(err, corpus.ErrBinary) && err.Error() == "" {
		t.Errorf("got %v, want ErrNoDocuments with the reason", err)
	}
}

func TestOpenFilesRereadsUnderAnotherCorpusVersion(t *testing.T) {
	src, dir := t.TempDir(), t.TempDir()
	writeCorpus(t, src, baseTexts)
	openFiles(t, src, dir)
	m, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.Corpus = corpus.Version + 1
	if err := saveManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	_, st := openFiles(t, src, dir)
	if st.Read != 3 || st.Parsed != 3 || st.Embedded != 0 || !st.Loaded || !st.Saved {
		t.Errorf("got %+v, want every file read and parsed again, nothing embedded, the manifest saved", st)
	}
	if _, st := openFiles(t, src, dir); st.Read != 0 {
		t.Errorf("got %+v, want the files trusted again", st)
	}
}
