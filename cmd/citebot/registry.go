package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/fetch"
	"github.com/citebot/citebot/sources"
)

// sourceFlags are the flags of the commands that fetch (add, feed, sync):
// the corpus and index flags plus the politeness delay.
func (e *env) sourceFlags(args string) (*flag.FlagSet, *time.Duration) {
	fs := e.flags(args)
	delay := fs.Duration("host-delay", time.Second, "least time between two requests to the same host")
	return fs, delay
}

// registry opens the source registry in the data directory. hostDelay < 0
// builds it without a fetcher (reading and removing need none).
func (e *env) registry(hostDelay time.Duration) (*sources.Registry, error) {
	opts := sources.Options{Logger: e.log}
	if hostDelay >= 0 {
		allow, err := fetch.ParseAllow(e.getenv("CITEBOT_FETCH_ALLOW"))
		if err != nil {
			return nil, err
		}
		if hostDelay == 0 {
			hostDelay = -1 // fetch.Options: negative means none, zero the default
		}
		opts.Fetcher = fetch.New(fetch.Options{Allow: allow, HostDelay: hostDelay, Logger: e.log})
	}
	return sources.New(sources.DirStore{Dir: filepath.Join(e.dataDir, "sources")}, opts), nil
}

// withAdded appends the documents added with citebot add, feed and sync
// to the corpus files. One whose ID the corpus already uses is skipped with
// a warning: the corpus file wins. An unreadable registry is a warning too:
// the corpus alone can still answer.
func (e *env) withAdded(files []corpus.File) ([]corpus.File, error) {
	reg, err := e.registry(-1)
	if err != nil {
		return nil, err
	}
	added, err := reg.Files(context.Background())
	if err != nil {
		e.log.Warn("added documents unavailable; answering from the corpus alone", "err", err)
		return files, nil
	}
	taken := make(map[string]bool, len(files))
	for _, f := range files {
		taken[f.ID()] = true
	}
	for _, f := range added {
		if taken[f.ID()] {
			e.log.Warn("an added document has the ID of a corpus file; keeping the corpus file", "doc", f.ID())
			continue
		}
		files = append(files, f)
	}
	return files, nil
}

// reindex refreshes the index after the registry changed and returns the
// chunk count of each document, for reports.
func (e *env) reindex(ctx context.Context) (map[string]int, opened, error) {
	ix, st, err := e.openIndex(ctx, progressReporter(e.stderr))
	if err != nil {
		return nil, st, err
	}
	chunks := map[string]int{}
	for _, d := range ix.Documents() {
		chunks[d.ID] = d.Chunks
	}
	return chunks, st, nil
}

// indexStatsOut is what a command that changed documents did to the index.
type indexStatsOut struct {
	Chunks   int `json:"chunks"`
	Embedded int `json:"embedded"`
	Reused   int `json:"reused"`
	Removed  int `json:"removed"`
}

func indexStats(chunks map[string]int, st opened) indexStatsOut {
	total := 0
	for _, n := range chunks {
		total += n
	}
	return indexStatsOut{Chunks: total, Embedded: st.Embedded, Reused: st.Reused, Removed: st.Removed}
}

// fetchProgress draws a bar of fetched articles on a terminal and prints
// nothing otherwise: the report that follows lists every article.
func fetchProgress(w io.Writer) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription("fetching articles"), progressbar.OptionShowCount(),
				progressbar.OptionClearOnFinish())
		}
		bar.Set(done)
	}
}

// failedError is the runtime failure (exit 1) of a command that went on
// after some inputs failed; each was already reported.
func failedError(n int, what string) error {
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%d %s failed (see above)", n, what)
}
