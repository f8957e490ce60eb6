// Package feeds reads the lists of articles citebot follows: RSS and Atom
// feeds (through gofeed, which copes with the many dialects in the wild)
// and XML sitemaps. It returns links and dates only; fetching the articles
// is the caller's business.
package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// MaxItems bounds what one feed may list. A feed is read in full at each
// sync; one listing ten thousand links is a site's archive, not a feed, and
// following it would fetch the whole site.
const MaxItems = 1000

// Reasons a feed is refused.
var (
	ErrNotFeed  = errors.New("not an RSS, Atom or sitemap document")
	ErrTooLarge = fmt.Errorf("more than %d items", MaxItems)
)

// Item is one article a feed links to.
type Item struct {
	URL     string
	Title   string
	Updated time.Time // zero when the feed gives no date
}

// Feed is what a feed or sitemap lists. A sitemap index lists other
// sitemaps in Sitemaps and no Items.
type Feed struct {
	Title    string
	Kind     string // "rss", "atom", "json" or "sitemap"
	Items    []Item
	Sitemaps []string
}

// Parse reads a feed or a sitemap.
func Parse(data []byte) (*Feed, error) {
	switch root := rootElement(data); root {
	case "urlset", "sitemapindex":
		return parseSitemap(data)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, ErrNotFeed
	}
	if err != nil {
		return nil, fmt.Errorf("broken feed: %w", err)
	}
	if len(f.Items) > MaxItems {
		return nil, fmt.Errorf("the feed lists %d items: %w", len(f.Items), ErrTooLarge)
	}
	out := &Feed{Title: strings.TrimSpace(f.Title), Kind: f.FeedType}
	for _, it := range f.Items {
		link := strings.TrimSpace(it.Link)
		if link == "" && len(it.Links) > 0 {
			link = strings.TrimSpace(it.Links[0])
		}
		if link == "" {
			continue
		}
		item := Item{URL: link, Title: strings.TrimSpace(it.Title)}
		switch {
		case it.UpdatedParsed != nil:
			item.Updated = *it.UpdatedParsed
		case it.PublishedParsed != nil:
			item.Updated = *it.PublishedParsed
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

// rootElement returns the local name of the document's first element, or
// "" when data is not XML.
func rootElement(data []byte) string {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.CharsetReader = func(string, io.Reader) (io.Reader, error) { return nil, errors.New("charset") }
	for range 64 {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
	return ""
}

// sitemap is the sitemaps.org schema: <urlset> or <sitemapindex>.
type sitemap struct {
	XMLName  xml.Name
	URLs     []sitemapLoc `xml:"url"`
	Sitemaps []sitemapLoc `xml:"sitemap"`
}

type sitemapLoc struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
}

func parseSitemap(data []byte) (*Feed, error) {
	var sm sitemap
	if err := xml.Unmarshal(data, &sm); err != nil {
		return nil, fmt.Errorf("broken sitemap: %w", err)
	}
	if n := len(sm.URLs) + len(sm.Sitemaps); n > MaxItems {
		return nil, fmt.Errorf("the sitemap lists %d entries: %w", n, ErrTooLarge)
	}
	out := &Feed{Kind: "sitemap"}
	for _, s := range sm.Sitemaps {
		if loc := strings.TrimSpace(s.Loc); loc != "" {
			out.Sitemaps = append(out.Sitemaps, loc)
		}
	}
	for _, u := range sm.URLs {
		loc := strings.TrimSpace(u.Loc)
		if loc == "" {
			continue
		}
		out.Items = append(out.Items, Item{URL: loc, Updated: parseW3CDate(u.LastMod)})
	}
	return out, nil
}

// parseW3CDate reads a sitemap lastmod: a date, or a date and time.
func parseW3CDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
