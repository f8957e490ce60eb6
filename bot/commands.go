package bot

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
)

// command is one slash command with everything about it in one place —
// what Discord shows, its line in /help, what it does — so that changing
// a command touches its one cmd_*.go file.
type command struct {
	def *discordgo.ApplicationCommand
	// textOpt names the option holding the question or query, if any: it
	// is the call's text, whose language is the replies' language when
	// the client's locale is not French.
	textOpt string
	usage   [2]string // its line in /help, in English and French; empty for none
	run     func(b *Bot, c call)
	// complete, when set, answers autocomplete on the command's options.
	complete func(b *Bot, i *discordgo.Interaction)
}

// call is one invocation of a command: the interaction, its string
// options, its text (the question or query, if the command takes one)
// and the language to reply in.
type call struct {
	i    *discordgo.Interaction
	opts map[string]string
	text string
	lang string
}

// who is the member who made the call, and where.
func (c call) who() origin {
	return origin{guild: c.i.GuildID, channel: c.i.ChannelID, user: userID(c.i)}
}

// commandSet is the bot's commands in the order Discord and /help list
// them, found by name when an interaction arrives.
type commandSet struct {
	list   []command
	byName map[string]command
}

// commands lists every command the bot offers; a new command is a
// cmd_*.go file and a line here.
func commands() commandSet {
	return newCommandSet(askCommand(), summaryCommand(), sourcesCommand(), searchCommand(), reindexCommand(), sourceCommand(),
		configCommand(), gapsCommand(), statsCommand(), forgetCommand(), helpCommand())
}

// newCommandSet indexes cs by name, keeping their order.
func newCommandSet(cs ...command) commandSet {
	s := commandSet{list: cs, byName: make(map[string]command, len(cs))}
	for _, c := range cs {
		s.byName[c.def.Name] = c
	}
	return s
}

// defs are the definitions Discord registers, in order.
func (s commandSet) defs() []*discordgo.ApplicationCommand {
	defs := make([]*discordgo.ApplicationCommand, len(s.list))
	for i, c := range s.list {
		defs[i] = c.def
	}
	return defs
}

// usage is the commands' lines for /help in lang, on one line.
func (s commandSet) usage(lang string) string {
	var lines []string
	for _, c := range s.list {
		if line := pick(lang, c.usage[0], c.usage[1]); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, " · ")
}

// textOption is the one required text option of a command taking a
// question, bounded as answer.Validate bounds questions, so that Discord
// stops a longer text before it is sent.
func textOption(name, en, fr string) []*discordgo.ApplicationCommandOption {
	return []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: name,
		Description: en, DescriptionLocalizations: *french(fr), Required: true, MaxLength: answer.MaxQuestionRunes}}
}

// french localizes a description for French clients; the English text is
// the default.
func french(s string) *map[discordgo.Locale]string {
	return &map[discordgo.Locale]string{discordgo.French: s}
}

// registerCommands replaces the application's commands in one bulk
// overwrite: on the configured guild (visible at once) or globally.
func (b *Bot) registerCommands() error {
	app := b.ready.me().ID
	if b.sess.State != nil && b.sess.State.Application != nil && b.sess.State.Application.ID != "" {
		app = b.sess.State.Application.ID
	}
	if _, err := b.sess.ApplicationCommandBulkOverwrite(app, b.cfg.GuildID, b.commands.defs()); err != nil {
		return fmt.Errorf("register slash commands: %w", err)
	}
	return nil
}

// onCommand runs the slash command an interaction names.
func (b *Bot) onCommand(i *discordgo.Interaction) {
	data := i.ApplicationCommandData()
	cmd, ok := b.commands.byName[data.Name]
	if !ok {
		b.unknown(i)
		return
	}
	opts := options(data.Options)
	text := opts[cmd.textOpt]
	cmd.run(b, call{i: i, opts: opts, text: text, lang: b.replyLang(i.GuildID, lang(i.Locale, text))})
}

// onAutocomplete lets the command being typed offer choices; a command
// without any (or unknown) offers none rather than leaving the member's
// client waiting.
func (b *Bot) onAutocomplete(i *discordgo.Interaction) {
	if cmd, ok := b.commands.byName[i.ApplicationCommandData().Name]; ok && cmd.complete != nil {
		cmd.complete(b, i)
		return
	}
	b.replies.offer(i, []*discordgo.ApplicationCommandOptionChoice{})
}

// beginQuestion admits the call's text like any question (checked,
// rate-limited, refusals shown to the member only), then acknowledges it:
// see begin.
func (b *Bot) beginQuestion(c call, ephemeral bool) (*interactionSink, func(), bool) {
	refuse := func(text string) { b.replies.respond(c.i, text, true) }
	return b.begin(c, b.admitQuestion(c.text, c.who(), c.lang, fromSlash, refuse), ephemeral)
}

// beginWork admits a command's work that is not a question, refused only
// while the bot stops, then acknowledges it: see begin.
func (b *Bot) beginWork(c call, ephemeral bool) (*interactionSink, func(), bool) {
	ok := b.adm.track()
	if !ok {
		b.replies.respond(c.i, say(c.lang, "restarting"), true)
	}
	return b.begin(c, ok, ephemeral)
}

// begin acknowledges admitted work at once with a deferred response
// (Discord wants one within three seconds) and returns the sink that
// fills it in and end, to call when the work is over. It returns false
// when the work was not admitted, or Discord did not take the
// acknowledgement (the work is then already ended).
func (b *Bot) begin(c call, admitted, ephemeral bool) (*interactionSink, func(), bool) {
	if !admitted {
		return nil, nil, false
	}
	out, ok := b.replies.deferred(c.i, ephemeral)
	if !ok {
		b.adm.done()
		return nil, nil, false
	}
	return out, b.adm.done, true
}

// fail tells the member a command failed, in a word, and logs the detail.
func (b *Bot) fail(c call, out *interactionSink, err error) {
	b.failure(err, c.lang, fromSlash, out.tell, "interaction", c.i.ID)
}
