package bot

import (
	"errors"
	"slices"
	"time"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/store"
)

// errPanicked stands for the outcome of an answer whose pipeline
// panicked (recoverTell told the asker).
var errPanicked = errors.New("answering panicked")

// logQuestion records what became of q in the store's question log, the
// source of /gaps and /stats: answered, declined before the answerer ran
// (the gate found no evidence), declined by the answerer, or failed (an
// error, a full queue, a timeout, an answer abandoned at shutdown). The
// store writes asynchronously, so this never holds up the asker.
func (b *Bot) logQuestion(q askedQuestion, start time.Time, a answer.Answer, err error) {
	rec := store.Question{Time: start.UTC(), Guild: q.who.guild, Channel: q.who.channel, User: q.who.user,
		AnswerKey: q.key, KB: q.kb, Question: q.text, Lang: firstNonBlank(a.Lang, q.lang), Outcome: outcome(a, err),
		Tokens: a.Usage.TotalTokens, Stages: map[string]time.Duration{"total": time.Since(start)}}
	if rec.KB == store.DefaultKB {
		rec.KB = ""
	}
	if a.Timings.Retrieve > 0 || a.Timings.Generate > 0 {
		rec.Stages["retrieve"], rec.Stages["generate"] = a.Timings.Retrieve, a.Timings.Generate
	}
	for _, s := range a.Sources {
		if !slices.Contains(rec.Cited, s.DocID) {
			rec.Cited = append(rec.Cited, s.DocID)
		}
	}
	b.store.Log(rec)
}

// outcome is what became of a question, as the log says it.
func outcome(a answer.Answer, err error) store.Outcome {
	switch {
	case err != nil:
		return store.Failed
	case a.GateRefused:
		return store.DeclinedGate
	case a.Refused:
		return store.DeclinedModel
	}
	return store.Answered
}
