package bot

import (
	"cmp"
	"context"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/store"
)

// When citebot is scaled out, this process is a gateway: it admits a
// question exactly as it would answer it — checked, within the asker's
// rate, seen once, a slash command deferred within Discord's 3 seconds,
// a thread opened for a mention where the server wants one — and then
// hands it to a queue, for a worker in another process to answer and
// post by REST (Poster). It answers nothing itself. The rates and the
// events seen are shared by every gateway through Remote, so that they
// hold across shards and restarts.

// Remote connects the bot to the processes that answer its questions
// (cmd/citebot adapts package scale to it); every part is required.
type Remote struct {
	Queue  Queue
	Rates  SharedRates
	Events SharedEvents
}

// Queue takes admitted questions for the workers. duplicate says it had
// the job already (a redelivered event): not an error, and not queued
// twice.
type Queue interface {
	Dispatch(ctx context.Context, job Job) (duplicate bool, err error)
}

// SharedRates is a per-member rate limit every gateway shares: whether
// the member keyed key may ask now at perMinute questions a minute with
// bursts of burst and, if not, how long until they may.
type SharedRates interface {
	Allow(ctx context.Context, key string, perMinute, burst int) (ok bool, retry time.Duration, err error)
}

// SharedEvents tells the first delivery of a Discord event from the next
// ones, across every gateway.
type SharedEvents interface {
	First(ctx context.Context, id string) (bool, error)
}

// JobKind is what a job asks of a worker.
type JobKind string

// The jobs a gateway hands over: a question (a mention, a watched
// channel, /ask), a summary (/summary; Question holds the document's ID,
// empty for the corpus) and a search (/search).
const (
	JobAsk     JobKind = "ask"
	JobSummary JobKind = "summary"
	JobSearch  JobKind = "search"
)

// Job is an admitted question with what a worker needs to answer it and
// post the reply by REST alone.
type Job struct {
	Kind JobKind
	// ID is the event's: the message's or the interaction's. It keys the
	// job's deduplication and the answer's buttons.
	ID             string
	Guild, Channel string // Channel is where the reply goes (a thread opened for it, say)
	// Thread is the conversation the question continues (a thread, or
	// the asker's exchanges in a channel); Message is the message the
	// reply answers; Interaction is set for a slash command, deferred at
	// Created.
	Thread, Message string
	Interaction     *InteractionRef
	User, Question  string
	Lang, KB        string // the replies' language; the knowledge base ("" for the default)
	Created         time.Time
}

// remoteTimeout bounds each exchange with the shared services while an
// event is handled.
const remoteTimeout = 5 * time.Second

// firstEvent reports whether the event id (prefixed by its kind) is new
// here and, for a gateway, to every gateway. When the shared filter cannot
// say, the event is taken as new: the queue drops a duplicate job too.
// A gateway that is stopping does not mark it seen: it will tell the
// asker it is restarting, and another gateway receiving the event again
// must not drop it.
func (b *Bot) firstEvent(kind, id string) bool {
	if !b.adm.firstDelivery(kind + ":" + id) {
		return false
	}
	r := b.deps.Remote
	if r == nil || b.adm.stopping() {
		return true
	}
	ctx, cancel := context.WithTimeout(b.work, remoteTimeout)
	defer cancel()
	first, err := r.Events.First(ctx, id)
	if err != nil {
		b.log.Warn("cannot tell whether another gateway saw this event; taking it as new", "event", id, "err", err)
		return true
	}
	return first
}

// allowShared is the shared rate limit of who at the server's rate
// (perMinute; 0: the configured one).
func (b *Bot) allowShared(who origin, perMinute int) (bool, time.Duration, error) {
	rate := cmp.Or(perMinute, b.cfg.RatePerMinute)
	if rate <= 0 {
		return true, 0, nil
	}
	ctx, cancel := context.WithTimeout(b.work, remoteTimeout)
	defer cancel()
	return b.deps.Remote.Rates.Allow(ctx, cmp.Or(who.guild, "dm")+"."+who.user, rate, b.cfg.RateBurst)
}

// dispatchMessage is answerMessage for a gateway: the bot is shown
// typing, the reply's place chosen (a thread opened where the server
// wants one), and the question queued for a worker.
func (b *Bot) dispatchMessage(m *discordgo.Message, q askedQuestion, inThread bool) {
	if err := b.api.typing(m.ChannelID); err != nil {
		b.log.Debug("cannot show the bot typing", "channel", m.ChannelID, "err", err)
	}
	channel, ref, conv := b.replyPlace(m, q.text, inThread)
	job := Job{Kind: JobAsk, ID: m.ID, Guild: m.GuildID, Channel: channel, Thread: conv, User: m.Author.ID,
		Question: q.text, Lang: q.lang, KB: kbName(q.kb), Created: time.Now()}
	if ref != nil {
		job.Message = m.ID
	}
	q.who.channel = channel
	b.dispatch(job, q, b.replies.channel(channel, ref).tell)
}

// dispatchCall queues a slash command's work, deferred in out, for a
// worker, which fills in the deferred response.
func (b *Bot) dispatchCall(c call, out *interactionSink, kind JobKind, text, lang, kb string) {
	who := c.who()
	job := Job{Kind: kind, ID: c.i.ID, Guild: who.guild, Channel: who.channel, User: who.user, Question: text,
		Lang: lang, KB: kbName(kb), Created: out.start,
		Interaction: &InteractionRef{ID: c.i.ID, Token: c.i.Token, AppID: c.i.AppID, Ephemeral: out.ephemeral}}
	b.dispatch(job, askedQuestion{text: text, lang: c.lang, key: c.i.ID, from: fromSlash, who: who, kb: kb}, out.tell)
}

// dispatch queues job. If it cannot be queued, the asker is told through
// tell that the service is unavailable, and a question is logged as
// failed; the workers log the others.
func (b *Bot) dispatch(job Job, q askedQuestion, tell func(string)) {
	ctx, cancel := context.WithTimeout(b.work, remoteTimeout)
	defer cancel()
	dup, err := b.deps.Remote.Queue.Dispatch(ctx, job)
	switch {
	case err != nil:
		b.metrics.questions.WithLabelValues(q.from, "error").Inc()
		b.log.Error("cannot queue the question for the workers", append(q.logAttrs(), "err", err)...)
		if job.Kind == JobAsk {
			b.logQuestion(q, job.Created, answer.Answer{}, err)
		}
		tell(say(q.lang, "serviceDown"))
	case dup:
		b.log.Info("the question was queued already", q.logAttrs()...)
	default:
		b.metrics.questions.WithLabelValues(q.from, "dispatched").Inc()
	}
}

// kbName is a knowledge base's name in a job: empty for the default.
func kbName(kb string) string {
	if kb == store.DefaultKB {
		return ""
	}
	return kb
}
