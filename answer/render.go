package answer

import (
	"fmt"
	"strings"

	"github.com/citebot/citebot/retrieval"
)

// render writes the chosen sentences, each followed by the number of its
// source, and builds the sources list: passages are numbered in the order
// they are first cited, and only cited passages appear.
func render(lang string, chosen []unit, passages []retrieval.Result) (string, []Source) {
	return renderWith(extractLabel(lang), chosen, passages)
}

// renderWith is render under another heading.
func renderWith(label string, chosen []unit, passages []retrieval.Result) (string, []Source) {
	var b strings.Builder
	b.WriteString(label)
	number := map[int]int{} // passage index → N
	var sources []Source
	for _, c := range chosen {
		text := c.text(passages[c.passage].Chunk.Text)
		n, ok := number[c.passage]
		if !ok {
			p := passages[c.passage]
			n = len(sources) + 1
			number[c.passage] = n
			sources = append(sources, Source{
				N: n, ChunkID: p.Chunk.ID, DocID: p.Doc.ID, Title: p.Doc.Title,
				Date: p.Doc.Date, URL: p.Doc.URL,
			})
		}
		src := &sources[n-1]
		src.Quote = widen(passages[c.passage].Chunk.Text, src.Quote, text)
		fmt.Fprintf(&b, "\n\n%s [%d]", text, n)
	}
	return b.String(), sources
}

// widen returns the shortest span of passage containing both the current
// quote and a new sentence, so a source quoting two sentences still quotes
// the passage verbatim.
func widen(passage, quote, sentence string) string {
	if quote == "" {
		return sentence
	}
	i, j := strings.Index(passage, quote), strings.Index(passage, sentence)
	if i < 0 || j < 0 {
		return quote
	}
	start, end := min(i, j), max(i+len(quote), j+len(sentence))
	return passage[start:end]
}

func extractLabel(lang string) string {
	if lang == "en" {
		return "Extracted from the documents (offline mode: quoted passages, in the documents' language):"
	}
	return "Extraits des documents (mode hors ligne : passages cités tels quels) :"
}
