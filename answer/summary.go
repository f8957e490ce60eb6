package answer

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

// Library is what summaries need from an index.
type Library interface {
	Documents() []retrieval.DocInfo
	Chunks(docID string) []corpus.Chunk
	IDF(term string) (float64, bool)
}

// Summarizer summarises one document or the whole corpus, with citations.
// With no model it quotes each document's most central sentences; with one
// it writes a summary per document and, for the corpus, a synthesis of
// them. A model failure falls back to the extractive summary with a notice.
type Summarizer struct {
	Index Library
	LLM   Chatter // nil: extractive
	// MaxPassages bounds the passages of one document given to the model
	// (default 12, about 7,000 characters).
	MaxPassages int
	// MaxTokens bounds each model reply (default DefaultMaxTokens).
	MaxTokens int
	Logger    *slog.Logger
}

// ErrUnknownDocument is returned for a document ID the index does not hold.
var ErrUnknownDocument = fmt.Errorf("unknown document")

// Document summarises one document in lang.
func (s *Summarizer) Document(ctx context.Context, docID, lang string, onDelta func(string)) (Answer, error) {
	passages, err := s.passages(docID)
	if err != nil {
		return Answer{}, err
	}
	if s.LLM == nil {
		return extractiveSummary(lang, passages, 3, s.Index.IDF), nil
	}
	a, err := s.generateDocument(ctx, lang, passages, onDelta)
	if err != nil {
		if ctx.Err() != nil {
			return Answer{}, ctx.Err()
		}
		return s.fallback(lang, extractiveSummary(lang, passages, 3, s.Index.IDF), err), nil
	}
	return a, nil
}

// passages returns a document's chunks as numbered passages, at most
// MaxPassages when a model will read them.
func (s *Summarizer) passages(docID string) ([]retrieval.Result, error) {
	var info retrieval.DocInfo
	for _, d := range s.Index.Documents() {
		if d.ID == docID {
			info = d
		}
	}
	// A document listed but without chunks was removed by a re-index
	// between the two reads of a live index: unknown by now.
	passages := s.chunks(info)
	if len(passages) == 0 {
		return nil, fmt.Errorf("%w %q (see citebot sources)", ErrUnknownDocument, docID)
	}
	return s.forModel(passages), nil
}

// docPassages is one document with all its chunks as passages.
type docPassages struct {
	info     retrieval.DocInfo
	passages []retrieval.Result
}

// library reads every document's passages once, from a single listing of
// the documents, for summaries of the whole corpus.
func (s *Summarizer) library() []docPassages {
	docs := s.Index.Documents()
	out := make([]docPassages, 0, len(docs))
	for _, d := range docs {
		// Skip a document a concurrent re-index removed (see passages).
		if ps := s.chunks(d); len(ps) > 0 {
			out = append(out, docPassages{info: d, passages: ps})
		}
	}
	return out
}

// chunks returns all the chunks of a document as passages.
func (s *Summarizer) chunks(info retrieval.DocInfo) []retrieval.Result {
	var out []retrieval.Result
	for _, c := range s.Index.Chunks(info.ID) {
		out = append(out, retrieval.Result{Chunk: c, Doc: info})
	}
	return out
}

// forModel keeps the first MaxPassages passages when a model will read
// them, which bounds the prompt; extracts are chosen among all of them.
func (s *Summarizer) forModel(passages []retrieval.Result) []retrieval.Result {
	if s.LLM == nil {
		return passages
	}
	return passages[:min(len(passages), cmp.Or(s.MaxPassages, 12))]
}

// fallback is the extractive summary a, shown because the model failed
// with cause.
func (s *Summarizer) fallback(lang string, a Answer, cause error) Answer {
	a.Notice = modelFailed(s.Logger, lang, "summarising with extracted sentences", cause)
	return a
}

// extractiveSummary quotes the n most central sentences of the passages,
// in document order: a sentence that shares the most weighted terms with
// the others states what the text is about.
func extractiveSummary(lang string, passages []retrieval.Result, n int, idf func(string) (float64, bool)) Answer {
	units := centralUnits(passages, idf)
	chosen := units[:min(n, len(units))]
	slices.SortFunc(chosen, func(a, b unit) int {
		_, sa, _ := a.docSpan(passages)
		_, sb, _ := b.docSpan(passages)
		return cmp.Or(cmp.Compare(a.passage, b.passage), cmp.Compare(sa, sb))
	})
	return quoteSummary(lang, chosen, passages)
}

// quoteSummary is the extractive summary quoting the chosen units of
// passages, or the refusal when there is nothing to quote.
func quoteSummary(lang string, chosen []unit, passages []retrieval.Result) Answer {
	a := Answer{Lang: lang, Mode: ModeExtractive, Passages: passages}
	if len(chosen) == 0 {
		a.Refused, a.Text = true, notFound(lang)
		return a
	}
	a.Text, a.Sources = renderWith(summaryLabel(lang), chosen, passages)
	return a
}

func summaryLabel(lang string) string {
	if lang == "en" {
		return "Summary from extracted sentences (offline mode: quoted as written, in the documents' language):"
	}
	return "Résumé par phrases extraites (mode hors ligne : citées telles quelles) :"
}
