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
// Stemming every entry up front cost most of a CLI answer's start-up, so
// entries are grouped by their first three letters, which stemming keeps,
// and only the entries of a word's group are stemmed when it is looked up.
type dictionary struct {
	exact map[string][]string
	// group lists the entries that start with the same three letters.
	group map[string][]string
}

func parseGlossary(text string) dictionary {
	n := strings.Count(text, "\n")
	d := dictionary{exact: make(map[string][]string, n), group: map[string][]string{}}
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, vals, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		if _, seen := d.exact[key]; !seen {
			d.group[prefix3(key)] = append(d.group[prefix3(key)], key)
		}
		for v := range strings.SplitSeq(vals, ",") {
			if v = strings.TrimSpace(v); v != "" {
				d.exact[key] = appendNew(d.exact[key], v)
			}
		}
	}
	return d
}

func prefix3(w string) string {
	r := []rune(w)
	return string(r[:min(3, len(r))])
}

// byStem returns the translations of the entries whose English stem is
// the stem of w, in the order of the file.
func (d dictionary) byStem(w string) []string {
	stem := english.Stem(w, true)
	var out []string
	for _, key := range d.group[prefix3(w)] {
		if english.Stem(key, true) == stem {
			for _, v := range d.exact[key] {
				out = appendNew(out, v)
			}
		}
	}
	return out
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
	return d.byStem(w)
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
