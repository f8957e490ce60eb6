package extract

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/citebot/citebot/analysis"
)

// HTML extracts the article of a web page. contentType is the response's
// Content-Type header (its charset is honoured; otherwise the page's meta
// charset, else a guess), so that Latin-1 pages keep their accents.
//
// The main text comes from go-readability (a port of Firefox's Reader
// View) run on a copy of the page from which the blocks that are
// boilerplate by their markup (menus, ads, share bars, comments, consent
// dialogs) were pruned first; see prune. Metadata comes from readability
// (JSON-LD, Open Graph) with fallbacks on the page itself; see meta.go.
func HTML(raw []byte, contentType string, pageURL *url.URL) (Article, error) {
	doc, err := parseHTML(raw, contentType)
	if err != nil {
		return Article{}, err
	}
	fallback := pageMeta(doc)
	prune(doc)
	parser := readability.NewParser()
	art, err := parser.ParseDocument(doc, pageURL)
	if err != nil {
		return Article{}, fmt.Errorf("%w: %v", ErrNoArticle, err)
	}
	if art.Node == nil {
		return Article{}, ErrNoArticle
	}
	var b strings.Builder
	if err := art.RenderText(&b); err != nil {
		return Article{}, fmt.Errorf("render article text: %w", err)
	}
	full := cleanLines(b.String())
	text := trimEdges(full)
	if !looksLikeArticle(text) {
		return Article{}, ErrNoArticle
	}
	out := Article{Text: text, Lang: firstNonEmpty(baseLang(art.Language()), analysis.Detect(text))}
	out.Title = chooseTitle(art.Title(), fallback)
	out.Author = firstNonEmpty(cleanAuthor(art.Byline()), fallback.author, fallback.byline, bylineIn(full))
	if t, err := art.PublishedTime(); err == nil && !t.IsZero() {
		out.Date = t.Format("2006-01-02")
	}
	out.Date = firstNonEmpty(out.Date, fallback.date, dateIn(full))
	return out, nil
}

// parseHTML decodes raw to UTF-8 and parses it.
func parseHTML(raw []byte, contentType string) (*html.Node, error) {
	var r = bytes.NewReader(raw)
	dec, err := charset.NewReader(r, contentType)
	if err != nil {
		return nil, fmt.Errorf("unknown character set: %w", err)
	}
	doc, err := html.Parse(dec)
	if err != nil {
		return nil, fmt.Errorf("parse HTML: %w", err)
	}
	return doc, nil
}

// adLabels are lines that only label an ad slot; they survive pruning when
// the slot has no telling class.
var adLabels = map[string]bool{"publicité": true, "advertisement": true, "annonce": true, "sponsorisé": true, "pub": true, "ad": true}

// cleanLines collapses spaces, drops empty lines and ad labels, and joins
// what remains with single newlines: one paragraph per line.
func cleanLines(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" || adLabels[strings.ToLower(line)] {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// trimEdges keeps the text from the line before its first prose paragraph
// (a byline or a heading) to its last sentence. On table layouts,
// readability keeps the whole row: the menu cell before the article and the
// weather and classifieds cell after it, which are lines of labels.
func trimEdges(text string) string {
	lines := strings.Split(text, "\n")
	first, last := -1, -1
	for i, line := range lines {
		if isProse(line) && first < 0 {
			first = i
		}
		if endsSentence(line) || utf8.RuneCountInString(line) >= 80 {
			last = i
		}
	}
	if first < 0 {
		return text
	}
	return strings.Join(lines[max(0, first-1):last+1], "\n")
}

// isProse reports a sentence-like paragraph of 80 characters or more.
func isProse(line string) bool {
	return utf8.RuneCountInString(line) >= 80 && endsSentence(line)
}

func endsSentence(line string) bool {
	return line != "" && strings.ContainsAny(line[len(line)-1:], ".!?»\"”…")
}

// looksLikeArticle tells prose from a list of links: an article has at
// least two sentence-like paragraphs of 80 characters or more, or one of
// 400, and 250 characters of such prose in all. A home page or a login form
// has headlines and labels, none of which end like sentences.
func looksLikeArticle(text string) bool {
	var prose, long, total int
	for _, line := range strings.Split(text, "\n") {
		if !isProse(line) {
			continue
		}
		n := utf8.RuneCountInString(line)
		prose++
		total += n
		if n >= 400 {
			long++
		}
	}
	return (prose >= 2 || long >= 1) && total >= 250
}

// baseLang keeps the primary subtag: "fr-FR" → "fr".
func baseLang(tag string) string {
	tag, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	tag, _, _ = strings.Cut(tag, "_")
	return tag
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
