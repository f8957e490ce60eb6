package bot

import (
	"context"
	"strings"

	"github.com/citebot/citebot/store"
)

// configText says a server's settings as they apply now, each marked when
// it is the bot's default rather than the server's choice.
func (b *Bot) configText(_ context.Context, l, guild string) string {
	s := b.settings.get(guild)
	def := " " + say(l, "configDefault")
	mark := func(set bool) string {
		if set {
			return ""
		}
		return def
	}
	channels := s.Channels
	if !s.ChannelsSet {
		channels = b.cfg.Channels
	}
	watched := say(l, "configNone")
	if len(channels) > 0 {
		watched = "<#" + strings.Join(channels, "> <#") + ">"
	}
	style := firstNonBlank(s.ReplyStyle, styleThread)
	language := firstNonBlank(s.Language, langAsker)
	rate := s.RatePerMinute
	if rate == 0 {
		rate = b.cfg.RatePerMinute
	}
	kb := firstNonBlank(s.KB, store.DefaultKB)
	return clip(say(l, "configShow", watched+mark(s.ChannelsSet), say(l, "style_"+style)+mark(s.ReplyStyle != ""),
		say(l, "lang_"+language)+mark(s.Language != ""), rateText(l, rate)+mark(s.RatePerMinute != 0),
		"`"+kb+"`"+mark(s.KB != "")), maxContent)
}

// rateText says a per-member rate; a negative one is no limit.
func rateText(l string, perMinute int) string {
	if perMinute < 0 {
		return say(l, "rateOff")
	}
	return say(l, "ratePerMinute", perMinute)
}

// joinCode lists names as code, comma-separated.
func joinCode(names []string) string {
	return "`" + strings.Join(names, "`, `") + "`"
}

// containsFold reports whether s contains sub, ignoring case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
