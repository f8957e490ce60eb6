package analysis

import (
	"strings"
	"sync"
)

// Function words of each language, folded. They carry no topic, so they are
// dropped from terms, and they are the evidence for language detection: a
// short question still holds two or three of them.
const (
	frenchStopwords = `a afin ai aie aient aies ait alors as au aucun aupres aussi autre aux avait avaient
		avant avec avez avions avoir avons ayant c ca car ce ceci cela celle celles celui cependant ces cet cette
		ceux chaque chez ci combien comme comment d dans de des deja depuis doit donc dont du elle elles en encore entre
		est et etaient etait etant ete etre eu eux fait faire fois font fut ici il ils j je jusqu l la le les leur
		leurs lors lui m ma mais me meme memes mes moi moins mon n ne ni nos notre nous on ont ou par parce pas
		peu peut peuvent plus pour pourquoi pres puis qu quand que quel quelle quelles quels qui quoi s sa sans
		se selon sera seront ses si sien son sont sous suis sur t ta te tes toi ton tous tout toute toutes tres
		tu un une unes uns vers via voici voila vos votre vous y`
	englishStopwords = `a about above after again against all also am an and any are as at be because been
		before being below between both but by can could did do does doing down during each few for from
		further had has have having he her here hers herself him himself his how i if in into is it its itself
		just many me more most much my myself no nor not now of off on once only or other our ours ourselves out over own
		same she should so some such than that the their theirs them themselves then there these they this
		those through to too under until up very was we were what when where which while who whom why will
		with would you your yours yourself yourselves`
)

// functionWords are the sets built from the lists, on first use rather
// than at every start of citebot.
type functionWords struct {
	// stop holds the function words of either language.
	stop map[string]bool
	// french and english hold, per language, the function words that the
	// other language does not use, so that shared spellings ("a", "on",
	// "en") do not count as evidence.
	french, english map[string]bool
}

var lists = sync.OnceValue(func() functionWords {
	fr, en := wordSet(frenchStopwords), wordSet(englishStopwords)
	stop := minus(fr, nil)
	for w := range en {
		stop[w] = true
	}
	return functionWords{stop: stop, french: minus(fr, en), english: minus(en, fr)}
})

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

func minus(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for w := range a {
		if !b[w] {
			out[w] = true
		}
	}
	return out
}

// IsStopword reports whether a folded word is a function word of French or
// English.
func IsStopword(folded string) bool {
	return lists().stop[folded]
}

// HasEnglish reports whether s has a function word only English uses:
// "Starmer et Mistral, they met ou pas ?" is French with English in it.
func HasEnglish(s string) bool {
	for _, t := range Tokens(s) {
		if lists().english[Fold(t.Text)] {
			return true
		}
	}
	return false
}

// Detect names the language of s, "fr" or "en", from its distinctive
// function words and its French diacritics; it returns "" when the text gives
// no evidence either way (a bare name, a number). This small model is enough
// for two languages and keeps the binary free of a detection library.
func Detect(s string) string {
	var fr, en float64
	l := lists()
	for _, t := range Tokens(s) {
		w := Fold(t.Text)
		switch {
		case l.french[w]:
			fr++
		case l.english[w]:
			en++
		}
		if w != strings.ToLower(t.Text) {
			fr += 0.5 // é, è, ç, à…: French spelling
		}
	}
	switch {
	case fr > en:
		return "fr"
	case en > fr:
		return "en"
	}
	return ""
}
