// Embeds: answers' sources, search passages and the document list as
// Discord embeds that always respect Discord's limits, so that a send
// never fails because an article or a model produced long or odd text.

package bot

import (
	"cmp"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/retrieval"
)

// Discord's embed limits. Discord counts characters as Unicode code points,
// not bytes or UTF-16 units, so every length here is a rune count
// (discordLen).
const (
	maxTitleRunes      = 256
	maxFields          = 25
	maxFieldNameRunes  = 256
	maxFieldValueRunes = 1024
	maxEmbedRunes      = 6000 // all embeds of one message together
	maxEmbeds          = 10   // per message
)

const (
	// accentColor marks every citebot embed, so its replies are recognisable.
	accentColor = 0x3A7BD5
	// sourcesTitle reads the same in English and French.
	sourcesTitle = "Sources"
	// minStretch is the shortest cut quote or passage worth showing: a
	// shorter stub says nothing, so the text is left out instead.
	minStretch = 20
	// maxRefRunes bounds a fixed line (document ID and URL, a document's
	// metadata) so that the quote or title beside it keeps room.
	maxRefRunes = 300
	// maxTitleUnderPassage is shorter: under a passage, the passage matters.
	maxTitleUnderPassage = 120
)

// answerEmbeds renders the numbered sources of an answer so that a reader
// can check every [n]: one field per source, named "[n] Title (date)",
// whose value is the quote «…» and a line with the document ID and URL.
// All embeds go in one message, so together they stay within 6000 runes
// and 10 embeds: quotes are shortened first (to one common length, so long
// quotes give way before short ones), then fields spill into further
// embeds of 25, and sources that still cannot fit are counted in a last
// "… and N more" field rather than dropped silently. No sources (or a
// refusal) → nil.
func answerEmbeds(a answer.Answer) []*discordgo.MessageEmbed {
	if a.Refused || len(a.Sources) == 0 {
		return nil
	}
	fs := make([]flexField, len(a.Sources))
	for i, s := range a.Sources {
		fs[i] = sourceField(s)
	}
	footer := answerFooter(a.Lang, a.Mode)
	room := maxEmbedRunes - discordLen(sourcesTitle) - discordLen(footer)
	fields := fitFields(fs, room, maxEmbeds*maxFields, func(n int) *discordgo.MessageEmbedField {
		rest := a.Sources[len(a.Sources)-n:]
		span := fmt.Sprintf("[%d]", rest[0].N)
		if n > 1 {
			span += fmt.Sprintf(" … [%d]", rest[n-1].N)
		}
		return moreField(a.Lang, n, span)
	})
	return packFields(sourcesTitle, footer, fields)
}

// sourceField lays out one source: its number and title (the date kept
// whole), the quote as the stretchable text, the document ID and URL
// fixed, since they let a reader check the citation.
func sourceField(s answer.Source) flexField {
	label := fmt.Sprintf("[%d] ", s.N)
	date := ""
	if d := collapseSpace(s.Date); d != "" {
		date = " (" + clip(d, 40) + ")"
	}
	title := firstNonBlank(s.Title, s.DocID)
	name := label + clip(title, maxFieldNameRunes-discordLen(label)-discordLen(date)) + date
	ref := clip(firstNonBlank(s.DocID, s.ChunkID, "?"), maxRefRunes/2)
	if link := sourceLink(s.URL, maxRefRunes-discordLen(ref)-3); link != "" {
		ref += " · " + link
	}
	quote := collapseSpace(s.Quote)
	return flexField{name: name, open: "«", close: "»\n", post: ref,
		text: quote, textLen: discordLen(defuse(quote))}
}

var (
	// linkHost is a host name fit to be a link's text: nothing Markdown
	// would read, nothing that could pass for another address.
	linkHost = regexp.MustCompile(`^[A-Za-z0-9.:-]+$`)
	// linkTarget escapes what would end a masked link's target early.
	linkTarget = strings.NewReplacer("(", "%28", ")", "%29", "[", "%5B", "]", "%5D", "<", "%3C", ">", "%3E", " ", "%20")
)

// sourceLink makes a source's URL a link whose text is its host, in at
// most room runes: [example.com](https://example.com/a). defuse turns
// masked links from articles or models into plain text, since their text
// could disguise the target; this one is built after defusing, from the
// URL alone, so its text is the target's own host and cannot mislead. A
// URL that is not plain http(s), or too long to link whole, is shown as
// text, defused and clipped, as before.
func sourceLink(raw string, room int) string {
	raw = collapseSpace(raw)
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || !linkHost.MatchString(u.Hostname()) {
		return clip(raw, room)
	}
	link := "[" + strings.ToLower(u.Hostname()) + "](" + linkTarget.Replace(u.String()) + ")"
	if discordLen(link) > room {
		return clip(raw, room)
	}
	return link
}

// answerFooter says how the answer was made, since readers trust quoted
// passages and generated text differently.
func answerFooter(lang, mode string) string {
	if mode == answer.ModeExtractive {
		return pick(lang, "extracted passages", "passages extraits")
	}
	return pick(lang, "generated by a language model from the passages", "généré par un modèle de langue à partir des passages")
}

// passagesEmbed renders search results with every score that ranked them,
// so users can see why a passage came up: one field per result, named
// "#rank · chunk ID", whose value is the scores, the passage (shortened to
// fit) and the document's title.
func passagesEmbed(title, lang string, results []retrieval.Result) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Title: clip(collapseSpace(title), maxTitleRunes), Color: accentColor}
	if len(results) == 0 {
		e.Description = pick(lang, "No passage found.", "Aucun passage trouvé.")
		return e
	}
	labels := [2]string{pick(lang, "fused", "fusion"), pick(lang, "vector", "vecteur")}
	fs := make([]flexField, len(results))
	for i, r := range results {
		doc := firstNonBlank(r.Doc.Title, r.Doc.ID, r.Chunk.DocID, "?")
		text := collapseSpace(r.Chunk.Text)
		fs[i] = flexField{
			name: clip(fmt.Sprintf("#%d · %s", i+1, collapseSpace(r.Chunk.ID)), maxFieldNameRunes),
			pre:  fmt.Sprintf("%s %.4f · %s %.3f · BM25 %.2f", labels[0], r.Fused, labels[1], r.Vector, r.BM25),
			open: "\n", post: "\n— " + clip(doc, maxTitleUnderPassage), text: text, textLen: discordLen(defuse(text)),
		}
	}
	e.Fields = fitFields(fs, maxEmbedRunes-discordLen(e.Title), maxFields, func(n int) *discordgo.MessageEmbedField {
		return moreField(lang, n, fmt.Sprintf("#%d–#%d", len(results)-n+1, len(results)))
	})
	return e
}

// documentsEmbed lists the indexed documents for /sources, one field per
// document: its ID (what citations and /summary name), its title, date,
// language and chunk count. Past 25 documents, or 6000 runes, the last
// field counts the rest.
func documentsEmbed(lang string, docs []retrieval.DocInfo) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Color: accentColor,
		Title: fmt.Sprintf(pick(lang, "Indexed documents (%d)", "Documents indexés (%d)"), len(docs))}
	if len(docs) == 0 {
		e.Description = pick(lang, "No document is indexed.", "Aucun document n'est indexé.")
		return e
	}
	fs := make([]flexField, len(docs))
	for i, d := range docs {
		meta := []string{d.Date, d.Lang, fmt.Sprintf(pick(lang, "%d chunks", "%d passages"), d.Chunks)}
		meta = slices.DeleteFunc(meta, func(s string) bool { return strings.TrimSpace(s) == "" })
		title := collapseSpace(d.Title)
		fs[i] = flexField{name: clip(firstNonBlank(d.ID, "?"), maxFieldNameRunes), close: "\n",
			post: clip(collapseSpace(strings.Join(meta, " · ")), maxRefRunes), text: title, textLen: discordLen(defuse(title))}
	}
	e.Fields = fitFields(fs, maxEmbedRunes-discordLen(e.Title), maxFields, func(n int) *discordgo.MessageEmbedField {
		rest := docs[len(docs)-n:]
		span := firstNonBlank(rest[0].ID, "?")
		if n > 1 {
			span += " … " + firstNonBlank(rest[n-1].ID, "?")
		}
		return moreField(lang, n, clip(span, maxRefRunes))
	})
	return e
}

// moreField accounts for the n entries that could not be shown, with a
// short value naming them (Discord rejects an empty value).
func moreField(lang string, n int, value string) *discordgo.MessageEmbedField {
	fr := "… et %d autre"
	if n > 1 {
		fr += "s"
	}
	name := fmt.Sprintf(pick(lang, "… and %d more", fr), n)
	return &discordgo.MessageEmbedField{Name: name, Value: cmp.Or(value, "…")}
}

// packFields puts fields into embeds of at most 25, the title on the first
// and the footer on the last, since Discord shows them as one block.
func packFields(title, footer string, fields []*discordgo.MessageEmbedField) []*discordgo.MessageEmbed {
	var out []*discordgo.MessageEmbed
	for len(fields) > 0 {
		n := min(len(fields), maxFields)
		e := &discordgo.MessageEmbed{Color: accentColor, Fields: fields[:n:n]}
		if len(out) == 0 {
			e.Title = title
		}
		out = append(out, e)
		fields = fields[n:]
	}
	if len(out) > 0 && footer != "" {
		out[len(out)-1].Footer = &discordgo.MessageEmbedFooter{Text: footer}
	}
	return out
}
