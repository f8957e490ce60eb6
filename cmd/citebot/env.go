package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/llm"
	"github.com/citebot/citebot/retrieval"
)

// env is what every command shares: where it writes, its configuration
// (environment overridden by flags) and its logger.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	name           string

	corpusDir, dataDir string
	// kbName is --kb, where a command takes it; storeDir is the data
	// directory the store is in, which a knowledge base's is under.
	kbName, storeDir string
	jsonOut, verbose bool
	chunking         corpus.ChunkOptions
	log              *slog.Logger

	// Read or built on first use; see api and chat.
	apiOnce    sync.Once
	apiCfg     apiConfig
	chatOnce   sync.Once
	chatClient *llm.Client
	chatErr    error
}

// baseFlags returns a flag set with the options every command takes,
// bench included: -json (described by jsonUsage) and -v.
func (e *env) baseFlags(args, jsonUsage string) *flag.FlagSet {
	fs := flag.NewFlagSet("citebot "+e.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.BoolVar(&e.jsonOut, "json", false, jsonUsage)
	fs.BoolVar(&e.verbose, "v", false, "log progress and decisions to stderr")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: citebot %s [flags] %s\n\nFlags:\n", e.name, args)
		fs.PrintDefaults()
	}
	return fs
}

// flags returns a flag set with the options of the commands that work on
// the configured corpus and its index.
func (e *env) flags(args string) *flag.FlagSet {
	fs := e.baseFlags(args, "print JSON")
	fs.StringVar(&e.corpusDir, "corpus", e.getenv("CITEBOT_CORPUS"), "directory of articles (.txt, .md); empty: the built-in corpus [CITEBOT_CORPUS]")
	fs.StringVar(&e.dataDir, "data-dir", e.getenv("CITEBOT_DATA_DIR"), "where the index is kept [CITEBOT_DATA_DIR] (default "+defaultDataDir(e.getenv)+")")
	def := corpus.DefaultChunkOptions()
	fs.IntVar(&e.chunking.MaxChars, "chunk-chars", def.MaxChars, "largest chunk, in characters (changing it rebuilds the index)")
	fs.IntVar(&e.chunking.OverlapSentences, "chunk-overlap", def.OverlapSentences, "sentences shared by consecutive chunks")
	return fs
}

// parseNoArgs parses the flags of a command that takes no argument.
func (e *env) parseNoArgs(fs *flag.FlagSet, args []string) error {
	rest, err := e.parse(fs, args)
	if err == nil && len(rest) > 0 {
		err = usagef("%s takes no arguments", e.name)
	}
	return err
}

// parse parses flags that may come before, between or after the
// positional arguments ("citebot ask --json Who …" and "citebot ask Who … --json").
func (e *env) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
	level := slog.LevelWarn
	if e.verbose {
		level = slog.LevelInfo
	}
	e.log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	if e.dataDir == "" {
		e.dataDir = defaultDataDir(e.getenv)
	}
	if err := checkRanges(fs); err != nil {
		return nil, err
	}
	if err := e.useKB(fs); err != nil {
		return nil, err
	}
	return rest, nil
}

// flagRanges are the values each numeric flag accepts, where a command
// has it: outside them (NaN included) a value is a usage error, not a
// silently odd run. A negative -rate means no limit.
func flagRanges() map[string][2]float64 {
	return map[string][2]float64{
		"k": {0, 100}, "min-coverage": {0, 1}, "chunk-chars": {50, 100_000}, "chunk-overlap": {0, 20},
		"queries": {1, 1_000_000}, "rate": {-1, 10_000}, "concurrency": {1, 64}, "days": {1, 3650}, "limit": {0, 1_000_000},
	}
}

// checkRanges checks the numeric flags of fs against flagRanges.
func checkRanges(fs *flag.FlagSet) error {
	for name, r := range flagRanges() {
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		v, err := strconv.ParseFloat(f.Value.String(), 64)
		if err != nil || !(v >= r[0] && v <= r[1]) {
			return usagef("-%s must be between %v and %v, got %s", name, r[0], r[1], f.Value.String())
		}
	}
	return nil
}

// defaultDataDir follows the XDG base directory convention.
func defaultDataDir(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "citebot")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "citebot")
	}
	return filepath.Join(".citebot")
}

// corpusFiles lists the configured corpus and the added documents without
// reading them (the index reads only what it lacks), warning about each
// file it cannot use.
func (e *env) corpusFiles() ([]corpus.File, error) {
	var files []corpus.File
	var skipped []corpus.Skipped
	var err error
	if e.corpusDir == "" {
		files, skipped, err = corpus.Scan(corpus.Default())
	} else {
		files, skipped, err = corpus.ScanDir(e.corpusDir)
	}
	for _, s := range skipped {
		e.log.Warn("skipping corpus file", "file", s.Name, "reason", s.Err)
	}
	if err != nil {
		return nil, err
	}
	return e.withAdded(files) // citebot add, feed and sync
}

// indexDir keeps one index per corpus under the data directory, so that
// switching corpora does not rebuild back and forth.
func (e *env) indexDir() string {
	key := "default"
	if e.corpusDir != "" {
		abs, err := filepath.Abs(e.corpusDir)
		if err != nil {
			abs = e.corpusDir
		}
		sum := sha256.Sum256([]byte(abs))
		key = filepath.Base(abs) + "-" + hex.EncodeToString(sum[:4])
	}
	return filepath.Join(e.dataDir, "index", key)
}

// nprobe reads CITEBOT_NPROBE: how many lists of a clustered index a
// search scans. Unset means the index's default; "exhaustive" scans them
// all. Anything else but a positive number is an error, not a silent
// default: a mistyped value would otherwise change answers unnoticed. A
// number above the index's lists is clamped, with a warning, when the
// index is open and their number known.
func (e *env) nprobe() (int, error) {
	v := strings.TrimSpace(e.getenv("CITEBOT_NPROBE"))
	if v == "" {
		return 0, nil
	}
	if strings.EqualFold(v, "exhaustive") {
		return retrieval.Exhaustive, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, usagef("CITEBOT_NPROBE must be a positive number of lists or \"exhaustive\", got %q", v)
	}
	return n, nil
}

// lockTimeout is how long a command waits for another citebot writing
// the same index (CITEBOT_LOCK_TIMEOUT), retrieval's default unless set.
func (e *env) lockTimeout() time.Duration {
	return e.duration("CITEBOT_LOCK_TIMEOUT", retrieval.DefaultLockTimeout)
}

// duration reads a positive duration from the environment variable name,
// or def (with a warning when the value is unreadable).
func (e *env) duration(name string, def time.Duration) time.Duration {
	v := strings.TrimSpace(e.getenv(name))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		e.log.Warn("ignoring "+name+": want a positive duration such as 30s", "value", v)
		return def
	}
	return d
}

// opened is what openIndex reports besides the index: the retrieval
// statistics and the embedder that built the index, which is the built-in
// one, not the configured one, when the embedding API failed.
type opened struct {
	retrieval.Stats
	embedder retrieval.Embedder
}

// openIndex lists the corpus and opens (building or refreshing) its index.
func (e *env) openIndex(ctx context.Context, progress func(done, total int)) (*retrieval.Index, opened, error) {
	nprobe, err := e.nprobe()
	if err != nil {
		return nil, opened{}, err
	}
	files, err := e.corpusFiles()
	if err != nil {
		return nil, opened{}, err
	}
	emb, err := e.embedder()
	if err != nil {
		return nil, opened{}, err
	}
	dir := e.indexDir()
	wait := e.lockTimeout()
	opts := retrieval.Options{Dir: dir, Embedder: emb, Chunking: e.chunking, Progress: progress, Logger: e.log, NProbe: nprobe,
		QueryTimeout: e.duration("CITEBOT_EMBED_TIMEOUT", retrieval.DefaultQueryTimeout),
		LockTimeout:  wait, OnWait: func(holder string) {
			fmt.Fprintf(e.stderr, "waiting for another citebot writing the index in %s (%s); giving up after %v\n", dir, holder, wait)
		}}
	ix, st, err := retrieval.OpenFiles(ctx, files, opts)
	if err != nil && ctx.Err() == nil && !isLocal(emb) && !errors.Is(err, retrieval.ErrBusy) && !errors.Is(err, corpus.ErrNoDocuments) {
		// The embedding API is down or misconfigured: answer from the
		// built-in embedder rather than not at all.
		e.log.Warn("embedding API failed; using the built-in offline embedder", "err", err)
		fmt.Fprintf(e.stderr, "note: embeddings unavailable (%v); searching with the built-in embedder\n", err)
		emb = retrieval.NewHashed()
		opts.Embedder = emb
		ix, st, err = retrieval.OpenFiles(ctx, files, opts)
	}
	for _, s := range st.Skipped {
		e.log.Warn("skipping corpus file", "file", s.Name, "reason", s.Err)
	}
	if err != nil {
		return nil, opened{Stats: st, embedder: emb}, fmt.Errorf("index: %w", err)
	}
	e.log.Info("index ready", "dir", dir, "embedder", emb.Fingerprint(), "chunks", ix.Len(), "lists", ix.Lists(), "nprobe", ix.NProbe(),
		"read", st.Read, "parsed", st.Parsed, "loaded", st.Loaded, "embedded", st.Embedded, "reused", st.Reused, "removed", st.Removed, "rebuilt", st.Rebuilt)
	return ix, opened{Stats: st, embedder: emb}, nil
}
