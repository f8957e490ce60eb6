package answer

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/citebot/citebot/analysis"
)

// part is one question of a message ("who hosts the next summit, and when
// was the first?" has two), with what a quote must hold to answer it.
type part struct {
	text  string
	want  answerType
	words []queryWord
}

// partBreak is where a second question starts: a question mark, a
// semicolon or "and"/"et" followed by an interrogative.
var partBreak = lazyRegexp(`(?i)(?:\?|;|,|\s(?:and|et|&))\s+(?:(?:and|et)\s+)?` +
	`(?:(?:by|from|in|on|at|d'ici|depuis|en|à|a|de|sur|pour)\s+)?` +
	`(?:when|where|who|whom|what|which|how|why|quand|où|qui|quel|quelle|quels|quelles|combien|comment|pourquoi)\b`)

// leadingAnd is the conjunction a following part starts with.
var leadingAnd = lazyRegexp(`(?i)^(?:and|et|&)\s+`)

// splitParts cuts a question where a new interrogative starts a clause.
func splitParts(q string) []string {
	var out []string
	for {
		loc := partBreak().FindStringIndex(q)
		if loc == nil || loc[0] == 0 {
			break
		}
		head := q[:loc[0]]
		if q[loc[0]] == '?' {
			head += "?"
		}
		if head = strings.TrimSpace(head); head != "" {
			out = append(out, head)
		}
		q = strings.TrimSpace(strings.TrimLeft(q[loc[0]:], "?;, "))
		q = leadingAnd().ReplaceAllString(q, "")
	}
	return append(out, strings.TrimSpace(q))
}

// parseQuestion reads the parts of a question and the role of each word.
// proper holds the folded words the passages write as names.
func parseQuestion(q string, idf func(string) (float64, bool), proper map[string]bool) []part {
	lowerCase := !strings.ContainsFunc(q, unicode.IsUpper)
	allCaps := !strings.ContainsFunc(q, unicode.IsLower)
	var parts []part
	for _, text := range splitParts(asked(q)) {
		p := part{text: text, want: questionType(text), words: questionWords(text, idf)}
		head := headNoun(text)
		second := coordinatedNoun(text, head.word)
		for i := range p.words {
			w := &p.words[i]
			w.role = roleOf(*w, text, p.want, proper, lowerCase || allCaps)
			if w.folded == head.word || w.folded == second {
				p.applyHead(w, head.counted)
			}
		}
		parts = append(parts, p)
		if t, ok := attributeType(second); ok {
			// "what money and deadline…": the same question, asking for
			// a second kind of answer.
			q := p
			q.words, q.want = slices.Clone(p.words), t
			parts = append(parts, q)
		}
	}
	return inheritWords(parts)
}

// coordinatedNoun returns the noun joined to the asked noun by "and"/"et"
// ("what money and deadline"), folded, or "".
func coordinatedNoun(text, head string) string {
	if head == "" {
		return ""
	}
	toks := analysis.Tokens(text)
	for i := 0; i+2 < len(toks); i++ {
		and := analysis.Fold(toks[i+1].Text)
		if analysis.Fold(toks[i].Text) == head && (and == "and" || and == "et") {
			return analysis.Fold(toks[i+2].Text)
		}
	}
	return ""
}

// applyHead gives the asked noun its role: the noun of "how many", a type
// ("quel montant"), a kind whose instance answers ("quel parti"), or a
// noun the quote must hold ("quelle superficie").
func (p *part) applyHead(w *queryWord, isCounted bool) {
	if w.role == specific {
		return
	}
	t, isAttr := attributeType(w.folded)
	if isCounted {
		// "how many jobs", "combien de postes" count jobs: only the
		// singular of a type noun ("combien d'argent") asks for it.
		t, isAttr = attributeTypes()[w.folded]
	}
	switch {
	case isCounted && !isAttr:
		w.role, p.want = counted, count
	case isAttr:
		w.role = attribute
		if p.want == anyAnswer || p.want == person || p.want == quantity && t != quantity {
			p.want = t
		}
	case categoryNouns()[w.folded]:
		// The kind of thing asked for: the answer names an instance
		// without repeating the kind ("which company" → "Synthesia").
		w.role = attribute
		switch {
		case p.want != anyAnswer:
		case personNouns()[w.folded]:
			p.want = person
		case orgNouns()[w.folded]:
			p.want = organisation
		}
	default:
		w.role = focus
	}
}

// inheritWords completes elliptic parts ("…, and by when?") with the
// words of the part before them; its asked noun must be in the quote.
func inheritWords(parts []part) []part {
	for i := 1; i < len(parts); i++ {
		if len(parts[i].words) > 1 {
			continue
		}
		for _, w := range parts[i-1].words {
			switch w.role {
			case soft, specific, light:
				parts[i].words = append(parts[i].words, w)
			case focus, counted:
				// "how many civil servants…, and by when?": the date
				// must be about civil servants too.
				w.role = focus
				parts[i].words = append(parts[i].words, w)
			}
		}
	}
	return parts
}

// priceWords only ask for a sum ("combien coûte", "how much is it
// worth"): in a question about money the sum answers them. Words that
// say which sum ("gagner", "earn", "lever") are not among them.
var priceWords = lazyRegexp(`^(?:cout\w*|cost\w*|vaut|valent|valait|valoir|worth|pa(?:y|ie|yer|yed|id)\w*|debours\w*|depens\w*|spend\w*|spent|prix|price)$`)

// roleOf tells names and numbers from other words. A word is a name when
// it is written like one (a capital inside the question, or inside the
// word: "OpenAI"), when the passages write it like one, or, in a question
// written all in one case, when no lexicon knows it.
func roleOf(w queryWord, text string, want answerType, proper map[string]bool, oneCase bool) wordRole {
	switch {
	case lightWords()[w.folded] || cueWords()[w.folded] || want == money && priceWords().MatchString(w.folded):
		return light
	case strings.ContainsFunc(w.folded, unicode.IsDigit) || monthRe().MatchString(w.folded) || weekdayRe().MatchString(w.folded):
		return specific
	case w.folded == "us" && w.text != "US": // the pronoun, not the country
		return soft
	case len(analysis.Aliases(w.text)) > 0:
		return specific
	}
	if !oneCase && writtenAsName(w.text, text) {
		return specific
	}
	if startsUpper(w.text) && !w.known && !analysis.Known(w.text) {
		return specific // "Samsung a-t-il…": first word, but no word a lexicon knows
	}
	if proper[w.folded] && !analysis.Known(w.text) {
		return specific
	}
	if oneCase && !w.known && !analysis.Known(w.text) && len([]rune(w.folded)) >= 4 {
		return specific
	}
	return soft
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// writtenAsName reports whether word has a capital after its first letter
// ("OpenAI", "NHS") or starts with one somewhere other than at the start
// of the question.
func writtenAsName(word, text string) bool {
	rs := []rune(word)
	if strings.ContainsFunc(string(rs[1:]), unicode.IsUpper) {
		return true
	}
	if !unicode.IsUpper(rs[0]) {
		return false
	}
	first := analysis.Tokens(text)
	return len(first) == 0 || first[0].Text != word
}
