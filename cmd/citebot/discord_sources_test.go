package main

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot"
	"github.com/citebot/citebot/bot/discordtest"
)

const (
	testChannel = "200000000000000001"
	testManager = "300000000000000001"
	manageGuild = int64(discordgo.PermissionManageServer)
)

// discordBot is the bot citebot discord would run, on a fake Discord,
// over a keeper with the real registry and index in a temporary data
// directory that may fetch from this machine's test sites.
type discordBot struct {
	fake   *discordtest.Server
	keeper *indexKeeper
}

func startDiscordBot(t *testing.T) *discordBot {
	t.Helper()
	vars := map[string]string{"CITEBOT_DATA_DIR": t.TempDir(), "CITEBOT_FETCH_ALLOW": "127.0.0.1"}
	e, k := discordKeeper(t, vars, nil)
	withRegistry(t, k, 0)
	deps, _, err := e.botDeps(k, answer.DefaultMinCoverage)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordtest.New(t)
	b, err := bot.New(bot.Config{Token: "test-token", HTTPClient: fake.Client(), Logger: slog.New(slog.DiscardHandler),
		ShutdownTimeout: 5 * time.Second}, deps)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	wait, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := fake.WaitRequest(wait, discordtest.MatchRoute("PUT", "/applications/{app}/commands")); err != nil {
		t.Fatal(err)
	}
	return &discordBot{fake: fake, keeper: k}
}

// reply is the message the bot's response to i ends with: the deferred
// response's last edit, holding text or embeds.
type reply struct {
	Content string                    `json:"content"`
	Embeds  []*discordgo.MessageEmbed `json:"embeds"`
}

// send dispatches i and returns the edit of its response that match
// accepts (any edit when match is nil).
func (d *discordBot) send(t *testing.T, i *discordgo.Interaction, match func(string) bool) reply {
	t.Helper()
	if err := d.fake.Dispatch("INTERACTION_CREATE", i); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var got reply
	_, err := d.fake.WaitRequest(ctx, func(r discordtest.Request) bool {
		if !discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original")(r) {
			return false
		}
		got = reply{}
		return r.JSON(&got) == nil && (match == nil || match(string(r.Body)))
	})
	if err != nil {
		t.Fatalf("waiting for the reply to /%s: %v", i.ApplicationCommandData().Name, err)
	}
	return got
}

// choices dispatches an autocomplete and returns the values offered.
func (d *discordBot) choices(t *testing.T, i *discordgo.Interaction) []string {
	t.Helper()
	if err := d.fake.Dispatch("INTERACTION_CREATE", i); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, err := d.fake.WaitRequest(ctx, discordtest.MatchRoute("POST", "/interactions/"+i.ID+"/{token}/callback"))
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Data struct {
			Choices []struct{ Value string } `json:"choices"`
		} `json:"data"`
	}
	if err := r.JSON(&b); err != nil {
		t.Fatal(err)
	}
	var values []string
	for _, c := range b.Data.Choices {
		values = append(values, c.Value)
	}
	return values
}

// docWithURL is the ID of the indexed document with that URL, or "".
func (d *discordBot) docWithURL(url string) string {
	for _, doc := range d.keeper.live.Documents() {
		if doc.URL == url {
			return doc.ID
		}
	}
	return ""
}

// chunksOf is a document's chunk count in the index the bot serves.
func (d *discordBot) chunksOf(id string) int {
	for _, doc := range d.keeper.live.Documents() {
		if doc.ID == id {
			return doc.Chunks
		}
	}
	return 0
}

func (d *discordBot) source(sub string, opts map[string]any) *discordgo.Interaction {
	return d.fake.Subcommand("source", sub, opts, testManager, d.fake.GuildID(), testChannel, manageGuild)
}

// TestSourceCommandsWithTheRealRegistry drives /source through the real
// registry, fetcher and index: a page and a file are added and can be
// asked about at once, with the page's URL linked from the citation; a
// feed is followed and synced; the list shows them; a document picked by
// autocomplete is removed; and what cannot be added or removed is refused
// in words naming it.
func TestSourceCommandsWithTheRealRegistry(t *testing.T) {
	site := newNewsSite(t)
	site.set("/chaleur", newsPage("Lyon se chauffe aux eaux usées", heatParas...))
	site.set("/dentelle", newsPage("La dentelle du Puy retrouve des apprenties", laceParas...))
	site.set("/feed.xml", feedXML(site.URL+"/dentelle"))
	d := startDiscordBot(t)

	got := d.send(t, d.source("add", map[string]any{"url": site.URL + "/chaleur"}), nil).Content
	id := d.docWithURL(site.URL + "/chaleur")
	if n := d.chunksOf(id); n == 0 || !strings.HasPrefix(got, "Added: **Lyon se chauffe aux eaux usées** · "+strconv.Itoa(n)+" chunks · `"+id+"`\n<"+site.URL+"/chaleur>") {
		t.Fatalf("add url: got %q, want the title, its %d chunks, ID %s and link", got, n, id)
	}

	ask := d.fake.SlashCommand("ask", map[string]any{"question": "Combien a coûté le réseau de chaleur alimenté par les eaux usées à Lyon ?"},
		testManager, d.fake.GuildID(), testChannel, 0)
	link := "[127.0.0.1](" + site.URL + "/chaleur)"
	answer := d.send(t, ask, func(body string) bool { return strings.Contains(body, `"embeds":[{`) })
	if len(answer.Embeds) == 0 || !strings.Contains(answer.Embeds[0].Fields[0].Value, link) {
		t.Errorf("ask: got %q with embeds %+v, want the first source linked as %s", answer.Content, answer.Embeds, link)
	}

	file := d.fake.Attachment("cours.md", []byte("---\ntitle: Le fuseau de buis\n---\nLe fuseau de buis se tourne à la main dans les ateliers du Velay depuis trois siècles.\n"))
	if got := d.send(t, d.source("add", map[string]any{"file": file}), nil).Content; !strings.HasPrefix(got, "Added: **Le fuseau de buis** · 1 chunks · `file_") || !strings.HasSuffix(got, "\ncours.md") {
		t.Errorf("add file: got %q, want the file's title, 1 chunk and its name", got)
	}

	got = d.send(t, d.source("feed", map[string]any{"url": site.URL + "/feed.xml"}), nil).Content
	if !strings.HasPrefix(got, "Following **Journal** <"+site.URL+"/feed.xml>: 1 articles listed, 1 indexed (") {
		t.Errorf("feed: got %q, want the feed followed and its article indexed", got)
	}

	list := d.send(t, d.source("list", nil), nil)
	if len(list.Embeds) != 1 || list.Embeds[0].Title != "Added articles (3)" || !strings.Contains(list.Embeds[0].Description, "Journal — 1 articles") {
		t.Errorf("list: got %+v, want 3 added articles and the feed", list.Embeds)
	}

	values := d.choices(t, d.fake.SubcommandAutocomplete("source", "remove", "document", "dentelle", nil, testManager, d.fake.GuildID(), testChannel, manageGuild))
	if len(values) != 1 || d.chunksOf(values[0]) == 0 {
		t.Fatalf("autocomplete: got %q, want the one indexed lace article", values)
	}
	got = d.send(t, d.source("remove", map[string]any{"document": values[0]}), nil).Content
	if !strings.HasPrefix(got, "Removed **La dentelle du Puy retrouve des apprenties** (`"+values[0]+"`)") || d.chunksOf(values[0]) != 0 {
		t.Errorf("remove: got %q and %d chunks left, want it gone from the index", got, d.chunksOf(values[0]))
	}

	for _, tt := range []struct {
		name string
		i    *discordgo.Interaction
		want string
	}{
		{"missing page", d.source("add", map[string]any{"url": site.URL + "/nowhere"}), "Not added: " + site.URL + "/nowhere: HTTP 404 Not Found"},
		{"built-in article", d.source("remove", map[string]any{"document": "000_e36295c6d4f2ae41"}), "Not removed: 000_e36295c6d4f2ae41 is a built-in article"},
		{"unknown ID", d.source("remove", map[string]any{"document": "web_nothing"}), "Not removed: web_nothing: no added document has this ID"},
	} {
		if got := d.send(t, tt.i, nil).Content; !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: got %q, want it to start with %q", tt.name, got, tt.want)
		}
	}
}
