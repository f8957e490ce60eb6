package bot

import (
	"github.com/bwmarrin/discordgo"
)

// channelKinds remembers which channels are threads, so that a question
// asked in a thread is answered there: Discord refuses a thread inside a
// thread (error 50024). A MESSAGE_CREATE does not say whether its channel
// is a thread, so the kind comes from the gateway's thread events, or
// once per channel from GET /channels/{id}. It is bounded like the rest
// of the bot's memory; a forgotten channel is simply looked up again.
type channelKinds struct{ c *lru[bool] }

// newChannelKinds remembers the kind of at most size channels.
func newChannelKinds(size int) *channelKinds { return &channelKinds{newLRU[bool](size)} }

// isThread reports whether channelID is a thread, asking Discord the first
// time. If Discord cannot say, it answers false: starting a thread then
// fails in a thread, and the answer goes in place all the same.
func (b *Bot) isThread(channelID string) bool {
	if thread, ok := b.kinds.c.get(channelID); ok {
		return thread
	}
	ch, err := b.api.channel(channelID)
	if err != nil {
		b.log.Warn("cannot tell whether the channel is a thread", "channel", channelID, "err", err)
		return false
	}
	b.kinds.c.put(channelID, ch.IsThread())
	return ch.IsThread()
}

// learnThreads notes the kind of threads the gateway announces, and
// which of them the bot owns: THREAD_CREATE for the threads it starts,
// THREAD_UPDATE when one is unarchived, and GUILD_CREATE's active threads
// after a restart, so a follow-up in an old thread of the bot's is still
// answered without a mention.
func (b *Bot) learnThreads(threads ...*discordgo.Channel) {
	me := b.ready.me()
	for _, th := range threads {
		if th == nil || !th.IsThread() {
			continue
		}
		b.kinds.c.put(th.ID, true)
		if me != nil && th.OwnerID == me.ID {
			b.threads.start(th.ID)
		}
	}
}

// addChannelHandlers has the session tell learnThreads of threads.
func (b *Bot) addChannelHandlers(sess *discordgo.Session) {
	sess.AddHandler(func(_ *discordgo.Session, ev *discordgo.ThreadCreate) {
		b.guard("thread", func() { b.learnThreads(ev.Channel) })
	})
	sess.AddHandler(func(_ *discordgo.Session, ev *discordgo.ThreadUpdate) {
		b.guard("thread", func() { b.learnThreads(ev.Channel) })
	})
	sess.AddHandler(func(_ *discordgo.Session, ev *discordgo.GuildCreate) {
		if ev.Guild != nil {
			b.guard("guild", func() { b.learnThreads(ev.Threads...) })
		}
	})
}
