package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/citebot/citebot/sources"
)

// addedOut is one added document in citebot add's JSON.
type addedOut struct {
	Input string `json:"input"`
	sources.Result
	Chunks int `json:"chunks"`
}

type failureOut struct {
	Input string `json:"input"`
	Error string `json:"error"`
}

type addOut struct {
	Added  []addedOut    `json:"added"`
	Failed []failureOut  `json:"failed"`
	Index  indexStatsOut `json:"index"`
}

// maxFileBytes bounds files given to citebot add, checked before reading.
const maxFileBytes = 5 << 20

func runAdd(ctx context.Context, e *env, args []string) error {
	fs, delay := e.sourceFlags("URL|FILE...")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usagef("add needs at least one URL or file")
	}
	reg, err := e.registry(*delay)
	if err != nil {
		return err
	}
	out := addOut{Added: []addedOut{}, Failed: []failureOut{}}
	for _, in := range rest {
		res, err := addOne(ctx, reg, in)
		if err != nil {
			out.Failed = append(out.Failed, failureOut{Input: in, Error: err.Error()})
			fmt.Fprintf(e.stderr, "citebot: %v\n", err)
			continue
		}
		out.Added = append(out.Added, addedOut{Input: in, Result: res})
	}
	if len(out.Added) > 0 {
		chunks, st, err := e.reindex(ctx)
		if err != nil {
			return err
		}
		for i := range out.Added {
			out.Added[i].Chunks = chunks[out.Added[i].ID]
		}
		out.Index = indexStats(chunks, st)
	}
	if err := printAdded(e, out); err != nil {
		return err
	}
	return failedError(len(out.Failed), "of the inputs")
}

// addOne adds a URL (it has a scheme) or a local file.
func addOne(ctx context.Context, reg *sources.Registry, in string) (sources.Result, error) {
	if strings.Contains(in, "://") {
		return reg.AddURL(ctx, in)
	}
	info, err := os.Stat(in)
	if err != nil {
		return sources.Result{}, err
	}
	if info.IsDir() {
		return sources.Result{}, fmt.Errorf("%s: is a directory (add its files, or use CITEBOT_CORPUS)", in)
	}
	if info.Size() > maxFileBytes {
		return sources.Result{}, fmt.Errorf("%s: %d bytes, over the limit of %d", in, info.Size(), maxFileBytes)
	}
	data, err := os.ReadFile(in)
	if err != nil {
		return sources.Result{}, err
	}
	return reg.AddFile(ctx, filepath.Base(in), data)
}

func printAdded(e *env, out addOut) error {
	if e.jsonOut {
		return writeJSON(e.stdout, out)
	}
	if len(out.Added) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tID\tCHUNKS\tDATE\tTITLE")
	for _, a := range out.Added {
		status := string(a.Status)
		if a.Duplicate {
			status = "duplicate"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", status, a.ID, a.Chunks, dash(a.Date), shorten(a.Title, 60))
	}
	return tw.Flush()
}
