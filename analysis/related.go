package analysis

import (
	_ "embed"
	"strings"
	"sync"
)

// synonymsText holds groups of French words that can stand for one another
// in a question about the news ("poste", "emploi"; "patron", "dirigeant",
// "pdg"), one comma-separated group a line. aliasesText holds groups of
// names for the same entity (a country, its people and its capital; a
// company and its best-known product). See the files' headers for their
// source and licence.
//
//go:embed synonyms_fr.txt
var synonymsText string

//go:embed aliases.txt
var aliasesText string

// groups indexes word groups by folded word and by French stem.
type groups struct {
	byWord, byStem map[string][][]string
}

var (
	synonyms = sync.OnceValue(func() groups { return parseGroups(synonymsText) })
	aliases  = sync.OnceValue(func() groups { return parseGroups(aliasesText) })
	// known is every word of the glossary (both sides) and of the synonym
	// groups, folded: the common words of either language.
	known = sync.OnceValue(func() map[string]bool {
		d := glossary()
		out := make(map[string]bool, 4*len(d.exact))
		for k, vs := range d.exact {
			out[Fold(k)] = true
			for _, v := range vs {
				for w := range strings.FieldsFuncSeq(Fold(v), notLetter) {
					out[w] = true
				}
			}
		}
		for w := range synonyms().byWord {
			out[w] = true
		}
		return out
	})
)

func notLetter(r rune) bool { return r == ' ' || r == '-' || r == '\'' }

func parseGroups(text string) groups {
	g := groups{byWord: map[string][][]string{}, byStem: map[string][][]string{}}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var group []string
		for _, w := range strings.Split(line, ",") {
			if w = Fold(strings.TrimSpace(w)); w != "" {
				group = append(group, w)
			}
		}
		for _, w := range group {
			g.byWord[w] = append(g.byWord[w], group)
			if !strings.Contains(w, " ") {
				stem := Stem(w, "fr")
				g.byStem[stem] = append(g.byStem[stem], group)
			}
		}
	}
	return g
}

// related returns the other words of the groups word belongs to, found by
// the folded word itself or else, with byStem, by its French stem.
func (g groups) related(word string, byStem bool) []string {
	w := Fold(word)
	found := g.byWord[w]
	if len(found) == 0 && byStem && !strings.Contains(w, " ") {
		found = g.byStem[Stem(strings.ToLower(word), "fr")]
	}
	var out []string
	for _, group := range found {
		for _, o := range group {
			if o != w {
				out = appendNew(out, o)
			}
		}
	}
	return out
}

// Synonyms returns French words that can stand for word in a question
// (word itself excluded), or nil.
func Synonyms(word string) []string { return synonyms().related(word, true) }

// Aliases returns the other names of the entity word names ("uk":
// "royaume", "britannique", "londres"…), or nil when word names none.
// Names are matched as written, not by stem: "met" is not "Meta".
func Aliases(word string) []string { return aliases().related(word, false) }

// Known reports whether a word is a common word of French or English as
// this package knows them (the glossary, the synonym groups, stopwords):
// a word it does not know, written in lower case, may be a name.
func Known(word string) bool {
	w := Fold(word)
	return known()[w] || IsStopword(w) || len(Translate(word)) > 0
}
