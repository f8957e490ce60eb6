package corpus

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"good.txt":        file("Un bon article.\nAvec deux paragraphes."),
		"sub/other.md":    file("---\ntitle: Autre\n---\nUn autre article."),
		"sub/good.txt":    file("Même identifiant que good.txt."),
		"empty.txt":       file(" \n "),
		"bin.txt":         file("\x00\x01\x02"),
		"latin1.txt":      file("caf\xe9"),
		"noise.md":        file("Lire aussi : ailleurs"),
		"notes.csv":       file("a,b\n1,2"),
		".git/HEAD.txt":   file("ref: refs/heads/main"),
		"a/b/c/deep.TXT":  file("Un article rangé profondément."),
		"z_last/zz.md":    file("# Dernier\nLe dernier article."),
		"sub/empty/x.bin": file("ignoré"),
	}
	docs, skipped, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load: got error %v, want nil", err)
	}
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	if diff := cmp.Diff([]string{"deep", "good", "other", "zz"}, ids); diff != "" {
		t.Errorf("document IDs mismatch (-want +got):\n%s", diff)
	}
	wantSkipped := map[string]error{
		"bin.txt":      ErrBinary,
		"empty.txt":    ErrEmpty,
		"latin1.txt":   ErrInvalidUTF8,
		"noise.md":     ErrNoText,
		"sub/good.txt": nil, // duplicate ID
	}
	if len(skipped) != len(wantSkipped) {
		t.Errorf("got %d skipped %v, want %d", len(skipped), skipped, len(wantSkipped))
	}
	for _, s := range skipped {
		want, ok := wantSkipped[s.Name]
		switch {
		case !ok:
			t.Errorf("got %s skipped (%v), want it loaded or ignored", s.Name, s.Err)
		case want != nil && !errors.Is(s.Err, want):
			t.Errorf("%s: got error %v, want %v", s.Name, s.Err, want)
		case want == nil && !strings.Contains(s.Err.Error(), `duplicate document ID "good"`):
			t.Errorf("%s: got error %v, want a duplicate ID error", s.Name, s.Err)
		}
	}
}

func TestLoadNoUsableDocument(t *testing.T) {
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		reasons []string
	}{
		{"empty corpus", fstest.MapFS{}, []string{"no .txt or .md file"}},
		{"only other files", fstest.MapFS{"a.csv": file("x")}, []string{"no .txt or .md file"}},
		{"only bad files", fstest.MapFS{"a.txt": file(""), "b.txt": file("\x00")}, []string{"a.txt: empty file", "b.txt: binary file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, _, err := Load(tt.fsys)
			if !errors.Is(err, ErrNoDocuments) {
				t.Fatalf("Load: got %d docs and error %v, want %v", len(docs), err, ErrNoDocuments)
			}
			for _, r := range tt.reasons {
				if !strings.Contains(err.Error(), r) {
					t.Errorf("got error %q, want it to contain %q", err, r)
				}
			}
		})
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "001_x.txt"), []byte("Un article.\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "001_x.txt")
	missing := filepath.Join(dir, "absent")

	docs, skipped, err := LoadDir(dir)
	if err != nil || len(skipped) != 0 || len(docs) != 1 || docs[0].ID != "001_x" {
		t.Fatalf("LoadDir(%q): got %v, %v, %v, want one document 001_x", dir, docs, skipped, err)
	}

	tests := []struct {
		name, dir, want string
		is              error
	}{
		{"missing", missing, `corpus directory "` + missing + `": no such directory`, fs.ErrNotExist},
		{"not a directory", notDir, `corpus directory "` + notDir + `": not a directory`, nil},
		{"no usable document", t.TempDir(), "no usable documents in corpus", ErrNoDocuments},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := LoadDir(tt.dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadDir(%q): got error %v, want %q", tt.dir, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.dir) {
				t.Errorf("got error %q, want it to name %s", err, tt.dir)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("got error %v, want errors.Is %v", err, tt.is)
			}
		})
	}
}

func TestDefault(t *testing.T) {
	want := map[string]string{ // ID → title
		"000_e36295c6d4f2ae41": "Le Royaume-Uni a annoncé un partenariat avec OpenAI pour moderniser ses technologies et stimuler…",
		"001_cb6bb33158675418": "Et si l’intelligence artificielle devenait le nouvel allié des gouvernements ?",
		"002_aea207a960e5faa7": "Après Londres, Paris",
		"003_691bfcd5bcfc0655": "L’intelligence artificielle occupe une place centrale dans l’agenda mondial et, ce mois-ci…",
		"004_1e9f4132d1c7a7aa": "Comment le Royaume-Uni mise sur l’intelligence artificielle pour révolutionner ses services publics…",
	}
	docs := loadDefault(t)
	if len(docs) != len(want) {
		t.Fatalf("got %d documents, want %d", len(docs), len(want))
	}
	for _, d := range docs {
		t.Run(d.ID, func(t *testing.T) {
			if d.Title != want[d.ID] {
				t.Errorf("got Title %q, want %q", d.Title, want[d.ID])
			}
			if n := utf8.RuneCountInString(d.Title); n > maxTitleRunes {
				t.Errorf("got a title of %d runes, want at most %d", n, maxTitleRunes)
			}
			if d.Lang != "fr" {
				t.Errorf("got Lang %q, want fr", d.Lang)
			}
			if len(d.Hash) != 64 {
				t.Errorf("got Hash %q, want a sha256", d.Hash)
			}
			// Each is in some raw article; no-break spaces are not, so their
			// cleaning is tested in TestParseCleaning instead.
			for _, noise := range []string{"Lire aussi", "date 2023", "---|", "\n\n"} {
				if strings.Contains(d.Text, noise) {
					t.Errorf("got %q in the text, want it cleaned", noise)
				}
			}
			wantDate := ""
			if d.ID == "002_aea207a960e5faa7" {
				wantDate = "2023-11"
			}
			if d.Date != wantDate {
				t.Errorf("got Date %q, want %q", d.Date, wantDate)
			}
		})
	}
}

// TestLoadDirSymlinks checks that a link whose target resolves outside the
// corpus directory is skipped with a reason naming it, however it gets
// out (absolute path, "..", through a linked directory), while links that
// stay inside are read.
func TestLoadDirSymlinks(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("Le mot de passe est hors du corpus."), 0o644); err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "corpus")
	writeFiles(t, dir, map[string]string{"in.txt": "Un article du corpus.", "sub/keep.md": "Un autre article."})
	if err := os.WriteFile(filepath.Join(parent, "sibling.txt"), []byte("Le voisin est hors du corpus."), 0o644); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"abs.txt":        secret,           // absolute, outside
		"up.txt":         "../sibling.txt", // relative, climbs out
		"outdir":         outside,          // a linked directory: never entered
		"via.txt":        "outdir/secret.txt",
		"inlink.txt":     "in.txt",      // inside: kept
		"sub/parent.txt": "../in.txt",   // inside, through "..": kept
		"dangling.txt":   "nowhere.txt", // broken
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("cannot create symbolic links here: %v", err)
		}
	}
	docs, skipped, err := LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID)
		if strings.Contains(d.Text, "hors du corpus") {
			t.Errorf("got %s with text from outside the corpus: %q", d.ID, d.Text)
		}
	}
	if diff := cmp.Diff([]string{"in", "inlink", "keep", "parent"}, ids); diff != "" {
		t.Errorf("document IDs mismatch (-want +got):\n%s", diff)
	}
	reasons := map[string]error{}
	for _, s := range skipped {
		reasons[s.Name] = s.Err
		if !strings.Contains(s.Err.Error(), s.Name) {
			t.Errorf("got reason %q, want it to name %s", s.Err, s.Name)
		}
	}
	for _, name := range []string{"abs.txt", "up.txt", "via.txt"} {
		if !errors.Is(reasons[name], ErrOutsideCorpus) {
			t.Errorf("%s: got %v, want ErrOutsideCorpus", name, reasons[name])
		}
	}
	if reasons["dangling.txt"] == nil || len(skipped) != 4 {
		t.Errorf("got skipped %v, want the three escaping links and the broken one", skipped)
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
