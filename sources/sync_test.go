package sources

import (
	"context"
	"strings"
	"testing"
)

func TestSyncAddsUpdatesAndLeavesUnchanged(t *testing.T) {
	s := newSite(t)
	s.set("/a", "text/html", article("Chaleur", "2024-03-12", paraHeat, paraCost))
	s.set("/b", "text/html", article("Dentelle", "2023-11-05", paraLace, paraLace2))
	s.set("/feed.xml", "application/rss+xml", rss(s.URL+"/a", s.URL+"/b", s.URL+"/gone", "mailto:x@example.org"))
	reg, _ := testRegistry(t)
	ctx := context.Background()
	fr, err := reg.AddFeed(ctx, s.URL+"/feed.xml")
	if err != nil || fr.Status != StatusAdded || len(fr.Items) != 3 || fr.Title != "Journal Exemple" {
		t.Fatalf("got %+v, %v, want a feed of 3 articles", fr, err)
	}
	var calls, last int
	rep, err := reg.Sync(ctx, func(done, total int) { calls++; last = done })
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 2 || len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Error, "404") || calls != 3 || last != 3 {
		t.Fatalf("first sync: got %+v (progress %d calls), want 2 added, 1 failed", rep, calls)
	}
	s.set("/b", "text/html", article("Dentelle", "2023-11-05", paraLace, paraLace2, "Une exposition ouvrira ses portes au printemps prochain, avec les pièces réalisées par les apprenties pendant l'année."))
	rep, err = reg.Sync(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 0 || len(rep.Updated) != 1 || rep.Updated[0].URL != s.URL+"/b" || len(rep.Unchanged) != 1 {
		t.Errorf("second sync: got %+v, want /b updated and /a unchanged", rep)
	}
	if n := s.fullResponses("/a"); n != 1 {
		t.Errorf("got /a served in full %d times, want once (then 304)", n)
	}
	list, _ := reg.List(ctx)
	for _, e := range list {
		if e.Origin != OriginFeed || e.Feed != s.URL+"/feed.xml" {
			t.Errorf("got origin %s feed %s, want the feed", e.Origin, e.Feed)
		}
	}
}

func TestFeedErrors(t *testing.T) {
	s := newSite(t)
	s.set("/broken.xml", "application/rss+xml", []byte(`<rss version="2.0"><channel><item><link>`))
	s.set("/page.html", "text/html", article("Chaleur", "2024-03-12", paraHeat))
	reg, _ := testRegistry(t)
	ctx := context.Background()
	for path, want := range map[string]string{"/broken.xml": "broken feed", "/page.html": "unexpected content type", "/none.xml": "HTTP 404"} {
		_, err := reg.AddFeed(ctx, s.URL+path)
		if err == nil || !strings.Contains(err.Error(), s.URL+path) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error naming it and saying %q", path, err, want)
		}
	}
	if feeds, _ := reg.Feeds(ctx); len(feeds) != 0 {
		t.Errorf("got %d feeds followed, want none", len(feeds))
	}
	if _, err := reg.RemoveFeed(ctx, s.URL+"/broken.xml"); err == nil || !strings.Contains(err.Error(), "not followed") {
		t.Errorf("got %v, want a not-followed error", err)
	}
}

func TestSitemapIndex(t *testing.T) {
	s := newSite(t)
	s.set("/a", "text/html", article("Chaleur", "2024-03-12", paraHeat, paraCost))
	s.set("/sitemap.xml", "application/xml", []byte(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>`+s.URL+`/sitemap-1.xml</loc></sitemap></sitemapindex>`))
	s.set("/sitemap-1.xml", "application/xml", []byte(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>`+s.URL+`/a</loc></url></urlset>`))
	reg, _ := testRegistry(t)
	ctx := context.Background()
	if _, err := reg.AddFeed(ctx, s.URL+"/sitemap.xml"); err != nil {
		t.Fatal(err)
	}
	rep, err := reg.Sync(ctx, nil)
	if err != nil || len(rep.Added) != 1 {
		t.Errorf("got %+v, %v, want the sitemap's page added", rep, err)
	}
	again, err := reg.AddFeed(ctx, s.URL+"/sitemap.xml")
	if err != nil || again.Status != StatusUnchanged {
		t.Errorf("following twice: got %+v, %v, want unchanged", again, err)
	}
	if _, err := reg.RemoveFeed(ctx, s.URL+"/sitemap.xml"); err != nil {
		t.Error(err)
	}
}
