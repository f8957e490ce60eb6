package bot

import (
	"context"
	"log/slog"
	"slices"

	"github.com/citebot/citebot/store"
)

// The values of store.Settings the bot understands (/config sets them).
const (
	styleThread  = "thread"  // a thread per question (the default)
	styleInPlace = "inplace" // a reply under the question
	langAsker    = "asker"   // the asker's language (the default)
	minRate      = 1         // questions per member a minute that /config accepts…
	maxRate      = 120       // …up to this
	keptSettings = 10_000    // servers whose settings are cached
)

// serverSettings are each server's choices, read from the store once and
// cached, since every message in a server consults them; /config writes
// through it, so a change applies at once. A server that set nothing
// has zero settings, and the bot's configuration (.env) applies.
type serverSettings struct {
	st  store.Store
	log *slog.Logger
	c   *lru[store.Settings]
}

// newServerSettings caches the settings of at most keptSettings servers.
func newServerSettings(st store.Store, log *slog.Logger) *serverSettings {
	return &serverSettings{st: st, log: log, c: newLRU[store.Settings](keptSettings)}
}

// get returns guild's settings; zero for a DM, or when the store cannot
// say (then it asks again next time).
func (s *serverSettings) get(guild string) store.Settings {
	if guild == "" {
		return store.Settings{}
	}
	if v, ok := s.c.get(guild); ok {
		return v
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeReadTimeout)
	defer cancel()
	v, err := s.st.Settings(ctx, guild)
	if err != nil {
		s.log.Warn("cannot read the server's settings; using the defaults", "guild", guild, "err", err)
		return store.Settings{}
	}
	s.c.put(guild, v)
	return v
}

// set stores guild's new settings and applies them at once.
func (s *serverSettings) set(ctx context.Context, guild string, v store.Settings) error {
	if err := s.st.SetSettings(ctx, guild, v); err != nil {
		return err
	}
	s.c.put(guild, v)
	return nil
}

// watches reports whether every message in channel (of guild) is a
// question: the server's watched channels once it has chosen them, the
// configured ones (DISCORD_CHANNELS) otherwise.
func (b *Bot) watches(guild, channel string) bool {
	if s := b.settings.get(guild); s.ChannelsSet {
		return slices.Contains(s.Channels, channel)
	}
	return b.watched[channel]
}

// replyLang is the language of the bot's words to a member of guild: the
// server's choice, or l, the language read from the member.
func (b *Bot) replyLang(guild, l string) string {
	switch s := b.settings.get(guild); s.Language {
	case "fr", "en":
		return s.Language
	}
	return l
}
