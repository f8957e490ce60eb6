package bot

import (
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
)

// The custom IDs of the buttons under an answer: a prefix, then the key
// that finds the answer again (the question's event ID). A vote's ID reads
// "fb:<vote>:<key>".
const (
	voteUpPrefix   = "fb:" + feedbackUp + ":"
	voteDownPrefix = "fb:" + feedbackDown + ":"
	sourcesPrefix  = "src:"
)

// buttons are the feedback and Sources buttons under an answer; key finds
// the answer again when they are clicked.
func buttons(key string, a answer.Answer) []discordgo.MessageComponent {
	row := discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{CustomID: voteUpPrefix + key, Emoji: &discordgo.ComponentEmoji{Name: "👍"}, Style: discordgo.SecondaryButton},
		discordgo.Button{CustomID: voteDownPrefix + key, Emoji: &discordgo.ComponentEmoji{Name: "👎"}, Style: discordgo.SecondaryButton},
	}}
	if len(a.Passages) > 0 {
		row.Components = append(row.Components, discordgo.Button{CustomID: sourcesPrefix + key, Label: "Sources", Style: discordgo.PrimaryButton})
	}
	return []discordgo.MessageComponent{row}
}

// onComponent handles the buttons under an answer: 👍/👎 record feedback,
// Sources shows the passages and their scores to the clicker only.
func (b *Bot) onComponent(i *discordgo.Interaction) {
	id := i.MessageComponentData().CustomID
	l := lang(i.Locale, "")
	switch {
	case strings.HasPrefix(id, voteUpPrefix), strings.HasPrefix(id, voteDownPrefix):
		parts := strings.SplitN(id, ":", 3)
		b.vote(i, parts[1], parts[2], l)
	case strings.HasPrefix(id, sourcesPrefix):
		a, ok := b.answers.get(strings.TrimPrefix(id, sourcesPrefix))
		if !ok || len(a.passages) == 0 {
			b.replies.respond(i, say(l, "expired"), true)
			return
		}
		b.replies.respond(i, "", true, passagesEmbed(truncate(a.question, 200), l, a.results(b.deps.Library, l)))
	default:
		b.unknown(i)
	}
}

// vote appends a feedback record on an answer the bot knows: one it
// still keeps (the record is complete and says known), or, after a
// restart or once the answer has left the cache, one of its own messages
// (the record has the message's text, no question, and says unknown). A
// vote on anything else — a stale or forged button — is not recorded,
// and the member is told the button is outdated.
func (b *Bot) vote(i *discordgo.Interaction, vote, key, l string) {
	rec := feedbackRecord{Time: time.Now().UTC(), UserID: userID(i), Vote: vote, MessageID: key}
	if a, ok := b.answers.get(key); ok {
		rec.Known, rec.Question, rec.Answer, rec.Mode, rec.Sources = true, a.question, a.text, a.mode, a.sources
	} else if b.ownMessage(i.Message) {
		rec.Answer = i.Message.Content
	} else {
		b.unknown(i)
		return
	}
	b.metrics.feedback.WithLabelValues(vote).Inc()
	if b.feedback != nil {
		if err := b.feedback.add(rec); err != nil {
			b.log.Error("cannot store feedback", "err", err)
		}
	}
	b.replies.respond(i, say(l, "thanks"), true)
}

// ownMessage reports whether m is a message the bot wrote, with text to
// record: Discord sends the clicked message with every button click.
func (b *Bot) ownMessage(m *discordgo.Message) bool {
	me := b.ready.me()
	return m != nil && m.Author != nil && me != nil && m.Author.ID == me.ID && m.Content != ""
}
