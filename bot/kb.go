package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/citebot/citebot/store"
)

// origin is who asked, and where: what the question log, the kept answers
// and /forget-me need to know of a question's origin.
type origin struct {
	guild, channel, user string
}

// errNoKBs is the failure of a server assigned a knowledge base on a bot
// that serves only the default one.
var errNoKBs = errors.New("this bot serves only the default knowledge base")

// kbFor returns the parts that answer in guild — those of the knowledge
// base it was assigned, or the default's — and the base's name. A base
// that cannot be opened is an error, never the default instead: a
// server must not be answered from articles it was not given.
func (b *Bot) kbFor(guild string) (Deps, string, error) {
	name := b.settings.get(guild).KB
	if name == "" || name == store.DefaultKB {
		return b.deps, store.DefaultKB, nil
	}
	if b.deps.KB == nil {
		return Deps{}, name, fmt.Errorf("knowledge base %q: %w", name, errNoKBs)
	}
	d, err := b.deps.KB(name)
	if err != nil {
		return Deps{}, name, fmt.Errorf("knowledge base %q: %w", name, err)
	}
	if d.Answer == nil || d.Library == nil || d.Summary == nil {
		return Deps{}, name, fmt.Errorf("knowledge base %q has no answerer, library or summarizer", name)
	}
	return d, name, nil
}

// kbNames are the knowledge bases a server may be assigned: the default,
// then those recorded in the store, by name.
func (b *Bot) kbNames(ctx context.Context) ([]string, error) {
	names := []string{store.DefaultKB}
	if b.deps.KB == nil {
		return names, nil
	}
	kbs, err := b.store.KBs(ctx)
	if err != nil {
		return names, err
	}
	for _, kb := range kbs {
		if kb.Name != store.DefaultKB && !slices.Contains(names, kb.Name) {
			names = append(names, kb.Name)
		}
	}
	return names, nil
}

// withKB runs do with the parts of the call's server and its knowledge
// base's name, or tells the member that it cannot be used now.
func (b *Bot) withKB(c call, do func(d Deps, kb string)) {
	d, name, err := b.kbFor(c.i.GuildID)
	if err != nil {
		b.log.Error("cannot open the server's knowledge base", "guild", c.i.GuildID, "kb", name, "err", err)
		b.replies.respond(c.i, say(c.lang, "kbUnavailable", name), true)
		return
	}
	do(d, name)
}
