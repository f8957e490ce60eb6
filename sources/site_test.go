package sources

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/citebot/citebot/fetch"
)

// site is a local web server whose pages tests change between syncs. It
// answers conditional requests with 304 when a page's ETag matches, like
// a real server, and counts full responses per path.
type site struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]page
	full  map[string]int
}

type page struct {
	ctype string
	body  []byte
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{pages: map[string]page{}, full: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *site) set(path, ctype string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = page{ctype, body}
}

func (s *site) fullResponses(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.full[path]
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.pages[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(p.body)
	etag := `"` + hex.EncodeToString(sum[:6]) + `"`
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.mu.Lock()
	s.full[r.URL.Path]++
	s.mu.Unlock()
	w.Header().Set("Content-Type", p.ctype)
	w.Header().Set("ETag", etag)
	w.Write(p.body)
}

// article renders a news page with furniture around the article.
func article(title, date string, paras ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>%s - Journal Exemple</title>
<meta property="article:published_time" content="%sT08:00:00+01:00"></head><body>
<div class="cookie-banner">Nous utilisons des cookies. <button>Accepter</button></div>
<nav><a href="/">Accueil</a> <a href="/sport">Sport</a></nav>
<article><h1>%s</h1>`, title, date, title)
	for _, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", p)
	}
	b.WriteString(`<div class="share">Partager sur Facebook</div></article>
<section class="comments"><p>Super article, merci !</p></section><footer>Mentions légales</footer></body></html>`)
	return []byte(b.String())
}

// rss renders a feed listing links.
func rss(links ...string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Journal Exemple</title>`)
	for _, l := range links {
		fmt.Fprintf(&b, "<item><title>t</title><link>%s</link></item>", l)
	}
	b.WriteString("</channel></rss>")
	return []byte(b.String())
}

// testRegistry is a registry in a temporary directory whose fetcher may
// reach 127.0.0.1 with no delay.
func testRegistry(t *testing.T) (*Registry, string) {
	t.Helper()
	allow, err := fetch.ParseAllow("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	return New(DirStore{Dir: dir}, Options{Fetcher: fetch.New(fetch.Options{Allow: allow, HostDelay: -1})}), dir
}

var (
	paraHeat  = "Sous la chaussée du cours Charlemagne, un échangeur long de deux cents mètres capte depuis lundi les calories des eaux usées qui s'écoulent vers la station d'épuration."
	paraCost  = "Le chantier a coûté 18 millions d'euros, financés pour un tiers par l'Agence de la transition écologique, et évitera 6 500 tonnes de dioxyde de carbone par an."
	paraLace  = "L'atelier du conservatoire de la dentelle accueille cette année onze apprenties, un chiffre qu'il n'avait plus atteint depuis les années 1980 au Puy-en-Velay."
	paraLace2 = "Toutes préparent le certificat d'aptitude aux métiers d'art, qui demande trois ans de pratique quotidienne du fuseau et beaucoup de patience."
)
