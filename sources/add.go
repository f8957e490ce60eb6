package sources

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/extract"
	"github.com/citebot/citebot/fetch"
)

// Status says what adding or syncing did to a document.
type Status string

// The outcomes of an add or a sync.
const (
	StatusAdded     Status = "added"
	StatusUpdated   Status = "updated"
	StatusUnchanged Status = "unchanged"
)

// Result is what AddURL and AddFile report: the document as stored and
// what happened. When the same text was already stored under another ID
// (the same article at two URLs), Entry is that document, Status is
// unchanged and Duplicate is true: it is kept once.
type Result struct {
	Entry
	Status    Status `json:"status"`
	Duplicate bool   `json:"duplicate,omitempty"`
}

// ErrNoFetcher means the registry was built without a fetcher.
var ErrNoFetcher = errors.New("fetching is not configured")

// articleTypes are the content types an article URL may answer with.
var articleTypes = []string{"text/html", "application/xhtml+xml", "application/pdf", "text/plain", "text/markdown"}

// AddURL fetches the page at rawURL, extracts its article and stores it.
// Adding a URL again refreshes it; adding a removed URL brings it back.
func (r *Registry) AddURL(ctx context.Context, rawURL string) (Result, error) {
	canon, err := Canonical(rawURL)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", rawURL, err)
	}
	p, err := r.fetchArticle(ctx, canon, nil)
	if err != nil {
		return Result{}, err
	}
	p.entry.Origin = OriginURL
	var res Result
	err = r.update(ctx, func(st *State) error {
		delete(st.Removed, canon)
		res, err = r.apply(ctx, st, p)
		return err
	})
	return res, err
}

// AddFile stores the article in a file's bytes: a local file or a chat
// attachment. name (its base name is kept) decides the type with the
// content; the ID comes from the bytes, so adding the same file twice
// keeps it once.
func (r *Registry) AddFile(ctx context.Context, name string, data []byte) (Result, error) {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if len(data) > r.opts.MaxFileBytes {
		return Result{}, fmt.Errorf("%s: %d bytes, over the limit of %d", base, len(data), r.opts.MaxFileBytes)
	}
	art, canon, err := fileArticle(base, data)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", base, err)
	}
	sum := sha256.Sum256(data)
	p, err := prepare("file_"+hex.EncodeToString(sum[:8]), art, canon)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", base, err)
	}
	p.entry.Origin, p.entry.File = OriginFile, base
	var res Result
	err = r.update(ctx, func(st *State) error {
		res, err = r.apply(ctx, st, p)
		return err
	})
	return res, err
}

// fileArticle extracts a file's article. Markdown and text go through
// corpus.Parse first, so that a Markdown front matter (title, date, url)
// is read rather than stored as text under citebot's own.
func fileArticle(name string, data []byte) (extract.Article, string, error) {
	kind := extract.Detect(name, "", data)
	art, err := extract.Bytes(kind, data, "", nil)
	if err != nil || (kind != extract.KindMarkdown && kind != extract.KindText) {
		return art, "", err
	}
	doc, err := corpus.Parse(name, data)
	if err != nil {
		return extract.Article{}, "", err
	}
	return extract.Article{Title: doc.Title, Date: doc.Date, Text: doc.Text}, doc.URL, nil
}

// prepared is a document ready to store.
type prepared struct {
	entry Entry
	data  []byte
}

// fetchArticle fetches and extracts canon. With prev, the request is
// conditional, and nil, nil means "not modified".
func (r *Registry) fetchArticle(ctx context.Context, canon string, prev *Entry) (*prepared, error) {
	if r.opts.Fetcher == nil {
		return nil, fmt.Errorf("%s: %w", canon, ErrNoFetcher)
	}
	req := fetch.Request{URL: canon, Accept: articleTypes}
	if prev != nil {
		req.ETag, req.LastModified = prev.ETag, prev.LastModified
	}
	resp, err := r.opts.Fetcher.Get(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.NotModified {
		return nil, nil
	}
	final, _ := url.Parse(resp.URL)
	kind := extract.Detect(path.Base(final.Path), resp.ContentType, resp.Body)
	art, err := extract.Bytes(kind, resp.Body, resp.ContentType, final)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", canon, err)
	}
	p, err := prepare(webID(canon), art, canon)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", canon, err)
	}
	p.entry.ETag, p.entry.LastModified = resp.ETag, resp.LastModified
	return p, nil
}

// prepare renders art as the Markdown file the corpus package reads
// (front matter with title, date and URL, then the text) and fills the
// entry from what corpus.Parse makes of it, so that the registry and the
// index agree on the title. The file's bytes depend only on the article:
// an unchanged article has an unchanged hash and is not re-embedded.
func prepare(id string, art extract.Article, canon string) (*prepared, error) {
	var b strings.Builder
	b.WriteString("---\n")
	if art.Title != "" {
		// corpus strips exactly one pair of outer quotes: inner ones stay.
		fmt.Fprintf(&b, "title: \"%s\"\n", oneLine(art.Title))
	}
	if art.Date != "" {
		fmt.Fprintf(&b, "date: %s\n", art.Date)
	}
	if canon != "" {
		fmt.Fprintf(&b, "url: %s\n", canon)
	}
	b.WriteString("---\n")
	b.WriteString(art.Text)
	b.WriteString("\n")
	data := []byte(b.String())
	doc, err := corpus.Parse(id+".md", data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(doc.Text))
	e := Entry{ID: id, Title: doc.Title, Author: art.Author, Date: doc.Date, Lang: firstNonEmpty(art.Lang, doc.Lang),
		URL: canon, Hash: hex.EncodeToString(sum[:]), Chars: len([]rune(doc.Text))}
	return &prepared{entry: e, data: data}, nil
}

// apply stores p in st and reports what changed.
func (r *Registry) apply(ctx context.Context, st *State, p *prepared) (Result, error) {
	p.entry.FetchedAt = r.opts.Now().UTC()
	old := st.Entries[p.entry.ID]
	if old == nil {
		if dup := st.byHash(p.entry.Hash); dup != nil {
			return Result{Entry: *dup, Status: StatusUnchanged, Duplicate: true}, nil
		}
	}
	if old != nil && old.Hash == p.entry.Hash {
		old.FetchedAt, old.ETag, old.LastModified = p.entry.FetchedAt, p.entry.ETag, p.entry.LastModified
		return Result{Entry: *old, Status: StatusUnchanged}, nil
	}
	if err := r.store.PutText(ctx, p.entry.ID, p.data); err != nil {
		return Result{}, fmt.Errorf("%s: store its text: %w", p.entry.ID, err)
	}
	status := StatusAdded
	if old != nil {
		status = StatusUpdated
		p.entry.Origin, p.entry.Feed = old.Origin, firstNonEmpty(old.Feed, p.entry.Feed) // the first origin stays
	}
	e := p.entry
	st.Entries[e.ID] = &e
	return Result{Entry: e, Status: status}, nil
}

// trackingParams are query parameters that identify a campaign, not a
// page: the same article shared from a newsletter must get the same ID.
var trackingParams = []string{"utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "xtor", "at_medium", "at_campaign", "ocid"}

// Canonical normalises a URL for identity: lowercase scheme and host, no
// default port, no fragment, no tracking parameters, sorted query.
func Canonical(raw string) (string, error) {
	u, err := fetch.CheckURL(raw)
	if err != nil {
		return "", err
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if (u.Scheme == "http" && u.Port() == "80") || (u.Scheme == "https" && u.Port() == "443") {
		u.Host = u.Hostname()
	}
	u.Fragment, u.RawFragment, u.User = "", "", nil
	q := u.Query()
	for k := range q {
		for _, p := range trackingParams {
			if strings.HasPrefix(strings.ToLower(k), p) {
				q.Del(k)
			}
		}
	}
	u.RawQuery = q.Encode()
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), nil
}

// webID is web_HOST_HASH: readable, stable, and a valid file name.
func webID(canon string) string {
	u, _ := url.Parse(canon)
	host := strings.TrimPrefix(u.Hostname(), "www.")
	slug := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, host)
	if len(slug) > 40 {
		slug = slug[:40]
	}
	sum := sha256.Sum256([]byte(canon))
	return "web_" + slug + "_" + hex.EncodeToString(sum[:8])
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
