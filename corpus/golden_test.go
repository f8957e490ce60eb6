package corpus

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// update rewrites the golden files: go test ./corpus -update. Review the
// diff by eye before keeping it; the files are there to be read.
var update = flag.Bool("update", false, "rewrite testdata/golden files")

// loadDefault loads the embedded articles, failing the test on any problem.
func loadDefault(t *testing.T) []Document {
	t.Helper()
	docs, skipped, err := Load(Default())
	if err != nil {
		t.Fatalf("Load(Default()): %v", err)
	}
	if len(skipped) != 0 {
		t.Fatalf("Load(Default()) skipped %v, want none", skipped)
	}
	return docs
}

func TestGolden(t *testing.T) {
	for _, d := range loadDefault(t) {
		t.Run(d.ID, func(t *testing.T) {
			checkGolden(t, d.ID+".sentences.txt", formatSentences(d))
			checkGolden(t, d.ID+".chunks.txt", formatChunks(d, DefaultChunkOptions()))
		})
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./corpus -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// formatSentences shows the document metadata, then one sentence per line
// with its byte offsets.
func formatSentences(d Document) string {
	var b strings.Builder
	sents := SplitSentences(d.Text)
	fmt.Fprintf(&b, "# %s\n# title: %s\n# date: %q lang: %q url: %q\n# %d sentences\n",
		d.ID, d.Title, d.Date, d.Lang, d.URL, len(sents))
	for i, s := range sents {
		fmt.Fprintf(&b, "%3d [%d:%d] %s\n", i, s.Start, s.End, s.Text)
	}
	return b.String()
}

// formatChunks shows each chunk under a header with its ID, offsets and
// length in runes.
func formatChunks(d Document, o ChunkOptions) string {
	var b strings.Builder
	chunks := ChunkDocument(d, o)
	fmt.Fprintf(&b, "# %s: %d chunks, MaxChars %d, OverlapSentences %d\n",
		d.ID, len(chunks), o.MaxChars, o.OverlapSentences)
	for _, c := range chunks {
		fmt.Fprintf(&b, "\n===== %s [%d:%d] %d runes\n%s\n", c.ID, c.Start, c.End, utf8.RuneCountInString(c.Text), c.Text)
	}
	return b.String()
}
