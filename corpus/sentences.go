package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is a span of a text that citebot can quote on its own. Text is
// always source[Start:End] (byte offsets), so a citation can be checked
// against the document by position as well as by content.
type Sentence struct {
	Text       string
	Start, End int
}

// isAbbreviation reports words that end with a period without ending the
// sentence. They are matched as written, so "M." (Monsieur) is an
// abbreviation while a lowercase "m." is not.
func isAbbreviation(word string) bool {
	switch word {
	case "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Drs", "Pr", "Me", "Mgr", "St", "Ste",
		"Mr", "Mrs", "Ms", "Jr", "Sr", "Prof",
		"etc", "ex", "Ex", "cf", "Cf", "p", "pp", "n°", "N°", "av", "apr", "env", "vol", "chap",
		"art", "fig", "vs", "e.g", "i.e", "J.-C", "U.S", "c.-à-d":
		return true
	}
	return false
}

// SplitSentences cuts text into sentences with French typography in mind.
// A newline always ends a sentence, so headings, bullets and table rows
// stand alone. Otherwise . ! ? … end a sentence when followed by a space
// and an uppercase letter, a digit, an opening quote or a dash, or by the
// end of the text; a closing », " or ) right after the punctuation belongs
// to the sentence it ends. Abbreviations (M., Mme, etc., J.-C.…), single
// initials ("J. K."), list numbers ("1. ") and the elisions "[...]" and
// "(...)" do not end a sentence, and neither does punctuation inside a
// number ("2.5"); an elision followed by a capital starts a new sentence.
// Sentences are trimmed and never empty, and every non-space character of
// text is in exactly one of them.
func SplitSentences(text string) []Sentence {
	var out []Sentence
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			out = appendSentence(out, text, start, i)
			start = i + size
		case isTerminal(r):
			runEnd := skipTerminals(text, i)
			if end, ok := sentenceEnd(text, i, runEnd); ok {
				out = appendSentence(out, text, start, end)
				start = end
				i = end
				continue
			}
			i = runEnd
			continue
		}
		i += size
	}
	return appendSentence(out, text, start, len(text))
}

// appendSentence adds text[start:end] without its surrounding spaces,
// unless nothing is left.
func appendSentence(out []Sentence, text string, start, end int) []Sentence {
	seg := text[start:end]
	trimmed := strings.TrimLeftFunc(seg, unicode.IsSpace)
	start += len(seg) - len(trimmed)
	trimmed = strings.TrimRightFunc(trimmed, unicode.IsSpace)
	if trimmed == "" {
		return out
	}
	return append(out, Sentence{Text: trimmed, Start: start, End: start + len(trimmed)})
}

func isTerminal(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '…'
}

// skipTerminals returns the end of the run of terminal punctuation at i
// ("?!", "...").
func skipTerminals(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isTerminal(r) {
			break
		}
		i += size
	}
	return i
}

// sentenceEnd decides whether the punctuation text[i:runEnd] ends a
// sentence, and if so returns where the sentence ends (after any closing
// quote or parenthesis).
func sentenceEnd(text string, i, runEnd int) (int, bool) {
	if !endsHere(text, i, runEnd) {
		return 0, false
	}
	end := skipClosers(text, runEnd)
	if end == len(text) {
		return end, true
	}
	r, _ := utf8.DecodeRuneInString(text[end:])
	if !unicode.IsSpace(r) {
		return 0, false // "2.5", "Node.js", "?»," : no break
	}
	next := trimInlineSpace(text[end:])
	if next == "" {
		return end, true
	}
	r, _ = utf8.DecodeRuneInString(next)
	return end, r == '\n' || startsSentence(r) || opensWithElision(next)
}

// elisions mark words left out of a quotation.
var elisions = [...]string{"[...]", "[…]", "(...)", "(…)"}

// opensWithElision reports a new sentence that begins with an elision and a
// capital ("artificielle. [...] La première…"): the quoted text resumes with
// a new sentence.
func opensWithElision(next string) bool {
	for _, e := range elisions {
		if rest, ok := strings.CutPrefix(next, e); ok {
			rest = trimInlineSpace(rest)
			r, _ := utf8.DecodeRuneInString(rest)
			return unicode.IsUpper(r)
		}
	}
	return false
}

// endsHere rules out the punctuation that is not sentence-final whatever
// follows: elisions in brackets and periods after abbreviations, initials
// and list numbers.
func endsHere(text string, i, runEnd int) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	if before == '[' || before == '(' {
		return false
	}
	if text[i:runEnd] != "." {
		return true
	}
	word := wordBefore(text, i)
	switch {
	case isAbbreviation(word), isInitials(word):
		return false
	case len(word) <= 3 && isDigits(word) && atLineStart(text, i-len(word)):
		return false
	}
	return true
}

// maxWordBytes bounds how far back wordBefore looks: abbreviations and
// initials are short, and a long run without spaces must not make splitting
// quadratic.
const maxWordBytes = 16

// wordBefore returns the word that ends at i, without opening punctuation,
// or "" when it is longer than maxWordBytes.
func wordBefore(text string, i int) string {
	from := max(i-maxWordBytes-1, 0)
	start := strings.LastIndexFunc(text[from:i], unicode.IsSpace) + 1
	if start == 0 && from > 0 {
		return ""
	}
	return strings.TrimLeft(text[from+start:i], "([«\"“'‘")
}

// isInitials reports a single capital ("J") or dotted single letters
// ("U.S", "J.-C", "e.g"), as in names and Latin abbreviations.
func isInitials(word string) bool {
	parts := strings.FieldsFunc(word, func(r rune) bool { return r == '.' || r == '-' })
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		r, size := utf8.DecodeRuneInString(p)
		if size != len(p) || !unicode.IsLetter(r) {
			return false
		}
	}
	if len(parts) == 1 {
		r, _ := utf8.DecodeRuneInString(parts[0])
		return len(word) == len(parts[0]) && unicode.IsUpper(r)
	}
	return true
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func atLineStart(text string, i int) bool {
	return i == 0 || text[i-1] == '\n'
}

// skipClosers moves past closing quotes and parentheses that follow the
// punctuation at i, including a French closing guillemet after a space
// ("… Royaume-Uni. »").
func skipClosers(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '»' || r == '”' || r == '"' || r == ')' || r == '’' {
			i += size
			continue
		}
		rest := trimInlineSpace(text[i:])
		if len(rest) == len(text[i:]) {
			return i
		}
		q, qsize := utf8.DecodeRuneInString(rest)
		closing := q == '»' || q == '”' || (q == '"' && closesQuote(rest[qsize:]))
		if !closing {
			return i
		}
		i = len(text) - len(rest) + qsize
	}
	return i
}

// trimInlineSpace removes leading spaces but not a newline, which is a
// sentence boundary of its own.
func trimInlineSpace(s string) string {
	return strings.TrimLeftFunc(s, func(r rune) bool { return r != '\n' && unicode.IsSpace(r) })
}

// closesQuote tells a straight quote that closes (followed by a space, a
// newline or the end) from one that opens the next sentence.
func closesQuote(after string) bool {
	r, _ := utf8.DecodeRuneInString(after)
	return after == "" || unicode.IsSpace(r)
}

// startsSentence reports the characters a new sentence can begin with.
func startsSentence(r rune) bool {
	switch r {
	case '«', '"', '“', '‘', '—', '–', '-':
		return true
	}
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}
