package corpus

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestScanDirStatsWithoutReading(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "Un article.", "sub/b.md": "# Titre\nUn autre.", "notes.csv": "x"})
	files, skipped, err := ScanDir(dir)
	if err != nil || len(skipped) != 0 || len(files) != 2 {
		t.Fatalf("got %v, %v, %v, want a.txt and sub/b.md", files, skipped, err)
	}
	for _, f := range files {
		info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Name)))
		if err != nil {
			t.Fatal(err)
		}
		if f.Size != info.Size() || !f.ModTime.Equal(info.ModTime()) {
			t.Errorf("%s: got size %d, time %v, want %d, %v", f.Name, f.Size, f.ModTime, info.Size(), info.ModTime())
		}
	}
	// A file is read when asked, not before: removing it after the scan
	// shows up only then.
	os.Remove(filepath.Join(dir, "a.txt"))
	if _, err := files[0].Parse(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v reading a removed file, want fs.ErrNotExist", err)
	}
	d, err := files[1].Parse()
	if err != nil || d.ID != "b" || d.Title != "Titre" || files[1].ID() != "b" {
		t.Errorf("got %+v, %v, want document b titled Titre", d, err)
	}
}

func TestScanOfTheEmbeddedCorpusHasNoTimes(t *testing.T) {
	files, _, err := Scan(Default())
	if err != nil || len(files) != 5 {
		t.Fatalf("got %d files, %v, want the 5 built-in articles", len(files), err)
	}
	for _, f := range files {
		if !f.ModTime.IsZero() || f.Size == 0 {
			t.Errorf("%s: got time %v and size %d, want no time (unknown) and a size", f.Name, f.ModTime, f.Size)
		}
	}
}
