package feeds

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Le Quotidien du Rhône</title>
<item><title>Réseau de chaleur</title><link>https://journal.example/a1</link><pubDate>Tue, 12 Mar 2024 08:30:00 +0100</pubDate></item>
<item><title>Sans lien</title></item>
<item><title>Dentelle</title><link> https://journal.example/a2 </link></item>
</channel></rss>`

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Sciences Mag</title>
<entry><title>Abeilles</title><link href="https://mag.example/abeilles"/><updated>2024-06-03T09:15:00+02:00</updated></entry>
</feed>`

const sitemapXML = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://site.example/p1</loc><lastmod>2024-01-15</lastmod></url>
<url><loc>https://site.example/p2</loc></url>
</urlset>`

const sitemapIndex = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://site.example/sitemap-1.xml</loc></sitemap>
</sitemapindex>`

func TestParse(t *testing.T) {
	tests := []struct {
		name, doc, kind string
		urls            []string
		dated           int
	}{
		{"rss", rss, "rss", []string{"https://journal.example/a1", "https://journal.example/a2"}, 1},
		{"atom", atom, "atom", []string{"https://mag.example/abeilles"}, 1},
		{"sitemap", sitemapXML, "sitemap", []string{"https://site.example/p1", "https://site.example/p2"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			var urls []string
			dated := 0
			for _, it := range f.Items {
				urls = append(urls, it.URL)
				if !it.Updated.IsZero() {
					dated++
				}
			}
			if f.Kind != tt.kind || strings.Join(urls, " ") != strings.Join(tt.urls, " ") || dated != tt.dated {
				t.Errorf("got kind %s, urls %v, %d dated; want %s, %v, %d", f.Kind, urls, dated, tt.kind, tt.urls, tt.dated)
			}
		})
	}
	f, err := Parse([]byte(sitemapIndex))
	if err != nil || len(f.Sitemaps) != 1 || len(f.Items) != 0 {
		t.Errorf("sitemap index: got %+v, %v, want one child sitemap", f, err)
	}
	if got := parseW3CDate("2024-01-15T10:00:00+01:00"); !got.Equal(time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("got lastmod %v", got)
	}
}

func TestParseRefusals(t *testing.T) {
	var many strings.Builder
	many.WriteString(`<rss version="2.0"><channel><title>x</title>`)
	for i := range 10_000 {
		fmt.Fprintf(&many, "<item><link>https://x.example/%d</link></item>", i)
	}
	many.WriteString("</channel></rss>")
	var bigMap strings.Builder
	bigMap.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for i := range 10_000 {
		fmt.Fprintf(&bigMap, "<url><loc>https://x.example/%d</loc></url>", i)
	}
	bigMap.WriteString("</urlset>")
	tests := []struct {
		name, doc string
		want      error
		msg       string
	}{
		{"broken XML", `<rss version="2.0"><channel><title>x</title><item><link>https://x/a</link></item><item>`, nil, "broken feed"},
		{"html page", "<html><body><p>hello</p></body></html>", ErrNotFeed, "not an RSS"},
		{"ten thousand items", many.String(), ErrTooLarge, "lists 10000 items"},
		{"ten thousand urls", bigMap.String(), ErrTooLarge, "lists 10000 entries"},
		{"broken sitemap", `<urlset><url><loc>x</loc>`, nil, "broken sitemap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.msg) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("got %v, want an error mentioning %q", err, tt.msg)
			}
		})
	}
}
