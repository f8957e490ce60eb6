package answer

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/citebot/citebot/analysis"
)

// chatSpellings maps the abbreviations of chat and text-message writing,
// French and English, to the words they stand for; "" marks fillers that
// say nothing about the question ("lol", "yo"). Without it, "c koi l'accord
// ke londres a signé" has two unknown words the corpus never uses, and an
// unknown word weighs as much as the rarest one.
var chatSpellings = sync.OnceValue(func() map[string]string {
	return map[string]string{
		// French
		"koi": "quoi", "kwa": "quoi", "ke": "que", "ki": "qui", "c": "c'est", "ct": "c'était", "qd": "quand",
		"kan": "quand", "cb": "combien", "cmb": "combien", "ds": "dans", "pr": "pour", "pk": "pourquoi",
		"pq": "pourquoi", "pcq": "parce que", "psk": "parce que", "bcp": "beaucoup", "tt": "tout", "tjr": "toujours",
		"tjs": "toujours", "tjrs": "toujours", "gouv": "gouvernement", "gvt": "gouvernement", "gouvt": "gouvernement",
		"qqn": "quelqu'un", "qqch": "quelque chose", "qq": "quelques", "qqs": "quelques", "dc": "donc", "mm": "même",
		"ac": "avec", "avc": "avec", "ms": "mais", "lia": "l'IA", "infos": "informations", "mtn": "maintenant",
		"auj": "aujourd'hui", "ajd": "aujourd'hui", "ptet": "peut-être", "ptêt": "peut-être", "pdt": "pendant",
		"svt": "souvent", "tps": "temps", "ns": "nous", "ya": "il y a", "yа": "il y a",
		"chui": "je suis", "jsuis": "je suis", "keske": "qu'est-ce que", "kesk": "qu'est-ce que", "cad": "c'est-à-dire",
		"msg": "message", "rdv": "rendez-vous", "dispo": "disponible", "perso": "personnel", "pb": "problème",
		"pbm": "problème", "boite": "entreprise",
		"mdr": "", "ptdr": "", "jsp": "", "stp": "", "svp": "", "slt": "", "bjr": "", "wesh": "", "bref": "",
		"dsl": "", "tkt": "", "frr": "", "frère": "", "bg": "", "cc": "", "coucou": "", "salut": "", "bonjour": "",
		"merci": "", "stv": "", "oklm": "", "genre": "",
		// English
		"u": "you", "r": "are", "ur": "your", "y": "why", "wat": "what", "wut": "what", "wot": "what", "wht": "what",
		"hw": "how", "ppl": "people", "peeps": "people", "rn": "now", "atm": "now", "yrs": "years", "yr": "year",
		"hrs": "hours", "govt": "government", "gov": "government", "abt": "about", "bc": "because", "cuz": "because",
		"coz": "because", "cos": "because", "thru": "through", "b4": "before", "info": "information",
		"gonna": "going to", "wanna": "want to", "gotta": "have to", "dunno": "do not know", "kinda": "",
		"sorta": "", "rly": "really", "prob": "probably", "def": "definitely", "smth": "something",
		"sth": "something", "pic": "picture", "da": "the", "dat": "that",
		"2day": "today", "2morrow": "tomorrow", "lol": "", "lmao": "", "rofl": "", "bruh": "", "yo": "",
		"tbh": "", "idk": "", "imo": "", "imho": "", "btw": "", "fyi": "", "ngl": "", "iirc": "", "afaik": "",
		"pls": "", "plz": "", "thx": "", "ty": "", "hey": "", "hi": "", "hello": "", "bro": "", "dude": "",
		"guys": "", "yeah": "", "yep": "", "nope": "", "nah": "", "ok": "", "okay": "", "k": "", "lmk": "",
		"tho": "", "like": "", "literally": "", "basically": "", "anyway": "", "asap": "",
		// contractions written without their apostrophe
		"whats": "what is", "wats": "what is", "hows": "how is", "whos": "who is", "wheres": "where is",
		"whens": "when is", "whys": "why is", "thats": "that is", "dont": "do not", "doesnt": "does not",
		"didnt": "did not", "isnt": "is not", "arent": "are not", "wasnt": "was not", "werent": "were not",
		"cant": "cannot", "wont": "will not", "youre": "you are", "theyre": "they are", "im": "I am", "ive": "I have",
	}
})

// withSlash is "w/" (with) and "w/o" (without), which tokens would split.
var withSlash = lazyRegexp(`(?i)\bw/o\b|\bw/`)

// plain rewrites the chat spellings of a question into plain words, for
// searching and reading; the question shown to the user is left as asked.
// A token glued to an apostrophe, a dot or a hyphen is part of a longer
// form ("c'est", "U.S.", "e-mail") and is kept.
func plain(q string) string {
	q = withSlash().ReplaceAllStringFunc(q, func(m string) string {
		if strings.EqualFold(m, "w/o") {
			return "without "
		}
		return "with "
	})
	var b strings.Builder
	last := 0
	for _, t := range analysis.Tokens(q) {
		rep, ok := chatSpellings()[strings.ToLower(t.Text)]
		if !ok || glued(q, t) {
			continue
		}
		b.WriteString(q[last:t.Start])
		b.WriteString(rep)
		last = t.End
	}
	b.WriteString(q[last:])
	return strings.Join(strings.Fields(b.String()), " ")
}

// glued reports whether a token touches an apostrophe, a hyphen or an
// ampersand, or is followed by a dot and a letter.
func glued(q string, t analysis.Token) bool {
	before, _ := utf8.DecodeLastRuneInString(q[:t.Start])
	after, n := utf8.DecodeRuneInString(q[t.End:])
	if strings.ContainsRune("'’-&.", before) || strings.ContainsRune("'’-&", after) {
		return true
	}
	next, _ := utf8.DecodeRuneInString(q[t.End+n:])
	return after == '.' && unicode.IsLetter(next)
}
