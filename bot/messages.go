package bot

import (
	"context"
	"regexp"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"
)

// onMessage answers a message that mentions the bot, is posted in a
// watched channel or a direct message, or follows up in a thread the bot
// started; in a thread someone else started, only mentions are for the
// bot. Only messages for the bot go through the duplicate filter: it
// holds the last 4096 IDs, and recording every message of a busy server
// would evict a question before Discord redelivers it after a resume.
func (b *Bot) onMessage(m *discordgo.Message) {
	me := b.ready.me()
	if m.Author == nil || m.Author.Bot || me == nil {
		return
	}
	direct := m.GuildID == ""
	followUp := !direct && b.threads.isOwned(m.ChannelID) // a DM is never a thread
	if !followUp && !direct && !b.watches(m.GuildID, m.ChannelID) && !mentions(m, me.ID) {
		return
	}
	if !b.firstEvent("m", m.ID) {
		return
	}
	q := stripMention(m.Content, me.ID)
	l := b.replyLang(m.GuildID, lang("", q))
	reply := func(text string) { b.replies.send(m.ChannelID, m.ID, text) }
	who := origin{guild: m.GuildID, channel: m.ChannelID, user: m.Author.ID}
	if !b.admitQuestion(q, who, l, fromMessage, reply) {
		return
	}
	defer b.adm.done()
	deps, kb, err := b.kbFor(m.GuildID)
	if err != nil {
		b.log.Error("cannot open the server's knowledge base", "guild", m.GuildID, "kb", kb, "err", err)
		reply(say(l, "kbUnavailable", kb))
		return
	}
	asked := askedQuestion{text: q, lang: l, key: m.ID, from: fromMessage, who: who, deps: deps, kb: kb}
	if b.deps.Remote != nil {
		b.dispatchMessage(m, asked, followUp)
		return
	}
	b.answerMessage(m, asked, followUp)
}

// answerMessage shows the bot typing, opens a thread on the question (or
// stays in the thread it was asked in, or replies in place where the
// server chose so) and answers there, the conversation's history as
// context.
func (b *Bot) answerMessage(m *discordgo.Message, q askedQuestion, inThread bool) {
	ctx, cancel := context.WithCancel(b.work)
	defer cancel()
	go b.replies.typing(ctx, m.ChannelID)
	channel, ref, conv := b.replyPlace(m, q.text, inThread)
	out := b.replies.channel(channel, ref)
	q.conversation, q.tell, q.who.channel = conv, out.tell, channel
	q.queued = func(text string) { b.replies.send(channel, "", text) }
	b.answerQueued(ctx, out, q)
}

// replyPlace is where a message's answer goes, and the conversation it
// continues: a new thread on a question asked in a guild channel, so the
// conversation has a place of its own; otherwise (any thread, a DM, or a
// thread Discord would not start) the message's channel, replying to the
// question. Where a server chose replies in place, the answer replies in
// its channel, and the conversation is the asker's own exchanges there,
// so that members asking side by side do not get each other's context.
func (b *Bot) replyPlace(m *discordgo.Message, q string, inThread bool) (channel string, ref *discordgo.MessageReference, conv string) {
	if inThread || m.GuildID == "" || b.isThread(m.ChannelID) {
		return m.ChannelID, m.Reference(), m.ChannelID
	}
	if b.settings.get(m.GuildID).ReplyStyle == styleInPlace {
		return m.ChannelID, m.Reference(), m.ChannelID + "/" + m.Author.ID
	}
	th, err := b.api.startThread(m.ChannelID, m.ID, &discordgo.ThreadStart{
		Name: threadName(q), AutoArchiveDuration: 1440})
	if err != nil {
		b.log.Warn("cannot start a thread; replying in the channel", "channel", m.ChannelID, "err", err)
		return m.ChannelID, m.Reference(), m.ChannelID
	}
	b.threads.start(th.ID)
	b.kinds.c.put(th.ID, true)
	return th.ID, nil, th.ID
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

// mentions reports whether m mentions the user me: in a guild, a mention
// is how a member asks the bot outside the watched channels.
func mentions(m *discordgo.Message, me string) bool {
	for _, u := range m.Mentions {
		if u.ID == me {
			return true
		}
	}
	return false
}

// mentionRE matches a user mention, <@id> or the older nickname form
// <@!id>.
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
