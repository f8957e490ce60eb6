package sources

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// Item names a document in a sync report.
type Item struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Title string `json:"title"`
}

// Failure is a URL that could not be synced and why.
type Failure struct {
	URL   string `json:"url"`
	Error string `json:"error"`
}

// Report is what Sync did. Nothing is lost on a failure: the document's
// previous version stays.
type Report struct {
	Feeds     int       `json:"feeds"`
	Added     []Item    `json:"added"`
	Updated   []Item    `json:"updated"`
	Unchanged []Item    `json:"unchanged"`
	Failed    []Failure `json:"failed"`
}

// target is one article URL to check and where it was listed.
type target struct {
	url, feed string
}

// outcome is what fetching one target gave.
type outcome struct {
	t   target
	p   *prepared // nil: not modified
	err error
}

// Sync reads every followed feed and fetches the articles they list, and
// the pages added by URL, with conditional requests: what answers 304, or
// whose extracted text has not changed, is left alone (and so is not
// re-embedded). progress, when set, is told how many articles are done.
// A cancelled sync keeps what it finished.
func (r *Registry) Sync(ctx context.Context, progress func(done, total int)) (Report, error) {
	st, err := r.snapshot(ctx)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Feeds: len(st.Feeds), Added: []Item{}, Updated: []Item{}, Unchanged: []Item{}, Failed: []Failure{}}
	feedsRead, targets := r.collect(ctx, st, &rep)
	outs := r.fetchAll(ctx, st, targets, progress)
	err = r.update(ctx, func(cur *State) error {
		for url, f := range feedsRead {
			if old, ok := cur.Feeds[url]; ok {
				f.AddedAt = old.AddedAt
				cur.Feeds[url] = f
			}
		}
		return r.record(ctx, cur, outs, &rep)
	})
	if err == nil {
		err = ctx.Err()
	}
	return rep, err
}

// collect reads the feeds and lists the articles to check: every URL a
// feed lists (unless removed for good) and every page added by URL.
func (r *Registry) collect(ctx context.Context, st *State, rep *Report) (map[string]*FeedInfo, []target) {
	read := map[string]*FeedInfo{}
	seen := map[string]bool{}
	var targets []target
	urls := make([]string, 0, len(st.Feeds))
	for u := range st.Feeds {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	for _, u := range urls {
		f := *st.Feeds[u]
		if err := r.readFeed(ctx, &f); err != nil {
			rep.Failed = append(rep.Failed, Failure{URL: u, Error: err.Error()})
			continue
		}
		f.SyncedAt = r.opts.Now().UTC()
		read[u] = &f
		for _, item := range f.Items {
			if _, gone := st.Removed[item]; !gone && !seen[item] {
				seen[item] = true
				targets = append(targets, target{url: item, feed: u})
			}
		}
	}
	for _, e := range st.Entries {
		if e.Origin == OriginURL && !seen[e.URL] {
			seen[e.URL] = true
			targets = append(targets, target{url: e.URL})
		}
	}
	slices.SortStableFunc(targets, func(a, b target) int { return strings.Compare(a.feed, b.feed) })
	return read, targets
}

// fetchAll fetches targets with the configured number of workers; the
// fetcher keeps each host to one request at a time.
func (r *Registry) fetchAll(ctx context.Context, st *State, targets []target, progress func(done, total int)) []outcome {
	outs := make([]outcome, len(targets))
	work := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range min(r.opts.Workers, max(1, len(targets))) {
		wg.Go(func() {
			for i := range work {
				t := targets[i]
				p, err := r.fetchArticle(ctx, t.url, st.Entries[webID(t.url)])
				outs[i] = outcome{t: t, p: p, err: err}
				mu.Lock()
				done++
				if progress != nil {
					progress(done, len(targets))
				}
				mu.Unlock()
			}
		})
	}
	for i := range targets {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	return outs
}

// record applies the outcomes to st and fills the report.
func (r *Registry) record(ctx context.Context, st *State, outs []outcome, rep *Report) error {
	for _, o := range outs {
		switch {
		case o.t.url == "": // never started: the sync was cancelled
		case o.err != nil:
			rep.Failed = append(rep.Failed, Failure{URL: o.t.url, Error: o.err.Error()})
		case o.p == nil:
			e := st.Entries[webID(o.t.url)]
			if e == nil {
				continue // removed meanwhile
			}
			rep.Unchanged = append(rep.Unchanged, Item{ID: e.ID, URL: e.URL, Title: e.Title})
		default:
			if _, gone := st.Removed[o.t.url]; gone && o.t.feed != "" {
				continue // removed while this sync ran
			}
			o.p.entry.Origin, o.p.entry.Feed = OriginFeed, o.t.feed
			if o.t.feed == "" {
				o.p.entry.Origin = OriginURL
			}
			res, err := r.apply(ctx, st, o.p)
			if err != nil {
				return err
			}
			it := Item{ID: res.ID, URL: res.URL, Title: res.Title}
			switch res.Status {
			case StatusAdded:
				rep.Added = append(rep.Added, it)
			case StatusUpdated:
				rep.Updated = append(rep.Updated, it)
			default:
				rep.Unchanged = append(rep.Unchanged, it)
			}
		}
	}
	return nil
}
