package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// benchWords make generated articles distinct enough that none is a
// duplicate of another and BM25 and the embedder see varied text.
var benchWords = strings.Fields(`métropole réseau chaleur logements chantier millions euros agence transition
écologique apprenties dentelle conservatoire certificat pratique fuseau lac niveau saison pontons voile
navette batteries escale terminus usagers silence bibliothèque horaires lycéens fréquentation étudiants
cantine maraîchers contrat légumes gaspillage viande repas cuisiniers abeilles prairies haies espèces
températures montagnes communes tondre populations train nuit voyageurs couchettes péages compagnies`)

// benchArticle is page i of the benchmark site: a news page of six
// paragraphs with a menu, an ad, a cookie banner and comments.
func benchArticle(i int) string {
	r := rand.New(rand.NewPCG(uint64(i), 12))
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Article %d | Journal</title>
<meta property="article:published_time" content="2024-03-%02dT08:00:00+01:00"></head><body>
<div class="cookie-banner">Nous utilisons des cookies. <button>Accepter</button></div>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>Article numéro %d sur la vie locale</h1><p class="byline">Par Claire Dubreuil</p>`, i, 1+i%28, i)
	for p := range 6 {
		b.WriteString("<p>")
		for w := range 60 {
			if w > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(benchWords[r.IntN(len(benchWords))])
		}
		fmt.Fprintf(&b, " (paragraphe %d de l'article %d).</p>\n", p+1, i)
		if p == 2 {
			b.WriteString(`<div class="ad-slot">Publicité : crédit immobilier à taux réduit</div>`)
		}
	}
	b.WriteString(`</article><section class="comments"><p>Bravo pour cet article.</p></section><footer>Mentions légales</footer></body></html>`)
	return b.String()
}

// BenchmarkSync1000Pages syncs a sitemap of 1,000 pages from a local
// server, then syncs again with nothing changed. It reports pages per
// second for each, and the split of the first sync between fetching and
// extracting (registry) and indexing (embedding). Run it with
//
//	go test -run '^$' -bench Sync1000 -benchtime 1x ./cmd/citebot
func BenchmarkSync1000Pages(b *testing.B) {
	const n = 1000
	pages := make([]string, n)
	for i := range pages {
		pages[i] = benchArticle(i)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sitemap.xml" {
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
			for i := range n {
				fmt.Fprintf(w, "<url><loc>http://%s/a/%d</loc></url>", r.Host, i)
			}
			io.WriteString(w, "</urlset>")
			return
		}
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/a/%d", &i); err != nil || i < 0 || i >= n {
			http.NotFound(w, r)
			return
		}
		etag := fmt.Sprintf(`"p%d"`, i)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", etag)
		io.WriteString(w, pages[i])
	}))
	defer srv.Close()
	for range b.N {
		benchSyncOnce(b, srv.URL, n)
	}
}

func benchSyncOnce(b *testing.B, base string, n int) {
	ctx := context.Background()
	vars := map[string]string{"CITEBOT_DATA_DIR": b.TempDir(), "HOME": b.TempDir(), "CITEBOT_FETCH_ALLOW": "127.0.0.1"}
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return vars[k] }, name: "sync"}
	if _, err := e.parse(e.flags(""), nil); err != nil {
		b.Fatal(err)
	}
	reg, err := e.registry(0)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := reg.AddFeed(ctx, base+"/sitemap.xml"); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	rep, err := reg.Sync(ctx, nil)
	if err != nil || len(rep.Added) != n {
		b.Fatalf("got %d added, %d failed (%v), want %d added", len(rep.Added), len(rep.Failed), err, n)
	}
	fetched := time.Since(start)
	if _, _, err := e.reindex(ctx); err != nil {
		b.Fatal(err)
	}
	total := time.Since(start)
	start = time.Now()
	rep, err = reg.Sync(ctx, nil)
	if err != nil || len(rep.Unchanged) != n {
		b.Fatalf("second sync: got %d unchanged (%v), want %d", len(rep.Unchanged), err, n)
	}
	_, st, err := e.reindex(ctx)
	if err != nil || st.Embedded != 0 {
		b.Fatalf("second sync re-embedded %d chunks (%v), want none", st.Embedded, err)
	}
	again := time.Since(start)
	b.ReportMetric(float64(n)/total.Seconds(), "pages/s")
	b.ReportMetric(fetched.Seconds(), "fetch+extract-s")
	b.ReportMetric((total - fetched).Seconds(), "index-s")
	b.ReportMetric(float64(n)/again.Seconds(), "unchanged-pages/s")
}
