package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/citebot/citebot/analysis"
	"golang.org/x/text/unicode/norm"
)

const bom = "\uFEFF"

// maxHeadingRunes is the longest line still taken for a heading: section
// titles are short, while a paragraph of one clause without a period is not.
const maxHeadingRunes = 120

// crossLinkPrefixes are the folded openings of "read also" lines that news
// sites insert between paragraphs; they point to other articles and would
// otherwise be indexed (and cited) as if they were part of this one.
var crossLinkPrefixes = [...]string{"a lire aussi", "lire aussi", "lire egalement", "read also", "read more"}

// cleaned is the result of cleanText: the text and what was taken out of it.
type cleaned struct {
	text    string
	title   string // front matter
	heading string // first Markdown heading, else a heading-like first line
	date    string
	url     string
}

// cleanText normalises raw article text so that equal text has equal bytes
// and only prose remains: BOM, front matter (Markdown only), heading
// markers, a leading "date YYYY-MM", blank lines, cross-links, table rules
// and invisible characters go; Unicode spaces become plain spaces, collapsed
// and trimmed; paragraphs are joined by a single "\n". Typographic
// apostrophes and guillemets stay, since answers quote the text verbatim.
func cleanText(raw string, markdown bool) cleaned {
	s := strings.TrimPrefix(raw, bom)
	s = newlines.Replace(s)
	s = strings.Map(dropZeroWidth, s)
	// After dropping invisible characters, which can separate a letter from
	// its combining accent ("e\u200B\u0301"): NFC must see them together.
	s = norm.NFC.String(s)
	var c cleaned
	if markdown {
		s = c.takeFrontMatter(s)
	}
	var lines []string
	for _, line := range strings.Split(s, "\n") {
		line = normalizeSpaces(line)
		text, marked := stripHeadingMarker(line)
		if text == "" || isNoise(text) {
			continue
		}
		if marked && c.heading == "" {
			c.heading = text
		}
		lines = append(lines, text)
	}
	lines = c.takeDatePrefix(lines)
	if c.heading == "" && len(lines) > 1 && isHeadingLike(lines[0]) {
		c.heading = lines[0]
	}
	c.text = strings.Join(lines, "\n")
	return c
}

// newlines turns CRLF, CR and the Unicode line and paragraph separators
// into "\n". A Replacer is safe for concurrent use, and building it once
// spares every parsed file its set-up.
var newlines = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n", "\u0085", "\n")

// isZeroWidth reports the invisible characters that split words for a
// search engine without showing on screen.
func isZeroWidth(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD':
		return true
	}
	return false
}

func dropZeroWidth(r rune) rune {
	if isZeroWidth(r) {
		return -1
	}
	return r
}

// normalizeSpaces maps every Unicode space (tabs, no-break and narrow
// no-break spaces included) to " ", collapses runs and trims the line.
func normalizeSpaces(line string) string {
	var b strings.Builder
	b.Grow(len(line))
	pending := false
	for _, r := range line {
		if unicode.IsSpace(r) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// stripHeadingMarker removes a Markdown ATX heading marker ("# ", "## "…,
// and optional closing hashes) and reports whether there was one.
func stripHeadingMarker(line string) (string, bool) {
	n := 0
	for n < len(line) && n < 7 && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n >= len(line) || line[n] != ' ' {
		return line, false
	}
	text := strings.TrimSpace(line[n:])
	text = strings.TrimSpace(strings.TrimRight(text, "#"))
	return text, true
}

// isNoise reports lines that carry no content of the article.
func isNoise(line string) bool {
	return isTableRule(line) || isCrossLink(line)
}

// isTableRule reports a Markdown table separator ("---|---|") or a
// horizontal rule ("---"): only dashes, pipes, colons and spaces.
func isTableRule(line string) bool {
	if strings.Trim(line, "-|: ") != "" {
		return false
	}
	return strings.Contains(line, "|") || strings.Count(line, "-") >= 3
}

// isCrossLink reports "Lire aussi…" lines, whatever their case and accents,
// with or without a space or colon before the linked title ("Lire
// aussiGrâce aux…"). A lowercase letter right after the prefix means an
// ordinary word ("Lire aussitôt"), which is kept.
func isCrossLink(line string) bool {
	folded := analysis.Fold(line)
	for _, p := range crossLinkPrefixes {
		if !strings.HasPrefix(folded, p) {
			continue
		}
		rest := []rune(line)[min(utf8.RuneCountInString(p), utf8.RuneCountInString(line)):]
		if len(rest) == 0 || !unicode.IsLower(rest[0]) {
			return true
		}
	}
	return false
}

// isHeadingLike reports a line that reads as a section title: short,
// starting with a capital or a digit, not a bullet or a table row, and
// without final punctuation.
func isHeadingLike(line string) bool {
	if line == "" || utf8.RuneCountInString(line) > maxHeadingRunes || strings.Contains(line, "|") {
		return false
	}
	first, _ := utf8.DecodeRuneInString(line)
	if !unicode.IsUpper(first) && !unicode.IsDigit(first) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	return !strings.ContainsRune(".!?…:;,", last)
}
