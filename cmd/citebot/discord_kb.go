package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/citebot/citebot/bot"
	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/store"
)

// botKBs opens the knowledge bases the servers are assigned, on first
// use, and keeps them open: each is a corpus recorded in the store
// (citebot kb create) with its own index in <data dir>/kb/NAME, opened
// as the default index is, and its own added sources there.
type botKBs struct {
	ctx    context.Context // the bot's run: indexes are opened within it
	e      *env
	st     store.Store
	delay  time.Duration
	minCov float64
	every  time.Duration // how often each syncs its followed feeds, as the default's

	mu    sync.Mutex // one opening at a time; a failed one is tried again next time
	open  map[string]bot.Deps
	stops []func() // each open knowledge base's scheduled sync
}

// stop ends the knowledge bases' scheduled syncs and waits for them.
func (k *botKBs) stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, stop := range k.stops {
		stop()
	}
}

// errUnknownKB is the failure of a name the store does not record.
var errUnknownKB = errors.New("no such knowledge base")

// deps returns the parts of the knowledge base name (bot.Deps.KB).
func (k *botKBs) deps(name string) (bot.Deps, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if d, ok := k.open[name]; ok {
		return d, nil
	}
	kbs, err := k.st.KBs(k.ctx)
	if err != nil {
		return bot.Deps{}, err
	}
	for _, kb := range kbs {
		if kb.Name != name {
			continue
		}
		d, err := k.openKB(kb)
		if err != nil {
			return bot.Deps{}, err
		}
		k.open[name] = d
		return d, nil
	}
	return bot.Deps{}, fmt.Errorf("%q: %w", name, errUnknownKB)
}

// openKB opens one knowledge base's index and wires its parts as the
// default's are.
func (k *botKBs) openKB(kb store.KB) (bot.Deps, error) {
	// The same directories as the CLI's --kb (kb.go), so the index
	// citebot kb create built is the one the bot opens.
	e := &env{stdin: k.e.stdin, stdout: k.e.stdout, stderr: k.e.stderr, getenv: k.e.getenv, name: k.e.name,
		corpusDir: kb.Corpus, dataDir: kbDir(k.e.dataDir, kb.Name), storeDir: k.e.dataDir, kbName: kb.Name,
		chunking: k.e.chunking, log: k.e.log.With("kb", kb.Name)}
	ix, _, err := e.openIndex(k.ctx, nil)
	if err != nil {
		return bot.Deps{}, err
	}
	reg, err := e.registry(k.delay)
	if err != nil {
		return bot.Deps{}, err
	}
	keeper := &indexKeeper{e: e, live: retrieval.NewLive(ix), reg: reg}
	d, _, err := e.botDeps(keeper, k.minCov)
	if err != nil {
		return bot.Deps{}, err
	}
	k.stops = append(k.stops, keeper.startSync(k.ctx, k.every))
	e.log.Info("knowledge base open", "corpus", kb.Corpus, "documents", len(ix.Documents()))
	return d, nil
}
