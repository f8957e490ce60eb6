package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/bot/discordtest"
)

// manager is the Manage Server permission of the members who may use
// /source.
const manager = discordgo.PermissionManageServer

// fakeSources records what /source asked for and answers from docs.
type fakeSources struct {
	mu    sync.Mutex
	calls []string
	data  []byte // the last file's bytes
	docs  []SourceDoc
	err   error // returned by every add and remove when set
}

func (f *fakeSources) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeSources) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeSources) AddURL(_ context.Context, url string) (SourceDoc, error) {
	f.record("AddURL " + url)
	return SourceDoc{ID: "web_news.example_1a2b", Title: "Lyon se chauffe aux eaux usées", Date: "2025-03-02", URL: url, Chunks: 4, Status: SourceAdded}, f.err
}

func (f *fakeSources) AddFile(_ context.Context, name string, data []byte) (SourceDoc, error) {
	f.record("AddFile " + name)
	f.mu.Lock()
	f.data = append([]byte(nil), data...)
	f.mu.Unlock()
	return SourceDoc{ID: "file_9f8e", Title: "Notes de cours", File: name, Chunks: 2, Status: SourceAdded}, f.err
}

func (f *fakeSources) AddFeed(_ context.Context, url string) (SourceFeed, error) {
	f.record("AddFeed " + url)
	return SourceFeed{URL: url, Title: "Journal", Items: 3, Docs: 2, Chunks: 7, Failed: 1}, f.err
}

func (f *fakeSources) Remove(_ context.Context, id string) (SourceDoc, error) {
	f.record("Remove " + id)
	for _, d := range f.docs {
		if d.ID == id {
			return d, f.err
		}
	}
	return SourceDoc{}, Refused(fmt.Errorf("%s: no added document has this ID", id))
}

func (f *fakeSources) List(context.Context) (SourceList, error) {
	f.record("List")
	return SourceList{Docs: f.docs, Feeds: []SourceFeed{{URL: "https://news.example/feed.xml", Title: "Journal", Items: 3}}}, nil
}

// startWithSources runs a bot whose /source drives src.
func startWithSources(t *testing.T, src Sources) *harness {
	return start(t, func(_ *Config, d *Deps) { d.Sources = src })
}

// reply waits for the final text of the deferred response to i, after
// checking the acknowledgement was deferred and private.
func (h *harness) reply(t *testing.T, i *discordgo.Interaction) body {
	t.Helper()
	ack := decode(t, h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+i.ID+"/{token}/callback")))
	if ack.Type != 5 || ack.Data == nil || ack.Data.Flags&64 == 0 {
		t.Fatalf("got acknowledgement %+v, want a private deferred response (type 5, ephemeral)", ack)
	}
	r := h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original"))
	checkNoMentions(t, r)
	return decode(t, r)
}

// refusal waits for the immediate private answer to i.
func (h *harness) refusal(t *testing.T, i *discordgo.Interaction) string {
	t.Helper()
	b := decode(t, h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+i.ID+"/{token}/callback")))
	if b.Type != 4 || b.Data == nil || b.Data.Flags&64 == 0 {
		t.Fatalf("got %+v, want a private message (type 4, ephemeral)", b)
	}
	return b.Data.Content
}

func TestSourceNeedsManageServer(t *testing.T) {
	src := &fakeSources{}
	h := startWithSources(t, src)
	for _, perms := range []int64{0, discordgo.PermissionSendMessages} {
		i := h.fake.Subcommand("source", "add", map[string]any{"url": "https://news.example/a"}, asker, h.fake.GuildID(), channel, perms)
		h.dispatch(t, "INTERACTION_CREATE", i)
		if got := h.refusal(t, i); got != say("en", "noPermSource") {
			t.Errorf("permissions %d: got %q, want %q", perms, got, say("en", "noPermSource"))
		}
	}
	ac := h.fake.SubcommandAutocomplete("source", "remove", "document", "", nil, asker, h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", ac)
	if b := decode(t, h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+ac.ID+"/{token}/callback"))); len(b.Data.Choices) != 0 {
		t.Errorf("autocomplete for a member: got %v, want no choices", b.Data.Choices)
	}
	if calls := src.called(); len(calls) != 0 {
		t.Errorf("got calls %q, want none for members without Manage Server", calls)
	}
}

func TestSourceWithoutRegistry(t *testing.T) {
	h := start(t, nil)
	i := h.fake.Subcommand("source", "list", nil, asker, h.fake.GuildID(), channel, manager)
	h.dispatch(t, "INTERACTION_CREATE", i)
	if got := h.refusal(t, i); got != say("en", "sourcesOff") {
		t.Errorf("got %q, want %q", got, say("en", "sourcesOff"))
	}
}

func TestSourceAddURL(t *testing.T) {
	src := &fakeSources{}
	h := startWithSources(t, src)
	i := h.fake.Subcommand("source", "add", map[string]any{"url": " https://news.example/chaleur "}, asker, h.fake.GuildID(), channel, manager)
	h.dispatch(t, "INTERACTION_CREATE", i)
	got := h.reply(t, i).Content
	want := "Added: **Lyon se chauffe aux eaux usées** (2025-03-02) · 4 chunks · `web_news.example_1a2b`\n<https://news.example/chaleur>"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if calls := src.called(); len(calls) != 1 || calls[0] != "AddURL https://news.example/chaleur" {
		t.Errorf("got calls %q, want AddURL of the trimmed link", calls)
	}
}

// TestSourceRefusalsAndFailures: a refusal from the registry is shown in
// its own words; any other error is a failure in a word, logged.
func TestSourceRefusalsAndFailures(t *testing.T) {
	for _, tt := range []struct {
		name, want string
		err        error
	}{
		{"refused", "Not added: https://news.example/x: the server answered 404 Not Found", Refused(errors.New("https://news.example/x: the server answered 404 Not Found"))},
		{"failed", say("en", "failed"), errors.New("index: open /secret/path: permission denied")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := startWithSources(t, &fakeSources{err: tt.err})
			i := h.fake.Subcommand("source", "add", map[string]any{"url": "https://news.example/x"}, asker, h.fake.GuildID(), channel, manager)
			h.dispatch(t, "INTERACTION_CREATE", i)
			if got := h.reply(t, i).Content; got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			h.shutdown(t)
			if !strings.Contains(h.logs.String(), tt.err.Error()) {
				t.Errorf("got logs %q, want the detail %q", h.logs.String(), tt.err)
			}
		})
	}
}

func TestSourceAddOneOfURLOrFile(t *testing.T) {
	h := startWithSources(t, &fakeSources{})
	file := h.fake.Attachment("a.md", []byte("# A\n\nText."))
	for _, opts := range []map[string]any{nil, {"url": "https://news.example/a", "file": file}} {
		i := h.fake.Subcommand("source", "add", opts, asker, h.fake.GuildID(), channel, manager)
		h.dispatch(t, "INTERACTION_CREATE", i)
		if got := h.refusal(t, i); got != say("en", "sourceAddOne") {
			t.Errorf("options %v: got %q, want %q", opts, got, say("en", "sourceAddOne"))
		}
	}
}

// TestSourceAddAttachment: the bot downloads the attachment from Discord's
// CDN (the fake) and hands its exact bytes to the registry.
func TestSourceAddAttachment(t *testing.T) {
	src := &fakeSources{}
	h := startWithSources(t, src)
	content := []byte("---\ntitle: Notes de cours\n---\nLe réseau de chaleur a coûté 18 millions d'euros.\n")
	file := h.fake.Attachment("notes.md", content)
	i := h.fake.Subcommand("source", "add", map[string]any{"file": file}, asker, h.fake.GuildID(), channel, manager)
	h.dispatch(t, "INTERACTION_CREATE", i)
	got := h.reply(t, i).Content
	if want := "Added: **Notes de cours** · 2 chunks · `file_9f8e`\nnotes.md"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	src.mu.Lock()
	data := src.data
	src.mu.Unlock()
	if calls := src.called(); len(calls) != 1 || calls[0] != "AddFile notes.md" || !bytes.Equal(data, content) {
		t.Errorf("got calls %q with %d bytes, want AddFile notes.md with the attachment's %d bytes", calls, len(data), len(content))
	}
	dl := h.wait(t, discordtest.MatchRoute("GET", "/attachments/{g}/{id}/{name}"))
	if dl.Host != "cdn.discordapp.com" {
		t.Errorf("got the download from %q, want cdn.discordapp.com", dl.Host)
	}
}

// TestSourceAttachmentRefusedBeforeDownload: the type and the announced
// size rule a file out before a byte is fetched.
func TestSourceAttachmentRefusedBeforeDownload(t *testing.T) {
	src := &fakeSources{}
	h := startWithSources(t, src)
	big := h.fake.Attachment("rapport.pdf", []byte("%PDF-1.4"))
	big.Size = 6 << 20
	for _, tt := range []struct {
		file *discordgo.MessageAttachment
		want string
	}{
		{h.fake.Attachment("setup.exe", []byte("MZ")), "setup.exe: only .html, .md, .txt and .pdf files can be added."},
		{h.fake.Attachment("photo.PNG", []byte("\x89PNG")), "photo.PNG: only .html, .md, .txt and .pdf files can be added."},
		{big, "rapport.pdf is 6.0 MB; files up to 5 MB can be added."},
	} {
		i := h.fake.Subcommand("source", "add", map[string]any{"file": tt.file}, asker, h.fake.GuildID(), channel, manager)
		h.dispatch(t, "INTERACTION_CREATE", i)
		if got := h.refusal(t, i); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
	for _, r := range h.fake.Requests() {
		if strings.HasPrefix(r.Route(), "/attachments/") {
			t.Errorf("got a download of %s, want none", r.Route())
		}
	}
	if calls := src.called(); len(calls) != 0 {
		t.Errorf("got calls %q, want none", calls)
	}
}

// TestSourceRemoveWithAutocomplete: a manager types part of a title,
// picks the document, and it is removed by ID.
func TestSourceRemoveWithAutocomplete(t *testing.T) {
	src := &fakeSources{docs: []SourceDoc{
		{ID: "web_news.example_1a2b", Title: "Lyon se chauffe aux eaux usées", URL: "https://news.example/chaleur", Chunks: 4},
		{ID: "file_9f8e", Title: "La dentelle du Puy", File: "dentelle.pdf", Chunks: 3},
	}}
	h := startWithSources(t, src)
	ac := h.fake.SubcommandAutocomplete("source", "remove", "document", "LYON", nil, asker, h.fake.GuildID(), channel, manager)
	h.dispatch(t, "INTERACTION_CREATE", ac)
	b := decode(t, h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+ac.ID+"/{token}/callback")))
	if b.Type != 8 || len(b.Data.Choices) != 1 || b.Data.Choices[0]["value"] != "web_news.example_1a2b" || b.Data.Choices[0]["name"] != "Lyon se chauffe aux eaux usées" {
		t.Fatalf("got type %d choices %v, want the one matching document", b.Type, b.Data.Choices)
	}
	i := h.fake.Subcommand("source", "remove", map[string]any{"document": "web_news.example_1a2b"}, asker, h.fake.GuildID(), channel, manager)
	h.dispatch(t, "INTERACTION_CREATE", i)
	if got, want := h.reply(t, i).Content, "Removed **Lyon se chauffe aux eaux usées** (`web_news.example_1a2b`): its 4 chunks left the index."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	unknown := h.fake.Subcommand("source", "remove", map[string]any{"document": "000_builtin"}, asker, h.fake.GuildID(), channel, manager)
	h.dispatch(t, "INTERACTION_CREATE", unknown)
	if got, want := h.reply(t, unknown).Content, "Not removed: 000_builtin: no added document has this ID"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSourceFeed(t *testing.T) {
	src := &fakeSources{}
	h := startWithSources(t, src)
	i := h.fake.Subcommand("source", "feed", map[string]any{"url": "https://news.example/feed.xml"}, asker, h.fake.GuildID(), channel, manager)
	h.dispatch(t, "INTERACTION_CREATE", i)
	want := "Following **Journal** <https://news.example/feed.xml>: 3 articles listed, 2 indexed (7 chunks). 1 could not be fetched; the next sync tries again."
	if got := h.reply(t, i).Content; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSourceList(t *testing.T) {
	src := &fakeSources{docs: []SourceDoc{
		{ID: "web_news.example_1a2b", Title: "Lyon se chauffe aux eaux usées", Date: "2025-03-02", URL: "https://news.example/chaleur", Chunks: 4},
		{ID: "file_9f8e", Title: "La dentelle du Puy [voir](https://evil.example)", File: "dentelle.pdf", Chunks: 3},
	}}
	h := startWithSources(t, src)
	i := h.fake.Subcommand("source", "list", nil, asker, h.fake.GuildID(), channel, manager)
	h.dispatch(t, "INTERACTION_CREATE", i)
	b := h.reply(t, i)
	checkEmbeds(t, b.Embeds)
	if len(b.Embeds) != 1 || b.Embeds[0].Title != "Added articles (2)" || len(b.Embeds[0].Fields) != 2 {
		t.Fatalf("got %+v, want one embed listing the 2 documents", b.Embeds)
	}
	e := b.Embeds[0]
	if !strings.Contains(e.Description, "[news.example](https://news.example/feed.xml) Journal — 3 articles") {
		t.Errorf("got description %q, want the followed feed", e.Description)
	}
	for _, want := range []string{
		"Lyon se chauffe aux eaux usées\n2025-03-02 · 4 chunks · [news.example](https://news.example/chaleur)",
		"La dentelle du Puy voir (https://evil.example)\n3 chunks · dentelle.pdf",
	} {
		found := false
		for _, f := range e.Fields {
			found = found || f.Value == want
		}
		if !found {
			t.Errorf("got fields %+v, want one valued %q", e.Fields, want)
		}
	}
}
