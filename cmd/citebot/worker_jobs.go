package main

import (
	"context"
	"errors"
	"hash/fnv"
	"log/slog"
	"time"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot"
	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/scale"
	"github.com/citebot/citebot/store"
)

// jobs answers the jobs a worker pulls with the pipeline the CLI and the
// bot use, and posts the replies as the bot would, through bot.Poster.
// Conversations and kept answers go to the shared store, so that a
// follow-up reaches any worker and the buttons work on any gateway.
type jobs struct {
	ask     answer.Pipeline
	summary interface {
		Document(ctx context.Context, docID, lang string, onDelta func(string)) (answer.Answer, error)
		Corpus(ctx context.Context, lang string, onDelta func(string)) (answer.Answer, error)
	}
	search interface {
		Search(ctx context.Context, q string, k int) ([]retrieval.Result, error)
	}
	shared store.Store // nil: nothing is remembered
	poster *bot.Poster
	log    *slog.Logger
}

// answer computes a job's reply. A question that cannot be answered as
// asked is a reply too (Refusal), not an error to retry.
func (j *jobs) answer(ctx context.Context, job scale.Job) (scale.Reply, error) {
	var r scale.Reply
	var err error
	switch job.Kind {
	case scale.KindAsk:
		var history []answer.Turn
		if job.Thread != "" && j.shared != nil {
			_, turns, herr := j.shared.Thread(ctx, job.Thread, answer.MaxTurns)
			if herr != nil {
				j.log.Warn("conversation unavailable; answering without it", "thread", job.Thread, "err", herr)
			}
			for _, t := range turns {
				history = append(history, answer.Turn{Question: t.Question, Answer: t.Answer})
			}
		}
		r.Answer, err = j.ask(j.serverLanguage(ctx, job.Guild), job.Question, history, nil)
	case scale.KindSummary:
		if job.Question == "" {
			r.Answer, err = j.summary.Corpus(ctx, job.Lang, nil)
		} else {
			r.Answer, err = j.summary.Document(ctx, job.Question, job.Lang, nil)
		}
	case scale.KindSearch:
		r.Passages, err = j.search.Search(ctx, job.Question, 5)
		var degraded *retrieval.DegradedError
		if errors.As(err, &degraded) {
			err = nil // BM25's ranking alone; the index logged why
		}
	}
	if errors.Is(err, answer.ErrUnknownDocument) || errors.Is(err, answer.ErrInvalidQuestion) || errors.Is(err, answer.ErrEmptyQuestion) {
		return scale.Reply{Refusal: err}, nil
	}
	return r, err
}

// serverLanguage is ctx asking for the answer language the job's server
// chose with /config, if it chose one; the gateway sent the language of
// the bot's own words, which may be the asker's.
func (j *jobs) serverLanguage(ctx context.Context, guild string) context.Context {
	if j.shared == nil || guild == "" {
		return ctx
	}
	st, err := j.shared.Settings(ctx, guild)
	if err != nil {
		j.log.Warn("cannot read the server's settings; answering in the question's language", "guild", guild, "err", err)
		return ctx
	}
	return answer.WithLanguage(ctx, st.Language)
}

// post shows the reply, after recording the conversation's new turn and
// the answer behind its buttons.
func (j *jobs) post(ctx context.Context, job scale.Job, r scale.Reply) error {
	t := target(job)
	switch {
	case r.Refusal != nil:
		return j.poster.Fail(ctx, t, r.Refusal)
	case job.Kind == scale.KindSearch:
		return j.poster.PostPassages(ctx, t, job.Question, r.Passages)
	}
	if j.shared != nil {
		if job.Thread != "" && job.Kind == scale.KindAsk {
			j.shared.AddTurn(job.Thread, store.Turn{Question: job.Question, Answer: r.Answer.Text, User: job.User})
		}
		j.shared.PutAnswer(job.ID, keptAnswer(job, r.Answer))
		j.shared.Log(loggedQuestion(job, r.Answer))
	}
	return j.poster.Post(ctx, t, r.Answer)
}

// giveUp tells the asker that their question failed for good.
func (j *jobs) giveUp(ctx context.Context, job scale.Job) error {
	if j.shared != nil {
		j.shared.Log(store.Question{Time: job.Created, Guild: job.Guild, Channel: job.Channel, User: job.User, AnswerKey: job.ID,
			KB: job.KB, Question: job.Question, Lang: job.Lang, Outcome: store.Failed})
	}
	return j.poster.Fail(ctx, target(job), errors.New("failed"))
}

// target is where the reply to job goes.
func target(job scale.Job) bot.Target {
	t := bot.Target{Key: job.ID, Channel: job.Channel, ReplyTo: job.Message, Deferred: job.Created, Lang: job.Lang}
	if i := job.Interaction; i != nil {
		t.Interaction = &bot.InteractionRef{ID: i.ID, Token: i.Token, AppID: i.AppID, Ephemeral: i.Ephemeral}
	}
	return t
}

// keptAnswer is what the buttons under a's message need of it.
func keptAnswer(job scale.Job, a answer.Answer) store.KeptAnswer {
	k := store.KeptAnswer{Time: time.Now(), Guild: job.Guild, User: job.User, Question: job.Question, Text: a.Text, Mode: a.Mode}
	for _, s := range a.Sources {
		k.Sources = append(k.Sources, s.ChunkID)
	}
	for _, p := range a.Passages {
		h := fnv.New64a()
		h.Write([]byte(p.Chunk.Text))
		k.Passages = append(k.Passages, store.KeptPassage{ChunkID: p.Chunk.ID, DocID: p.Doc.ID, Title: p.Doc.Title, Sum: h.Sum64(),
			Fused: p.Fused, Vector: p.Vector, BM25: p.BM25})
	}
	return k
}

// loggedQuestion is the question log's record of an answered job.
func loggedQuestion(job scale.Job, a answer.Answer) store.Question {
	q := store.Question{Time: job.Created, Guild: job.Guild, Channel: job.Channel, User: job.User, AnswerKey: job.ID, KB: job.KB,
		Question: job.Question, Lang: job.Lang, Outcome: store.Answered, Tokens: a.Usage.TotalTokens,
		Stages: map[string]time.Duration{"retrieve": a.Timings.Retrieve, "generate": a.Timings.Generate, "total": time.Since(job.Created)}}
	switch {
	case a.GateRefused:
		q.Outcome = store.DeclinedGate
	case a.Refused:
		q.Outcome = store.DeclinedModel
	}
	seen := map[string]bool{}
	for _, s := range a.Sources {
		if !seen[s.DocID] {
			seen[s.DocID] = true
			q.Cited = append(q.Cited, s.DocID)
		}
	}
	return q
}
