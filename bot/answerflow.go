package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/citebot/citebot/answer"
)

// source labels the metrics of where a question came from.
const (
	fromMessage = "message"
	fromSlash   = "slash"
)

// askedQuestion is a question on its way to an answer, with what the answering
// flow needs to know of where it was asked, so that a mention and /ask are
// answered by the same code.
type askedQuestion struct {
	text string
	lang string
	key  string // the event's ID: finds the answer for its buttons, names it in the log
	from string // fromMessage or fromSlash
	// conversation, when set, is the channel whose history the answer
	// continues and then extends, so follow-ups there keep the context.
	conversation string
	tell         func(string) // a short message to the asker: a refusal, an error
	queued       func(string) // where the asker's place in line is shown
	who          origin
	deps         Deps   // the parts of the server's knowledge base
	kb           string // its name, for the question log
}

// logAttrs names the question's event in the log.
func (q askedQuestion) logAttrs() []any {
	if q.from == fromSlash {
		return []any{"interaction", q.key}
	}
	return []any{"message", q.key}
}

// admitQuestion checks a question and its asker's rate (the server's,
// when it set one) before any work, the same way wherever the question
// came from, and tells the asker through refuse why it will not be
// answered. On true, the caller owns a running slot and must call
// b.adm.done.
func (b *Bot) admitQuestion(q string, who origin, l, from string, refuse func(string)) bool {
	perMinute := b.settings.get(who.guild).RatePerMinute
	var err error
	if b.deps.Remote == nil {
		err = b.adm.question(q, who.user, perMinute, time.Now())
	} else {
		err = b.adm.questionWith(q, func() (bool, time.Duration, error) { return b.allowShared(who, perMinute) })
	}
	var limited *rateLimitedError
	switch {
	case err == nil:
		return true
	case errors.Is(err, errRateUnknown):
		b.log.Error("cannot check the asker's rate; the question is not queued", "err", err)
		refuse(say(l, "serviceDown"))
	case errors.Is(err, answer.ErrEmptyQuestion):
		refuse(say(l, "empty"))
	case errors.As(err, &limited):
		b.metrics.questions.WithLabelValues(from, "rate_limited").Inc()
		refuse(say(l, "rateLimit", wait(limited.retry)))
	case errors.Is(err, errClosed):
		refuse(say(l, "restarting"))
	default:
		refuse(err.Error())
	}
	return false
}

// answerQueued waits for an answering slot, telling the asker where they
// stand meanwhile, then answers q in out. Every failure, a panic in the
// pipeline included, is told to the asker rather than left unanswered,
// and every question is logged with what became of it.
func (b *Bot) answerQueued(ctx context.Context, out sink, q askedQuestion) {
	start := time.Now()
	var a answer.Answer
	err := errPanicked // until answering returns
	defer func() { b.logQuestion(q, start, a, err) }()
	defer b.recoverTell(q.lang, q.tell)
	release, qerr := b.queue(ctx, q.lang, q.queued)
	if qerr != nil {
		err = qerr
		b.failure(err, q.lang, q.from, q.tell, q.logAttrs()...)
		return
	}
	defer release()
	if a, err = b.answerInto(ctx, out, q); err != nil {
		b.failure(err, q.lang, q.from, q.tell, q.logAttrs()...)
	}
}

// answerInto runs the pipeline for q and shows the result in out:
// progressively while a model streams, then in full with the sources
// embed and the buttons. The answer joins q's conversation before it is
// shown, so a quick follow-up already sees it.
func (b *Bot) answerInto(ctx context.Context, out sink, q askedQuestion) (answer.Answer, error) {
	start := time.Now()
	var history []answer.Turn
	if q.conversation != "" {
		history = b.threads.history(ctx, q.conversation)
	}
	a, err := b.streamInto(out, func(onDelta func(string)) (answer.Answer, error) {
		// The server's answer language (/config), if it set one.
		actx := answer.WithLanguage(ctx, b.settings.get(q.who.guild).Language)
		return q.deps.Answer(actx, q.text, history, onDelta)
	})
	if err != nil {
		return a, err
	}
	b.metrics.latency.WithLabelValues("retrieve").Observe(a.Timings.Retrieve.Seconds())
	b.metrics.latency.WithLabelValues("generate").Observe(a.Timings.Generate.Seconds())
	if q.conversation != "" {
		b.threads.add(q.conversation, q.who.user, answer.Turn{Question: q.text, Answer: a.Text})
	}
	sent := time.Now()
	err = b.show(out, q.key, q.who, a)
	b.metrics.latency.WithLabelValues("discord").Observe(time.Since(sent).Seconds())
	b.metrics.latency.WithLabelValues("total").Observe(time.Since(start).Seconds())
	outcome := "answered"
	if a.Refused {
		outcome = "refused"
	}
	if err != nil {
		outcome = "error"
	}
	b.metrics.questions.WithLabelValues(q.from, outcome).Inc()
	return a, err
}

// show keeps a under key for the buttons under it, then shows it in full
// in out: its text in parts, the sources embed and the buttons.
func (b *Bot) show(out sink, key string, who origin, a answer.Answer) error {
	b.answers.put(key, who, a)
	return out.final(splitMessage(answerText(a), maxContent), answerEmbeds(a), buttons(key, a))
}

// answerText is what the message says: the answer and its notice.
func answerText(a answer.Answer) string {
	text := a.Text
	if a.Notice != "" {
		text += "\n\n_" + a.Notice + "_"
	}
	return defuse(text)
}

// streamInto runs produce, showing what it streams in out at most once
// per EditInterval until it returns.
func (b *Bot) streamInto(out sink, produce func(onDelta func(string)) (answer.Answer, error)) (answer.Answer, error) {
	ticker := time.NewTicker(b.cfg.EditInterval)
	defer ticker.Stop()
	st := startStreamer(out, ticker.C)
	defer st.close()
	return produce(st.write)
}

// queue waits for a free answering slot, telling the asker where they
// stand when they have to wait. The caller must call the returned release.
func (b *Bot) queue(ctx context.Context, l string, tell func(string)) (func(), error) {
	return b.adm.queue(ctx, func(position int) {
		tell(say(l, "queued", position))
	})
}

// recoverTell is deferred around answering: a panic in the pipeline is
// logged and the asker is told, instead of waiting forever.
func (b *Bot) recoverTell(l string, tell func(string)) {
	if r := recover(); r != nil {
		b.log.Error("answering panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		tell(say(l, "failed"))
	}
}

// failure tells the asker what went wrong in a word and logs the detail.
// A question the pipeline found unusable — say, nothing but mentions once
// chat markup is stripped — gets the pipeline's reason.
func (b *Bot) failure(err error, l, from string, tell func(string), attrs ...any) {
	switch {
	case errors.Is(err, answer.ErrEmptyQuestion):
		tell(say(l, "empty"))
	case errors.Is(err, answer.ErrInvalidQuestion):
		tell(err.Error())
	case errors.Is(err, errQueueFull):
		b.metrics.questions.WithLabelValues(from, "queue_full").Inc()
		tell(say(l, "queueFull"))
	case errors.Is(err, errClosed), errors.Is(err, context.Canceled), b.adm.stopping():
		tell(say(l, "restarting"))
	default:
		b.metrics.questions.WithLabelValues(from, "error").Inc()
		b.log.Error("answering failed", append(attrs, "err", err)...)
		tell(say(l, "failed"))
	}
}
