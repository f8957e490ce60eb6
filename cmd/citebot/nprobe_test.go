package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNProbeFromTheEnvironment(t *testing.T) {
	for _, bad := range []string{"0", "-3", "many", "2.5"} {
		_, stderr, code := cli(t, map[string]string{"CITEBOT_NPROBE": bad}, "search", "Bletchley")
		if code != 2 || !strings.Contains(stderr, "CITEBOT_NPROBE") || !strings.Contains(stderr, bad) {
			t.Errorf("CITEBOT_NPROBE=%s: got exit %d, %q, want 2 and an error naming it", bad, code, stderr)
		}
	}
	for _, good := range []string{"exhaustive", "4", "100000"} {
		out, stderr, code := cli(t, map[string]string{"CITEBOT_NPROBE": good}, "search", "Bletchley")
		if code != 0 || !strings.Contains(out, "003_691bfcd5bcfc0655") {
			t.Errorf("CITEBOT_NPROBE=%s: got exit %d, %q, %q, want results", good, code, out, stderr)
		}
	}
}

func TestIndexTrustsUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"a.txt": "Le sommet de Bletchley Park analyse les risques.", "b.md": "# Titre\nUn second article sur la sécurité."} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"CITEBOT_DATA_DIR": t.TempDir(), "CITEBOT_CORPUS": dir}
	var runs [2]indexOut
	for i := range runs {
		out, stderr, code := cli(t, env, "index", "--json")
		if err := json.Unmarshal([]byte(out), &runs[i]); err != nil || code != 0 {
			t.Fatalf("run %d: got exit %d, %v (%s)", i, code, err, stderr)
		}
	}
	if runs[0].Read != 2 || runs[0].Parsed != 2 || runs[1].Read != 0 || runs[1].Parsed != 0 || !runs[1].Loaded {
		t.Errorf("got %+v then %+v, want both files read once, then neither", runs[0], runs[1])
	}
	out, _, code := cli(t, env, "sources")
	if code != 0 || !strings.Contains(out, "Titre") {
		t.Errorf("got exit %d, %q, want the documents listed from the index", code, out)
	}
}
