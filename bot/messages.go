package bot

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
)

// onMessage answers a message that mentions the bot, is posted in a
// watched channel or a direct message, or follows up in a thread the bot
// started. Only messages for the bot go through the duplicate filter: it
// holds the last 4096 IDs, and recording every message of a busy server
// would evict a question before Discord redelivers it after a resume.
func (b *Bot) onMessage(m *discordgo.Message) {
	me := b.me.Load()
	if m.Author == nil || m.Author.Bot || me == nil {
		return
	}
	direct := m.GuildID == ""
	inThread := !direct && b.ownThread(m.ChannelID, me.ID) // a DM is never a thread
	if !inThread && !direct && !b.watched[m.ChannelID] && !mentions(m, me.ID) {
		return
	}
	if !b.seen.first("m:" + m.ID) {
		return
	}
	q := stripMention(m.Content, me.ID)
	l := lang("", q)
	reply := func(text string) { b.send(m.ChannelID, m.ID, text) }
	if !b.admitQuestion(q, m.Author.ID, l, fromMessage, reply) {
		return
	}
	defer b.running.Done()
	b.answerMessage(m, q, l, inThread)
}

// answerMessage shows the bot typing, opens a thread on the question (or
// stays in the thread it was asked in) and answers there.
func (b *Bot) answerMessage(m *discordgo.Message, q, l string, inThread bool) {
	ctx, cancel := context.WithCancel(b.work)
	defer cancel()
	go b.typing(ctx, m.ChannelID)
	channel := m.ChannelID
	var ref *discordgo.MessageReference
	if !inThread && m.GuildID != "" {
		th, err := b.sess.MessageThreadStartComplex(m.ChannelID, m.ID, &discordgo.ThreadStart{
			Name: threadName(q), AutoArchiveDuration: 1440})
		if err == nil {
			channel = th.ID
			b.threads.start(th.ID)
		} else {
			b.log.Warn("cannot start a thread; replying in the channel", "channel", m.ChannelID, "err", err)
			ref = m.Reference()
		}
	} else {
		ref = m.Reference()
	}
	tell := func(text string) { b.send(channel, "", text) }
	defer b.recoverTell(l, tell)
	release, err := b.queue(ctx, l, tell)
	if err != nil {
		b.failure(err, l, fromMessage, tell, "message", m.ID)
		return
	}
	defer release()
	out := &channelSink{sess: b.sess, channelID: channel, replyTo: ref}
	remember := func(a answer.Answer) { b.threads.add(channel, answer.Turn{Question: q, Answer: a.Text}) }
	if _, err := b.answerInto(ctx, out, q, b.threads.history(channel), m.ID, fromMessage, remember); err != nil {
		b.failure(err, l, fromMessage, tell, "message", m.ID)
	}
}

// threadName is the question on one line, without invisible or
// direction-changing characters that could make the title read otherwise.
func threadName(q string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return ' '
		case unicode.Is(unicode.Cf, r): // zero-width, bidi controls
			return -1
		}
		return r
	}, q)
	return truncate(strings.Join(strings.Fields(clean), " "), 90)
}

// typing keeps the typing indicator on (it lasts about 10 seconds) until
// ctx ends.
func (b *Bot) typing(ctx context.Context, channelID string) {
	t := time.NewTicker(8 * time.Second)
	defer t.Stop()
	for {
		if err := b.sess.ChannelTyping(channelID); err != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// send posts a short message, logging rather than failing.
func (b *Bot) send(channelID, replyTo, text string) {
	msg := &discordgo.MessageSend{Content: truncate(text, maxContent), AllowedMentions: noMentions()}
	if replyTo != "" {
		msg.Reference = &discordgo.MessageReference{MessageID: replyTo, ChannelID: channelID, FailIfNotExists: new(bool)}
	}
	if _, err := b.sess.ChannelMessageSendComplex(channelID, msg); err != nil {
		b.log.Warn("cannot send a message", "channel", channelID, "err", err)
	}
}

// ownThread reports whether a channel is a thread the bot started: one it
// remembers, or, after a restart, one the state cache says it owns.
func (b *Bot) ownThread(channelID, me string) bool {
	if b.threads.known(channelID) {
		return true
	}
	ch, err := b.sess.State.Channel(channelID)
	if err != nil || !ch.IsThread() || ch.OwnerID != me {
		return false
	}
	b.threads.start(channelID)
	return true
}

func mentions(m *discordgo.Message, me string) bool {
	for _, u := range m.Mentions {
		if u.ID == me {
			return true
		}
	}
	return false
}

var mentionRE = regexp.MustCompile(`<@!?(\d+)>`)

// stripMention removes the bot's own mention from a question.
func stripMention(content, me string) string {
	return strings.TrimSpace(mentionRE.ReplaceAllStringFunc(content, func(s string) string {
		if mentionRE.FindStringSubmatch(s)[1] == me {
			return ""
		}
		return s
	}))
}
