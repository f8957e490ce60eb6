package extract

import (
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Readability finds metadata in JSON-LD and Open Graph tags. Many French
// regional and older sites have neither: the title carries the site's name,
// the date sits in a <meta name="date"> or in "Publié le 5 novembre 2023",
// the author in "Par Élise Perrot". The fallbacks below read those.

// markup is what the page itself says, read before pruning.
type markup struct {
	h1, author, byline, date string
	lines                    map[string]bool // short text nodes: title candidates
}

// pageMeta reads the first <h1>, the author and date meta tags, the first
// <time datetime>, the author and byline elements, and the short texts.
func pageMeta(doc *html.Node) markup {
	m := markup{lines: map[string]bool{}}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if t := strings.Join(strings.Fields(n.Data), " "); len(t) < 200 && len(m.lines) < 5000 {
				m.lines[t] = true
			}
		case html.ElementNode:
			m.readElement(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

// readElement keeps what one element says about the article.
func (m *markup) readElement(n *html.Node) {
	switch n.DataAtom {
	case atom.H1:
		if m.h1 == "" {
			m.h1 = strings.Join(strings.Fields(textOf(n)), " ")
		}
	case atom.Meta:
		m.readMeta(attr(n, "name")+attr(n, "property")+attr(n, "itemprop"), attr(n, "content"))
		return
	case atom.Time:
		if m.date == "" {
			m.date = isoDate(attr(n, "datetime"))
		}
	}
	marks := strings.ToLower(attr(n, "class") + " " + attr(n, "id") + " " + attr(n, "rel") + " " + attr(n, "itemprop"))
	switch {
	case m.author == "" && (strings.Contains(marks, "author") || strings.Contains(marks, "auteur")):
		m.author = cleanAuthor(textOf(n))
	case m.byline == "" && bylineClass().MatchString(marks):
		m.byline = bylineIn(textOf(n))
	}
}

// bylineClass names the elements that print "par Prénom Nom".
var bylineClass = lazyRegexp(`byline|signature|infos|meta|credit`)

// readMeta keeps the author and date from one meta tag.
func (m *markup) readMeta(key, content string) {
	switch strings.ToLower(key) {
	case "author", "article:author", "dc.creator", "byl":
		if m.author == "" && !strings.Contains(content, "://") {
			m.author = cleanAuthor(content)
		}
	case "date", "article:published_time", "pubdate", "publishdate", "dc.date", "dc.date.issued", "datepublished":
		if d := isoDate(content); d != "" {
			m.date = d
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// titleSeparators split a <title> into the article's title and the site's name.
var titleSeparators = lazyRegexp(` [|—–-] `)

// chooseTitle prefers the page's <h1> when the <title> merely wraps it with
// the site's name or a rubric ("Tribune. « … »", "Site | Title"); without
// an <h1>, the part of the <title> that the page also shows on its own.
func chooseTitle(title string, m markup) string {
	title = strings.Join(strings.Fields(title), " ")
	if m.h1 != "" && (title == "" || (strings.Contains(title, m.h1) && title != m.h1)) {
		return m.h1
	}
	if parts := titleSeparators().Split(title, -1); len(parts) > 1 {
		for _, p := range parts {
			if m.lines[strings.TrimSpace(p)] {
				return strings.TrimSpace(p)
			}
		}
	}
	return title
}

// authorPrefix strips "Par", "By" and "Propos recueillis par".
var authorPrefix = lazyRegexp(`(?i)^(propos recueillis par|publié par|écrit par|par|by)\s+`)

// authorTail cuts what follows a name in a byline: a date, a role, a dash.
var authorTail = lazyRegexp(`\s*(,| — | – | - | · | \| |\ble\s+\d|\bpublié|\bmis à jour|\bupdated).*$`)

// cleanAuthor reduces a byline to the name it holds.
func cleanAuthor(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = authorPrefix().ReplaceAllString(s, "")
	s = authorTail().ReplaceAllString(s, "")
	if len([]rune(s)) > 60 {
		return "" // a sentence, not a name
	}
	return s
}

// bylineName finds "par Prénom Nom" (or "by") in a line of text.
var bylineName = lazyRegexp(`(?:^|\s)(?:[Pp]ar|[Bb]y)\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){1,2})`)

// headLines is how far into a text a byline or a date is looked for.
const headLines = 10

// bylineIn looks for a byline in the first lines of the text, where
// articles without author markup print it.
func bylineIn(text string) string {
	for i, line := range strings.SplitN(text, "\n", headLines+1) {
		if i == headLines || len(line) > 200 {
			continue
		}
		if m := bylineName().FindStringSubmatch(line); m != nil {
			return m[1]
		}
	}
	return ""
}

// isoDate reads the date part of an ISO 8601 value ("2024-03-12T08:30:00+01:00").
func isoDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 10 {
		return ""
	}
	if _, err := time.Parse("2006-01-02", s[:10]); err != nil {
		return ""
	}
	return s[:10]
}

var months = map[string]time.Month{
	"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
	"août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}

// textDate matches "5 novembre 2023", "1er mai 2024", "9 April 2024" and "15/01/2024".
var textDate = lazyRegexp(`(?i)\b(\d{1,2})(?:er)?\s+(\p{L}+)\s+(\d{4})\b|\b(\d{1,2})/(\d{1,2})/(\d{4})\b`)

// dateIn finds a written date in the first lines of the text, where
// articles without date markup print it.
func dateIn(text string) string {
	for i, line := range strings.SplitN(text, "\n", headLines+1) {
		if i == headLines || len(line) > 200 {
			continue
		}
		for _, m := range textDate().FindAllStringSubmatch(line, -1) {
			if d := dateOf(m); d != "" {
				return d
			}
		}
	}
	return ""
}

// dateOf validates one textDate match.
func dateOf(m []string) string {
	if m[4] != "" {
		t, err := time.Parse("2/1/2006", m[4]+"/"+m[5]+"/"+m[6])
		if err != nil {
			return ""
		}
		return t.Format("2006-01-02")
	}
	mon := months[strings.ToLower(m[2])]
	if mon == 0 {
		return ""
	}
	t, err := time.Parse("2 1 2006", m[1]+" "+strconv.Itoa(int(mon))+" "+m[3])
	if err != nil {
		return ""
	}
	return t.Format("2006-01-02")
}
