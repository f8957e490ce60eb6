package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/citebot/citebot/sources"
)

type syncOut struct {
	sources.Report
	Index indexStatsOut `json:"index"`
}

// runSync fetches what is new or changed in the followed feeds and the
// pages added by URL, then refreshes the index: only changed documents
// are re-embedded.
func runSync(ctx context.Context, e *env, args []string) error {
	fs, delay := e.sourceFlags("")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	reg, err := e.registry(*delay)
	if err != nil {
		return err
	}
	rep, syncErr := reg.Sync(ctx, fetchProgress(e.stderr))
	if syncErr != nil && ctx.Err() == nil {
		return syncErr
	}
	chunks, st, err := e.reindex(ctx)
	if err != nil {
		return err
	}
	out := syncOut{Report: rep, Index: indexStats(chunks, st)}
	if e.jsonOut {
		err = writeJSON(e.stdout, out)
	} else {
		err = printSync(e, out)
	}
	if err != nil {
		return err
	}
	if syncErr != nil {
		return syncErr
	}
	return failedError(len(rep.Failed), "sources")
}

func printSync(e *env, out syncOut) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Synced %d feeds: %d added, %d updated, %d unchanged, %d failed.\n",
		out.Feeds, len(out.Added), len(out.Updated), len(out.Unchanged), len(out.Failed))
	for _, it := range out.Added {
		fmt.Fprintf(&b, "  added     %s  %s\n            %s\n", it.ID, shorten(it.Title, 60), it.URL)
	}
	for _, it := range out.Updated {
		fmt.Fprintf(&b, "  updated   %s  %s\n            %s\n", it.ID, shorten(it.Title, 60), it.URL)
	}
	for _, f := range out.Failed {
		fmt.Fprintf(&b, "  failed    %s\n", f.Error)
	}
	fmt.Fprintf(&b, "Index: %d chunks, %d embedded, %d reused, %d removed.\n", out.Index.Chunks, out.Index.Embedded, out.Index.Reused, out.Index.Removed)
	_, err := fmt.Fprint(e.stdout, b.String())
	return err
}
