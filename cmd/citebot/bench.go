package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/citebot/citebot/bench"
	"github.com/citebot/citebot/eval"
)

// runBench measures retrieval at scale on a generated corpus. It takes only
// the base flags and its own: the corpus, data directory and chunking flags
// of the other commands would be ignored, since the bench generates its
// corpus, indexes it in a temporary directory and uses the default chunking.
func runBench(ctx context.Context, e *env, args []string) error {
	fs := e.baseFlags("", "print one JSON object per size and embedder")
	sizes := fs.String("sizes", "1000,10000,100000", "corpus sizes to measure, in chunks, comma-separated")
	queries := fs.Int("queries", 200, "generated questions timed per size")
	seed := fs.Uint64("seed", 1, "seed of the synthetic corpus, questions and mixture")
	embedders := fs.String("embedders", "hashed", "embedders to measure: hashed (built-in), mixture (1536-d, shaped like an API's)")
	nprobes := fs.String("nprobe", "", "numbers of lists the recall sweep measures, comma-separated (default: powers of two)")
	minClustered := fs.Int("min-clustered", 0, "chunks from which the index is clustered (0: the default)")
	corpusOut := fs.String("corpus-out", "", "only write the corpus of the first size into this directory, to time other commands on it")
	quality := fs.String("quality", "", "compare retrieval hit@5 with clustering on and off on this evaluation file, for each size")
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
	switch {
	case *corpusOut != "":
		n, err := bench.WriteCorpus(*corpusOut, ns[0], *seed)
		if err == nil {
			fmt.Fprintf(e.stdout, "Wrote %d chunks of articles to %s.\n", n, *corpusOut)
		}
		return err
	case *quality != "":
		return e.benchQuality(ctx, *quality, ns, *minClustered, *seed)
	}
	cfg := bench.Config{Sizes: ns, Queries: *queries, Seed: *seed, Embedders: splitList(*embedders), MinClustered: *minClustered}
	for _, name := range cfg.Embedders {
		if _, err := bench.NewEmbedder(name, 0); err != nil {
			return usagef("-embedders: %v", err)
		}
	}
	if *nprobes != "" {
		if cfg.NProbes, err = parseSizes(*nprobes); err != nil {
			return usagef("-nprobe: %q is not a list of positive numbers", *nprobes)
		}
	}
	cfg.Progress = func(msg string) { e.log.Info(msg) }
	results, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if e.jsonOut {
		return encodeEach(e.stdout, results)
	}
	return printBench(e.stdout, results)
}

// benchQuality runs bench.Quality for each size.
func (e *env) benchQuality(ctx context.Context, file string, sizes []int, minClustered int, seed uint64) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	cases, err := eval.Read(f)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	var out []bench.QualityResult
	for _, n := range sizes {
		e.log.Info(fmt.Sprintf("quality at %d chunks", n))
		q, err := bench.Quality(ctx, cases, n, minClustered, seed)
		if err != nil {
			return err
		}
		out = append(out, q)
	}
	if e.jsonOut {
		return encodeEach(e.stdout, out)
	}
	for _, q := range out {
		fmt.Fprintf(e.stdout, "%d chunks, %d lists, nprobe %d: retrieval hit@5 %.3f clustered, %.3f one collection, %d questions; differ: %s\n",
			q.Chunks, q.Lists, q.NProbe, q.HitOn, q.HitOff, q.Questions, dash(strings.Join(q.Differ, " ")))
	}
	return nil
}

func encodeEach[T any](w io.Writer, xs []T) error {
	enc := json.NewEncoder(w)
	for _, x := range xs {
		if err := enc.Encode(x); err != nil {
			return err
		}
	}
	return nil
}

// parseSizes reads "1000,10000": positive counts.
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
