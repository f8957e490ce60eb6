package extract

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture is the sidecar of a page in testdata/pages: what a reader sees
// as the article, and snippets of the boilerplate planted around it.
type fixture struct {
	Title, Author, Date, Lang string
	Paragraphs, Boilerplate   []string
}

func loadFixture(t *testing.T, page string) fixture {
	t.Helper()
	raw, err := os.ReadFile(strings.TrimSuffix(page, ".html") + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	return f
}

// TestHTMLFixtures is the extraction quality bar: every paragraph of every
// fixture article is found, no planted boilerplate leaks, and the metadata
// is right. The totals are logged (go test -v -run TestHTMLFixtures).
func TestHTMLFixtures(t *testing.T) {
	pages, _ := filepath.Glob("testdata/pages/*.html")
	if len(pages) < 10 {
		t.Fatalf("got %d fixture pages, want at least 10", len(pages))
	}
	pageURL, _ := url.Parse("https://journal.example/article")
	var found, total, leaked, planted int
	for _, page := range pages {
		t.Run(filepath.Base(page), func(t *testing.T) {
			want := loadFixture(t, page)
			raw, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			got, err := HTML(raw, "text/html", pageURL)
			if err != nil {
				t.Fatalf("got error %v, want an article", err)
			}
			flat := strings.Join(strings.Fields(got.Text), " ")
			for _, p := range want.Paragraphs {
				total++
				if strings.Contains(flat, p) {
					found++
				} else {
					t.Errorf("paragraph missing: %q", p)
				}
			}
			for _, b := range want.Boilerplate {
				planted++
				if strings.Contains(flat, b) {
					leaked++
					t.Errorf("boilerplate leaked: %q", b)
				}
			}
			checkMeta(t, got, want)
		})
	}
	t.Logf("paragraphs found %d/%d, planted boilerplate leaked %d/%d, over %d pages", found, total, leaked, planted, len(pages))
}

func checkMeta(t *testing.T, got Article, want fixture) {
	t.Helper()
	if got.Title != want.Title {
		t.Errorf("got title %q, want %q", got.Title, want.Title)
	}
	if got.Author != want.Author {
		t.Errorf("got author %q, want %q", got.Author, want.Author)
	}
	if got.Date != want.Date {
		t.Errorf("got date %q, want %q", got.Date, want.Date)
	}
	if got.Lang != want.Lang {
		t.Errorf("got lang %q, want %q", got.Lang, want.Lang)
	}
	if strings.Contains(got.Text, "\n\n") {
		t.Errorf("got an empty line in the text, want one paragraph per line")
	}
}

func TestHTMLWithoutArticle(t *testing.T) {
	pages, _ := filepath.Glob("testdata/noarticle/*.html")
	for _, page := range append(pages, "") {
		t.Run(filepath.Base(page), func(t *testing.T) {
			raw := []byte("<html><body></body></html>")
			if page != "" {
				raw, _ = os.ReadFile(page)
			}
			_, err := HTML(raw, "text/html; charset=utf-8", nil)
			if !errors.Is(err, ErrNoArticle) {
				t.Errorf("got %v, want ErrNoArticle", err)
			}
		})
	}
}

// TestCharsetFromHeader checks that the Content-Type charset wins: the
// Latin-1 page read as UTF-8 would show U+FFFD instead of accents.
func TestCharsetFromHeader(t *testing.T) {
	raw, _ := os.ReadFile("testdata/pages/06-latin1.html")
	got, err := HTML(raw, "text/html; charset=ISO-8859-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(got.Text, '\uFFFD') || !strings.Contains(got.Text, "à la normale saisonnière") {
		t.Errorf("got text %q, want accents decoded", got.Text[:120])
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, ctype string
		raw         string
		want        Kind
	}{
		{"a.html", "", "<p>", KindHTML},
		{"x", "text/html; charset=utf-8", "<p>", KindHTML},
		{"a.PDF", "", "x", KindPDF},
		{"report", "application/octet-stream", "%PDF-1.7\n", KindPDF},
		{"notes.md", "", "# t", KindMarkdown},
		{"notes.txt", "", "t", KindText},
		{"photo.png", "image/png", "\x89PNG", KindUnknown},
		{"archive.zip", "", "PK", KindUnknown},
	}
	for _, tt := range tests {
		if got := Detect(tt.name, tt.ctype, []byte(tt.raw)); got != tt.want {
			t.Errorf("Detect(%q, %q): got %v, want %v", tt.name, tt.ctype, got, tt.want)
		}
	}
}

func TestPlain(t *testing.T) {
	if _, err := Plain([]byte("caf\xe9")); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("got %v, want a UTF-8 error", err)
	}
	if _, err := Plain([]byte(" \n ")); err == nil {
		t.Error("got no error for an empty file")
	}
	got, err := Plain([]byte("\uFEFF# Titre\r\nTexte."))
	if err != nil || got.Text != "# Titre\nTexte." {
		t.Errorf("got %q, %v, want the text without BOM and CR", got.Text, err)
	}
	if _, err := Bytes(KindUnknown, []byte("x"), "", nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("got %v, want ErrUnsupported", err)
	}
}

// TestHTMLHeldOut measures extraction on pages written after the pruning
// rules and metadata fallbacks were tuned on testdata/pages, so its
// figures say how the rules generalise. Missing paragraphs fail it;
// leaked boilerplate and metadata misses are only logged (go test -v):
// 1 leak of 16 and 1 date missed of 8 fields when it was written.
func TestHTMLHeldOut(t *testing.T) {
	pages, _ := filepath.Glob("testdata/heldout/*.html")
	var found, total, leaked, planted, metaOK int
	for _, page := range pages {
		want := loadFixture(t, page)
		raw, _ := os.ReadFile(page)
		got, err := HTML(raw, "text/html", nil)
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		flat := strings.Join(strings.Fields(got.Text), " ")
		for _, p := range want.Paragraphs {
			total++
			if !strings.Contains(flat, p) {
				t.Errorf("%s: paragraph missing: %q", page, p)
				continue
			}
			found++
		}
		for _, b := range want.Boilerplate {
			planted++
			if strings.Contains(flat, b) {
				leaked++
				t.Logf("%s: boilerplate leaked: %q", page, b)
			}
		}
		for _, ok := range []bool{got.Title == want.Title, got.Author == want.Author, got.Date == want.Date, got.Lang == want.Lang} {
			if ok {
				metaOK++
			}
		}
	}
	t.Logf("held out: paragraphs found %d/%d, boilerplate leaked %d/%d, metadata fields right %d/%d", found, total, leaked, planted, metaOK, 4*len(pages))
}
