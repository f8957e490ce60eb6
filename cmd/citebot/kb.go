package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"text/tabwriter"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/store"
)

// kbFlags is flags plus --kb, for the commands that read a knowledge
// base's index: ask, chat, search, summary, sources, index.
func (e *env) kbFlags(args string) *flag.FlagSet {
	fs := e.flags(args)
	fs.StringVar(&e.kbName, "kb", "", "knowledge base to use (citebot kb list); default: the configured corpus")
	return fs
}

// kbDir is where a knowledge base keeps its index and added documents.
func kbDir(dataDir, name string) string { return filepath.Join(dataDir, "kb", name) }

// useKB points the command at the knowledge base named by --kb: its
// corpus, and its own data directory under the store's. It runs in parse,
// after the flags; without --kb (or with the default one) it changes
// nothing.
func (e *env) useKB(fs *flag.FlagSet) error {
	e.storeDir = e.dataDir
	if e.kbName == "" || e.kbName == store.DefaultKB {
		return nil
	}
	if flagSet(fs, "corpus") {
		return usagef("-kb and -corpus both choose the articles: give one")
	}
	s, err := e.openStore(context.Background())
	if err != nil {
		return err
	}
	defer s.Close()
	kb, err := findKB(context.Background(), s, e.kbName)
	if err != nil {
		return err
	}
	e.corpusDir, e.dataDir = kb.Corpus, kbDir(e.storeDir, kb.Name)
	return nil
}

// findKB looks name up; an unknown name is a usage error.
func findKB(ctx context.Context, s store.Store, name string) (store.KB, error) {
	kbs, err := s.KBs(ctx)
	if err != nil {
		return store.KB{}, err
	}
	for _, kb := range kbs {
		if kb.Name == name {
			return kb, nil
		}
	}
	return store.KB{}, usagef("no knowledge base %q (citebot kb list shows them; citebot kb create makes one)", name)
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func runKB(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("kb needs a subcommand: create NAME --corpus DIR, or list")
	}
	switch args[0] {
	case "create":
		return runKBCreate(ctx, e, args[1:])
	case "list":
		return runKBList(ctx, e, args[1:])
	}
	return usagef("unknown kb subcommand %q: want create or list", args[0])
}

// kbName is what a knowledge base may be called: it names a directory.
var kbName = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)

// kbOut is one knowledge base in citebot kb's output.
type kbOut struct {
	Name      string `json:"name"`
	Corpus    string `json:"corpus"` // "" for the built-in articles
	Documents int    `json:"documents"`
	Chunks    int    `json:"chunks"`
	Dir       string `json:"dir"`
	Error     string `json:"error,omitempty"`
}

func runKBCreate(ctx context.Context, e *env, args []string) error {
	e.name = "kb create"
	fs := e.flags("NAME --corpus DIR")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("kb create takes one name")
	}
	name := rest[0]
	if !kbName.MatchString(name) || name == store.DefaultKB {
		return usagef("a knowledge base name is 1 to 32 of a-z, 0-9, - and _, and not %q; got %q", store.DefaultKB, name)
	}
	if !flagSet(fs, "corpus") || e.corpusDir == "" {
		return usagef("kb create needs --corpus DIR, the directory of the knowledge base's articles")
	}
	corpusDir, err := filepath.Abs(e.corpusDir)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(corpusDir); err != nil || !fi.IsDir() {
		return usagef("--corpus %s is not a directory", e.corpusDir)
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := findKB(ctx, s, name); err == nil {
		return fmt.Errorf("knowledge base %q already exists; citebot index --kb %s refreshes its index", name, name)
	}
	// The index is built first, with citebot index's code: a corpus that
	// has no article, or an index that cannot be saved, records nothing.
	e.corpusDir, e.dataDir = corpusDir, kbDir(e.storeDir, name)
	out, err := e.describeKB(ctx, name, progressReporter(e.stderr))
	if errors.Is(err, corpus.ErrNoDocuments) {
		return usageError{fmt.Sprintf("--corpus %s has no usable article: %v", corpusDir, err)}
	}
	if err != nil {
		return err
	}
	if err := s.CreateKB(ctx, store.KB{Name: name, Corpus: corpusDir}); err != nil {
		return err
	}
	if e.jsonOut {
		return writeJSON(e.stdout, out)
	}
	_, err = fmt.Fprintf(e.stdout, "Created knowledge base %s: %d documents, %d chunks from %s; index in %s.\n",
		name, out.Documents, out.Chunks, corpusDir, out.Dir)
	return err
}

// describeKB opens (building or refreshing) the index of the corpus and
// data directory e points at, and says what it holds. An index that is
// not saved is an error, as for citebot index.
func (e *env) describeKB(ctx context.Context, name string, progress func(done, total int)) (kbOut, error) {
	ix, st, err := e.openIndex(ctx, progress)
	if err != nil {
		return kbOut{}, err
	}
	if st.SaveErr != nil {
		return kbOut{}, fmt.Errorf("index not saved in %s: %w", e.indexDir(), st.SaveErr)
	}
	return kbOut{Name: name, Corpus: e.corpusDir, Documents: len(ix.Documents()), Chunks: ix.Len(), Dir: e.indexDir()}, nil
}

func runKBList(ctx context.Context, e *env, args []string) error {
	e.name = "kb list"
	fs := e.flags("")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	kbs, err := s.KBs(ctx)
	s.Close()
	if err != nil {
		return err
	}
	// The default first: the configured corpus, in the data directory.
	list := append([]store.KB{{Name: store.DefaultKB, Corpus: e.corpusDir}}, kbs...)
	root := e.dataDir
	out := make([]kbOut, 0, len(list))
	failed := 0
	for _, kb := range list {
		e.corpusDir, e.dataDir = kb.Corpus, root
		if kb.Name != store.DefaultKB {
			e.dataDir = kbDir(root, kb.Name)
		}
		o, err := e.describeKB(ctx, kb.Name, nil)
		if err != nil {
			failed++
			o = kbOut{Name: kb.Name, Corpus: kb.Corpus, Dir: e.indexDir(), Error: err.Error()}
		}
		out = append(out, o)
	}
	if e.jsonOut {
		if err := writeJSON(e.stdout, out); err != nil {
			return err
		}
		return failedError(failed, "knowledge bases")
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDOCUMENTS\tCHUNKS\tCORPUS")
	for _, o := range out {
		corpus := o.Corpus
		if corpus == "" {
			corpus = "(built-in articles)"
		}
		if o.Error != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t%s (unavailable: %s)\n", o.Name, corpus, o.Error)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", o.Name, o.Documents, o.Chunks, corpus)
	}
	return errors.Join(tw.Flush(), failedError(failed, "knowledge bases"))
}
