// Package extract turns what a user hands citebot (a web page, a PDF, a
// Markdown or text file) into the readable article: title, author, date,
// language and the main text, one paragraph per line.
//
// It exists so that the rest of citebot never sees navigation, ads, cookie
// banners or comments: whatever is extracted here is indexed and may be
// quoted in an answer. It knows nothing about fetching, storage or indexing;
// callers pass bytes and get an Article or an error that says why there is
// no article.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"
)

// Article is the readable part of a page or file.
type Article struct {
	Title  string
	Author string
	Date   string // "YYYY-MM-DD" when known, else ""
	Lang   string // from the page's markup ("fr", "en"), else ""
	Text   string // paragraphs separated by "\n"
}

// Reasons there is no article. Callers test them with errors.Is and show
// the message, which names the problem in the user's terms.
var (
	// ErrNoArticle means the page holds no article: a home page, a login
	// wall, a list of links.
	ErrNoArticle = errors.New("no article found on the page (a home page, a login wall or a list of links?)")
	// ErrUnsupported means a type citebot cannot read.
	ErrUnsupported = errors.New("unsupported file type (citebot reads .html, .md, .txt and .pdf)")
	// ErrEncrypted means a password-protected PDF.
	ErrEncrypted = errors.New("the PDF is encrypted")
	// ErrNoPDFText means a PDF without a text layer, typically a scan.
	ErrNoPDFText = errors.New("the PDF has no text layer (a scan or images only?)")
)

// Kind is what a file or response holds, decided from its name, its
// content type and its first bytes.
type Kind int

// The kinds of input extract reads.
const (
	KindUnknown Kind = iota
	KindHTML
	KindPDF
	KindMarkdown
	KindText
)

// Detect decides the kind of an input from its name (may be ""), its
// Content-Type (may be "") and its first bytes. The content wins over the
// name when they disagree about PDF, because servers mislabel PDFs often.
func Detect(name, contentType string, raw []byte) Kind {
	if bytes.HasPrefix(raw, []byte("%PDF-")) {
		return KindPDF
	}
	mediaType, _, _ := strings.Cut(strings.ToLower(contentType), ";")
	switch strings.TrimSpace(mediaType) {
	case "text/html", "application/xhtml+xml":
		return KindHTML
	case "application/pdf":
		return KindPDF
	case "text/markdown", "text/x-markdown":
		return KindMarkdown
	case "text/plain":
		return KindText
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return KindHTML
	case ".pdf":
		return KindPDF
	case ".md", ".markdown":
		return KindMarkdown
	case ".txt", ".text":
		return KindText
	}
	return KindUnknown
}

// Bytes extracts the article from raw of the given kind. pageURL (may be
// nil) resolves relative links and serves as a fallback for nothing else.
func Bytes(kind Kind, raw []byte, contentType string, pageURL *url.URL) (Article, error) {
	switch kind {
	case KindHTML:
		return HTML(raw, contentType, pageURL)
	case KindPDF:
		return PDF(raw)
	case KindMarkdown, KindText:
		return Plain(raw)
	}
	return Article{}, ErrUnsupported
}

// Plain reads a Markdown or text file. The text is kept as written (the
// corpus package cleans it like any article, front matter included), but it
// must be UTF-8: guessing another encoding would silently corrupt accents.
func Plain(raw []byte) (Article, error) {
	raw = bytes.TrimPrefix(raw, []byte("\uFEFF"))
	if !utf8.Valid(raw) {
		return Article{}, fmt.Errorf("not valid UTF-8 text: re-encode the file as UTF-8")
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return Article{}, fmt.Errorf("%w: binary content", ErrUnsupported)
	}
	text := strings.TrimSpace(strings.ReplaceAll(string(raw), "\r\n", "\n"))
	if text == "" {
		return Article{}, fmt.Errorf("the file is empty")
	}
	return Article{Text: text}, nil
}
