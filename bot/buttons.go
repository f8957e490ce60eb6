package bot

import (
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/store"
)

// The two votes a member can give an answer, as store.Vote records them.
const (
	feedbackUp   = "up"
	feedbackDown = "down"
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
	case strings.HasPrefix(id, gapsPrefix):
		b.onGapsPage(i, id, l)
	case strings.HasPrefix(id, sourcesPrefix):
		b.showSources(i, strings.TrimPrefix(id, sourcesPrefix), l)
	default:
		b.unknown(i)
	}
}

// showSources shows the kept answer's passages to the clicker only, read
// again from the library of the server's knowledge base.
func (b *Bot) showSources(i *discordgo.Interaction, key, l string) {
	a, ok := b.answers.get(b.work, key)
	if !ok || len(a.passages) == 0 {
		b.replies.respond(i, say(l, "expired"), true)
		return
	}
	deps, kb, err := b.kbFor(i.GuildID)
	if err != nil {
		b.log.Error("cannot open the server's knowledge base", "guild", i.GuildID, "kb", kb, "err", err)
		b.replies.respond(i, say(l, "kbUnavailable", kb), true)
		return
	}
	b.replies.respond(i, "", true, passagesEmbed(truncate(a.question, 200), l, a.results(deps.Library, l)))
}

// vote records a vote on an answer the bot knows: one it keeps (the
// record is complete and says known), or, once the answer is no longer
// kept, one of its own messages (the record has the message's text, no
// question, and says unknown). A vote on anything else — a stale or
// forged button — is not recorded, and the member is told the button is
// outdated. The store writes it asynchronously.
func (b *Bot) vote(i *discordgo.Interaction, vote, key, l string) {
	rec := store.Vote{Time: time.Now().UTC(), Guild: i.GuildID, User: userID(i), Vote: vote, AnswerKey: key}
	if a, ok := b.answers.get(b.work, key); ok {
		rec.Known, rec.Question, rec.Answer, rec.Mode, rec.Sources = true, a.question, a.text, a.mode, a.sources
	} else if b.ownMessage(i.Message) {
		rec.Answer = i.Message.Content
	} else {
		b.unknown(i)
		return
	}
	b.metrics.feedback.WithLabelValues(vote).Inc()
	b.store.AddVote(rec)
	b.replies.respond(i, say(l, "thanks"), true)
}

// ownMessage reports whether m is a message the bot wrote, with text to
// record: Discord sends the clicked message with every button click.
func (b *Bot) ownMessage(m *discordgo.Message) bool {
	me := b.ready.me()
	return m != nil && m.Author != nil && me != nil && m.Author.ID == me.ID && m.Content != ""
}
