package answer

import (
	"regexp"
	"strings"

	"github.com/citebot/citebot/analysis"
)

// answerType is the kind of answer a question asks for. The reader quotes
// a sentence only when it holds an answer of that kind (a sum for "how
// much did they raise", a date for "when"): a sentence on the right topic
// without it is a near miss, not an answer.
type answerType int

const (
	anyAnswer    answerType = iota
	quantity                // "combien", "how much": a number
	money                   // a sum: a number with a currency
	count                   // "how many N": a number before N (see part.counted)
	percent                 // a percentage
	moment                  // "quand", "when": a date, a day, a month, a year
	calendar                // "date exacte": a day and a month
	month                   // "quel mois": a month
	year                    // a year
	duration                // "how long": a length of time
	rank                    // "where does it rank": an ordinal
	place                   // "où", "where", "quel pays": a proper name
	role                    // "quel poste", "quel rôle": a title (PDG, ministre…)
	name                    // "comment s'appelle": a proper name
	person                  // "qui", "who": preferred, not required
	organisation            // "quelle entreprise": a name, preferred
	reason                  // "pourquoi", "why": preferred, not required
)

// required reports whether a quote must hold an answer of type t. Who and
// why questions are answered in too many shapes ("certains syndicats",
// "afin de…") to require one; a sentence of the right shape is preferred.
func (t answerType) required() bool {
	return t != anyAnswer && t != person && t != reason && t != organisation
}

// typeBonus raises the score of a sentence that holds the asked kind of
// answer, among sentences that cover the question equally well.
const typeBonus = 1.15

// typeCue is a pattern of a question, folded (see analysis.Fold) with
// single spaces, and the type it asks for; the first that matches wins.
type typeCue struct {
	re func() *regexp.Regexp
	t  answerType
}

func cue(pattern string, t answerType) typeCue {
	return typeCue{lazyRegexp(`(?:^|\W)(?:` + pattern + `)(?:\W|$)`), t}
}

var typeCues = []typeCue{
	cue(`date exacte|exact date|precise date|quel jour du mois|what date|which date|quelle date`, calendar),
	cue(`quelle annee|what year|which year|en quelle annee`, year),
	cue(`quel mois|which month|what month|en quel mois`, month),
	cue(`combien de temps|pendant combien|depuis combien|how long|over what period|sur quelle periode|what period|quelle duree`, duration),
	cue(`pourcentage|percentage|percent|what share|what proportion|quelle part|quel taux`, percent),
	cue(`combien d'argent|combien d argent|how much money|quel montant|what amount|quel prix|what price|how much does .* cost|how much did .* cost`, money),
	cue(`combien|how much|how many|nombre de|number of`, quantity),
	cue(`quand|when|quel jour|what day|which day|a quel moment|d'ici quand`, moment),
	cue(`where does .* rank|where .* rank|quel rang|a quelle place|what position|which position|classement`, rank),
	cue(`comment s'appelle|comment s appelle|quel est le nom|quels sont les noms|what is the (?:full |exact |official )?name|what's the (?:full )?name|what are the names|what is .* called|named`, name),
	cue(`where|dans quel pays|in which country|quelle ville|which town|which city|what town|what city|quel pays|which country|what country|quel lieu|what place`, place),
	cue(`quel poste|quelle fonction|quel role|quel titre|what role|what position|what job|what title|which role|which post`, role),
	cue(`pourquoi|why|pour quelle raison|for what reason|dans quel but|what for|for what purpose`, reason),
	cue(`qui|who|whom|whose|c'est qui|c est qui`, person),
}

// questionType is the type of answer a question asks for, refined by the
// money verbs of a "how much" question. "Où" is told from "ou" before its
// accent is folded away.
func questionType(q string) answerType {
	folded, lower := analysis.Fold(q), strings.ToLower(q)
	for _, c := range typeCues {
		if !c.re().MatchString(folded) && (c.t != place || !whereRe().MatchString(lower)) {
			continue
		}
		if c.t == quantity && moneyCue().MatchString(folded) {
			return money
		}
		return c.t
	}
	return anyAnswer
}

var whereRe = lazyRegexp(`(?:^|\PL)où(?:\PL|$)`)

// moneyCue marks a "how much" question about a sum of money.
var moneyCue = lazyRegexp(`(?:^|\W)(?:argent|money|leve|lever|levee|raise|raised|invest\w*|cout\w*|cost\w*|pay\w*|pai\w*|` +
	`depens\w*|spend\w*|spent|gagne\w*|earn\w*|salaire|salary|wage\w*|paid|debours\w*|fund\w*|financ\w*|budget|` +
	`vaut|valent|valait|worth|valu\w*|valoris\w*|prix|price|dollars?|euros?|livres|pounds?)(?:\W|$)`)

// Answer shapes, matched on folded text.
const (
	months = `janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|` +
		`january|february|march|april|may|june|july|august|september|october|november|december`
	numberWords = `deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante|` +
		`cinquante|cent|cents|mille|million|millions|milliard|milliards|dizaines?|centaines?|milliers?|` +
		`two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand|millions?|billions?|dozen`
)

var (
	yearRe     = lazyRegexp(`(?:^|\D)(?:19|20)\d\d(?:\D|$)`)
	percentRe  = lazyRegexp(`\d\s*%|\bpour ?cent\b|\bpercent\b`)
	currencyRe = lazyRegexp(`[$€£]|\b(?:dollars?|euros?|livres?|sterling|pounds?|usd|eur|gbp|bn|milliards?|billions?)\b`)
	monthRe    = lazyRegexp(`\b(?:` + months + `)\b`)
	weekdayRe  = lazyRegexp(`\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|` +
		`monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b`)
	relativeRe = lazyRegexp(`\b(?:hier|demain|aujourd'hui|d'ici|prochaine?s?|derniere?s?|ce mois|` +
		`cette annee|fin \d|debut \d|yesterday|tomorrow|today|next|last|by \d)\b`)
	calendarRe = lazyRegexp(`\b\d{1,2}(?:er)? (?:` + months + `)\b|\b(?:` + months + `) \d{1,2}\b|\b\d{1,2}/\d{1,2}\b`)
	timeUnitRe = lazyRegexp(`\b(?:ans?|annees?|mois|jours?|semaines?|heures?|minutes?|decennies?|` +
		`years?|months?|days?|weeks?|hours?|decades?)\b`)
	ordinalRe = lazyRegexp(`\b(?:premier|premiere|deuxieme|second|seconde|troisieme|quatrieme|` +
		`cinquieme|dixieme|\d+e|\d+eme|1er|first|third|fourth|fifth|\d+(?:st|nd|rd|th)|top)\b`)
	oneUnitRe = lazyRegexp(`\b(?:un|une|one|a)\s+(?:dollar|euro|livre|pound)s?\b`)
	numberRe  = lazyRegexp(`\d|\b(?:` + numberWords + `)\b`)
)

// fits reports whether a sentence, folded, holds an answer of type t.
// Shapes that need the sentence as written (proper names, titles, the
// noun a count is about) are checked by the reader (see holds).
func (t answerType) fits(folded string) bool {
	switch t {
	case quantity:
		return numberRe().MatchString(folded)
	case money:
		return currencyRe().MatchString(folded) && (numberRe().MatchString(folded) || oneUnitRe().MatchString(folded))
	case percent:
		return percentRe().MatchString(folded)
	case year:
		return yearRe().MatchString(folded)
	case calendar:
		return calendarRe().MatchString(folded)
	case month:
		return monthRe().MatchString(folded)
	case moment:
		return yearRe().MatchString(folded) || monthRe().MatchString(folded) || weekdayRe().MatchString(folded) ||
			relativeRe().MatchString(folded)
	case duration:
		return timeUnitRe().MatchString(folded)
	case rank:
		return ordinalRe().MatchString(folded)
	}
	return false
}
