package sources

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/citebot/citebot/feeds"
	"github.com/citebot/citebot/fetch"
)

// ErrUnknownFeed means the feed is not followed.
var ErrUnknownFeed = errors.New("this feed is not followed")

// feedTypes are the content types a feed or sitemap may answer with.
var feedTypes = []string{"application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
	"application/feed+json", "application/json", "text/plain", "application/rdf+xml"}

// maxChildSitemaps bounds how many sitemaps of a sitemap index are read.
const maxChildSitemaps = 20

// FeedResult is what AddFeed reports: the feed and whether it was already
// followed (Status unchanged) or is new (added).
type FeedResult struct {
	FeedInfo
	Status Status `json:"status"`
}

// AddFeed follows an RSS or Atom feed or a sitemap. It reads the feed once
// to check it; Sync fetches its articles.
func (r *Registry) AddFeed(ctx context.Context, feedURL string) (FeedResult, error) {
	canon, err := Canonical(feedURL)
	if err != nil {
		return FeedResult{}, fmt.Errorf("%s: %w", feedURL, err)
	}
	info := &FeedInfo{URL: canon, AddedAt: r.opts.Now().UTC()}
	if err := r.readFeed(ctx, info); err != nil {
		return FeedResult{}, err
	}
	res := FeedResult{FeedInfo: *info, Status: StatusAdded}
	err = r.update(ctx, func(st *State) error {
		if old, ok := st.Feeds[canon]; ok {
			res = FeedResult{FeedInfo: *old, Status: StatusUnchanged}
			return nil
		}
		st.Feeds[canon] = info
		return nil
	})
	return res, err
}

// RemoveFeed stops following a feed. The documents it brought stay; remove
// them one by one if they should go too.
func (r *Registry) RemoveFeed(ctx context.Context, feedURL string) (FeedInfo, error) {
	canon, err := Canonical(feedURL)
	if err != nil {
		return FeedInfo{}, fmt.Errorf("%s: %w", feedURL, err)
	}
	var removed FeedInfo
	err = r.update(ctx, func(st *State) error {
		f, ok := st.Feeds[canon]
		if !ok {
			return fmt.Errorf("%s: %w", feedURL, ErrUnknownFeed)
		}
		removed = *f
		delete(st.Feeds, canon)
		return nil
	})
	return removed, err
}

// Feeds returns the followed feeds, sorted by URL.
func (r *Registry) Feeds(ctx context.Context) ([]FeedInfo, error) {
	st, err := r.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]FeedInfo, 0, len(st.Feeds))
	for _, f := range st.Feeds {
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b FeedInfo) int { return strings.Compare(a.URL, b.URL) })
	return out, nil
}

// readFeed fetches info's feed (conditionally when it was read before) and
// sets its title, kind, validators and article URLs. A feed that answers
// 304 keeps the article URLs it had.
func (r *Registry) readFeed(ctx context.Context, info *FeedInfo) error {
	if r.opts.Fetcher == nil {
		return fmt.Errorf("%s: %w", info.URL, ErrNoFetcher)
	}
	resp, err := r.opts.Fetcher.Get(ctx, fetch.Request{URL: info.URL, ETag: info.ETag, LastModified: info.LastModified, Accept: feedTypes})
	if err != nil {
		return err
	}
	if resp.NotModified {
		return nil
	}
	f, err := feeds.Parse(resp.Body)
	if err != nil {
		return fmt.Errorf("%s: %w", info.URL, err)
	}
	items, err := r.feedItems(ctx, f)
	if err != nil {
		return fmt.Errorf("%s: %w", info.URL, err)
	}
	info.Title, info.Kind, info.Items = f.Title, f.Kind, items
	info.ETag, info.LastModified = resp.ETag, resp.LastModified
	return nil
}

// feedItems returns the canonical article URLs of f, reading the child
// sitemaps of a sitemap index (at most maxChildSitemaps, one level).
func (r *Registry) feedItems(ctx context.Context, f *feeds.Feed) ([]string, error) {
	list := f.Items
	for i, child := range f.Sitemaps {
		if i == maxChildSitemaps {
			break
		}
		resp, err := r.opts.Fetcher.Get(ctx, fetch.Request{URL: child, Accept: feedTypes})
		if err != nil {
			return nil, fmt.Errorf("child sitemap: %w", err)
		}
		cf, err := feeds.Parse(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("child sitemap %s: %w", child, err)
		}
		list = append(list, cf.Items...)
	}
	if len(list) > feeds.MaxItems {
		return nil, fmt.Errorf("its sitemaps list %d pages: %w", len(list), feeds.ErrTooLarge)
	}
	var out []string
	seen := map[string]bool{}
	for _, it := range list {
		canon, err := Canonical(it.URL)
		if err != nil || seen[canon] {
			continue // a relative or mailto: link is not an article
		}
		seen[canon] = true
		out = append(out, canon)
	}
	return out, nil
}
