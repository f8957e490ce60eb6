package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// gapsPerPage is how many groups a page of /gaps shows: ten rows of at
// most gapExampleRunes characters and their counts stay well within a
// message's 2,000.
const (
	gapsPerPage     = 10
	gapExampleRunes = 150
	gapsPrefix      = "gaps:" // a page button's custom ID: gaps:<days>:<page>
)

// gapsCommand is /gaps: what members asked that the articles could not
// answer (declined, or voted 👎), grouped, most frequent first, for the
// server's moderators only. However many groups there are, the reply is
// one private message showing a page at a time, with ◀ ▶ buttons.
func gapsCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{Name: "gaps", Description: "Questions the articles could not answer (Manage Server)",
			DescriptionLocalizations: french("Questions auxquelles les articles n'ont pas répondu (Gérer le serveur)"),
			DefaultMemberPermissions: &manageServer, Options: daysOption()},
		usage: [2]string{"`/gaps [days:]` questions left unanswered (Manage Server)", "`/gaps [days:]` questions restées sans réponse (Gérer le serveur)"},
		run:   runGaps,
	}
}

// runGaps shows the first page privately.
func runGaps(b *Bot, c call) {
	b.report(c, func(days int, out *interactionSink) {
		gaps, err := b.deps.Reports.Gaps(b.work, c.i.GuildID, days)
		if err != nil {
			b.fail(c, out, err)
			return
		}
		text, buttons := gapsPage(c.lang, gaps, days, 0)
		if err := out.final([]string{text}, nil, buttons); err != nil {
			b.log.Warn("cannot show /gaps", "interaction", c.i.ID, "err", err)
		}
	})
}

// onGapsPage turns the page of a /gaps reply: the groups are computed
// again (the reply keeps no state), and the message is updated in place.
func (b *Bot) onGapsPage(i *discordgo.Interaction, id, l string) {
	parts := strings.Split(strings.TrimPrefix(id, gapsPrefix), ":")
	days, err1 := strconv.Atoi(parts[0])
	page, err2 := strconv.Atoi(parts[len(parts)-1])
	if len(parts) != 2 || err1 != nil || err2 != nil || !canManage(i) || b.deps.Reports == nil || !b.adm.track() {
		b.unknown(i)
		return
	}
	defer b.adm.done()
	if err := b.api.respond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}); err != nil {
		b.log.Error("cannot acknowledge the interaction", "interaction", i.ID, "err", err)
		return
	}
	text := say(l, "failed")
	var buttons []discordgo.MessageComponent
	if gaps, err := b.deps.Reports.Gaps(b.work, i.GuildID, days); err != nil {
		b.log.Error("cannot compute /gaps", "err", err)
	} else {
		text, buttons = gapsPage(l, gaps, days, page)
	}
	if _, err := b.api.editResponse(i, &discordgo.WebhookEdit{Content: &text, Components: &buttons, AllowedMentions: noMentions()}); err != nil {
		b.log.Warn("cannot turn the /gaps page", "interaction", i.ID, "err", err)
	}
}

// gapsPage is page (from 0, clamped) of gaps as text, and the buttons to
// the pages before and after it.
func gapsPage(l string, gaps []Gap, days, page int) (string, []discordgo.MessageComponent) {
	if len(gaps) == 0 {
		return say(l, "gapsNone", days), []discordgo.MessageComponent{}
	}
	pages := (len(gaps) + gapsPerPage - 1) / gapsPerPage
	page = min(max(page, 0), pages-1)
	var sb strings.Builder
	sb.WriteString(say(l, "gapsHead", len(gaps), days, page+1, pages))
	for n, g := range gaps[page*gapsPerPage : min(len(gaps), (page+1)*gapsPerPage)] {
		example := strings.Join(strings.Fields(defuse(g.Example)), " ")
		fmt.Fprintf(&sb, "\n%d. **%d×** « %s » — %s", page*gapsPerPage+n+1, g.Count, truncate(example, gapExampleRunes),
			g.Last.UTC().Format("2006-01-02"))
	}
	button := func(label string, to int, disabled bool) discordgo.MessageComponent {
		return discordgo.Button{Label: label, Style: discordgo.SecondaryButton, Disabled: disabled,
			CustomID: fmt.Sprintf("%s%d:%d", gapsPrefix, days, to)}
	}
	if pages == 1 {
		return clip(sb.String(), maxContent), []discordgo.MessageComponent{}
	}
	// The two buttons' IDs differ even when both are disabled at the
	// ends: Discord refuses two components with one ID.
	row := discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		button("◀", page-1, page == 0), button("▶", page+1, page == pages-1)}}
	return clip(sb.String(), maxContent), []discordgo.MessageComponent{row}
}
