package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/citebot/citebot/bench"
)

// printBench prints one column per size and embedder, every query time
// also as a ratio to the floors measured in the same run, then the
// recall sweep of each.
func printBench(w io.Writer, rs []bench.Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(name string, f func(bench.Result) string) {
		fmt.Fprintf(tw, "%s\t", name)
		for _, r := range rs {
			fmt.Fprintf(tw, "%s\t", f(r))
		}
		fmt.Fprintln(tw)
	}
	row("embedder", func(r bench.Result) string { return fmt.Sprintf("%s-%d", r.Embedder, r.Dim) })
	row("chunks", func(r bench.Result) string { return strconv.Itoa(r.Chunks) })
	row("documents", func(r bench.Result) string { return strconv.Itoa(r.Documents) })
	row("index time (s)", figure("%.2f", func(r bench.Result) float64 { return r.IndexSeconds }))
	row("indexing (chunks/s)", figure("%.0f", func(r bench.Result) float64 { return r.ChunksPerSecond }))
	row("peak RSS after indexing (MiB)", func(r bench.Result) string { return mib(r.IndexPeakRSS) })
	row("index on disk (MiB)", func(r bench.Result) string { return mib(r.IndexBytes) })
	row("load (s)", figure("%.3f", func(r bench.Result) float64 { return r.LoadSeconds }))
	row("first question after load (ms)", figure("%.1f", func(r bench.Result) float64 { return r.FirstQueryMs }))
	row("filling the other lists (s)", figure("%.3f", func(r bench.Result) float64 { return r.FillSeconds }))
	row("lists / nprobe", func(r bench.Result) string { return fmt.Sprintf("%d/%s", r.Lists, nprobeText(r.NProbe)) })
	row("hybrid recall@10", figure("%.3f", func(r bench.Result) float64 { return r.HybridRecall }))
	row("vector recall@10", figure("%.3f", func(r bench.Result) float64 { return r.VectorRecall }))
	timed := []struct {
		name string
		f    func(bench.Result) float64
	}{
		{"hybrid query p50", func(r bench.Result) float64 { return r.QueryP50Ms }},
		{"hybrid query p95", func(r bench.Result) float64 { return r.QueryP95Ms }},
		{"vector search p50", func(r bench.Result) float64 { return r.VectorP50Ms }},
		{"exhaustive hybrid p50", func(r bench.Result) float64 { return r.ExhaustiveP50Ms }},
	}
	for _, t := range timed {
		row(t.name+" (ms)", figure("%.2f", t.f))
		row("  / flat, unrolled, unrolled all cores", func(r bench.Result) string {
			v := t.f(r)
			return fmt.Sprintf("%s %s %s", ratio(v, r.ScanP50Ms), ratio(v, r.UnrolledP50Ms), ratio(v, r.Unrolled2P50Ms))
		})
	}
	row("floor: flat scan p50 (ms)", figure("%.2f", func(r bench.Result) float64 { return r.ScanP50Ms }))
	row("floor: unrolled scan p50 (ms)", figure("%.2f", func(r bench.Result) float64 { return r.UnrolledP50Ms }))
	row("floor: unrolled, all cores (ms)", figure("%.2f", func(r bench.Result) float64 { return r.Unrolled2P50Ms }))
	memoryRows(row)
	row("pipeline to prompt p50 (ms)", figure("%.2f", func(r bench.Result) float64 { return r.PipelineP50Ms }))
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := printSweeps(w, rs); err != nil {
		return err
	}
	if len(rs) > 0 {
		_, err := fmt.Fprintf(w, "\n%d generated questions per size, top %d timed, recall@10 against the exhaustive search; pipeline on the built-in corpus.\n", rs[0].Queries, bench.K)
		return err
	}
	return nil
}

// memoryRows adds the rows on memory to the table row writes.
func memoryRows(row func(name string, f func(bench.Result) string)) {
	row("heap in use (MiB)", func(r bench.Result) string { return mib(int64(r.HeapInuse)) })
	row("RSS (MiB)", func(r bench.Result) string { return mib(r.RSS) })
	row("index heap/chunk, beyond vector (B)", figure("%.0f", func(r bench.Result) float64 { return r.PerChunkBeyondVector }))
	row("  + text in the mapped file, about (B)", figure("%.0f", func(r bench.Result) float64 { return r.TextPerChunk }))
	row("  mapped file beyond the vectors (B)", figure("%.0f", func(r bench.Result) float64 { return r.MappedPerChunk }))
}

// figure formats a figure of each result.
func figure(format string, f func(bench.Result) float64) func(bench.Result) string {
	return func(r bench.Result) string { return fmt.Sprintf(format, f(r)) }
}

// printSweeps prints, for each result, the recall and time of the search
// with each number of lists measured.
func printSweeps(w io.Writer, rs []bench.Result) error {
	for _, r := range rs {
		if len(r.Sweep) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s-%d, %d chunks, %d lists:\n", r.Embedder, r.Dim, r.Chunks, r.Lists)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "nprobe\tshare\thybrid recall@10\tvector recall@10\thybrid p50 (ms)\t/ flat\t/ unrolled all cores\t")
		for _, p := range r.Sweep {
			fmt.Fprintf(tw, "%d\t%.1f%%\t%.3f\t%.3f\t%.2f\t%s\t%s\t\n", p.NProbe, 100*float64(p.NProbe)/float64(r.Lists),
				p.HybridRecall, p.VectorRecall, p.HybridP50Ms, ratio(p.HybridP50Ms, r.ScanP50Ms), ratio(p.HybridP50Ms, r.Unrolled2P50Ms))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func ratio(v, floor float64) string {
	if floor <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", v/floor)
}

func nprobeText(n int) string {
	if n < 0 {
		return "all"
	}
	return strconv.Itoa(n)
}

func mib(b int64) string { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }
