package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

type indexOut struct {
	Dir       string `json:"dir"`
	Embedder  string `json:"embedder"`
	Documents int    `json:"documents"`
	Chunks    int    `json:"chunks"`
	Loaded    bool   `json:"loaded"`
	Rebuilt   string `json:"rebuilt,omitempty"`
	Embedded  int    `json:"embedded"`
	Reused    int    `json:"reused"`
	Removed   int    `json:"removed"`
	// Read and Parsed count the corpus files read and parsed: the others
	// were unchanged and came from the index.
	Read   int `json:"read"`
	Parsed int `json:"parsed"`
	// Lists is the number of lists of a clustered index (0: one
	// collection), NProbe how many a search scans (-1: all).
	Lists  int  `json:"lists"`
	NProbe int  `json:"nprobe"`
	Saved  bool `json:"saved"`
	// Published is the version --publish uploaded.
	Published string `json:"published,omitempty"`
}

func runIndex(ctx context.Context, e *env, args []string) error {
	fs := e.kbFlags("")
	publish := e.publishFlags(fs)
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	ix, st, err := e.openIndex(ctx, progressReporter(e.stderr))
	if err != nil {
		return err
	}
	// Saving is this command's whole job: an index that only lives in
	// memory is a failure here, where other commands carry on with it.
	if st.SaveErr != nil {
		return fmt.Errorf("index not saved in %s: %w", e.indexDir(), st.SaveErr)
	}
	out := indexOut{Dir: e.indexDir(), Embedder: st.embedder.Fingerprint(), Documents: len(ix.Documents()), Chunks: ix.Len(),
		Loaded: st.Loaded, Rebuilt: st.Rebuilt, Embedded: st.Embedded, Reused: st.Reused, Removed: st.Removed,
		Read: st.Read, Parsed: st.Parsed, Lists: ix.Lists(), NProbe: ix.NProbe(), Saved: st.Saved}
	if *publish {
		if out.Published, err = e.publishIndex(ctx); err != nil {
			return err
		}
	}
	if e.jsonOut {
		return writeJSON(e.stdout, out)
	}
	fmt.Fprintf(e.stdout, "Indexed %d documents, %d chunks: %d embedded, %d reused, %d removed.\n",
		out.Documents, out.Chunks, out.Embedded, out.Reused, out.Removed)
	if out.Lists > 0 {
		fmt.Fprintf(e.stdout, "Clustered in %d lists; a search scans %s.\n", out.Lists, probed(out.NProbe))
	}
	if out.Saved {
		fmt.Fprintf(e.stdout, "Saved to %s.\n", out.Dir)
	} else {
		fmt.Fprintf(e.stdout, "Up to date in %s.\n", out.Dir)
	}
	if out.Published != "" {
		fmt.Fprintf(e.stdout, "Published as version %s.\n", out.Published)
	}
	return nil
}

// probed says how many lists a search scans.
func probed(nprobe int) string {
	if nprobe == -1 {
		return "all of them"
	}
	return fmt.Sprintf("the nearest %d", nprobe)
}

// progressReporter draws a progress bar when w is a terminal and prints
// plain lines otherwise, so logs and CI output stay readable.
func progressReporter(w io.Writer) func(done, total int) {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		return func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w),
					progressbar.OptionSetDescription("embedding chunks"), progressbar.OptionShowCount(),
					progressbar.OptionClearOnFinish())
			}
			bar.Set(done)
		}
	}
	return func(done, total int) {
		fmt.Fprintf(w, "embedded %d/%d chunks\n", done, total)
	}
}
