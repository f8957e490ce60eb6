// Package sources is citebot's registry of documents added from outside
// its corpus: web pages (citebot add URL), local or uploaded files
// (citebot add FILE, a Discord attachment), and the RSS/Atom feeds and
// sitemaps it follows (citebot feed add, citebot sync).
//
// Each document is kept as cleaned text with its metadata in a Store (a
// directory under the data directory by default), so the index can be
// rebuilt without the network, and the documents sit beside the built-in
// or CITEBOT_CORPUS articles with stable IDs: web_HOST_HASH from the
// canonical URL, file_HASH from the file's content. The Registry's methods
// are the Go API the CLI and the Discord bot share; indexing is the
// caller's business (see Documents).
package sources

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/fetch"
)

// stateVersion is the format of the saved State.
const stateVersion = 1

// Origins of a document.
const (
	OriginURL  = "url"
	OriginFile = "file"
	OriginFeed = "feed"
)

// ErrUnknownID means no added document has that ID (built-in and
// CITEBOT_CORPUS articles are not in the registry).
var ErrUnknownID = errors.New("no added document has this ID")

// Entry is one added document and where it came from.
type Entry struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Author       string    `json:"author,omitempty"`
	Date         string    `json:"date,omitempty"`
	Lang         string    `json:"lang,omitempty"`
	URL          string    `json:"url,omitempty"`  // canonical URL, for web pages
	File         string    `json:"file,omitempty"` // original name, for files
	Origin       string    `json:"origin"`         // OriginURL, OriginFile or OriginFeed
	Feed         string    `json:"feed,omitempty"` // the feed that listed it
	FetchedAt    time.Time `json:"fetched_at"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Hash         string    `json:"hash"` // of the cleaned text: equal hashes, same article
	Chars        int       `json:"chars"`
}

// FeedInfo is one followed feed or sitemap.
type FeedInfo struct {
	URL          string    `json:"url"`
	Title        string    `json:"title,omitempty"`
	Kind         string    `json:"kind"`
	AddedAt      time.Time `json:"added_at"`
	SyncedAt     time.Time `json:"synced_at,omitzero"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Items        []string  `json:"items,omitempty"` // article URLs, reused when the feed answers 304
}

// State is everything the registry saves.
type State struct {
	Version int                  `json:"version"`
	Entries map[string]*Entry    `json:"entries"`
	Feeds   map[string]*FeedInfo `json:"feeds"`
	// Removed holds the canonical URLs of removed documents, so that a
	// followed feed does not bring them back.
	Removed map[string]time.Time `json:"removed,omitempty"`
}

func newState() *State {
	st := &State{Version: stateVersion}
	st.init()
	return st
}

func (st *State) init() {
	if st.Entries == nil {
		st.Entries = map[string]*Entry{}
	}
	if st.Feeds == nil {
		st.Feeds = map[string]*FeedInfo{}
	}
	if st.Removed == nil {
		st.Removed = map[string]time.Time{}
	}
}

// byHash finds the entry whose text has hash h.
func (st *State) byHash(h string) *Entry {
	for _, e := range st.Entries {
		if e.Hash == h {
			return e
		}
	}
	return nil
}

// Options configure a Registry.
type Options struct {
	// Fetcher fetches pages and feeds; nil makes AddURL, AddFeed and Sync fail.
	Fetcher *fetch.Client
	// MaxFileBytes bounds AddFile; default 5 MB, like the fetcher.
	MaxFileBytes int
	// Workers fetch articles concurrently during Sync (one request at a
	// time per host whatever this says); default 4.
	Workers int
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Registry adds, lists and removes documents and feeds. Its methods are
// safe for concurrent use: fetching and extracting run in parallel, and
// each change of the saved state is one load-change-save under a lock.
type Registry struct {
	store Store
	opts  Options
	mu    sync.Mutex
}

// New returns a Registry over store.
func New(store Store, opts Options) *Registry {
	if opts.MaxFileBytes <= 0 {
		opts.MaxFileBytes = 5 << 20
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Registry{store: store, opts: opts}
}

// update applies fn to the freshly loaded state and saves it if fn
// succeeds, all under the registry's lock.
func (r *Registry) update(ctx context.Context, fn func(*State) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, err := r.store.Load(ctx)
	if err != nil {
		return fmt.Errorf("read the source registry: %w", err)
	}
	if err := fn(st); err != nil {
		return err
	}
	if err := r.store.Save(ctx, st); err != nil {
		return fmt.Errorf("save the source registry: %w", err)
	}
	return nil
}

// snapshot loads the state for reading.
func (r *Registry) snapshot(ctx context.Context) (*State, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, err := r.store.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the source registry: %w", err)
	}
	return st, nil
}

// List returns the added documents, sorted by ID.
func (r *Registry) List(ctx context.Context) ([]Entry, error) {
	st, err := r.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(st.Entries))
	for _, e := range st.Entries {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// Remove forgets document id for good: its text is deleted, and a feed
// that lists its URL will not bring it back. The caller re-indexes.
func (r *Registry) Remove(ctx context.Context, id string) (Entry, error) {
	var removed Entry
	err := r.update(ctx, func(st *State) error {
		e, ok := st.Entries[id]
		if !ok {
			return fmt.Errorf("%s: %w", id, ErrUnknownID)
		}
		if err := r.store.DeleteText(ctx, id); err != nil {
			return fmt.Errorf("%s: delete its text: %w", id, err)
		}
		delete(st.Entries, id)
		if e.URL != "" {
			st.Removed[e.URL] = r.opts.Now().UTC()
		}
		removed = *e
		return nil
	})
	return removed, err
}

// Files returns the added documents as files not read yet, for an index
// that skips those it already holds (retrieval.OpenFiles): each is named
// ID.md, and has a size and modification time when the store can tell
// them without reading (DirStore can).
func (r *Registry) Files(ctx context.Context) ([]corpus.File, error) {
	entries, err := r.List(ctx)
	if err != nil {
		return nil, err
	}
	stat, _ := r.store.(interface {
		Stat(ctx context.Context, id string) (fs.FileInfo, error)
	})
	files := make([]corpus.File, 0, len(entries))
	for _, e := range entries {
		f := corpus.File{Name: e.ID + ".md", Read: func() ([]byte, error) { return r.store.Text(ctx, e.ID) }}
		if stat != nil {
			if info, err := stat.Stat(ctx, e.ID); err == nil {
				f.Size, f.ModTime = info.Size(), info.ModTime()
			}
		}
		files = append(files, f)
	}
	return files, nil
}

// Documents returns the added documents as the corpus package parses
// them, for the caller to index beside its corpus. A document whose text
// is missing or unreadable is reported in skipped, not fatal.
func (r *Registry) Documents(ctx context.Context) ([]corpus.Document, []corpus.Skipped, error) {
	entries, err := r.List(ctx)
	if err != nil {
		return nil, nil, err
	}
	var docs []corpus.Document
	var skipped []corpus.Skipped
	for _, e := range entries {
		raw, err := r.store.Text(ctx, e.ID)
		if err == nil {
			var d corpus.Document
			if d, err = corpus.Parse(e.ID+".md", raw); err == nil {
				docs = append(docs, d)
				continue
			}
		}
		skipped = append(skipped, corpus.Skipped{Name: "sources/" + e.ID, Err: err})
	}
	return docs, skipped, nil
}
