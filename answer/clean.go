package answer

import (
	"strings"
)

// Chat markup that is not part of a question. Discord writes mentions and
// custom emoji as <…> tokens, and members paste links; left in, their
// digits and URL words become "specific terms" no passage holds, and an
// answerable question is declined.
var (
	// <@123>, <@!123> (user), <@&456> (role), <#789> (channel),
	// </cmd:123> (slash command), <t:1700000000:R> (timestamp).
	discordMention = lazyRegexp(`<(?:@[!&]?|#|/[\w -]+:|t:)\d+(?::\w)?>`)
	// <:name:123> and animated <a:name:123>.
	customEmoji = lazyRegexp(`<a?:\w+:\d+>`)
	// [text](target): the text stays, the target goes.
	markdownLink = lazyRegexp(`\[([^\[\]]*)\]\([^()\s]*(?:\s+"[^"]*")?\)`)
	// <https://…> autolinks, then bare URLs.
	autoLink = lazyRegexp(`<(?:https?|ftp)://[^>\s]*>`)
	bareURL  = lazyRegexp(`(?:https?|ftp)://\S+|\bwww\.\S+`)
)

// Clean removes chat markup from a question before it is analysed: user,
// role and channel mentions, custom emoji, link targets (a Markdown link
// keeps its text) and bare URLs. Unicode emoji and the words themselves
// are left alone.
func Clean(q string) string {
	q = discordMention().ReplaceAllString(q, " ")
	q = customEmoji().ReplaceAllString(q, " ")
	q = markdownLink().ReplaceAllString(q, "$1")
	q = autoLink().ReplaceAllString(q, " ")
	q = bareURL().ReplaceAllString(q, " ")
	return strings.Join(strings.Fields(q), " ")
}

// asked is the part of a message that asks: up to its last question mark
// when words follow it ("… OpenAI ? clique", "NHS ? merci"), since what
// comes after the question is a remark, not something to look for. A
// message with no question mark, or nothing before it, is all question.
func asked(q string) string {
	i := strings.LastIndex(q, "?")
	if i < 0 || strings.TrimSpace(strings.Trim(q[:i], "?¿ ")) == "" {
		return q
	}
	return q[:i+1]
}

// prepare checks a question as asked and cleans it (Clean). A question
// that was only markup (a lone mention, an emoji) cleans to "": the
// caller declines it in one sentence rather than searching for nothing.
func prepare(q string) (string, error) {
	if err := Validate(q); err != nil {
		return "", err
	}
	return Clean(q), nil
}

// nothingAsked is the refusal for a question that held only markup.
func nothingAsked(question, mode string) Answer {
	lang := Language(question, nil)
	return Answer{Question: question, Lang: lang, Mode: mode, Refused: true, Text: notFound(lang), GateRefused: true}
}
