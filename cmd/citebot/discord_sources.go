package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/citebot/citebot/bot"
	"github.com/citebot/citebot/sources"
)

// discordSources is bot.Sources over the registry: what /source asks is
// done by the same Registry methods as citebot add, feed and remove, then
// the index is rebuilt through the keeper, so that /reindex, /source and
// the sync schedule never rebuild at once. The registry's errors name
// the URL or file and say what went wrong, so they are the member's to
// read (bot.Refused); a failed rebuild is not, since it speaks of disks
// and the embedding API.
type discordSources struct{ k *indexKeeper }

// sources returns the bot's Sources, or nil (not a nil pointer in an
// interface) when there is no registry.
func (k *indexKeeper) sources() bot.Sources {
	if k.reg == nil {
		return nil
	}
	return discordSources{k}
}

// AddURL fetches and adds a web page.
func (s discordSources) AddURL(ctx context.Context, url string) (bot.SourceDoc, error) {
	res, err := s.k.reg.AddURL(ctx, url)
	if err != nil {
		return bot.SourceDoc{}, bot.Refused(err)
	}
	return s.added(ctx, res)
}

// AddFile adds an attachment's bytes.
func (s discordSources) AddFile(ctx context.Context, name string, data []byte) (bot.SourceDoc, error) {
	res, err := s.k.reg.AddFile(ctx, name, data)
	if err != nil {
		return bot.SourceDoc{}, bot.Refused(err)
	}
	return s.added(ctx, res)
}

// added rebuilds the index unless the document was already there as is,
// and reports it with its chunk count in the index now served.
func (s discordSources) added(ctx context.Context, res sources.Result) (bot.SourceDoc, error) {
	if res.Status != sources.StatusUnchanged {
		if _, _, err := s.k.rebuild(ctx); err != nil {
			return bot.SourceDoc{}, fmt.Errorf("%s was stored but the index was not rebuilt: %w", res.ID, err)
		}
	}
	d := sourceDoc(res.Entry, s.chunks())
	d.Status = bot.SourceStatus(res.Status)
	if res.Duplicate {
		d.Status = bot.SourceDuplicate
	}
	return d, nil
}

// AddFeed follows a feed and syncs at once, so that its articles can be
// asked about when the reply comes, rather than an hour later.
func (s discordSources) AddFeed(ctx context.Context, url string) (bot.SourceFeed, error) {
	res, err := s.k.reg.AddFeed(ctx, url)
	if err != nil {
		return bot.SourceFeed{}, bot.Refused(err)
	}
	rep, err := s.k.sync(ctx)
	if err != nil {
		return bot.SourceFeed{}, err
	}
	items := make(map[string]bool, len(res.Items))
	for _, it := range res.Items {
		items[it] = true
	}
	f := bot.SourceFeed{URL: res.URL, Title: res.Title, Items: len(res.Items), Known: res.Status == sources.StatusUnchanged}
	for _, fail := range rep.Failed {
		if items[fail.URL] {
			f.Failed++
		}
	}
	entries, err := s.k.reg.List(ctx)
	if err != nil {
		return f, err
	}
	chunks := s.chunks()
	for _, e := range entries {
		if items[e.URL] {
			f.Docs++
			f.Chunks += chunks[e.ID]
		}
	}
	return f, nil
}

// Remove forgets an added document for good and drops it from the index.
// Built-in and corpus articles are not the registry's: the refusal says
// where they come from.
func (s discordSources) Remove(ctx context.Context, id string) (bot.SourceDoc, error) {
	before := s.chunks()
	e, err := s.k.reg.Remove(ctx, id)
	if errors.Is(err, sources.ErrUnknownID) {
		return bot.SourceDoc{}, bot.Refused(s.k.e.notAdded(id, err))
	}
	if err != nil {
		return bot.SourceDoc{}, err
	}
	if _, _, err := s.k.rebuild(ctx); err != nil {
		return bot.SourceDoc{}, fmt.Errorf("%s was removed but the index was not rebuilt: %w", id, err)
	}
	return sourceDoc(e, before), nil
}

// List returns the added documents with their chunk counts in the index
// served, and the followed feeds.
func (s discordSources) List(ctx context.Context) (bot.SourceList, error) {
	entries, err := s.k.reg.List(ctx)
	if err != nil {
		return bot.SourceList{}, err
	}
	feeds, err := s.k.reg.Feeds(ctx)
	if err != nil {
		return bot.SourceList{}, err
	}
	chunks := s.chunks()
	var l bot.SourceList
	for _, e := range entries {
		l.Docs = append(l.Docs, sourceDoc(e, chunks))
	}
	for _, f := range feeds {
		l.Feeds = append(l.Feeds, bot.SourceFeed{URL: f.URL, Title: f.Title, Items: len(f.Items)})
	}
	return l, nil
}

// chunks is each document's chunk count in the index served now.
func (s discordSources) chunks() map[string]int {
	docs := s.k.live.Documents()
	out := make(map[string]int, len(docs))
	for _, d := range docs {
		out[d.ID] = d.Chunks
	}
	return out
}

// sourceDoc is an entry as the bot shows it.
func sourceDoc(e sources.Entry, chunks map[string]int) bot.SourceDoc {
	return bot.SourceDoc{ID: e.ID, Title: e.Title, Date: e.Date, URL: e.URL, File: e.File, Chunks: chunks[e.ID]}
}
