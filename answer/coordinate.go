package answer

import (
	"github.com/citebot/citebot/analysis"
)

// A question may coordinate two things the articles treat apart: "Combien
// valent l'entreprise derrière ChatGPT et le marché britannique de
// l'IA ?", "What challenges do the US and the UK face…?". Read as one,
// no document has both names and nothing answers it, or one side's
// article answers it alone. So the question is read again as two, one
// for the names on each side of "et"/"and", with the rest of the question
// shared, and that reading is kept when it answers as many parts (then
// the answer says which side is missing) or more. A relation ("entre
// OpenAI et le gouvernement", "between X and Y") is not split: its two
// sides must be found together.

// conjunction finds "et", "and" or "&" between words; relation finds
// "entre"/"between" shortly before one.
var (
	conjunction = lazyRegexp(`(?i)\s(?:et|and|&)\s`)
	relation    = lazyRegexp(`(?i)\b(?:entre|between)(?:\s+\S+){1,5}$`)
)

// distribute returns the two parts of a part that coordinates names, or
// nil when it does not.
func distribute(p part) []part {
	loc := conjunction().FindStringIndex(p.text)
	if loc == nil || relation().MatchString(p.text[:loc[0]]) {
		return nil
	}
	left, right := p, p
	left.words, right.words = nil, nil
	var onLeft, onRight int
	for _, w := range p.words {
		if w.role != specific {
			left.words, right.words = append(left.words, w), append(right.words, w)
			continue
		}
		if wordBefore(p.text, w, loc[0]) {
			left.words = append(left.words, w)
			onLeft++
		} else {
			right.words = append(right.words, w)
			onRight++
		}
	}
	if onLeft == 0 || onRight == 0 {
		return nil
	}
	left.text, right.text = p.text[:loc[0]], p.text[loc[1]:]
	return []part{left, right}
}

// wordBefore reports whether w is first written before byte offset end.
func wordBefore(text string, w queryWord, end int) bool {
	for _, t := range analysis.Tokens(text) {
		if analysis.Fold(t.Text) == w.folded {
			return t.Start < end
		}
	}
	return false
}

// distributeAll splits every part that coordinates names; ok is false
// when none does.
func distributeAll(parts []part) (out []part, ok bool) {
	for _, p := range parts {
		if two := distribute(p); two != nil {
			out, ok = append(out, two...), true
			continue
		}
		out = append(out, p)
	}
	return out, ok
}
