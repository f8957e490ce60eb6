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

// admitQuestion checks a question and its asker's rate before any work,
// the same way wherever the question came from, and tells the asker
// through refuse why it will not be answered. On true, the caller owns a
// running slot and must call b.running.Done.
func (b *Bot) admitQuestion(q, user, l, from string, refuse func(string)) bool {
	if err := answer.Validate(q); err != nil {
		if errors.Is(err, answer.ErrEmptyQuestion) {
			refuse(say(l, "empty"))
		} else {
			refuse(err.Error())
		}
		return false
	}
	if ok, retry := b.limiter.allow(user, time.Now()); !ok {
		b.metrics.questions.WithLabelValues(from, "rate_limited").Inc()
		refuse(say(l, "rateLimit", wait(retry)))
		return false
	}
	if !b.track() {
		refuse(say(l, "restarting"))
		return false
	}
	return true
}

// answerInto runs the pipeline for q and shows the result in out:
// progressively while a model streams, then in full with the sources
// embed and the buttons. key identifies the answer for its buttons;
// remember, when set, records the answer before it is shown, so a quick
// follow-up already sees it.
func (b *Bot) answerInto(ctx context.Context, out sink, q string, history []answer.Turn, key, from string, remember func(answer.Answer)) (answer.Answer, error) {
	start := time.Now()
	a, err := b.streamInto(out, func(onDelta func(string)) (answer.Answer, error) {
		return b.deps.Answer(ctx, q, history, onDelta)
	})
	if err != nil {
		return a, err
	}
	b.metrics.latency.WithLabelValues("retrieve").Observe(a.Timings.Retrieve.Seconds())
	b.metrics.latency.WithLabelValues("generate").Observe(a.Timings.Generate.Seconds())
	if remember != nil {
		remember(a)
	}
	sent := time.Now()
	err = b.show(out, key, a)
	b.metrics.latency.WithLabelValues("discord").Observe(time.Since(sent).Seconds())
	b.metrics.latency.WithLabelValues("total").Observe(time.Since(start).Seconds())
	outcome := "answered"
	if a.Refused {
		outcome = "refused"
	}
	if err != nil {
		outcome = "error"
	}
	b.metrics.questions.WithLabelValues(from, outcome).Inc()
	return a, err
}

// show keeps a under key for the buttons under it, then shows it in full
// in out: its text in parts, the sources embed and the buttons.
func (b *Bot) show(out sink, key string, a answer.Answer) error {
	b.answers.put(key, a)
	return out.final(splitMessage(answerText(a), maxContent), answerEmbeds(a), buttons(key, a))
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
	release, _, err := b.gate.enterNotify(ctx, func(position int) {
		tell(say(l, "queued", position))
	})
	return release, err
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
func (b *Bot) failure(err error, l, from string, tell func(string), attrs ...any) {
	switch {
	case errors.Is(err, errQueueFull):
		b.metrics.questions.WithLabelValues(from, "queue_full").Inc()
		tell(say(l, "queueFull"))
	case errors.Is(err, errClosed), errors.Is(err, context.Canceled), b.closing.Load():
		tell(say(l, "restarting"))
	default:
		b.metrics.questions.WithLabelValues(from, "error").Inc()
		b.log.Error("answering failed", append(attrs, "err", err)...)
		tell(say(l, "failed"))
	}
}
