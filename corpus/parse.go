package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/citebot/citebot/cite"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/citebot/citebot/analysis"
)

// Reasons Parse rejects a file. They are wrapped with the file name, so a
// caller can test them with errors.Is and still show a useful message.
var (
	// ErrEmpty means the file holds nothing but spaces.
	ErrEmpty = errors.New("empty file")
	// ErrInvalidUTF8 means the file is not UTF-8 (often Latin-1): re-encode it.
	ErrInvalidUTF8 = errors.New("not valid UTF-8 text")
	// ErrBinary means NUL bytes or many control characters: not an article.
	ErrBinary = errors.New("binary file")
	// ErrNoText means only metadata or noise lines: nothing worth indexing.
	ErrNoText = errors.New("no text left after cleaning")
)

// maxTitleRunes bounds titles: they are shown in citations and Discord
// embeds, where a whole first paragraph would be noise.
const maxTitleRunes = 100

// Parse turns the raw bytes of the file called name into a Document: it
// rejects files that are not text, cleans the text (see cleanText) and
// derives the metadata. name is the path inside the corpus; its base name
// without extension is the ID, and a ".md" extension enables front matter.
func Parse(name string, raw []byte) (Document, error) {
	if err := checkText(raw); err != nil {
		return Document{}, fmt.Errorf("%s: %w", name, err)
	}
	isMarkdown := strings.EqualFold(path.Ext(name), ".md")
	c := cleanText(string(raw), isMarkdown)
	if c.text == "" {
		return Document{}, fmt.Errorf("%s: %w", name, ErrNoText)
	}
	sum := sha256.Sum256(raw)
	return Document{
		ID:    docID(name),
		Title: title(c),
		Date:  c.date,
		URL:   c.url,
		Lang:  analysis.Detect(c.text),
		Text:  c.text,
		Hash:  hex.EncodeToString(sum[:]),
	}, nil
}

// checkText rejects what cannot be an article: nothing but spaces, bytes
// that are not UTF-8, and binary data (a NUL byte, or more than one
// character in ten being a control character other than tab and newlines).
func checkText(raw []byte) error {
	body := bytes.TrimPrefix(raw, []byte(bom))
	if bytes.IndexByte(body, 0) >= 0 {
		return ErrBinary
	}
	if !utf8.Valid(body) {
		return ErrInvalidUTF8
	}
	if strings.TrimFunc(string(body), isBlank) == "" {
		return ErrEmpty
	}
	var controls, total int
	for _, r := range string(body) {
		total++
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			controls++
		}
	}
	if controls*10 > total {
		return ErrBinary
	}
	return nil
}

// isBlank reports spaces, including the invisible ones cleaning removes.
func isBlank(r rune) bool {
	return unicode.IsSpace(r) || isZeroWidth(r)
}

// title picks the front-matter title, else the first heading, else the
// first sentence, and shortens it for display.
func title(c cleaned) string {
	t := c.title
	if t == "" {
		t = c.heading
	}
	if t == "" {
		// A newline always ends a sentence, so the first sentence is that
		// of the first line: no need to split the whole text.
		line, _, _ := strings.Cut(c.text, "\n")
		first := c.text
		if s := SplitSentences(line); len(s) > 0 {
			first = s[0].Text
		}
		// A period is punctuation of the sentence, not of the title; a
		// question mark is part of the meaning and stays. A text that is
		// only a period keeps it: a title is never blank.
		t = strings.TrimSuffix(first, ".")
		if strings.TrimSpace(t) == "" {
			t = first
		}
	}
	return shorten(strings.Join(strings.Fields(t), " "), maxTitleRunes)
}

// shorten cuts a title to at most max runes with cite.Shorten, then drops
// what would leave it dangling before the ellipsis.
func shorten(s string, max int) string {
	short := cite.Shorten(s, max)
	if short == s {
		return s
	}
	return trimDangling(strings.TrimSuffix(short, cite.Ellipsis)) + cite.Ellipsis
}

// trimDangling removes trailing punctuation and function words ("stimuler
// sa…" becomes "stimuler…") so that a shortened title ends on a content
// word.
func trimDangling(s string) string {
	for {
		s = strings.TrimRightFunc(s, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(",;:–-", r)
		})
		i := strings.LastIndexByte(s, ' ')
		if i <= 0 || !analysis.IsStopword(analysis.Fold(s[i+1:])) {
			return s
		}
		s = s[:i]
	}
}
