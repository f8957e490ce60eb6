package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
)

func runSearch(ctx context.Context, e *env, args []string) error {
	fs := e.flags("QUERY...")
	k := fs.Int("k", 8, "passages to show")
	rest, err := e.parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(rest, " "))
	if err := checkQuestion(query, fs); err != nil {
		return err
	}
	if *k < 1 {
		return usagef("-k must be at least 1")
	}
	ix, _, err := e.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	results, err := ix.Search(ctx, query, *k)
	if err != nil {
		return err
	}
	if e.jsonOut {
		return writeJSON(e.stdout, passagesJSON(results))
	}
	if len(results) == 0 {
		_, err := fmt.Fprintln(e.stdout, "No passage matches.")
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tFUSED\tVECTOR\tBM25\tCHUNK\tTITLE")
	for i, r := range results {
		fmt.Fprintf(tw, "%d\t%.4f\t%.3f\t%.2f\t%s\t%s\n", i+1, r.Fused, r.Vector, r.BM25, r.Chunk.ID, shorten(r.Doc.Title, 50))
		fmt.Fprintf(tw, "\t%s\n", shorten(r.Chunk.Text, 160))
	}
	return tw.Flush()
}

// shorten cuts s to at most n runes on a word boundary, on one line.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
