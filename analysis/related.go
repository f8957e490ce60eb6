package analysis

import (
	"slices"
	"strings"
)

// The synonym groups (synonyms_fr.txt) hold French words that can stand
// for one another in a question about the news ("poste", "emploi";
// "patron", "dirigeant", "pdg"), and the alias groups (aliases.txt) names
// for the same entity (a country, its people and its capital; a company
// and its best-known product). See the files' headers for their source and
// licence. Like the glossary, they are tables in lexicon_tables.go: for
// each folded word (synonymsByWord, aliasesByWord) and each French stem
// (synonymsByStem), every word of the groups it belongs to, in the order
// of the file.

// related returns the other words of the groups word belongs to, found by
// the folded word itself or else, with byStem, by its French stem.
func related(byWord, byStem wordTable, word string, stems bool) []string {
	w := Fold(word)
	found, ok := byWord.lookup(w)
	if !ok && stems && !strings.Contains(w, " ") {
		found, _ = byStem.lookup(Stem(strings.ToLower(word), "fr"))
	}
	var out []string
	for _, o := range found {
		if o != w {
			out = append(out, o)
		}
	}
	return out
}

// Synonyms returns French words that can stand for word in a question
// (word itself excluded), or nil.
func Synonyms(word string) []string {
	return related(synonymsByWord, synonymsByStem, word, true)
}

// Aliases returns the other names of the entity word names ("uk":
// "royaume", "britannique", "londres"…), or nil when word names none.
// Names are matched as written, not by stem: "met" is not "Meta".
func Aliases(word string) []string {
	return related(aliasesByWord, wordTable{}, word, false)
}

// Known reports whether a word is a common word of French or English as
// this package knows them (the glossary, the synonym groups, stopwords):
// a word it does not know, written in lower case, may be a name.
func Known(word string) bool {
	w := Fold(word)
	_, known := slices.BinarySearch(knownWords, w)
	return known || IsStopword(w) || len(Translate(word)) > 0
}
