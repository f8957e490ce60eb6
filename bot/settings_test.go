package bot

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot/discordtest"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/store"
)

// config runs /config sub with opts as a member with perms, and returns
// the private reply's text.
func (h *harness) config(t *testing.T, guild, sub string, opts map[string]any, perms int64) string {
	t.Helper()
	i := h.fake.Subcommand("config", sub, opts, asker, guild, channel, perms)
	h.dispatch(t, "INTERACTION_CREATE", i)
	b := decode(t, h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+i.ID+"/{token}/callback")))
	if b.Data == nil || b.Data.Flags&64 == 0 {
		t.Fatalf("/config %s: got %+v, want a private reply", sub, b)
	}
	return b.Data.Content
}

// TestConfigIsAppliedAndSurvivesARestart watches a channel, answers in
// place and slows the rate from Discord: each applies at once, and a new
// bot on the same store keeps them.
func TestConfigIsAppliedAndSurvivesARestart(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	st := store.NewMemory(store.MemoryLimits{})
	withStore := func(c *Config, d *Deps) { d.Store = st }
	h := launch(t, fake, withStore)
	const watched = "200000000000000042"
	for _, c := range []struct {
		sub  string
		opts map[string]any
	}{{"watch", map[string]any{"channel": watched}}, {"style", map[string]any{"style": "inplace"}},
		{"rate", map[string]any{"per_minute": 1}}} {
		if got := h.config(t, fake.GuildID(), c.sub, c.opts, manager); !strings.HasPrefix(got, say("en", "configSaved")) {
			t.Fatalf("/config %s: got %q, want it saved", c.sub, got)
		}
	}
	h.shutdown(t)

	h = launch(t, fake, withStore)
	if got := h.config(t, fake.GuildID(), "show", nil, manager); !strings.Contains(got, "<#"+watched+">") ||
		!strings.Contains(got, say("en", "style_inplace")) || !strings.Contains(got, say("en", "ratePerMinute", 1)) {
		t.Errorf("after a restart: got %q, want the watched channel, replies in place and 1 a minute", got)
	}
	// No mention, in the watched channel: answered in place, no thread.
	var asked []*discordgo.Message
	for range 3 {
		m := fake.MessageCreate(watched, fake.GuildID(), asker, question, false)
		asked = append(asked, m)
		h.dispatch(t, "MESSAGE_CREATE", m)
	}
	replies, err := fake.WaitRequests(ctxFor(t), 3, discordtest.MatchRoute("POST", "/channels/"+watched+"/messages"))
	if err != nil {
		t.Fatal(err)
	}
	// The third, past the burst of 2, waits about a minute at 1 a minute
	// (at most 15s at the default 4).
	var waits []time.Duration
	for _, r := range replies {
		if m := waitRE.FindStringSubmatch(decode(t, r).Content); m != nil {
			d, err := time.ParseDuration(m[1])
			if err != nil {
				t.Fatal(err)
			}
			waits = append(waits, d)
		}
	}
	if len(waits) != 1 || waits[0] < 30*time.Second {
		t.Errorf("got waits %v, want one of about a minute", waits)
	}
	for _, r := range fake.Requests() {
		if strings.HasSuffix(r.Route(), "/threads") {
			t.Errorf("got %s %s, want answers in place", r.Method, r.Path)
		}
	}
}

// waitRE finds the wait in a rate-limit reply ("wait 59s before", "attendre 1m0s avant").
var waitRE = regexp.MustCompile(`(?:wait|attendre) ((?:\d+m)?\d+s)`)

// TestConfigRefusesWithTheReason sends changes that must not be stored:
// each is refused saying why, and the settings stay as they were.
func TestConfigRefusesWithTheReason(t *testing.T) {
	h := start(t, nil)
	other := &discordgo.Channel{ID: "200000000000000051", GuildID: "300000000000000099", Name: "elsewhere", Type: discordgo.ChannelTypeGuildText}
	voice := &discordgo.Channel{ID: "200000000000000052", GuildID: h.fake.GuildID(), Name: "voice", Type: discordgo.ChannelTypeGuildVoice}
	h.fake.SetChannel(other)
	h.fake.SetChannel(voice)
	tests := []struct {
		name, sub string
		opts      map[string]any
		perms     int64
		want      string
	}{
		{"another server's channel", "watch", map[string]any{"channel": other.ID}, manager, say("en", "configOtherServer", other.ID)},
		{"a voice channel", "watch", map[string]any{"channel": voice.ID}, manager, say("en", "configNotText", voice.ID)},
		{"rate 0", "rate", map[string]any{"per_minute": 0}, manager, say("en", "configRate", "0", minRate, maxRate)},
		{"rate 10,000", "rate", map[string]any{"per_minute": 10_000}, manager, say("en", "configRate", "10000", minRate, maxRate)},
		{"unknown knowledge base", "kb", map[string]any{"name": "nope"}, manager, say("en", "configKB", "nope", "`default`")},
		{"unknown style", "style", map[string]any{"style": "shout"}, manager, say("en", "configChoice", "shout")},
		{"not a manager", "rate", map[string]any{"per_minute": 5}, 0, say("en", "noPermConfig")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.config(t, h.fake.GuildID(), tt.sub, tt.opts, tt.perms); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if s, _ := h.bot.store.Settings(t.Context(), h.fake.GuildID()); !slices.Equal(s.Channels, nil) || s.RatePerMinute != 0 || s.KB != "" || s.ReplyStyle != "" {
		t.Errorf("got settings %+v, want nothing stored", s)
	}
}

// TestConfigLanguage has the bot speak English in a server whatever the
// asker's language.
func TestConfigLanguage(t *testing.T) {
	h := start(t, func(c *Config, _ *Deps) { c.syncEvents = true })
	h.config(t, h.fake.GuildID(), "language", map[string]any{"language": "en"}, manager)
	m := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention(), true)
	h.dispatch(t, "MESSAGE_CREATE", m)
	if b := decode(t, h.wait(t, discordtest.MatchRoute("POST", "/channels/"+channel+"/messages"))); b.Content != say("en", "empty") {
		t.Errorf("got %q, want the English invitation to ask", b.Content)
	}
	// The answer itself too: a French question the articles do not answer
	// is declined in English.
	q := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention()+" Quelle est la recette de la tarte tatin ?", true)
	h.dispatch(t, "MESSAGE_CREATE", q)
	if _, err := h.fake.WaitRequests(ctxFor(t), 1, func(r discordtest.Request) bool {
		return strings.Contains(string(r.Body), "I could not find the answer")
	}); err != nil {
		t.Errorf("the answer was not declined in English: %v", err)
	}
}

// kbIndex is the index of one of the tiny corpora in testdata/kb.
func kbIndex(t *testing.T, name string) *retrieval.Index {
	t.Helper()
	docs, _, err := corpus.LoadDir("testdata/kb/" + name)
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := retrieval.Open(context.Background(), docs, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestServersOnTwoKnowledgeBases assigns two servers different knowledge
// bases: each is answered from its own articles, and a question about the
// other's never cites them.
func TestServersOnTwoKnowledgeBases(t *testing.T) {
	kbs := map[string]*retrieval.Index{"alpha": kbIndex(t, "alpha"), "beta": kbIndex(t, "beta")}
	st := store.NewMemory(store.MemoryLimits{})
	h := start(t, func(c *Config, d *Deps) {
		c.RatePerMinute = -1
		d.Store = st
		d.KB = func(name string) (Deps, error) {
			ix, ok := kbs[name]
			if !ok {
				return Deps{}, fmt.Errorf("no knowledge base %q", name)
			}
			return Deps{Answer: extractive(&answer.Extractive{Index: ix}), Library: ix, Summary: &answer.Summarizer{Index: ix}}, nil
		}
	})
	for name := range kbs {
		st.CreateKB(t.Context(), store.KB{Name: name, Corpus: "testdata/kb/" + name})
	}
	guildA, guildB := h.fake.GuildID(), "300000000000000077"
	for guild, kb := range map[string]string{guildA: "alpha", guildB: "beta"} {
		if got := h.config(t, guild, "kb", map[string]any{"name": kb}, manager); !strings.Contains(got, "`"+kb+"`") {
			t.Fatalf("/config kb %s: got %q", kb, got)
		}
	}
	volcano, lighthouse := "Quand date la dernière éruption de la chaîne des Puys ?", "Quand le dernier gardien a-t-il quitté le phare d'Ar-Men ?"
	for _, guild := range []string{guildA, guildB} {
		for _, q := range []string{volcano, lighthouse} {
			i := h.fake.SlashCommand("ask", map[string]any{"question": q}, asker, guild, channel, 0)
			h.dispatch(t, "INTERACTION_CREATE", i)
			h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original"))
		}
	}
	h.shutdown(t) // the answers in flight end, and are logged
	for guild, own := range map[string]string{guildA: "alpha_", guildB: "beta_"} {
		qs, _ := st.Questions(t.Context(), store.Filter{Guild: guild})
		var cited []string
		for _, q := range qs {
			cited = append(cited, q.Cited...)
		}
		if len(qs) != 2 || len(cited) == 0 {
			t.Errorf("guild %s: got %d questions citing %q, want 2 with citations of its own", guild, len(qs), cited)
		}
		for _, d := range cited {
			if !strings.HasPrefix(d, own) {
				t.Errorf("guild %s: cited %s, want only %s* documents", guild, d, own)
			}
		}
	}
}
