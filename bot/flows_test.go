package bot

import (
	"context"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot/discordtest"
)

const question = "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?"

func TestMentionIsAnsweredInAThread(t *testing.T) {
	h := start(t, nil)
	m := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention()+" "+question+" @everyone", true)
	h.dispatch(t, "MESSAGE_CREATE", m)
	h.wait(t, discordtest.MatchRoute("POST", "/channels/"+channel+"/typing"))
	h.wait(t, discordtest.MatchRoute("POST", "/channels/"+channel+"/messages/"+m.ID+"/threads"))
	// A thread started on a message takes the message's ID.
	r := h.wait(t, discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages"))
	b := decode(t, r)
	checkNoMentions(t, r)
	if !strings.Contains(b.Content, "[1]") || len(b.Embeds) == 0 || len(b.Components) == 0 {
		t.Errorf("got content %q, %d embeds, %d component rows; want a cited answer, sources and buttons", b.Content, len(b.Embeds), len(b.Components))
	}
	if strings.Contains(b.Content, "@everyone") {
		t.Errorf("got %q, want no live @everyone in the text", b.Content)
	}
}

func TestWatchedChannelAndFollowUpInThread(t *testing.T) {
	p := &recordingPipeline{}
	h := start(t, func(c *Config, d *Deps) {
		c.Channels = []string{channel}
		p.next = d.Answer
		d.Answer = p.Answer
	})
	m := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, question, false)
	h.dispatch(t, "MESSAGE_CREATE", m)
	h.wait(t, discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages"))
	followUp := h.fake.MessageCreate(m.ID, h.fake.GuildID(), asker, "Et Sam Altman ?", false)
	h.dispatch(t, "MESSAGE_CREATE", followUp)
	h.fake.WaitRequests(ctxFor(t), 2, discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages"))
	calls := p.calls()
	if len(calls) != 2 || len(calls[1].history) != 1 || calls[1].history[0].Question != question {
		t.Errorf("got calls %+v, want the follow-up answered with the thread's history", calls)
	}
}

// recordingPipeline records the questions and histories it is given.
type recordingPipeline struct {
	next answer.Pipeline
	mu   sync.Mutex
	log  []pipelineCall
}

// pipelineCall is one question and history a pipeline was given.
type pipelineCall struct {
	q       string
	history []answer.Turn
}

// Answer records the call and answers with next.
func (p *recordingPipeline) Answer(ctx context.Context, q string, h []answer.Turn, d func(string)) (answer.Answer, error) {
	p.mu.Lock()
	p.log = append(p.log, pipelineCall{q, h})
	p.mu.Unlock()
	return p.next(ctx, q, h, d)
}

// calls returns a copy of the calls so far.
func (p *recordingPipeline) calls() []pipelineCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]pipelineCall(nil), p.log...)
}

func TestSlashAskIsDeferredThenEdited(t *testing.T) {
	release := make(chan struct{})
	h := start(t, func(_ *Config, d *Deps) { d.Answer = blockingPipeline{next: d.Answer, release: release}.Answer })
	i := h.fake.SlashCommand("ask", map[string]any{"question": question}, asker, h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", i)
	// The pipeline cannot finish until the deferral is seen: the
	// acknowledgement never waits for the answer.
	r := h.wait(t, discordtest.MatchRoute("POST", "/interactions/{id}/{token}/callback"))
	if b := decode(t, r); b.Type != 5 {
		t.Fatalf("got callback type %d, want 5 (deferred)", b.Type)
	}
	checkNoMentions(t, r)
	close(release)
	edit := h.wait(t, func(r discordtest.Request) bool {
		return discordtest.MatchRoute("PATCH", "/webhooks/{app}/{token}/messages/@original")(r) && strings.Contains(string(r.Body), "embeds")
	})
	b := decode(t, edit)
	checkNoMentions(t, edit)
	if !strings.Contains(b.Content, "[1]") || len(b.Embeds) == 0 {
		t.Errorf("got %q with %d embeds, want the cited answer and its sources", b.Content, len(b.Embeds))
	}
}

// blockingPipeline answers only once release is closed, so a test can
// see what the bot does before the answer.
type blockingPipeline struct {
	next    answer.Pipeline
	release chan struct{}
}

// Answer waits for release (or the end of ctx), then answers with next.
func (p blockingPipeline) Answer(ctx context.Context, q string, h []answer.Turn, d func(string)) (answer.Answer, error) {
	select {
	case <-p.release:
	case <-ctx.Done():
		return answer.Answer{}, ctx.Err()
	}
	return p.next(ctx, q, h, d)
}

// longPipeline answers with a text far over Discord's limit, streamed.
type longPipeline struct{ started chan struct{} }

// Answer streams the start of a long text, waits for started if set,
// then returns the whole text with one source.
func (p longPipeline) Answer(ctx context.Context, q string, _ []answer.Turn, d func(string)) (answer.Answer, error) {
	var b strings.Builder
	for i := 0; i < 60; i++ {
		b.WriteString("Le Royaume-Uni investit dans l'intelligence artificielle et les centres de données du pays [1]. ")
		if i%10 == 9 {
			b.WriteString("\n\n")
		}
	}
	d(b.String()[:200])
	if p.started != nil {
		<-p.started
	}
	return answer.Answer{Question: q, Lang: "fr", Mode: answer.ModeLLM, Text: b.String(),
		Sources: []answer.Source{{N: 1, ChunkID: "000#0", DocID: "000", Title: "Titre", Quote: "Citation."}}}, nil
}

func TestLongAnswerIsSplitAndProgressive(t *testing.T) {
	started := make(chan struct{})
	h := start(t, func(_ *Config, d *Deps) { d.Answer = longPipeline{started: started}.Answer })
	i := h.fake.SlashCommand("ask", map[string]any{"question": question}, asker, h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", i)
	// The partial text arrives as an edit before the answer is complete.
	progress := h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/{token}/messages/@original"))
	if b := decode(t, progress); !strings.HasSuffix(b.Content, "…") {
		t.Errorf("got first edit %q, want partial text marked as in progress", b.Content)
	}
	close(started)
	h.wait(t, func(r discordtest.Request) bool {
		return discordtest.MatchRoute("POST", "/webhooks/{app}/{token}")(r) && strings.Contains(string(r.Body), `"embeds":[`)
	})
	var parts []string
	var last discordtest.Request
	for _, r := range h.fake.Requests() {
		if discordtest.MatchRoute("PATCH", "/webhooks/{app}/{token}/messages/@original")(r) || discordtest.MatchRoute("POST", "/webhooks/{app}/{token}")(r) {
			b := decode(t, r)
			checkNoMentions(t, r)
			if n := utf8.RuneCountInString(b.Content); n > maxContent {
				t.Errorf("got a message of %d characters, want at most %d", n, maxContent)
			}
			parts = append(parts, b.Content)
			last = r
		}
	}
	if b := decode(t, last); len(b.Embeds) == 0 {
		t.Errorf("got no sources on the last part")
	}
	if len(parts) < 3 {
		t.Errorf("got %d messages, want the progress edit and several parts", len(parts))
	}
}

func TestRateLimitIsPoliteAndPrivate(t *testing.T) {
	h := start(t, func(c *Config, _ *Deps) { c.RatePerMinute, c.RateBurst = 1, 1 })
	for n := 0; n < 2; n++ {
		h.dispatch(t, "INTERACTION_CREATE", h.fake.SlashCommand("ask", map[string]any{"question": question}, asker, h.fake.GuildID(), channel, 0))
	}
	r := h.wait(t, func(r discordtest.Request) bool {
		return discordtest.MatchRoute("POST", "/interactions/{id}/{token}/callback")(r) && decode(t, r).Type == 4
	})
	b := decode(t, r)
	if b.Data == nil || b.Data.Flags&64 == 0 || !strings.Contains(b.Data.Content, "attendre") {
		t.Errorf("got %+v, want an ephemeral message asking to wait", b.Data)
	}
}

func TestReindexNeedsManageServer(t *testing.T) {
	h := start(t, nil)
	h.dispatch(t, "INTERACTION_CREATE", h.fake.SlashCommand("reindex", nil, asker, h.fake.GuildID(), channel, 0))
	r := h.wait(t, discordtest.MatchRoute("POST", "/interactions/{id}/{token}/callback"))
	if b := decode(t, r); b.Type != 4 || b.Data.Flags&64 == 0 || !strings.Contains(b.Data.Content, "Manage Server") {
		t.Errorf("got %+v, want a private refusal", b)
	}
	admin := h.fake.SlashCommand("reindex", nil, asker, h.fake.GuildID(), channel, 1<<5)
	h.dispatch(t, "INTERACTION_CREATE", admin)
	edit := h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+admin.Token+"/messages/@original"))
	if b := decode(t, edit); !strings.Contains(b.Content, "5 documents") {
		t.Errorf("got %q, want the re-index result", b.Content)
	}
}

func TestFeedbackButtonIsRecorded(t *testing.T) {
	h := start(t, nil)
	i := h.fake.SlashCommand("ask", map[string]any{"question": question}, asker, h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", i)
	h.wait(t, func(r discordtest.Request) bool {
		return discordtest.MatchRoute("PATCH", "/webhooks/{app}/{token}/messages/@original")(r) && strings.Contains(string(r.Body), "fb:up:")
	})
	click := h.fake.ButtonClick("fb:down:"+i.ID, nil, asker, h.fake.GuildID(), channel)
	h.dispatch(t, "INTERACTION_CREATE", click)
	r := h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+click.ID+"/{token}/callback"))
	if b := decode(t, r); b.Data == nil || b.Data.Flags&64 == 0 {
		t.Errorf("got %+v, want a private thank-you", b)
	}
	votes := h.votes(t)
	if len(votes) != 1 {
		t.Fatalf("got %d votes, want 1", len(votes))
	}
	rec := votes[0]
	if rec.Vote != "down" || rec.Question != question || rec.User != asker || rec.Guild != h.fake.GuildID() ||
		rec.AnswerKey != i.ID || len(rec.Sources) == 0 || rec.Answer == "" || !rec.Known {
		t.Errorf("got %+v, want the known vote with question, answer, sources, user and server", rec)
	}

	src := h.fake.ButtonClick("src:"+i.ID, nil, asker, h.fake.GuildID(), channel)
	h.dispatch(t, "INTERACTION_CREATE", src)
	r = h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+src.ID+"/{token}/callback"))
	if b := decode(t, r); b.Data == nil || b.Data.Flags&64 == 0 || len(b.Data.Embeds) == 0 {
		t.Errorf("got %+v, want the passages shown privately", b)
	}
}

func TestReconnectAfterGatewayDrop(t *testing.T) {
	h := start(t, nil)
	h.fake.DropConnection()
	if err := h.fake.WaitReady(ctxFor(t)); err != nil {
		t.Fatal(err)
	}
	m := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention()+" "+question, true)
	h.dispatch(t, "MESSAGE_CREATE", m)
	h.wait(t, discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages"))
	// The bot resumed its session rather than starting a new one, as
	// discordgo does after a dropped connection.
	if got, want := [2]int{h.fake.Identifies(), h.fake.Resumes()}, [2]int{1, 1}; got != want {
		t.Errorf("identifies, resumes: got %v, want %v", got, want)
	}
}

func TestDirectMessageIsAnsweredInPlace(t *testing.T) {
	h := start(t, nil)
	dm := "400000000000000001"
	m := h.fake.MessageCreate(dm, "", asker, question, false)
	h.dispatch(t, "MESSAGE_CREATE", m)
	r := h.wait(t, discordtest.MatchRoute("POST", "/channels/"+dm+"/messages"))
	if b := decode(t, r); !strings.Contains(b.Content, "[1]") {
		t.Errorf("got %q, want the answer in the DM", b.Content)
	}
	for _, r := range h.fake.Requests() {
		if strings.HasSuffix(r.Path, "/threads") {
			t.Error("got a thread in a DM")
		}
	}
}

func TestSlashSummary(t *testing.T) {
	h := start(t, nil)
	unknown := h.fake.SlashCommand("summary", map[string]any{"document": "no-such-document"}, asker, h.fake.GuildID(), channel, 0)
	corpus := h.fake.SlashCommand("summary", nil, asker, h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", unknown)
	h.dispatch(t, "INTERACTION_CREATE", corpus)

	r := h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+unknown.Token+"/messages/@original"))
	if b := decode(t, r); b.Content != say("en", "unknownDoc") {
		t.Errorf("unknown document: got %q, want %q", b.Content, say("en", "unknownDoc"))
	}
	r = h.wait(t, func(r discordtest.Request) bool {
		return discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+corpus.Token+"/messages/@original")(r) && strings.Contains(string(r.Body), "fb:up:"+corpus.ID)
	})
	checkNoMentions(t, r)
	if b := decode(t, r); b.Content == "" || len(b.Embeds) == 0 {
		t.Errorf("corpus summary: got %q with %d embeds, want the summary and its sources", b.Content, len(b.Embeds))
	}
	// The vote finds the summary in the answer cache, not in the message.
	click := h.fake.ButtonClick("fb:up:"+corpus.ID, nil, asker, h.fake.GuildID(), channel)
	h.dispatch(t, "INTERACTION_CREATE", click)
	h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+click.ID+"/{token}/callback"))
	votes := h.votes(t)
	if len(votes) != 1 {
		t.Fatalf("got %d votes, want 1", len(votes))
	}
	if rec := votes[0]; rec.Vote != "up" || rec.Answer == "" || len(rec.Sources) == 0 {
		t.Errorf("got %+v, want the vote with the cached summary and its sources", rec)
	}
}
