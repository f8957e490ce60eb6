// /source replies: what adding, following, removing and listing did, in
// words and an embed that stay within Discord's limits whatever titles
// and URLs the web supplies.

package bot

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"
)

const (
	// maxReplyTitle bounds a title in a one-message reply.
	maxReplyTitle = 200
	// maxShownURL is the longest URL shown whole; a longer one is cut.
	maxShownURL = 500
	// maxFeedLines bounds the feeds part of /source list, so that the
	// documents keep most of the embed's 6000 runes.
	maxFeedLines = 1500
)

// statusKeys name the words for what adding did.
var statusKeys = map[SourceStatus]string{SourceAdded: "sourceAdded", SourceUpdated: "sourceUpdated",
	SourceUnchanged: "sourceUnchanged", SourceDuplicate: "sourceDuplicate"}

// docText says what adding a document did: its title and date, its chunk
// count, its ID (what /source remove takes) and where it came from.
func docText(lang string, d SourceDoc) string {
	head, ok := statusKeys[d.Status]
	if !ok {
		head = "sourceAdded"
	}
	date := ""
	if s := collapseSpace(d.Date); s != "" {
		date = " (" + clip(s, 40) + ")"
	}
	from := shownURL(d.URL)
	if from == "" {
		from = clip(collapseSpace(d.File), maxReplyTitle)
	}
	return say(lang, "sourceDoc", say(lang, head), docTitle(d), date, d.Chunks, clip(d.ID, 100), from)
}

// removedText says which document left the index.
func removedText(lang string, d SourceDoc) string {
	return say(lang, "sourceRemoved", docTitle(d), clip(d.ID, 100), d.Chunks)
}

// feedText says what following a feed brought in.
func feedText(lang string, f SourceFeed) string {
	key := "sourceFeed"
	if f.Known {
		key = "sourceFeedKnown"
	}
	text := say(lang, key, clip(collapseSpace(firstNonBlank(f.Title, hostOf(f.URL), f.URL)), maxReplyTitle), shownURL(f.URL), f.Items, f.Docs, f.Chunks)
	if f.Failed > 0 {
		text += " " + say(lang, "sourceFeedFailed", f.Failed)
	}
	return text
}

// docTitle is a document's title for a reply: its title, else its file
// name or ID, on one line, defused and bounded.
func docTitle(d SourceDoc) string {
	return clip(firstNonBlank(d.Title, d.File, d.ID, "?"), maxReplyTitle)
}

// shownURL is a URL as a reply shows it: whole, between < > so that
// Discord shows the address itself and no preview; cut and defused when
// it is too long or not plain http(s).
func shownURL(raw string) string {
	raw = collapseSpace(raw)
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || discordLen(raw) > maxShownURL || strings.ContainsAny(raw, "<>") {
		return clip(raw, maxShownURL)
	}
	return "<" + raw + ">"
}

// hostOf is the host of a URL, or "".
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// sourceListEmbed lists the added documents for /source list like
// /sources lists the index, one field per document named by its ID (what
// /source remove takes), with its title, date, chunk count and a link to
// it; the followed feeds come first, in the description.
func sourceListEmbed(lang string, l SourceList) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Color: accentColor, Description: feedLines(lang, l.Feeds),
		Title: fmt.Sprintf(pick(lang, "Added articles (%d)", "Articles ajoutés (%d)"), len(l.Docs))}
	if len(l.Docs) == 0 {
		none := pick(lang, "No article has been added yet: `/source add url:` adds one.", "Aucun article n'a encore été ajouté : `/source add url:` en ajoute un.")
		e.Description = strings.TrimSpace(none + "\n\n" + e.Description)
		return e
	}
	fs := make([]flexField, len(l.Docs))
	for i, d := range l.Docs {
		meta := []string{collapseSpace(d.Date), fmt.Sprintf(pick(lang, "%d chunks", "%d passages"), d.Chunks)}
		meta = slices.DeleteFunc(meta, func(s string) bool { return s == "" })
		post := clip(strings.Join(meta, " · "), maxRefRunes/2)
		if from := sourceLink(d.URL, maxRefRunes/2); from != "" {
			post += " · " + from
		} else if d.File != "" {
			post += " · " + clip(collapseSpace(d.File), maxRefRunes/2)
		}
		title := collapseSpace(d.Title)
		fs[i] = flexField{name: clip(firstNonBlank(d.ID, "?"), maxFieldNameRunes), close: "\n", post: post,
			text: title, textLen: discordLen(defuse(title))}
	}
	room := maxEmbedRunes - discordLen(e.Title) - discordLen(e.Description)
	e.Fields = fitFields(fs, room, maxFields, func(n int) *discordgo.MessageEmbedField {
		rest := l.Docs[len(l.Docs)-n:]
		return moreField(lang, n, clip(firstNonBlank(rest[0].ID, "?")+" …", maxRefRunes))
	})
	return e
}

// feedLines lists the followed feeds, one line each, within maxFeedLines
// runes; the feeds that do not fit are counted.
func feedLines(lang string, feeds []SourceFeed) string {
	if len(feeds) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(fmt.Sprintf(pick(lang, "**Followed feeds (%d)**", "**Flux suivis (%d)**"), len(feeds)))
	for i, f := range feeds {
		line := "\n• " + sourceLink(f.URL, maxRefRunes/2)
		if t := collapseSpace(f.Title); t != "" {
			line += " " + clip(t, 80)
		}
		line += fmt.Sprintf(pick(lang, " — %d articles", " — %d articles"), f.Items)
		if discordLen(b.String())+discordLen(line) > maxFeedLines-40 {
			b.WriteString("\n" + moreField(lang, len(feeds)-i, "").Name)
			break
		}
		b.WriteString(line)
	}
	return b.String()
}
