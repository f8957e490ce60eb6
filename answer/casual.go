package answer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/citebot/citebot/analysis"
)

// chatSpellings maps the abbreviations of chat and text-message writing,
// French and English, to the words they stand for; "" marks fillers that
// say nothing about the question ("lol", "yo"). Without it, "c koi l'accord
// ke londres a signé" has two unknown words the corpus never uses, and an
// unknown word weighs as much as the rarest one.
var chatSpellings = map[string]string{
	// French
	"koi": "quoi", "kwa": "quoi", "ke": "que", "ki": "qui", "c": "c'est", "ct": "c'était", "qd": "quand",
	"kan": "quand", "cb": "combien", "cmb": "combien", "ds": "dans", "pr": "pour", "pk": "pourquoi",
	"pq": "pourquoi", "pcq": "parce que", "bcp": "beaucoup", "tt": "tout", "tjr": "toujours",
	"tjs": "toujours", "gouv": "gouvernement", "gvt": "gouvernement", "gouvt": "gouvernement",
	"qqn": "quelqu'un", "qqch": "quelque chose", "dc": "donc", "mm": "même", "ac": "avec", "avc": "avec",
	"ms": "mais", "lia": "l'IA", "infos": "informations", "mdr": "", "ptdr": "", "jsp": "", "stp": "",
	"svp": "", "slt": "", "bjr": "", "wesh": "", "bref": "",
	// English
	"u": "you", "r": "are", "ur": "your", "y": "why", "wat": "what", "wut": "what", "wot": "what",
	"hw": "how", "ppl": "people", "rn": "now", "yrs": "years", "yr": "year", "govt": "government",
	"gov": "government", "abt": "about", "bc": "because", "cuz": "because", "coz": "because",
	"thru": "through", "b4": "before", "info": "information", "lol": "", "lmao": "", "bruh": "",
	"yo": "", "tbh": "", "idk": "", "imo": "", "btw": "", "pls": "", "plz": "", "thx": "", "hey": "",
}

// withSlash is "w/" (with) and "w/o" (without), which tokens would split.
var withSlash = regexp.MustCompile(`(?i)\bw/o\b|\bw/`)

// plain rewrites the chat spellings of a question into plain words, for
// searching and reading; the question shown to the user is left as asked.
// A token glued to an apostrophe, a dot or a hyphen is part of a longer
// form ("c'est", "U.S.", "e-mail") and is kept.
func plain(q string) string {
	q = withSlash.ReplaceAllStringFunc(q, func(m string) string {
		if strings.EqualFold(m, "w/o") {
			return "without "
		}
		return "with "
	})
	var b strings.Builder
	last := 0
	for _, t := range analysis.Tokens(q) {
		rep, ok := chatSpellings[strings.ToLower(t.Text)]
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
