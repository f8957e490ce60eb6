package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/citebot/citebot/bench"
)

// runBench measures retrieval at scale on a generated corpus. It takes only
// the base flags and its own: the corpus, data directory and chunking flags
// of the other commands would be ignored, since the bench generates its
// corpus, indexes it in a temporary directory and uses the default chunking.
func runBench(ctx context.Context, e *env, args []string) error {
	fs := e.baseFlags("", "print one JSON object per size")
	sizes := fs.String("sizes", "1000,10000,100000", "corpus sizes to measure, in chunks, comma-separated")
	queries := fs.Int("queries", 200, "generated questions timed per size")
	seed := fs.Uint64("seed", 1, "seed of the synthetic corpus and questions")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	ns, err := parseSizes(*sizes)
	if err != nil {
		return err
	}
	if *queries <= 0 {
		return usagef("-queries must be positive")
	}
	cfg := bench.Config{Sizes: ns, Queries: *queries, Seed: *seed}
	cfg.Progress = func(msg string) { e.log.Info(msg) }
	results, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if e.jsonOut {
		enc := json.NewEncoder(e.stdout)
		for _, r := range results {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	return printBench(e.stdout, results)
}

// parseSizes reads "1000,10000": positive chunk counts.
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, usagef("-sizes: %q is not a positive number of chunks", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// printBench prints one column per size.
func printBench(w io.Writer, rs []bench.Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(name string, f func(bench.Result) string) {
		fmt.Fprintf(tw, "%s\t", name)
		for _, r := range rs {
			fmt.Fprintf(tw, "%s\t", f(r))
		}
		fmt.Fprintln(tw)
	}
	row("chunks", func(r bench.Result) string { return strconv.Itoa(r.Chunks) })
	row("documents", func(r bench.Result) string { return strconv.Itoa(r.Documents) })
	row("index time (s)", func(r bench.Result) string { return fmt.Sprintf("%.2f", r.IndexSeconds) })
	row("indexing (chunks/s)", func(r bench.Result) string { return fmt.Sprintf("%.0f", r.ChunksPerSecond) })
	row("index on disk (MiB)", func(r bench.Result) string { return mib(r.IndexBytes) })
	row("load (s)", func(r bench.Result) string { return fmt.Sprintf("%.3f", r.LoadSeconds) })
	row("hybrid query p50 (ms)", func(r bench.Result) string { return fmt.Sprintf("%.2f", r.QueryP50Ms) })
	row("hybrid query p95 (ms)", func(r bench.Result) string { return fmt.Sprintf("%.2f", r.QueryP95Ms) })
	row("vector search p50 (ms)", func(r bench.Result) string { return fmt.Sprintf("%.2f", r.VectorP50Ms) })
	row("flat scan p50 (ms)", func(r bench.Result) string { return fmt.Sprintf("%.2f", r.ScanP50Ms) })
	row("vector / scan", func(r bench.Result) string { return fmt.Sprintf("%.2f×", r.VectorVsScan) })
	row("unrolled scan p50 (ms)", func(r bench.Result) string { return fmt.Sprintf("%.2f", r.UnrolledP50Ms) })
	row("heap in use (MiB)", func(r bench.Result) string { return mib(int64(r.HeapInuse)) })
	row("RSS (MiB)", func(r bench.Result) string { return mib(r.RSS) })
	row("index heap/chunk beyond vector (B)", func(r bench.Result) string { return fmt.Sprintf("%.0f", r.PerChunkBeyondVector) })
	row("pipeline to prompt p50 (ms)", func(r bench.Result) string { return fmt.Sprintf("%.2f", r.PipelineP50Ms) })
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rs) > 0 {
		_, err := fmt.Fprintf(w, "\n%d generated questions per size, top %d; hashed embedder; pipeline on the built-in corpus.\n", rs[0].Queries, bench.K)
		return err
	}
	return nil
}

func mib(b int64) string { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }
