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

// listScoped reports whether a unit that holds a list of items headed by
// names
// answers part p within one item or its announcing sentence; other
// units, and a part that names nothing, are not concerned.
func (r reading) listScoped(p part, a analysedUnit) bool {
	intro, items := listSegments(a.text)
	if !namedList(items) || !slices.ContainsFunc(p.words, func(w queryWord) bool { return w.role == specific }) {
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

// namedList reports whether most items are headed by names: a French
// common noun no lexicon knows ("- Planification urbaine :") reads like
// a name on its own, not in a list of common nouns.
func namedList(items []string) bool {
	named := 0
	for _, it := range items {
		if headedByName(it) {
			named++
		}
	}
	return named > 0 && 2*named >= len(items)
}

// headedByName reports whether a list item starts with a name and a
// colon ("- Nscale : …", "- Mistral AI : …", "- Vantage Data Centres :
// …"): a word with a capital inside it, a capitalised word after the
// first, or a head of one word no lexicon knows. "- Petites entreprises
// :" is headed by common words.
func headedByName(item string) bool {
	head, _, ok := strings.Cut(strings.TrimLeft(item, "-•* "), ":")
	if !ok {
		return false
	}
	toks := analysis.Tokens(head)
	for i, t := range toks {
		rest := []rune(t.Text)[1:]
		if strings.ContainsFunc(string(rest), unicode.IsUpper) || i > 0 && startsUpper(t.Text) {
			return true
		}
	}
	return len(toks) == 1 && startsUpper(toks[0].Text) && !analysis.Known(toks[0].Text)
}
