package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/citebot/citebot/sources"
)

type documentOut struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Date      string     `json:"date,omitempty"`
	URL       string     `json:"url,omitempty"`
	Lang      string     `json:"lang"`
	Chunks    int        `json:"chunks"`
	Origin    string     `json:"origin"` // corpus, url, file or feed
	Feed      string     `json:"feed,omitempty"`
	File      string     `json:"file,omitempty"`
	FetchedAt *time.Time `json:"fetched_at,omitempty"`
}

func runSources(ctx context.Context, e *env, args []string) error {
	fs := e.kbFlags("")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	ix, _, err := e.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	added, err := e.addedEntries(ctx)
	if err != nil {
		return err
	}
	docs := ix.Documents()
	out := make([]documentOut, 0, len(docs))
	for _, d := range docs {
		o := documentOut{ID: d.ID, Title: d.Title, Date: d.Date, URL: d.URL, Lang: d.Lang, Chunks: d.Chunks, Origin: "corpus"}
		if a, ok := added[d.ID]; ok {
			o.Origin, o.Feed, o.File, o.FetchedAt = a.Origin, a.Feed, a.File, &a.FetchedAt
		}
		out = append(out, o)
	}
	if e.jsonOut {
		return writeJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tDATE\tLANG\tCHUNKS\tORIGIN\tFETCHED")
	for _, d := range out {
		fetched := "-"
		if d.FetchedAt != nil {
			fetched = d.FetchedAt.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.ID, shorten(d.Title, 70), dash(d.Date), dash(d.Lang), d.Chunks, origin(d), fetched)
	}
	return tw.Flush()
}

// origin names where a document came from: its file, URL or feed.
func origin(d documentOut) string {
	switch d.Origin {
	case sources.OriginFile:
		return "file " + d.File
	case sources.OriginURL:
		return d.URL
	case sources.OriginFeed:
		return d.URL + " (feed " + d.Feed + ")"
	}
	return "corpus"
}

// addedEntries indexes the registry's entries by ID.
func (e *env) addedEntries(ctx context.Context) (map[string]sources.Entry, error) {
	reg, err := e.registry(-1)
	if err != nil {
		return nil, err
	}
	list, err := reg.List(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]sources.Entry, len(list))
	for _, en := range list {
		m[en.ID] = en
	}
	return m, nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
