package main

import (
	"context"
	"fmt"
	"text/tabwriter"
)

type documentOut struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Date   string `json:"date,omitempty"`
	URL    string `json:"url,omitempty"`
	Lang   string `json:"lang"`
	Chunks int    `json:"chunks"`
}

func runSources(ctx context.Context, e *env, args []string) error {
	fs := e.flags("")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	ix, _, err := e.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	docs := ix.Documents()
	if e.jsonOut {
		out := make([]documentOut, 0, len(docs))
		for _, d := range docs {
			out = append(out, documentOut{d.ID, d.Title, d.Date, d.URL, d.Lang, d.Chunks})
		}
		return writeJSON(e.stdout, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tDATE\tLANG\tCHUNKS")
	for _, d := range docs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", d.ID, shorten(d.Title, 70), dash(d.Date), dash(d.Lang), d.Chunks)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
