package answer

import (
	"slices"
	"strings"
	"unicode"

	"github.com/citebot/citebot/analysis"
)

// A list quoted with the sentence that announces it ("Parmi les
// engagements notables… : - Vantage… 11 500 emplois. - Kyndryl… -
// Nscale…") holds several facts, each about the entity its item is
// headed by. Read as one unit, it would answer "combien d'emplois Nscale
// va-t-il créer ?" with Vantage's jobs: the list has Nscale and a number
// of jobs, just not in the same item. So when a unit holds items headed
// by names and the question names something, one such item (read with
// the announcing sentence) must answer on its own, names included; or
// the announcing sentence must. An item headed by a common noun ("- Gain
// en productivité : +30 %") is about what the text around it is about,
// and is read like any sentence.

// listScoped reports whether a unit that holds items headed by names
// answers part p within one item or its announcing sentence; other
// units, and a part that names nothing, are not concerned.
func (r reading) listScoped(p part, a analysedUnit) bool {
	intro, items := listSegments(a.text)
	if !slices.ContainsFunc(items, headedByName) || !slices.ContainsFunc(p.words, func(w queryWord) bool { return w.role == specific }) {
		return true
	}
	introUnit := analysedUnit{text: intro, bag: r.memo.bag(intro)}
	if r.answersWithin(p, introUnit, introUnit.bag) {
		return true
	}
	for _, item := range items {
		seg := analysedUnit{text: item, bag: r.memo.bag(item)}
		if r.answersWithin(p, seg, r.memo.bag(intro+"\n"+item)) {
			return true
		}
	}
	return false
}

// answersWithin applies the reader's checks to one segment, with the
// question's names looked for in scope rather than in the document.
func (r reading) answersWithin(p part, seg analysedUnit, scope bag) bool {
	for _, w := range p.words {
		switch w.role {
		case specific:
			if scope.match(w) < typoMatch {
				return false
			}
		case focus:
			if seg.bag.match(w) < typoMatch {
				return false
			}
		case counted:
			if !numberBefore(seg.text, w) {
				return false
			}
		}
	}
	return !p.want.required() || r.holds(p, seg)
}

// listSegments splits a unit's text into the text before its first list
// item and the items.
func listSegments(text string) (intro string, items []string) {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if isListItem(strings.TrimSpace(line)) {
			items = append(items, strings.TrimSpace(line))
			continue
		}
		if len(items) == 0 {
			intro = strings.Join(lines[:i+1], "\n")
		}
	}
	return intro, items
}

// headedByName reports whether a list item starts with a name and a
// colon ("- Nscale : …", "- Mistral AI : …"): a word no lexicon knows, or
// one written with a capital inside it or after the first word.
func headedByName(item string) bool {
	head, _, ok := strings.Cut(strings.TrimLeft(item, "-•* "), ":")
	if !ok {
		return false
	}
	for i, t := range analysis.Tokens(head) {
		rest := []rune(t.Text)[1:]
		if !analysis.Known(t.Text) || strings.ContainsFunc(string(rest), unicode.IsUpper) ||
			i > 0 && startsUpper(t.Text) {
			return true
		}
	}
	return false
}
