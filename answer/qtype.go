package answer

import (
	"strings"
	"unicode"

	"github.com/citebot/citebot/analysis"
)

// Some questions announce the kind of answer they want. A sentence that
// holds that kind of answer (a number for "how much", a date for "when")
// is preferred among sentences that cover the question equally well; the
// evidence threshold is not affected.
const answerTypeBonus = 1.15

type answerType int

const (
	anyAnswer answerType = iota
	quantity
	moment
)

// Cue words, folded. They are function words of questions, so they are not
// matched against the passages themselves.
var (
	quantityCues = map[string]bool{"combien": true, "much": true, "many": true, "pourcentage": true,
		"percentage": true, "percent": true, "montant": true, "amount": true, "nombre": true, "number": true}
	momentCues = map[string]bool{"quand": true, "when": true, "date": true, "year": true, "annee": true}
)

func questionType(q string) answerType {
	for _, t := range analysis.Tokens(q) {
		w := analysis.Fold(t.Text)
		switch {
		case quantityCues[w]:
			return quantity
		case momentCues[w]:
			return moment
		}
	}
	return anyAnswer
}

var momentWords = map[string]bool{"lundi": true, "mardi": true, "mercredi": true, "jeudi": true, "vendredi": true,
	"samedi": true, "dimanche": true, "janvier": true, "fevrier": true, "mars": true, "avril": true, "mai": true,
	"juin": true, "juillet": true, "aout": true, "septembre": true, "octobre": true, "novembre": true,
	"decembre": true, "hier": true, "demain": true, "aujourd": true}

// fits reports whether text holds an answer of type t.
func (t answerType) fits(text string) bool {
	switch t {
	case quantity:
		return strings.IndexFunc(text, unicode.IsDigit) >= 0
	case moment:
		for _, tok := range analysis.Tokens(text) {
			w := analysis.Fold(tok.Text)
			if momentWords[w] || (len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20"))) {
				return true
			}
		}
	}
	return false
}
