package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/retrieval"
)

// summary summarises one document (chosen through autocomplete) or the
// corpus, in the deferred response.
func (b *Bot) summary(i *discordgo.Interaction, docID, summaryLang, l string) {
	if !b.track() {
		b.respond(i, say(l, "restarting"), true)
		return
	}
	defer b.running.Done()
	out, ok := b.deferSink(i, false)
	if !ok {
		return
	}
	ctx, cancel := context.WithCancel(b.work)
	defer cancel()
	if summaryLang == "" {
		summaryLang = l
	}
	a, err := b.streamInto(out, func(onDelta func(string)) (answer.Answer, error) {
		if docID == "" {
			return b.deps.Summary.Corpus(ctx, summaryLang, onDelta)
		}
		return b.deps.Summary.Document(ctx, docID, summaryLang, onDelta)
	})
	switch {
	case errors.Is(err, answer.ErrUnknownDocument):
		out.tell(say(l, "unknownDoc"))
	case err != nil:
		b.failure(err, l, fromSlash, out.tell, "interaction", i.ID)
	default:
		b.show(out, i.ID, a)
	}
}

// search shows the best passages and their scores to the asker only.
func (b *Bot) search(i *discordgo.Interaction, q, l string) {
	if !b.admit(i, q, l) {
		return
	}
	defer b.running.Done()
	out, ok := b.deferSink(i, true)
	if !ok {
		return
	}
	results, err := b.deps.Library.Search(b.work, q, 5)
	var degraded *retrieval.DegradedError
	if errors.As(err, &degraded) {
		err = nil // BM25's ranking alone (vector scores 0); the index logged why
	}
	switch {
	case err != nil:
		b.failure(err, l, fromSlash, out.tell, "interaction", i.ID)
	case len(results) == 0:
		out.tell(say(l, "noResult"))
	default:
		out.final([]string{""}, []*discordgo.MessageEmbed{passagesEmbed(truncate(q, 200), l, results)}, nil)
	}
}

// reindex rebuilds the index, for members with Manage Server only.
func (b *Bot) reindex(i *discordgo.Interaction, l string) {
	if i.Member == nil || i.Member.Permissions&discordgo.PermissionManageServer == 0 {
		b.respond(i, say(l, "noPerm"), true)
		return
	}
	if !b.track() {
		b.respond(i, say(l, "restarting"), true)
		return
	}
	defer b.running.Done()
	out, ok := b.deferSink(i, true)
	if !ok {
		return
	}
	summary, err := b.deps.Reindex(b.work)
	if err != nil {
		b.failure(err, l, fromSlash, out.tell, "interaction", i.ID)
		return
	}
	b.log.Info("re-indexed from Discord", "user", userID(i), "result", summary)
	out.tell(say(l, "reindexed", summary))
}

// autocomplete offers the documents whose title or ID contains what the
// member typed (Discord shows at most 25 choices of 100 characters).
func (b *Bot) autocomplete(i *discordgo.Interaction) {
	var typed string
	for _, o := range i.ApplicationCommandData().Options {
		if o.Focused {
			typed = strings.ToLower(o.StringValue())
		}
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	for _, d := range b.deps.Library.Documents() {
		if len(choices) == 25 {
			break
		}
		if typed == "" || strings.Contains(strings.ToLower(d.Title+" "+d.ID), typed) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(d.Title, 100), Value: d.ID})
		}
	}
	err := b.sess.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices}})
	if err != nil {
		b.log.Warn("cannot answer autocomplete", "err", err)
	}
}
