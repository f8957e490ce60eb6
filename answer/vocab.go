package answer

import (
	"strings"
	"sync"
)

// Word lists of the reader, folded. They describe how questions are asked
// in French and English, not what the articles say, so they hold for any
// corpus of news in these languages.

// set returns the set of words, built on first use: a start of citebot
// that answers no question ("citebot --help", "citebot sources") does not
// pay for the reader's vocabulary.
func set(words string) func() map[string]bool {
	return sync.OnceValue(func() map[string]bool {
		out := map[string]bool{}
		for _, w := range strings.Fields(words) {
			out[w] = true
		}
		return out
	})
}

// cueWords are the interrogatives and question scaffolding that say what
// kind of answer is wanted; they are not looked for in the passages.
var cueWords = set(`combien quand ou pourquoi comment quel quelle quels quelles qui quoi lequel laquelle
	lesquels lesquelles est-ce c'est what when where why how which who whom whose much many`)

// lightWords carry little of a question's meaning: verbs of saying and
// doing, hedges, time adverbs. They count a third of their weight, and a
// question made only of them and of names asks about the names.
var lightWords = set(`dire dit dis disent declare declarer say says said tell told mention mentionne mentioned
	faire fait font faites do does did doing done make makes made avoir have has had get gets got
	etre being been aller va vont going go goes went utiliser utilise utilisent use uses used using
	exactement exacte exact exactly vraiment really actually actuellement currently aujourd'hui today now
	deja already encore still toujours selon according reportedly apparemment apparently gros basically
	donc alors so also aussi bien well just juste really vrai true exemple example think pense penser
	know savoir sait connais connait want veut veulent voudrait mean meant signifie ii iii iv
	lieu eu place aujourd hui occupe occuper occupait occupent hold holds held
	definit definir define defines defined considere consider considers name names nom noms appelle
	appellent called full complet officiel official`)

// attributeTypes are nouns that ask for a value of some type: "quel est le
// montant" wants a sum whatever the word the article uses for it.
var attributeTypes = sync.OnceValue(func() map[string]answerType {
	return map[string]answerType{
		"montant": money, "amount": money, "prix": money, "price": money, "cout": money, "cost": money,
		"budget": money, "salaire": money, "salary": money, "remuneration": money, "valeur": money, "value": money,
		"valorisation": money, "valuation": money, "somme": money, "sum": money, "investissement": money,
		"investment": money, "argent": money, "money": money, "fonds": money, "funds": money, "chiffre": quantity, "nombre": quantity, "number": quantity, "total": quantity, "taille": quantity, "size": quantity, "ampleur": quantity,
		"poids": quantity, "volume": quantity,
		"pourcentage": percent, "percentage": percent, "taux": percent, "rate": percent, "part": percent,
		"share": percent, "date": moment, "annee": year, "year": year, "jour": moment, "day": moment,
		"mois": month, "month": month, "deadline": moment, "echeance": moment, "calendrier": moment, "moment": moment, "epoque": moment, "duree": duration,
		"periode": duration, "period": duration, "delai": duration, "rang": rank, "classement": rank,
		"ranking": rank, "role": role, "fonction": role, "poste": role, "post": role, "position": role,
		"titre": role, "title": role, "job": role, "metier": role, "nom": name, "name": name, "names": name,
		"noms": name, "lieu": place, "place": place, "endroit": place, "ville": place, "town": place,
		"city": place, "pays": place, "country": place, "region": place, "capitale": place, "capital": place,
	}
})

// attributeType returns the type a noun asks for, in the singular or the
// plural ("quels montants", "what sums"), and whether it asks for one.
func attributeType(folded string) (answerType, bool) {
	if t, ok := attributeTypes()[folded]; ok {
		return t, true
	}
	for _, plural := range []string{"s", "x"} {
		if one, ok := strings.CutSuffix(folded, plural); ok && len(one) > 2 {
			if t, ok := attributeTypes()[one]; ok {
				return t, true
			}
		}
	}
	return anyAnswer, false
}

// categoryNouns ask for an instance of a kind ("quel parti", "which
// company"): the answer names it without repeating the kind, so the noun
// itself is not required in the quote.
var categoryNouns = set(`entreprise entreprises societe societes company companies firm firms firme groupe group
	startup start-up organisation organization organisme body agence agency autorite authority regulateur
	regulator institution institutions parti party partis parties syndicat syndicats union unions media
	medias journal newspaper personne personnes person people ministre ministres minister ministers membre
	membres member members dirigeant dirigeants leader leaders patron boss responsable official officials
	president presidente domaine domaines area areas field fields secteur secteurs sector sectors
	evenement evenements event events outil outils tool tools service services projet projets project
	projects initiative initiatives programme program plan plans type types genre kind kinds sorte sort
	exemple exemples example examples chose choses thing things element elements aspect aspects
	option options solution solutions moyen moyens way ways methode method sujet sujets topic topics
	question questions theme themes pays country countries nation nations acteur acteurs actor actors
	partenaire partenaires partner partners tache taches task tasks chore chores corvee corvees
	worry worries concern concerns inquietude inquietudes crainte craintes preoccupation preoccupations
	issue issues probleme problemes problem problems defi defis challenge challenges enjeu enjeux
	difficulte difficultes difficulty difficulties obstacle obstacles`)

// orgNouns are the kinds whose instances are organisations, named.
var orgNouns = set(`entreprise entreprises societe societes company companies firm firms firme groupe group
	startup start-up organisation organization organisme body agence agency autorite authority institution
	parti party media medias journal newspaper`)

// personNouns are the kinds whose instances are people.
var personNouns = set(`personne personnes person people ministre ministres minister ministers membre membres
	member members dirigeant dirigeants leader leaders patron boss responsable official officials president
	presidente`)

// titleWords name roles and offices, for "quel poste" and "qui est".
var titleWords = set(`pdg ceo president presidente directeur directrice director dirigeant dirigeante
	responsable head chef chief patron patronne fondateur fondatrice founder ministre minister secretaire
	secretary ambassadeur ambassadrice ambassador conseiller conseillere adviser advisor porte-parole
	spokesman spokeswoman spokesperson commissaire commissioner chancelier chancellor depute deputee
	senateur senatrice gouverneur governor maire mayor chairman chairwoman chair premier prime delegue
	deleguee vice-president manager gerant associe partner analyste analyst expert experte chercheur
	chercheuse researcher professeur professor journaliste journalist roi reine king queen pape pope`)

// adjectiveSkip are words between an interrogative and its noun that are
// not the noun: "quel autre domaine", "which new open models".
var adjectiveSkip = set(`autre autres principal principale principaux principales premier premiere
	dernier derniere nouveau nouvelle nouveaux nouvelles seul seule vrai vraie grand grande gros grosse
	petit petite exact exacte meme other main first last new open only real big small full exact same
	ai ia public publics publique publiques national nationale international internationale`)

// auxiliaries end the noun group of an English question ("how many
// models did…").
var auxiliaries = set(`is are was were be been do does did will would can could should shall may might
	must has have had est sont etait etaient sera seront a ont avait`)

// numberValues maps number words to digits, so that "$1" meets "un
// dollar" and "20 times" meets "par vingt".
var numberValues = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"un": "1", "une": "1", "one": "1", "deux": "2", "two": "2", "trois": "3", "three": "3", "quatre": "4",
		"four": "4", "cinq": "5", "five": "5", "six": "6", "sept": "7", "seven": "7", "huit": "8", "eight": "8",
		"neuf": "9", "nine": "9", "dix": "10", "ten": "10", "douze": "12", "twelve": "12", "quinze": "15",
		"fifteen": "15", "vingt": "20", "twenty": "20", "twentyfold": "20", "trente": "30", "thirty": "30",
		"quarante": "40", "forty": "40", "cinquante": "50", "fifty": "50", "cent": "100", "hundred": "100",
		"mille": "1000", "thousand": "1000", "tenfold": "10", "twofold": "2", "threefold": "3",
	}
})
