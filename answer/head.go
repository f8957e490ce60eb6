package answer

import (
	"regexp"
	"strings"

	"github.com/citebot/citebot/analysis"
)

// head is the noun a question asks about, folded, and whether it is
// counted ("how many models", "combien de postes").
type head struct {
	word    string
	counted bool
}

// Where the asked noun starts: after "quel(le)(s)" (and "quel est le"),
// "which"/"what" (and "what is the"), "combien de", "how many", or after
// the possessive of "what is X's salary".
var (
	countHead = lazyRegexp(`(?i)\b(?:combien\s+(?:de|d'|d’|des)\s*|how\s+many\s+)(.*)`)
	whichHead = lazyRegexp(`(?i)\b(?:quel|quelle|quels|quelles|which|what)\s+` +
		`(?:(?:est|sont|etait|était|étaient|sera|seront|is|are|was|were|'s)\s+(?:le|la|l'|l’|les|the|a|an)\s*)?(.*)`)
	possessiveHead = lazyRegexp(`(?i)\bwhat(?:\s+(?:is|was|are|were)|['’]s)\s+(?:\S+\s+){0,3}?\S+['’]s\s+(.*)`)
	// "comment s'appelle l'ambassadrice", "what is the name of the event":
	// the named thing is the noun.
	nameHead = lazyRegexp(`(?i)(?:comment\s+s['’]\s*appelle(?:nt)?|(?:quel|what)\s+(?:est|is)\s+(?:le|the)\s+(?:full\s+)?(?:nom|name)\s+(?:de|d'|du|des|of)|names?\s+of)\s*(?:the|le|la|l'|l’|les)?\s*(.*)`)
)

// headNoun finds the asked noun of a question, if it has one.
func headNoun(q string) head {
	if m := countHead().FindStringSubmatch(q); m != nil {
		if w := nounAt(m[1], frenchHead(m[0])); w != "" {
			return head{word: w, counted: true}
		}
	}
	for _, re := range []func() *regexp.Regexp{nameHead, possessiveHead, whichHead} {
		if m := re().FindStringSubmatch(q); m != nil {
			if w := nounAt(m[1], frenchHead(m[0])); w != "" {
				return head{word: w}
			}
		}
	}
	return head{}
}

// frenchHead reports whether a matched question start is French, where
// the noun comes first ("postes liés à l'IA"); in English it comes last
// ("new open models").
func frenchHead(s string) bool {
	w := analysis.Fold(strings.Fields(s)[0])
	return strings.HasPrefix(w, "quel") || w == "combien" || w == "comment"
}

// nounAt reads the noun group at the start of s and returns its head:
// the first noun in French, the last of up to three words in English,
// stopping at a function word, an auxiliary, a light word, or right after
// a noun that names a kind or a type ("which company created…").
// Adjectives that precede nouns are skipped.
func nounAt(s string, french bool) string {
	var group []string
	for _, t := range analysis.Tokens(s) {
		w := analysis.Fold(t.Text)
		if adjectiveSkip()[w] && len(group) == 0 {
			continue
		}
		if auxiliaries()[w] || lightWords()[w] || cueWords()[w] || analysis.IsStopword(w) {
			break
		}
		group = append(group, w)
		_, isAttr := attributeType(w)
		if french || isAttr || categoryNouns()[w] || len(group) == 3 {
			break
		}
	}
	// An English participle ends the noun group ("the manor hosting
	// the summit"): the noun is before it.
	for len(group) > 1 && !french && participle().MatchString(group[len(group)-1]) {
		group = group[:len(group)-1]
	}
	if len(group) == 0 {
		return ""
	}
	return group[len(group)-1]
}

var participle = lazyRegexp(`^\w{3,}(?:ing|ed)$`)
