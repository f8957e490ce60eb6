package prompts

import (
	"fmt"
	"github.com/citebot/citebot/cite"
	"strings"
	"text/template"
)

// The prompts wrap untrusted text (passages, questions, earlier answers,
// summaries) in tags such as <passage n="2" ...> ... </passage>, and the
// model cites passages as [n]. Untrusted text must therefore never contain
// something the model could read as one of our tags or as a citation
// number; the functions below rewrite exactly those sequences and leave the
// rest of the text, names and figures included, as it was.

var (
	// tagOpenRE matches the "<" of anything that could read as a tag or a
	// chat-template token: "</passage>", "< passage", "<\/question>",
	// "<|eot_id|>", and their full-width look-alikes. The gaps allow any
	// Unicode space, invisible format character (U+200B, U+2060, bidi
	// controls) or combining mark, which a reader or a model does not see:
	// "<\u200bpassage" reads as "<passage". A "<" before a digit or a space
	// and a digit ("< 5 %") is not matched.
	tagOpenRE = lazyRegexp(`[<＜﹤](` + tagGap + `[/\\!?|]*` + tagGap + `[\pL_|])`)

	// bracketNumRE matches a bracketed number or list of numbers, which the
	// model could take for one of our citation markers or for a passage
	// header such as "[9] Title".
	bracketNumRE = lazyRegexp(`[\[［]` + tagGap + `(\d+(?:` + tagGap + `[,;–-]` + tagGap + `\d+)*)` + tagGap + `[\]］]`)

	// controlRE matches control characters other than newline and tab,
	// which have no place in a prompt and could hide text from a reviewer.
	controlRE = lazyRegexp(`[\x00-\x08\x0b-\x1f\x7f]`)
)

// The replacers are built once rather than for every text they rewrite,
// which prompts do for each passage: a Replacer is immutable and safe for
// concurrent use.
var (
	// lineSeparators turns the Unicode line and paragraph separators into
	// newlines.
	lineSeparators = strings.NewReplacer("\u2028", "\n", "\u2029", "\n")
	// attrQuotes replaces what could end an attribute or a tag.
	attrQuotes = strings.NewReplacer(`"`, "'", "<", "‹", ">", "›", "＜", "‹", "＞", "›")
)

// tagGap is what can separate the "<" of a tag from its name unseen.
const tagGap = `[\s\p{Z}\p{Cf}\p{Mn}]*`

// funcMap is the set of functions the templates may call. It is built on
// demand so that no package-level map exists for anyone to change.
func funcMap() template.FuncMap {
	return template.FuncMap{
		"data":     data,
		"attr":     attr,
		"nocite":   nocite,
		"language": language,
		"notFound": func() string { return NotFound },
	}
}

// data makes untrusted text safe to place between our tags: it cannot open
// or close a tag ("<" becomes "‹") nor show a citation number ("[9]"
// becomes "(9)"), so it cannot end its block early or fake a new passage.
func data(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = lineSeparators.Replace(s)
	s = controlRE().ReplaceAllString(s, "")
	s = tagOpenRE().ReplaceAllString(s, "‹$1")
	s = bracketNumRE().ReplaceAllString(s, "($1)")
	return strings.TrimSpace(s)
}

// attr makes untrusted text safe inside a double-quoted tag attribute: on
// one line, with no quote or angle bracket that could end the attribute or
// the tag.
func attr(s string) string {
	s = attrQuotes.Replace(data(s))
	return strings.Join(strings.Fields(s), " ")
}

// nocite removes citation markers from an earlier model reply: they point
// to passages of another prompt and would only mislead the next one.
func nocite(s string) string {
	return cite.Remove(s)
}

// language names a language code for the model, which follows "French"
// more reliably than "fr". Codes without a name are shown as codes, which
// large models understand; "" stays "" so templates can fall back.
func language(code string) string {
	switch code {
	case "":
		return ""
	case "fr":
		return "French"
	case "en":
		return "English"
	}
	return fmt.Sprintf("the language with ISO 639 code %q", code)
}
