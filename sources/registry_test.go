package sources

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citebot/citebot/extract"
	"github.com/citebot/citebot/extract/pdftest"
	"github.com/citebot/citebot/fetch"
)

func TestAddURL(t *testing.T) {
	s := newSite(t)
	s.set("/chaleur", "text/html; charset=utf-8", article("Lyon chauffe ses immeubles aux eaux usées", "2024-03-12", paraHeat, paraCost))
	s.set("/copie", "text/html; charset=utf-8", article("Lyon chauffe ses immeubles aux eaux usées", "2024-03-12", paraHeat, paraCost))
	reg, _ := testRegistry(t)
	ctx := context.Background()
	res, err := reg.AddURL(ctx, s.URL+"/chaleur#haut")
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusAdded || !strings.HasPrefix(res.ID, "web_127-0-0-1_") || res.URL != s.URL+"/chaleur" ||
		res.Title != "Lyon chauffe ses immeubles aux eaux usées" || res.Date != "2024-03-12" || res.Origin != OriginURL {
		t.Errorf("got %+v, want the article added with its metadata", res)
	}
	again, err := reg.AddURL(ctx, s.URL+"/chaleur?utm_source=newsletter")
	if err != nil || again.Status != StatusUnchanged || again.ID != res.ID {
		t.Errorf("same URL with tracking: got %+v, %v, want unchanged %s", again, err, res.ID)
	}
	dup, err := reg.AddURL(ctx, s.URL+"/copie")
	if err != nil || !dup.Duplicate || dup.ID != res.ID {
		t.Errorf("same article at another URL: got %+v, %v, want a duplicate of %s", dup, err, res.ID)
	}
	docs, skipped, err := reg.Documents(ctx)
	if err != nil || len(skipped) > 0 || len(docs) != 1 {
		t.Fatalf("got %d documents, skipped %v, %v, want 1", len(docs), skipped, err)
	}
	d := docs[0]
	if d.ID != res.ID || d.URL != res.URL || !strings.Contains(d.Text, paraCost) || strings.Contains(d.Text, "cookies") || strings.Contains(d.Text, "Super article") {
		t.Errorf("got document %+v, want the article's text only, with its URL", d)
	}
	files, err := reg.Files(ctx)
	if err != nil || len(files) != 1 || files[0].ID() != res.ID || files[0].Size == 0 || files[0].ModTime.IsZero() {
		t.Fatalf("got files %+v, %v, want one, stated", files, err)
	}
	if fd, err := files[0].Parse(); err != nil || fd.Text != d.Text || fd.Hash != d.Hash {
		t.Errorf("got %+v, %v from the file, want the document", fd, err)
	}
}

func TestAddURLFailuresLoseNothing(t *testing.T) {
	s := newSite(t)
	s.set("/ok", "text/html", article("Dentelle", "2023-11-05", paraLace, paraLace2))
	s.set("/home", "text/html", []byte(`<html><body><nav><a href="/a">Une</a></nav><ul><li><a href="/b">Deux</a></li></ul></body></html>`))
	s.set("/photo", "image/jpeg", []byte("\xff\xd8\xff"))
	reg, _ := testRegistry(t)
	ctx := context.Background()
	if _, err := reg.AddURL(ctx, s.URL+"/ok"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url  string
		want string
	}{
		{s.URL + "/missing", "HTTP 404"},
		{s.URL + "/home", "no article found"},
		{s.URL + "/photo", "unexpected content type"},
		{"ftp://example.org/a", "only http and https"},
		{"http://169.254.169.254/latest/meta-data/", "refused"},
	}
	for _, tt := range tests {
		_, err := reg.AddURL(ctx, tt.url)
		if err == nil || !strings.Contains(err.Error(), tt.url) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error naming it and saying %q", tt.url, err, tt.want)
		}
	}
	if got, _ := reg.List(ctx); len(got) != 1 {
		t.Errorf("got %d documents after the failures, want the 1 added before", len(got))
	}
}

func TestAddFile(t *testing.T) {
	reg, _ := testRegistry(t)
	ctx := context.Background()
	page, err := os.ReadFile("../extract/testdata/pages/01-quotidien.html")
	if err != nil {
		t.Fatal(err)
	}
	pdf := pdftest.Text([]string{paraLace, paraLace2})
	tests := []struct {
		name  string
		data  []byte
		title string
	}{
		{"notes.md", []byte("---\ntitle: Mes notes\n---\n# Ignored heading\n" + paraHeat + "\n"), "Mes notes"},
		{"C:\\Users\\me\\brouillon.txt", []byte(paraCost + "\n"), "Le chantier a coûté 18 millions d'euros"},
		{"page.html", page, "Lyon inaugure un réseau de chaleur alimenté par les eaux usées"},
		{"rapport.pdf", pdf, "L'atelier du conservatoire de la dentelle"},
	}
	for _, tt := range tests {
		res, err := reg.AddFile(ctx, tt.name, tt.data)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if res.Status != StatusAdded || !strings.HasPrefix(res.Title, tt.title) || res.Origin != OriginFile || !strings.HasPrefix(res.ID, "file_") || strings.Contains(res.File, "\\") {
			t.Errorf("%s: got %+v, want added with title %q", tt.name, res, tt.title)
		}
	}
	again, err := reg.AddFile(ctx, "copie.pdf", pdf)
	if err != nil || again.Status != StatusUnchanged {
		t.Errorf("same file twice: got %+v, %v, want unchanged", again, err)
	}
	if got, _ := reg.List(ctx); len(got) != 4 {
		t.Errorf("got %d documents, want 4", len(got))
	}
}

func TestAddFileRefusals(t *testing.T) {
	reg, _ := testRegistry(t)
	reg.opts.MaxFileBytes = 2000
	ctx := context.Background()
	tests := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"scan.pdf", pdftest.ImageOnly(), extract.ErrNoPDFText, "no text layer"},
		{"secret.pdf", pdftest.Encrypted(), extract.ErrEncrypted, "encrypted"},
		{"lettre.docx", []byte("PK\x03\x04"), extract.ErrUnsupported, "unsupported file type"},
		{"gros.txt", []byte(strings.Repeat("a", 2001)), nil, "over the limit of 2000"},
		{"vide.md", []byte("  \n"), nil, "empty"},
	}
	for _, tt := range tests {
		_, err := reg.AddFile(ctx, tt.name, tt.data)
		if err == nil || !strings.HasPrefix(err.Error(), tt.name+": ") || !strings.Contains(err.Error(), tt.msg) || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: got %v, want an error naming it and saying %q", tt.name, err, tt.msg)
		}
	}
}

func TestRemoveIsForGood(t *testing.T) {
	s := newSite(t)
	s.set("/a", "text/html", article("Chaleur", "2024-03-12", paraHeat, paraCost))
	s.set("/feed.xml", "application/rss+xml", rss(s.URL+"/a"))
	reg, dir := testRegistry(t)
	ctx := context.Background()
	if _, err := reg.AddFeed(ctx, s.URL+"/feed.xml"); err != nil {
		t.Fatal(err)
	}
	rep, err := reg.Sync(ctx, nil)
	if err != nil || len(rep.Added) != 1 {
		t.Fatalf("got %+v, %v, want one added", rep, err)
	}
	id := rep.Added[0].ID
	if _, err := reg.Remove(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "docs", id+".md")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want the text deleted", err)
	}
	rep, err = reg.Sync(ctx, nil)
	if err != nil || len(rep.Added)+len(rep.Updated)+len(rep.Unchanged) != 0 {
		t.Errorf("got %+v, %v, want the removed article not fetched again", rep, err)
	}
	if _, err := reg.Remove(ctx, id); !errors.Is(err, ErrUnknownID) {
		t.Errorf("got %v, want ErrUnknownID", err)
	}
	if res, err := reg.AddURL(ctx, s.URL+"/a"); err != nil || res.Status != StatusAdded {
		t.Errorf("adding it explicitly: got %+v, %v, want it back", res, err)
	}
}

func TestStateFileIsAtomic(t *testing.T) {
	reg, dir := testRegistry(t)
	if _, err := reg.AddFile(context.Background(), "a.txt", []byte(paraCost)); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("got leftover temporary file %s", e.Name())
		}
	}
	os.WriteFile(filepath.Join(dir, stateFile), []byte("{broken"), 0o644)
	if _, err := reg.List(context.Background()); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("got %v, want a corrupt-registry error", err)
	}
}

func TestNoFetcher(t *testing.T) {
	reg := New(DirStore{Dir: t.TempDir()}, Options{})
	if _, err := reg.AddURL(context.Background(), "https://example.org/a"); !errors.Is(err, ErrNoFetcher) {
		t.Errorf("got %v, want ErrNoFetcher", err)
	}
	_ = fetch.ErrBlocked
}
