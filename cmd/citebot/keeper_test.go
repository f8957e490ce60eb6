package main

import (
	"context"
	"testing"
)

// TestKeeperSyncIndexesNewArticles runs what the schedule runs against a
// real feed: a new article is fetched and swapped into the served index;
// a sync with nothing new leaves the index alone.
func TestKeeperSyncIndexesNewArticles(t *testing.T) {
	site := newNewsSite(t)
	site.set("/chaleur", newsPage("Lyon se chauffe aux eaux usées", heatParas...))
	site.set("/feed.xml", feedXML())
	vars := map[string]string{"CITEBOT_DATA_DIR": t.TempDir(), "CITEBOT_FETCH_ALLOW": "127.0.0.1"}
	_, k := discordKeeper(t, vars, nil)
	withRegistry(t, k, 0)
	ix := k.live.Current()
	ctx := context.Background()
	if _, err := k.reg.AddFeed(ctx, site.URL+"/feed.xml"); err != nil {
		t.Fatal(err)
	}
	if rep, err := k.sync(ctx); err != nil || len(rep.Added) != 0 || k.live.Current() != ix {
		t.Fatalf("empty feed: got %+v, %v, swapped %v; want nothing added and the index kept", rep, err, k.live.Current() != ix)
	}
	site.set("/feed.xml", feedXML(site.URL+"/chaleur"))
	rep, err := k.sync(ctx)
	if err != nil || len(rep.Added) != 1 {
		t.Fatalf("got %+v, %v; want the new article added", rep, err)
	}
	found := false
	for _, d := range k.live.Documents() {
		found = found || (d.ID == rep.Added[0].ID && d.Chunks > 0)
	}
	if !found {
		t.Errorf("got %d documents served, want %s among them", len(k.live.Documents()), rep.Added[0].ID)
	}
}
