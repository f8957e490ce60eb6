package answer

import (
	"fmt"
	"strings"

	"github.com/citebot/citebot/retrieval"
)

// choose picks the quotes of an answer: for each answered part its best
// unit and the supporting ones pick adds, within maxQuotes in all and
// without quoting the same sentence twice. It also returns the parts left
// unanswered.
func choose(verdicts []verdict, passages []retrieval.Result, maxQuotes int) (chosen []unit, unanswered []part) {
	answered := 0
	for _, v := range verdicts {
		if len(v.answers) > 0 {
			answered++
		}
	}
	for _, v := range verdicts {
		if len(v.answers) == 0 {
			unanswered = append(unanswered, v.part)
			continue
		}
		quota := max(1, (maxQuotes-len(chosen))/max(1, answered))
		answered--
		for _, u := range pick(v.answers, passages, quota) {
			if !overlapsAny(u, chosen, passages) {
				chosen = append(chosen, u)
			}
		}
	}
	return chosen, unanswered
}

// answeredParts counts the parts some unit answers.
func answeredParts(verdicts []verdict) int {
	n := 0
	for _, v := range verdicts {
		if len(v.answers) > 0 {
			n++
		}
	}
	return n
}

// missingTerm names a word of the question that no retrieved passage has
// at all, a name or the asked noun first: the reason to give when
// declining. It returns "" when every word is somewhere.
func (r reading) missingTerm(parts []part) string {
	for _, roles := range [][]wordRole{{specific}, {focus, counted}} {
		for _, p := range parts {
			for _, w := range p.words {
				if hasRole(w, roles) && !r.anywhere(w) {
					return w.text
				}
			}
		}
	}
	return ""
}

func hasRole(w queryWord, roles []wordRole) bool {
	for _, r := range roles {
		if w.role == r {
			return true
		}
	}
	return false
}

// anywhere reports whether some retrieved document has w.
func (r reading) anywhere(w queryWord) bool {
	for id := range r.docText {
		if r.doc(id).match(w) >= typoMatch {
			return true
		}
	}
	return false
}

// declined is the refusal, naming the missing term when there is one.
func declined(lang, missing string) string {
	if missing == "" {
		return notFound(lang)
	}
	if lang == "en" {
		return fmt.Sprintf("I could not find the answer in the documents: they never mention “%s”.", missing)
	}
	return fmt.Sprintf("Je ne trouve pas la réponse dans les documents : ils ne mentionnent pas « %s ».", missing)
}

// partial says which parts of a question the quotes do not answer.
func partial(lang string, parts []part) string {
	var texts []string
	for _, p := range parts {
		texts = append(texts, strings.TrimRight(p.text, " ?"))
	}
	if lang == "en" {
		return "Not found in the documents: “" + strings.Join(texts, "”, “") + "”."
	}
	return "Pas de réponse dans les documents à : « " + strings.Join(texts, " », « ") + " »."
}
