package bot

import (
	"github.com/bwmarrin/discordgo"
)

// forgetCommand is /forget-me: everything the bot stores about the member
// who runs it — their questions, the answers kept for the buttons, their
// votes and the conversations they asked in — deleted, with a count.
func forgetCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{Name: "forget-me", Description: "Delete everything citebot stores about you",
			DescriptionLocalizations: french("Effacer tout ce que citebot conserve sur vous")},
		usage: [2]string{"`/forget-me` delete what is stored about you", "`/forget-me` effacer ce qui est conservé sur vous"},
		run:   runForget,
	}
}

// runForget waits for the store's queued writes (a question just asked
// must go too), deletes the member's records and drops what the bot
// caches of them, then says how many records went, privately.
func runForget(b *Bot, c call) {
	user := userID(c.i)
	out, end, ok := b.beginWork(c, true)
	if !ok {
		return
	}
	defer end()
	if err := b.store.Flush(b.work); err != nil {
		b.fail(c, out, err)
		return
	}
	n, err := b.store.Forget(b.work, user)
	if err != nil {
		b.fail(c, out, err)
		return
	}
	b.answers.forgetUser(user)
	b.threads.forgetTurns()
	b.log.Info("/forget-me", "records", n) // not the user: that would be remembering them
	if n == 0 {
		out.tell(say(c.lang, "forgotNothing"))
		return
	}
	out.tell(say(c.lang, "forgot", n))
}
