package answer

import (
	"context"
	"fmt"
	"strings"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/llm"
	"github.com/citebot/citebot/prompts"
	"github.com/citebot/citebot/retrieval"
)

// generateDocument asks the model for a cited summary of one document.
func (s *Summarizer) generateDocument(ctx context.Context, lang string, passages []retrieval.Result, onDelta func(string)) (Answer, error) {
	info := passages[0].Doc
	p, err := prompts.Summary(prompts.SummaryData{DocID: info.ID, Title: info.Title, Date: info.Date, Lang: lang, Passages: promptPassages(passages)})
	if err != nil {
		return Answer{}, fmt.Errorf("summary prompt: %w", err)
	}
	return s.cited(ctx, lang, p, passages, onDelta)
}

// cited runs a summary prompt, streaming when onDelta is set, and keeps
// only citations that name one of passages.
func (s *Summarizer) cited(ctx context.Context, lang string, p prompts.Prompt, passages []retrieval.Result, onDelta func(string)) (Answer, error) {
	resp, err := ask(ctx, s.LLM, p, len(passages), s.MaxTokens, onDelta)
	if err != nil {
		return Answer{}, err
	}
	c := checkMarkers(resp.Content, len(passages))
	if len(c.cited) == 0 {
		return Answer{}, errNoCitation
	}
	return Answer{Lang: lang, Mode: ModeLLM, Passages: passages, Text: c.text, Sources: passageSources(passages, c.cited),
		RemovedMarkers: c.removed, Usage: resp.Usage, Streamed: onDelta != nil}, nil
}

// Corpus summarises every document, then the whole: one model pass per
// document and a synthesis citing the documents by number. Offline it
// quotes the most central sentence of each document.
func (s *Summarizer) Corpus(ctx context.Context, lang string, onDelta func(string)) (Answer, error) {
	lib := s.library()
	offline := func() Answer { return corpusExtract(lang, lib, s.Index.IDF) }
	if s.LLM == nil {
		return offline(), nil
	}
	a, err := s.synthesise(ctx, lang, lib, onDelta)
	if err != nil {
		if ctx.Err() != nil {
			return Answer{}, ctx.Err()
		}
		return s.fallback(lang, offline(), err), nil
	}
	return a, nil
}

// synthesise summarises each document, then asks for an overview. The
// overview's passages are the document summaries, numbered by document.
func (s *Summarizer) synthesise(ctx context.Context, lang string, lib []docPassages, onDelta func(string)) (Answer, error) {
	var summaries []prompts.DocSummary
	var passages []retrieval.Result
	var usage llm.Usage
	for i, dp := range lib {
		d := dp.info
		a, err := s.generateDocument(ctx, lang, s.forModel(dp.passages), nil)
		if err != nil {
			return Answer{}, fmt.Errorf("summary of %s: %w", d.ID, err)
		}
		usage = addUsage(usage, a.Usage)
		// The summary's markers number this document's passages, not the
		// documents the synthesis cites: drop them.
		text := strings.Join(strings.Fields(checkMarkers(a.Text, 0).text), " ")
		summaries = append(summaries, prompts.DocSummary{N: i + 1, DocID: d.ID, Title: d.Title, Date: d.Date, Summary: text})
		passages = append(passages, retrieval.Result{Chunk: corpus.Chunk{ID: d.ID, DocID: d.ID, Text: text, End: len(text)}, Doc: d})
	}
	p, err := prompts.Synthesis(prompts.SynthesisData{Lang: lang, Docs: summaries})
	if err != nil {
		return Answer{}, fmt.Errorf("synthesis prompt: %w", err)
	}
	a, err := s.cited(ctx, lang, p, passages, onDelta)
	a.Usage = addUsage(usage, a.Usage)
	return a, err
}

// corpusExtract quotes the most central sentence of each document; the
// answer's passages are all the documents' passages, in order.
func corpusExtract(lang string, lib []docPassages, idf func(string) (float64, bool)) Answer {
	var chosen []unit
	var all []retrieval.Result
	for _, dp := range lib {
		if units := centralUnits(dp.passages, idf); len(units) > 0 {
			u := units[0]
			u.passage += len(all)
			chosen = append(chosen, u)
		}
		all = append(all, dp.passages...)
	}
	return quoteSummary(lang, chosen, all)
}
