package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/cite"
	"strings"

	"github.com/citebot/citebot/retrieval"
)

func runSearch(ctx context.Context, e *env, args []string) error {
	fs := e.kbFlags("QUERY...")
	k := fs.Int("k", 8, "passages to show")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(rest, " "))
	if err := answer.Validate(query); err != nil {
		return questionUsage(err, fs)
	}
	if *k < 1 {
		return usagef("-k must be at least 1")
	}
	ix, _, err := e.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	results, err := ix.Search(ctx, query, *k)
	var degraded *retrieval.DegradedError
	if errors.As(err, &degraded) {
		// The results are BM25's alone (VECTOR is 0); the log has the cause.
		fmt.Fprintln(e.stderr, "note: the question could not be embedded; passages ranked by BM25 alone")
		err = nil
	}
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
	// Fixed widths rather than tabwriter: the passage line under each row
	// would break tabwriter's column blocks.
	var b strings.Builder
	fmt.Fprintf(&b, "%-3s %-7s %-7s %-7s %-25s %s\n", "#", "FUSED", "VECTOR", "BM25", "CHUNK", "TITLE")
	for i, r := range results {
		fmt.Fprintf(&b, "%-3d %-7.4f %-7.3f %-7.2f %-25s %s\n", i+1, r.Fused, r.Vector, r.BM25, r.Chunk.ID, shorten(r.Doc.Title, 50))
		fmt.Fprintf(&b, "    %s\n", shorten(r.Chunk.Text, 160))
	}
	_, err = fmt.Fprint(e.stdout, b.String())
	return err
}

// shorten puts s on one line and cuts it to at most n runes.
func shorten(s string, n int) string {
	return cite.Shorten(strings.Join(strings.Fields(s), " "), n)
}
