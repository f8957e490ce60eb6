// Rendering: answers, sources, passages and documents as Discord message
// parts and embeds that always respect Discord's limits, so that a send
// never fails because an article or a model produced long or odd text.

package bot

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

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

// discordLen is the length of s as Discord counts it: Unicode code points.
func discordLen(s string) int { return utf8.RuneCountInString(s) }

// truncate returns s cut to at most n runes, ending with "…". It counts
// runes so that a multibyte character is never split, cuts at a word
// boundary when one lies in the last fifth (a half word reads as a typo),
// and drops a citation marker the cut would leave open ("[1" is noise).
func truncate(s string, n int) string {
	if discordLen(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	cut := n - 1 // room for "…"
	for i := cut; i > 0 && i >= cut-cut/5; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
	}
	kept := r[:cut]
	if j := lastIndexRune(kept, '['); j >= 0 && markerEnd(r, j) > cut {
		kept = kept[:j]
	}
	return strings.TrimRightFunc(string(kept), unicode.IsSpace) + "…"
}

func lastIndexRune(r []rune, c rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == c {
			return i
		}
	}
	return -1
}

var (
	massMentions = strings.NewReplacer("@everyone", "@\u200beveryone", "@here", "@\u200bhere")
	// maskedLink is Discord's [text](url), the URL allowing one level of
	// parentheses as in Wikipedia links.
	maskedLink = regexp.MustCompile(`\[([^\[\]\n]*)\]\(\s*<?(https?://(?:[^\s<>()]|\([^\s<>()]*\))+)>?\s*\)`)
)

// defuse makes text from users, articles or a model inert when displayed.
// allowed_mentions already stops pings, but "@everyone" would still look
// like one, so a zero-width space follows the "@". A masked link could
// disguise its target, so it is shown as its text and URL. A lone ```
// would turn the rest of a message or embed into code, so it is escaped.
// Ordinary emphasis (* _ ~) is kept: articles and answers use it.
func defuse(s string) string {
	s = massMentions.Replace(s)
	s = maskedLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := maskedLink.FindStringSubmatch(m)
		if strings.TrimSpace(sub[1]) == "" {
			return sub[2]
		}
		return sub[1] + " (" + sub[2] + ")"
	})
	// Discord pairs fences left to right, so an odd one out is the last.
	if strings.Count(s, "```")%2 == 1 {
		i := strings.LastIndex(s, "```")
		s = s[:i] + "\\`\\`\\`" + s[i+3:]
	}
	return s
}

// clip returns defuse(s) in at most n runes. It defuses after cutting, since
// a cut can leave a lone ``` behind, and cuts again if escaping lengthened
// the text.
func clip(s string, n int) string {
	if d := defuse(s); discordLen(d) <= n {
		return d
	}
	for m := n; ; {
		d := defuse(truncate(s, m))
		over := discordLen(d) - n
		if over <= 0 {
			return d
		}
		m -= over
	}
}

// collapseSpace puts text on one line: quotes and passages in a field read
// better as one paragraph, and every rune saved goes to the quote.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// firstNonBlank returns the first of ss that is not blank, on one line:
// Discord rejects a field whose name or value is blank.
func firstNonBlank(ss ...string) string {
	for _, s := range ss {
		if s = collapseSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func fieldLen(f *discordgo.MessageEmbedField) int {
	if f == nil {
		return 0
	}
	return discordLen(f.Name) + discordLen(f.Value)
}

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

func sourceField(s answer.Source) flexField {
	label := fmt.Sprintf("[%d] ", s.N)
	date := ""
	if d := collapseSpace(s.Date); d != "" {
		date = " (" + clip(d, 40) + ")"
	}
	title := firstNonBlank(s.Title, s.DocID)
	name := label + clip(title, maxFieldNameRunes-discordLen(label)-discordLen(date)) + date
	ref := firstNonBlank(s.DocID, s.ChunkID, "?")
	if url := collapseSpace(s.URL); url != "" {
		ref += " · " + url
	}
	quote := collapseSpace(s.Quote)
	return flexField{name: name, open: "«", close: "»\n", post: clip(ref, maxRefRunes),
		text: quote, textLen: discordLen(defuse(quote))}
}

// answerFooter says how the answer was made, since readers trust quoted
// passages and generated text differently.
func answerFooter(lang, mode string) string {
	switch {
	case mode == answer.ModeExtractive && lang == "en":
		return "extracted passages"
	case mode == answer.ModeExtractive:
		return "passages extraits"
	case lang == "en":
		return "generated by a language model from the passages"
	default:
		return "généré par un modèle de langue à partir des passages"
	}
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
	labels := [2]string{"fused", "vector"}
	if lang != "en" {
		labels = [2]string{"fusion", "vecteur"}
	}
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

// pick chooses the English or the French wording; French is the default,
// as in package answer.
func pick(lang, en, fr string) string {
	if lang == "en" {
		return en
	}
	return fr
}

// moreField accounts for the n entries that could not be shown, with a
// short value naming them (Discord rejects an empty value).
func moreField(lang string, n int, value string) *discordgo.MessageEmbedField {
	name := fmt.Sprintf("… and %d more", n)
	if lang != "en" {
		name = fmt.Sprintf("… et %d autre", n)
		if n > 1 {
			name += "s"
		}
	}
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

// flexField is an embed field whose value holds one stretchable text — a
// quote, a passage, a title — between fixed parts. The stretchable text is
// shortened, or left out, so that a whole message fits Discord's limits
// while every field keeps what identifies it.
type flexField struct {
	name        string // defused, at most maxFieldNameRunes
	pre, post   string // fixed value text around the stretchable part, defused
	open, close string // wrap the stretchable part when it is shown
	text        string // the stretchable text, raw: clip defuses it
	textLen     int    // runes of defuse(text)
}

func (f flexField) fixedLen() int {
	return discordLen(f.name) + discordLen(f.pre) + discordLen(f.post)
}

// shown is how many runes of text the field shows when texts are cut to c.
func (f flexField) shown(c int) int {
	room := maxFieldValueRunes - discordLen(f.pre+f.post+f.open+f.close)
	n := min(f.textLen, c, room)
	if n < minStretch && n < f.textLen {
		return 0
	}
	return n
}

// stretchLen is what showing the text costs when texts are cut to c.
func (f flexField) stretchLen(c int) int {
	if n := f.shown(c); n > 0 {
		return n + discordLen(f.open) + discordLen(f.close)
	}
	return 0
}

func (f flexField) field(c int) *discordgo.MessageEmbedField {
	value := f.pre
	if n := f.shown(c); n > 0 {
		value += f.open + clip(f.text, n) + f.close
	}
	return &discordgo.MessageEmbedField{Name: f.name, Value: value + f.post}
}

// fitFields lays fs out as at most maxN fields whose names and values sum
// to at most room runes. It keeps as many fields as their fixed parts
// allow (the rest are counted in the one field more returns), then gives
// the stretchable texts the longest common length that fits what is left.
func fitFields(fs []flexField, room, maxN int, more func(n int) *discordgo.MessageEmbedField) []*discordgo.MessageEmbedField {
	sums := make([]int, len(fs)+1)
	for i, f := range fs {
		sums[i+1] = sums[i] + f.fixedLen()
	}
	m := min(len(fs), maxN)
	var extra *discordgo.MessageEmbedField
	for ; m > 0; m-- {
		if m == len(fs) && sums[m] <= room {
			break
		}
		if m < len(fs) && m < maxN {
			if extra = more(len(fs) - m); sums[m]+fieldLen(extra) <= room {
				break
			}
		}
	}
	if m == 0 {
		extra = more(len(fs))
	}
	left := room - sums[m] - fieldLen(extra)
	shown := fs[:m]
	c := sort.Search(maxFieldValueRunes+1, func(c int) bool {
		total := 0
		for _, f := range shown {
			total += f.stretchLen(c)
		}
		return total > left
	}) - 1
	out := make([]*discordgo.MessageEmbedField, 0, m+1)
	for _, f := range shown {
		out = append(out, f.field(c))
	}
	if extra != nil {
		out = append(out, extra)
	}
	return out
}

// splitMessage splits text into parts of at most limit runes, for
// Discord's 2000-rune message limit. Each part ends at the best cut that
// fits, in this order: the last paragraph break ("\n\n"), the last line
// break (or code block edge), the last sentence end (". ", "? ", "! ",
// "… ", after any [n] markers that follow it), the last space, else
// anywhere. A cut never falls inside a citation marker like [12] or
// [1, 3], since a reader could not follow half a marker, nor inside a ```
// code block, which would show the rest of the message as code — unless
// the block alone is longer than a part: then the part closes the fence
// and the next reopens it with the same info string. Parts are trimmed of
// surrounding blank lines and never empty; blank text gives no parts.
func splitMessage(text string, limit int) []string {
	parts, _ := splitMessageCuts(text, limit)
	return parts
}

// splitMessageCuts is splitMessage also returning, for each part, the rune
// position in text where it was cut, so tests can check the cuts against
// citation markers on the very loop the bot runs.
func splitMessageCuts(text string, limit int) (parts []string, cuts []int) {
	s := newSplitter(text, max(limit, 1))
	p := 0
	for pos, first := s.skipBlank(0); first < s.end; pos, first = s.skipBlank(p) {
		var part string
		part, p = s.next(pos, first)
		parts, cuts = append(parts, part), append(cuts, p)
	}
	return parts, cuts
}

// closeFence ends a part cut inside a code block.
const closeFence = "\n```"

// splitter holds what splitMessage computes once over the whole text, so
// that finding each cut costs time in proportion to the part, not the
// text. Positions index the gaps between runes: position p is before r[p].
type splitter struct {
	r        []rune
	limit    int
	end      int // after the last non-space rune
	blocks   []codeBlock
	in       []int32 // per position: the block it is strictly inside, or -1
	marker   []bool  // per position: strictly inside a citation marker
	sentence []bool  // per position: right after a sentence and its markers
	rules    []func(int) bool
}

// codeBlock is a ``` fenced block as Discord reads it: fences pair up left
// to right, anywhere in a line; an info string counts only when a newline
// follows it.
type codeBlock struct {
	start, body, close, end int // opening ```, first body rune, closing ```, after it
	last                    int // last non-space rune of the body
	info                    string
}

func (b codeBlock) opener() string { return "```" + b.info + "\n" }

func newSplitter(text string, limit int) *splitter {
	r := []rune(text)
	s := &splitter{r: r, limit: limit, end: len(r), in: make([]int32, len(r)+1),
		marker: make([]bool, len(r)+1), sentence: make([]bool, len(r)+1)}
	for s.end > 0 && unicode.IsSpace(r[s.end-1]) {
		s.end--
	}
	s.rules = []func(int) bool{s.paragraph, s.line, s.sentenceEnd, s.space}
	s.findBlocks()
	s.findMarkers()
	return s
}

func (s *splitter) findBlocks() {
	r := s.r
	for i := range s.in {
		s.in[i] = -1
	}
	for i := 0; i+3 <= len(r); i++ {
		if !isFence(r, i) {
			continue
		}
		b := codeBlock{start: i, body: i + 3, close: len(r), end: len(r)}
		j := i + 3
		for j < len(r) && isInfoRune(r[j]) {
			j++
		}
		if j > i+3 && j < len(r) && r[j] == '\n' {
			b.info, b.body = string(r[i+3:j]), j+1
		}
		for k := b.body; k+3 <= len(r); k++ {
			if isFence(r, k) {
				b.close, b.end = k, k+3
				break
			}
		}
		b.last = b.close - 1
		for b.last >= b.body && unicode.IsSpace(r[b.last]) {
			b.last--
		}
		for p := b.start + 1; p < b.end; p++ {
			s.in[p] = int32(len(s.blocks))
		}
		s.blocks = append(s.blocks, b)
		i = b.end - 1
	}
}

func isFence(r []rune, i int) bool { return r[i] == '`' && r[i+1] == '`' && r[i+2] == '`' }

// isInfoRune accepts what Discord takes as a code block's language.
func isInfoRune(c rune) bool {
	return c < utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c) || strings.ContainsRune("_+-.#", c))
}

func (s *splitter) findMarkers() {
	r := s.r
	for i := 0; i < len(r); i++ {
		if e := markerEnd(r, i); e > 0 {
			for p := i + 1; p < e; p++ {
				s.marker[p] = true
			}
			i = e - 1
			continue
		}
		if strings.ContainsRune(".?!…", r[i]) && i+1 < len(r) && unicode.IsSpace(r[i+1]) {
			j := i + 1
			for k := s.skipSpace(j); markerEnd(r, k) > 0; k = s.skipSpace(j) {
				j = markerEnd(r, k)
			}
			s.sentence[j] = true
		}
	}
}

// markerEnd returns the position after the citation marker starting at i
// ("[12]", "[1, 3]", "[2;7]"), or -1 when none starts there.
func markerEnd(r []rune, i int) int {
	if i >= len(r) || r[i] != '[' {
		return -1
	}
	for j := i + 1; j < len(r) && j < i+40; j++ {
		c := r[j]
		switch {
		case c >= '0' && c <= '9':
		case c == ']' && j > i+1 && unicode.IsDigit(r[j-1]):
			return j + 1
		case (c == ',' || c == ';' || c == ' ') && j > i+1:
		default:
			return -1
		}
	}
	return -1
}

func (s *splitter) skipSpace(i int) int {
	for i < len(s.r) && unicode.IsSpace(s.r[i]) {
		i++
	}
	return i
}

// The cut rules, best first: each tells whether position p is such a cut.
func (s *splitter) paragraph(p int) bool {
	return p+1 < len(s.r) && s.r[p] == '\n' && s.r[p+1] == '\n'
}

func (s *splitter) line(p int) bool {
	edge := s.in[p] < 0 && ((p > 0 && s.in[p-1] >= 0) || (p < len(s.r) && s.in[p+1] >= 0))
	return edge || (p < len(s.r) && s.r[p] == '\n')
}

func (s *splitter) sentenceEnd(p int) bool { return s.sentence[p] }

// space refuses the space before a marker: the marker belongs to the text
// before it.
func (s *splitter) space(p int) bool {
	return p < len(s.r) && unicode.IsSpace(s.r[p]) && markerEnd(s.r, s.skipSpace(p)) < 0
}

// skipBlank returns where the part after a cut at from starts: at its
// first non-space rune, or inside a code block at the start of that rune's
// line, keeping the code's indentation. After a cut in the middle of a
// line, the spaces at the cut are not indentation and are dropped.
func (s *splitter) skipBlank(from int) (pos, first int) {
	pos, first = from, from
	for first < len(s.r) && unicode.IsSpace(s.r[first]) {
		if s.r[first] == '\n' {
			pos = first + 1
		}
		first++
	}
	lineStart := pos == 0 || s.r[pos-1] == '\n'
	if _, ok := s.bodyAt(first); !ok || !lineStart {
		pos = first
	}
	return pos, first
}

// bodyAt reports the code block whose body holds rune i.
func (s *splitter) bodyAt(i int) (codeBlock, bool) {
	if i >= len(s.r) || s.in[i] < 0 {
		return codeBlock{}, false
	}
	b := s.blocks[s.in[i]]
	return b, b.body <= i && i < b.close
}

// fits reports whether a part can close b's fence, reopen it and still
// hold some code; with smaller limits a block is cut as plain text.
func (s *splitter) fits(b codeBlock) bool {
	return discordLen(b.opener())+len(closeFence) < s.limit
}

// next returns the part starting at pos, whose first non-space rune is at
// first, and the position after it.
func (s *splitter) next(pos, first int) (string, int) {
	prefix := ""
	if b, ok := s.bodyAt(first); ok && s.fits(b) {
		prefix = b.opener()
	}
	w := pos + s.limit - discordLen(prefix)
	if prefix == "" || first >= w-len(closeFence) { // no code line to indent, or no room
		w, pos = w+first-pos, first
	}
	if s.end <= w {
		return prefix + string(s.r[pos:s.end]), s.end
	}
	p, inside := s.cut(first, w)
	if b, ok := s.fenceOutOfReach(first, w, p, inside); ok {
		return prefix + strings.TrimRightFunc(string(s.r[pos:b.last+1]), unicode.IsSpace) + closeFence, b.end
	}
	part := prefix + strings.TrimRightFunc(string(s.r[pos:p]), unicode.IsSpace)
	if inside {
		part += closeFence
	}
	return part, p
}

// fenceOutOfReach reports a window that holds the rest of a closed block's
// code but ends in the spaces or the fence after it, where cut found no
// better place than inside them ("```go\nx" + many spaces + "\n```"). The
// part then ends the code and closes the block with its own fence, and
// the next part starts after the block's fence.
func (s *splitter) fenceOutOfReach(first, w, p int, inside bool) (codeBlock, bool) {
	if p != w || inside || s.in[w] < 0 {
		return codeBlock{}, false
	}
	b := s.blocks[s.in[w]]
	ok := b.close < len(s.r) && s.fits(b) && first <= b.last &&
		(first <= b.start || first >= b.body) && b.last+1+len(closeFence) <= w
	return b, ok
}

// cut returns the best cut in (first, w] and whether it is inside a code
// block, which the part must then close. A natural cut outside blocks
// comes first, then a natural cut inside the block that the window ends
// in (it is longer than a part), then any cut outside, then any inside.
func (s *splitter) cut(first, w int) (int, bool) {
	b, lo, hi, fenced := int32(-1), 0, 0, true
	if b = s.in[w]; b >= 0 {
		blk := s.blocks[b]
		// Leave room to close the fence, and body text to reopen it with.
		lo, hi = max(first, blk.body), min(w-len(closeFence), blk.last)
		if fenced = s.fits(blk); !fenced {
			lo, hi = first, w // no room for fences: cut the block as text
		}
	}
	anywhere := []func(int) bool{func(int) bool { return true }}
	for _, rules := range [][]func(int) bool{s.rules, anywhere} {
		if p := s.scan(rules, -1, first, w); p >= 0 {
			return p, false
		}
		if b < 0 {
			continue
		}
		if p := s.scan(rules, b, lo, hi); p >= 0 {
			return p, fenced
		}
	}
	if b >= 0 && hi > lo { // a marker longer than the part: the fences matter more
		return hi, fenced
	}
	return w, false
}

// scan returns the last position in (lo, hi] inside block b (-1: outside
// every block) and outside markers that the first accepting rule allows.
func (s *splitter) scan(rules []func(int) bool, b int32, lo, hi int) int {
	for _, ok := range rules {
		for p := hi; p > lo; p-- {
			if s.in[p] == b && !s.marker[p] && ok(p) {
				return p
			}
		}
	}
	return -1
}
