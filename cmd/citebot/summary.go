package main

import (
	"context"
	"errors"

	"github.com/citebot/citebot/answer"
)

func runSummary(ctx context.Context, e *env, args []string) error {
	fs := e.kbFlags("[DOC_ID]")
	lang := fs.String("lang", "", "language of the summary, fr or en (default: the corpus language)")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return usagef("summary takes at most one document ID")
	}
	if *lang != "" && *lang != "fr" && *lang != "en" {
		return usagef("-lang must be fr or en")
	}
	ix, _, err := e.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	s, err := e.summarizer(ix)
	if err != nil {
		return err
	}
	if *lang == "" {
		*lang = answer.CorpusLang(ix.Documents())
	}
	var stream *terminalStream
	var onDelta func(string)
	if !e.jsonOut {
		stream = &terminalStream{w: e.stdout}
		onDelta = stream.write
	}
	var a answer.Answer
	if len(rest) == 1 {
		a, err = s.Document(ctx, rest[0], *lang, onDelta)
	} else {
		a, err = s.Corpus(ctx, *lang, onDelta)
	}
	if errors.Is(err, answer.ErrUnknownDocument) {
		return usageError{err.Error()}
	}
	if err != nil {
		return err
	}
	e.logUsage(a)
	if e.jsonOut {
		return writeJSON(e.stdout, answerJSON(a))
	}
	return printAnswer(e.stdout, a, stream)
}

// summarizer summarises with the chat model when one is configured and by
// extraction otherwise, like answerer.
func (e *env) summarizer(ix answer.Library) (*answer.Summarizer, error) {
	client, err := e.chat()
	if err != nil {
		return nil, err
	}
	s := &answer.Summarizer{Index: ix, MaxTokens: e.api().maxTokens, Logger: e.log}
	if client != nil {
		s.LLM = client // not a typed nil: a nil LLM means extractive
	}
	return s, nil
}
