package bot

import (
	"cmp"
	"context"
	"errors"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
)

// summaryCommand is /summary: one article summarised, chosen by
// autocomplete on its title, or the whole corpus.
func summaryCommand() command {
	str := discordgo.ApplicationCommandOptionString
	return command{
		def: &discordgo.ApplicationCommand{Name: "summary", Description: "Summary of one article, or of all of them",
			DescriptionLocalizations: french("Résumé d'un article, ou de tous"),
			Options: []*discordgo.ApplicationCommandOption{
				{Type: str, Name: "document", Description: "The article (start typing its title)", Autocomplete: true,
					DescriptionLocalizations: *french("L'article (tapez le début de son titre)")},
				{Type: str, Name: "lang", Description: "Language of the summary", Choices: []*discordgo.ApplicationCommandOptionChoice{
					{Name: "English", Value: "en"}, {Name: "Français", Value: "fr"}}},
			}},
		usage:    [2]string{"`/summary [document:]` summary of one article or all", "`/summary [document:]` résumé d'un article ou de tous"},
		run:      runSummary,
		complete: completeDocument,
	}
}

// runSummary summarises the chosen document, or the corpus, in the
// deferred response, streamed like an answer and with the same buttons.
func runSummary(b *Bot, c call) {
	b.withKB(c, func(d Deps, kb string) {
		if b.deps.Remote == nil {
			summarize(b, c, d.Summary)
			return
		}
		if out, end, ok := b.beginWork(c, false); ok {
			defer end()
			b.dispatchCall(c, out, JobSummary, c.opts["document"], cmp.Or(c.opts["lang"], c.lang), kb)
		}
	})
}

// summarize summarises with sum in the deferred response.
func summarize(b *Bot, c call, sum Summarizer) {
	out, end, ok := b.beginWork(c, false)
	if !ok {
		return
	}
	defer end()
	ctx, cancel := context.WithCancel(b.work)
	defer cancel()
	docID, summaryLang := c.opts["document"], cmp.Or(c.opts["lang"], c.lang)
	a, err := b.streamInto(out, func(onDelta func(string)) (answer.Answer, error) {
		if docID == "" {
			return sum.Corpus(ctx, summaryLang, onDelta)
		}
		return sum.Document(ctx, docID, summaryLang, onDelta)
	})
	switch {
	case errors.Is(err, answer.ErrUnknownDocument):
		out.tell(say(c.lang, "unknownDoc"))
	case err != nil:
		b.fail(c, out, err)
	default:
		b.show(out, c.i.ID, c.who(), a)
	}
}

// completeDocument offers the documents whose title or ID contains what
// the member typed (Discord shows at most 25 choices of 100 characters).
func completeDocument(b *Bot, i *discordgo.Interaction) {
	var typed string
	for _, o := range i.ApplicationCommandData().Options {
		if o.Focused {
			typed = strings.ToLower(o.StringValue())
		}
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	deps, _, err := b.kbFor(i.GuildID)
	if err != nil {
		b.replies.offer(i, []*discordgo.ApplicationCommandOptionChoice{})
		return
	}
	for _, d := range deps.Library.Documents() {
		if len(choices) == 25 {
			break
		}
		if typed == "" || strings.Contains(strings.ToLower(d.Title+" "+d.ID), typed) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(d.Title, 100), Value: d.ID})
		}
	}
	b.replies.offer(i, choices)
}
