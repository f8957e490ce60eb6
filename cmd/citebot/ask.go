package main

import (
	"context"
	"errors"
	"flag"
	"strings"

	"github.com/citebot/citebot/answer"
)

func runAsk(ctx context.Context, e *env, args []string) error {
	fs := e.kbFlags("QUESTION...")
	k := fs.Int("k", 0, "passages to retrieve; 0: the default, 8 offline and 16 for a model")
	minCov := minCoverageFlag(fs)
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(rest, " "))
	ix, _, err := e.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	ask, _, err := e.answerer(ix, *k, *minCov)
	if err != nil {
		return err
	}
	// JSON output is one object at the end, so nothing is streamed.
	var stream *terminalStream
	var onDelta func(string)
	if !e.jsonOut {
		stream = &terminalStream{w: e.stdout}
		onDelta = stream.write
	}
	a, err := ask(ctx, question, nil, onDelta)
	if err != nil {
		return questionUsage(err, fs)
	}
	e.logUsage(a)
	if e.jsonOut {
		return writeJSON(e.stdout, answerJSON(a))
	}
	return printAnswer(e.stdout, a, stream)
}

// minCoverageFlag registers the refusal threshold shared by ask and eval.
func minCoverageFlag(fs *flag.FlagSet) *float64 {
	return fs.Float64("min-coverage", answer.DefaultMinCoverage,
		"offline: share of the question's weighted words a quote must contain (one check of several), else decline")
}

// questionUsage turns the pipeline's verdict on an unusable question into
// a usage error (exit 2), with the usage for an empty one.
func questionUsage(err error, fs *flag.FlagSet) error {
	if !errors.Is(err, answer.ErrInvalidQuestion) {
		return err
	}
	if errors.Is(err, answer.ErrEmptyQuestion) {
		fs.Usage()
	}
	return usageError{err.Error()}
}

// logUsage reports the tokens a model call spent, for operators.
func (e *env) logUsage(a answer.Answer) {
	if a.Usage.TotalTokens > 0 {
		e.log.Info("tokens", "prompt", a.Usage.PromptTokens, "completion", a.Usage.CompletionTokens, "total", a.Usage.TotalTokens)
	}
}
