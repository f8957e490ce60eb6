package bot

import (
	"context"
	"errors"
)

// Sources is the registry of documents added from the web, files and
// feeds, as /source drives it; cmd/citebot adapts sources.Registry to it
// and re-indexes. It speaks in the bot's own small types so that the bot
// needs neither the registry nor the index to be tested. Every change
// re-indexes before returning, so the chunk counts are the new index's.
// An error wrapped by Refused is the member's to read (it names the URL
// or file and says why); any other is a failure, logged and told in a
// word.
type Sources interface {
	AddURL(ctx context.Context, url string) (SourceDoc, error)
	AddFile(ctx context.Context, name string, data []byte) (SourceDoc, error)
	AddFeed(ctx context.Context, url string) (SourceFeed, error)
	Remove(ctx context.Context, id string) (SourceDoc, error)
	List(ctx context.Context) (SourceList, error)
}

// SourceStatus says what adding did, since adding again is allowed: a
// page is refreshed, a file or an article already kept is not doubled.
type SourceStatus string

// What adding a document did.
const (
	SourceAdded     SourceStatus = "added"
	SourceUpdated   SourceStatus = "updated"   // the text changed since last time
	SourceUnchanged SourceStatus = "unchanged" // the same text was already there
	SourceDuplicate SourceStatus = "duplicate" // the same text is kept under another ID (ID is that one)
)

// SourceDoc is one added document as the bot reports it: enough to say
// what was added, find it again, and remove it by ID.
type SourceDoc struct {
	ID, Title, Date string
	URL             string // the canonical URL of a web page
	File            string // the original name of a file
	Chunks          int    // its chunks in the index after the change
	Status          SourceStatus
}

// SourceFeed is one followed RSS/Atom feed or sitemap, and what following
// it brought in.
type SourceFeed struct {
	URL, Title string
	Items      int  // articles the feed lists
	Docs       int  // of them, documents now in the index
	Chunks     int  // their chunks
	Failed     int  // articles that could not be fetched this time
	Known      bool // it was already followed
}

// SourceList is what /source list shows.
type SourceList struct {
	Docs  []SourceDoc
	Feeds []SourceFeed
}

// Refused marks err as one the member may read: why a URL, a file or a
// feed was not added or a document not removed, in words that name it.
// Errors not marked are shown as a failure in a word, the detail logged,
// since they may say more about the host than a member should see.
func Refused(err error) error {
	if err == nil {
		return nil
	}
	return refusal{err}
}

// refusal is an error Refused marked.
type refusal struct{ err error }

func (r refusal) Error() string { return r.err.Error() }
func (r refusal) Unwrap() error { return r.err }

// refusedText returns the text of a refusal in err's chain, if any.
func refusedText(err error) (string, bool) {
	var r refusal
	if errors.As(err, &r) {
		return r.Error(), true
	}
	return "", false
}
