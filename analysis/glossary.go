package analysis

import (
	_ "embed"
	"slices"
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"
)

// glossaryText maps common English words of news writing to their French
// equivalents, one "english: french, french" entry a line. With no
// translation service offline, it lets an English question reach French
// passages ("offer" → "offre", "embassy" → "ambassade").
//
//go:embed glossary_en_fr.txt
var glossaryText string

// lexiconText extends the glossary beyond news vocabulary: everyday and
// casual English, irregular forms (see its header for source and licence).
//
//go:embed lexicon_en_fr.txt
var lexiconText string

// glossary is parsed on first use and never modified afterwards.
var glossary = sync.OnceValue(func() dictionary {
	return parseGlossary(glossaryText + "\n" + lexiconText)
})

// dictionary finds entries by exact word first, then by English stem, so
// that "offered" finds "offer" while words whose stems collide
// ("customer"/"customs") still get their own entry when spelled as listed.
type dictionary struct {
	exact, stems map[string][]string
}

func parseGlossary(text string) dictionary {
	d := dictionary{exact: map[string][]string{}, stems: map[string][]string{}}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, vals, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		stem := english.Stem(key, true)
		for _, v := range strings.Split(vals, ",") {
			if v = strings.TrimSpace(v); v != "" {
				d.exact[key] = appendNew(d.exact[key], v)
				d.stems[stem] = appendNew(d.stems[stem], v)
			}
		}
	}
	return d
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// Translate returns the French equivalents of an English word, or nil.
func Translate(word string) []string {
	d, w := glossary(), strings.ToLower(word)
	if fr, ok := d.exact[w]; ok {
		return fr
	}
	return d.stems[english.Stem(w, true)]
}

// Expand returns a question with the French equivalents of its English
// words appended, so that lexical and vector search can meet French
// passages; a French question (or one with no English evidence) is
// returned unchanged.
func Expand(q string) string {
	if Detect(q) == "fr" {
		return q
	}
	var b strings.Builder
	b.WriteString(q)
	for _, t := range Tokens(q) {
		if IsStopword(Fold(t.Text)) {
			continue
		}
		for _, fr := range Translate(t.Text) {
			b.WriteString(" ")
			b.WriteString(fr)
		}
	}
	return b.String()
}
