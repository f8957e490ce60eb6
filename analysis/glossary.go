package analysis

import (
	"slices"
	"strings"

	"github.com/kljensen/snowball/english"
)

// The glossary maps common English words of news writing to their French
// equivalents (glossary_en_fr.txt), and beyond news vocabulary, everyday
// and casual English and irregular forms (lexicon_en_fr.txt; see its
// header for source and licence). With no translation service offline, it
// lets an English question reach French passages ("offer" → "offre",
// "embassy" → "ambassade").
//
// Its entries are found by exact word first, then by English stem, so
// that "offered" finds "offer" while words whose stems collide
// ("customer"/"customs") still get their own entry when spelled as listed.
// A word is only compared with the entries that start with its first three
// letters (which stemming almost always keeps).
//
// The files are read at build time, not at start: lexicon_tables.go holds
// them as sorted tables (glossaryExact, glossaryStems), written by
// "go generate ./analysis". Parsing and stemming the files was about a
// fifth of a command-line answer.

//go:generate go test -run TestLexiconTablesUpToDate -update

// A wordTable maps words to lists of words, as sorted arrays the compiler
// lays out in the binary: nothing is built when citebot starts.
type wordTable struct {
	keys  []string // sorted, unique
	start []uint32 // the words of keys[i] are words[start[i]:start[i+1]]
	words []string
}

// lookup returns the words of key, which the caller must not modify, and
// whether key is in the table.
func (t wordTable) lookup(key string) ([]string, bool) {
	i, ok := slices.BinarySearch(t.keys, key)
	if !ok {
		return nil, false
	}
	lo, hi := t.start[i], t.start[i+1]
	return t.words[lo:hi:hi], true
}

func prefix3(w string) string {
	r := []rune(w)
	return string(r[:min(3, len(r))])
}

// byStem returns the translations of the entries whose English stem is
// the stem of w and that start like w, in the order of the files.
func byStem(w string) []string {
	keys, _ := glossaryStems.lookup(english.Stem(w, true))
	p := prefix3(w)
	var out []string
	for _, key := range keys {
		if prefix3(key) != p {
			continue
		}
		fr, _ := glossaryExact.lookup(key)
		for _, v := range fr {
			out = appendNew(out, v)
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
// The caller must not modify the result.
func Translate(word string) []string {
	w := strings.ToLower(word)
	if fr, ok := glossaryExact.lookup(w); ok {
		return fr
	}
	return byStem(w)
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
