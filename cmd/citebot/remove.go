package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/citebot/citebot/sources"
)

type removeOut struct {
	sources.Entry
	Index indexStatsOut `json:"index"`
}

// runRemove forgets an added document for good and drops its chunks from
// the index. Corpus files are not the registry's: the message says where
// to remove them.
func runRemove(ctx context.Context, e *env, args []string) error {
	fs := e.flags("DOC_ID")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("remove takes one document ID (see 'citebot sources')")
	}
	reg, err := e.registry(-1)
	if err != nil {
		return err
	}
	removed, err := reg.Remove(ctx, rest[0])
	if errors.Is(err, sources.ErrUnknownID) {
		return e.notAdded(rest[0], err)
	}
	if err != nil {
		return err
	}
	chunks, st, err := e.reindex(ctx)
	if err != nil {
		return err
	}
	out := removeOut{Entry: removed, Index: indexStats(chunks, st)}
	if e.jsonOut {
		return writeJSON(e.stdout, out)
	}
	_, err = fmt.Fprintf(e.stdout, "Removed %s (%s): %d chunks dropped from the index.\n", removed.ID, shorten(removed.Title, 60), st.Removed)
	return err
}

// notAdded explains why id cannot be removed.
func (e *env) notAdded(id string, err error) error {
	files, lerr := e.corpusFiles()
	if lerr != nil {
		return err
	}
	for _, f := range files {
		if f.ID() != id {
			continue
		}
		if e.corpusDir == "" {
			return fmt.Errorf("%s is a built-in article; it cannot be removed (use CITEBOT_CORPUS for a corpus of your own)", id)
		}
		return fmt.Errorf("%s is a file of the corpus directory %s; delete the file there", id, e.corpusDir)
	}
	return err
}
