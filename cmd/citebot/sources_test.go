package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/citebot/citebot/extract/pdftest"
)

// newsSite serves articles and a feed that a test changes between syncs.
type newsSite struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]string
}

func newNewsSite(t *testing.T) *newsSite {
	s := &newsSite{pages: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		body, ok := s.pages[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		ctype := "text/html; charset=utf-8"
		if strings.HasSuffix(r.URL.Path, ".xml") {
			ctype = "application/rss+xml"
		}
		w.Header().Set("Content-Type", ctype)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *newsSite) set(path, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = body
}

func newsPage(title string, paras ...string) string {
	return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>` + title + ` | Journal</title></head><body>
<div id="cookie-consent">Nous utilisons des cookies pour la publicité. <button>Accepter</button></div>
<nav><a href="/">Accueil</a></nav><article><h1>` + title + `</h1><p>` + strings.Join(paras, "</p><p>") + `</p></article>
<section class="comments"><p>Premier commentaire : quelle honte pour la ville !</p></section></body></html>`
}

var (
	heatParas = []string{
		"La métropole de Lyon récupère désormais la chaleur des égouts du quartier de la Confluence pour chauffer 4 000 logements grâce à un échangeur de deux cents mètres.",
		"Le réseau de chaleur alimenté par les eaux usées a coûté 18 millions d'euros, financés pour un tiers par l'Agence de la transition écologique.",
	}
	laceParas = []string{
		"Au Puy-en-Velay, l'atelier du conservatoire de la dentelle accueille cette année onze apprenties, un record depuis les années 1980.",
		"Toutes préparent le certificat d'aptitude aux métiers d'art, qui demande trois ans de pratique quotidienne du fuseau de buis.",
	}
)

func feedXML(links ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Journal</title>`)
	for _, l := range links {
		fmt.Fprintf(&b, "<item><title>x</title><link>%s</link></item>", l)
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

// TestFeedSyncAskCitesURL is the end-to-end path of issue #12: follow a
// feed, sync, ask and get the article's URL cited; change one article,
// sync again, and only its chunks are embedded.
func TestFeedSyncAskCitesURL(t *testing.T) {
	s := newNewsSite(t)
	s.set("/chaleur", newsPage("Lyon se chauffe aux eaux usées", heatParas...))
	s.set("/dentelle", newsPage("La dentelle du Puy retrouve des apprenties", laceParas...))
	s.set("/feed.xml", feedXML(s.URL+"/chaleur", s.URL+"/dentelle"))
	env := map[string]string{"CITEBOT_DATA_DIR": t.TempDir(), "CITEBOT_FETCH_ALLOW": "127.0.0.1"}

	if out, stderr, code := cli(t, env, "feed", "add", s.URL+"/feed.xml", "-host-delay", "0"); code != 0 || !strings.Contains(out, "2 articles") {
		t.Fatalf("feed add: got exit %d, %q %q", code, out, stderr)
	}
	first := syncJSON(t, env)
	if len(first.Added) != 2 || len(first.Failed) != 0 || first.Index.Embedded == 0 {
		t.Fatalf("first sync: got %+v, want 2 added and chunks embedded", first)
	}
	out, stderr, code := cli(t, env, "ask", "--json", "Combien a coûté le réseau de chaleur alimenté par les eaux usées à Lyon ?")
	if code != 0 {
		t.Fatalf("ask: got exit %d (%s)", code, stderr)
	}
	var a answerOut
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.Refused || len(a.Sources) == 0 || a.Sources[0].URL != s.URL+"/chaleur" || !strings.Contains(a.Answer, "18 millions") {
		t.Fatalf("got answer %q citing %+v, want 18 millions cited from %s/chaleur", a.Answer, a.Sources, s.URL)
	}
	if text, _, _ := cli(t, env, "ask", "Combien a coûté le réseau de chaleur alimenté par les eaux usées à Lyon ?"); !strings.Contains(text, "<"+s.URL+"/chaleur>") {
		t.Errorf("got terminal answer %q, want the URL beside the document ID", text)
	}

	s.set("/dentelle", newsPage("La dentelle du Puy retrouve des apprenties", append(laceParas,
		"Une exposition présentera au printemps les pièces réalisées par les apprenties pendant leur première année.")...))
	second := syncJSON(t, env)
	if len(second.Updated) != 1 || second.Updated[0].URL != s.URL+"/dentelle" || len(second.Unchanged) != 1 || len(second.Added) != 0 {
		t.Fatalf("second sync: got %+v, want /dentelle updated, /chaleur unchanged", second.Report)
	}
	laceChunks := docChunks(t, env, second.Updated[0].ID)
	t.Logf("second sync: %+v, changed article has %d chunks", second.Index, laceChunks)
	if second.Index.Embedded != laceChunks || second.Index.Reused != second.Index.Chunks-laceChunks {
		t.Errorf("second sync: got index %+v, want only the %d chunks of the changed article embedded", second.Index, laceChunks)
	}
}

func syncJSON(t *testing.T, env map[string]string) syncOut {
	t.Helper()
	out, stderr, code := cli(t, env, "sync", "--json", "-host-delay", "0")
	if code != 0 {
		t.Fatalf("sync: got exit %d (%s)", code, stderr)
	}
	var rep syncOut
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("sync output is not JSON: %v\n%s", err, out)
	}
	return rep
}

func docChunks(t *testing.T, env map[string]string, id string) int {
	t.Helper()
	out, _, _ := cli(t, env, "sources", "--json")
	var docs []documentOut
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.ID == id {
			if d.Origin != "feed" || d.FetchedAt == nil || d.URL == "" {
				t.Errorf("got %+v, want its feed origin, URL and fetch time", d)
			}
			return d.Chunks
		}
	}
	t.Fatalf("document %s not listed", id)
	return 0
}

func TestAddRemoveAndFailures(t *testing.T) {
	s := newNewsSite(t)
	s.set("/chaleur", newsPage("Lyon se chauffe aux eaux usées", heatParas...))
	s.set("/accueil", `<html><body><nav><a href="/a">Une</a> <a href="/b">Deux</a></nav></body></html>`)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "dentelle.pdf")
	os.WriteFile(pdf, pdftest.Text(laceParas), 0o644)
	odd := filepath.Join(dir, "photo.png")
	os.WriteFile(odd, []byte("\x89PNG\r\n"), 0o644)
	env := map[string]string{"CITEBOT_DATA_DIR": t.TempDir(), "CITEBOT_FETCH_ALLOW": "127.0.0.1"}

	out, stderr, code := cli(t, env, "add", "-host-delay", "0", s.URL+"/chaleur", pdf, s.URL+"/accueil", s.URL+"/absent", odd, "--json")
	if code != 1 {
		t.Fatalf("got exit %d, want 1 (some inputs failed)", code)
	}
	for _, want := range []string{s.URL + "/accueil: no article found", s.URL + "/absent: HTTP 404", "photo.png: unsupported file type"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("got stderr %q, want %q", stderr, want)
		}
	}
	var added addOut
	if err := json.Unmarshal([]byte(out), &added); err != nil {
		t.Fatal(err)
	}
	if len(added.Added) != 2 || len(added.Failed) != 3 || added.Added[0].Chunks == 0 || added.Added[1].Origin != "file" {
		t.Fatalf("got %+v, want the page and the PDF added with their chunks", added)
	}
	if _, _, code := cli(t, env, "add", "-host-delay", "0", pdf); code != 0 {
		t.Errorf("adding the PDF again: got exit %d, want 0 (kept once)", code)
	}
	id := added.Added[0].ID
	out, stderr, code = cli(t, env, "remove", id)
	if code != 0 || !strings.Contains(out, "Removed "+id) {
		t.Fatalf("remove: got exit %d, %q %q", code, out, stderr)
	}
	if list, _, _ := cli(t, env, "sources"); strings.Contains(list, id) || !strings.Contains(list, "file dentelle.pdf") {
		t.Errorf("got sources %q, want %s gone and the PDF listed with its origin", list, id)
	}
	if _, stderr, code := cli(t, env, "remove", "000_e36295c6d4f2ae41"); code != 1 || !strings.Contains(stderr, "built-in article") {
		t.Errorf("removing a built-in article: got exit %d, %q", code, stderr)
	}
}

func TestSourceCommandUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"add"}, "at least one URL or file"},
		{[]string{"feed"}, "feed needs add, list or remove"},
		{[]string{"feed", "fly"}, `unknown feed command "fly"`},
		{[]string{"feed", "add"}, "usage: citebot feed add URL"},
		{[]string{"remove"}, "one document ID"},
		{[]string{"sync", "extra"}, "sync takes no arguments"},
	}
	for _, tt := range tests {
		_, stderr, code := cli(t, nil, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: got exit %d, %q, want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	if _, stderr, code := cli(t, nil, "add", "http://127.0.0.1:1/x"); code != 1 || !strings.Contains(stderr, "refused") {
		t.Errorf("private address without CITEBOT_FETCH_ALLOW: got exit %d, %q, want 1 and a refusal", code, stderr)
	}
	if out, _, code := cli(t, nil, "feed", "list", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("feed list: got exit %d, %q, want an empty JSON list", code, out)
	}
}
