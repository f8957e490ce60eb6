package answer

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/citebot/citebot/llm"
	"github.com/citebot/citebot/prompts"
	"github.com/citebot/citebot/retrieval"
)

// generate asks the model, streaming, then checks the citations. An answer
// without a valid citation is asked again once, with a stricter
// instruction; a second failure, or any model error, yields the extractive
// answer with a notice saying so, as does the passing of the answer
// deadline (ctx's cause errDeadline). analysed are a.Passages' units, for
// that fallback.
func (g *Generator) generate(ctx context.Context, a Answer, analysed []analysedUnit, onDelta func(string)) (Answer, error) {
	res, err := g.complete(ctx, a, false, onDelta)
	a.Usage = res.usage
	if errors.Is(err, errNoCitation) {
		res, err = g.complete(ctx, a, true, nil)
		a.Usage = addUsage(a.Usage, res.usage)
		if err == nil {
			a.Notice = notice(a.Lang, "regenerated")
		}
	}
	if err != nil {
		switch cause := context.Cause(ctx); {
		case errors.Is(cause, errDeadline):
			err = errDeadline
		case cause != nil:
			return a, ctx.Err() // the asker gave up
		}
		return g.fallback(a, analysed, err)
	}
	a.Text, a.Refused, a.RemovedMarkers, a.Streamed = res.text, res.refused, res.removed, res.streamed
	if res.cut && a.Notice == "" {
		a.Notice = notice(a.Lang, "cut")
	}
	if res.refused {
		a.Text = notFound(a.Lang)
		return a, nil
	}
	a.Sources = passageSources(a.Passages, res.cited)
	return a, nil
}

type completion struct {
	text    string
	cited   []int
	removed int
	refused bool
	// streamed is true when text is exactly what onDelta received; a
	// refusal shows nothing, so its text (the caller's refusal sentence)
	// is never streamed.
	streamed bool
	// cut is true when the reply reached a length limit.
	cut   bool
	usage llm.Usage
}

// complete runs one model call and checks its markers.
func (g *Generator) complete(ctx context.Context, a Answer, strict bool, onDelta func(string)) (completion, error) {
	p, err := prompts.Answer(prompts.AnswerData{Question: a.Question, Lang: a.Lang, Passages: promptPassages(a.Passages), Strict: strict})
	if err != nil {
		return completion{}, fmt.Errorf("answer prompt: %w", err)
	}
	resp, err := ask(ctx, g.LLM, p, len(a.Passages), g.MaxTokens, onDelta)
	if err != nil {
		return completion{usage: resp.Usage}, err
	}
	c := checkMarkers(resp.Content, len(a.Passages))
	out := completion{text: c.text, cited: c.cited, removed: c.removed, usage: resp.Usage, cut: resp.FinishReason == llm.FinishLength}
	if isNotFound(resp.Content) {
		out.refused = true
		return out, nil
	}
	if len(c.cited) == 0 {
		return out, errNoCitation
	}
	out.streamed = onDelta != nil
	return out, nil
}

// DefaultMaxTokens bounds a model's answer or summary when MaxTokens is not
// set: several times what a cited answer of a few paragraphs needs.
const DefaultMaxTokens = 1024

// bytesPerToken sets the byte limit read from a server that ignores
// max_tokens: generous (a token is about 4 bytes of French), so that only
// a runaway reply reaches it.
const bytesPerToken = 16

// ask sends a prompt about n numbered passages to the model, streaming
// through the citation filter when onDelta is set. The reply is bounded by
// maxTokens (0: DefaultMaxTokens), and so is what is read of it.
func ask(ctx context.Context, model Chatter, p prompts.Prompt, n, maxTokens int, onDelta func(string)) (llm.ChatResponse, error) {
	maxTokens = cmp.Or(maxTokens, DefaultMaxTokens)
	req := llm.ChatRequest{Messages: messages(p), Temperature: 0, MaxTokens: maxTokens, MaxBytes: maxTokens * bytesPerToken}
	if onDelta == nil {
		return model.Chat(ctx, req)
	}
	f := &streamFilter{n: n, out: onDelta}
	resp, err := model.ChatStream(ctx, req, f.write)
	if err == nil {
		f.flush()
	}
	return resp, err
}

// fallback answers extractively from a's passages, whose units are
// analysed, after a model failure and says why.
func (g *Generator) fallback(a Answer, analysed []analysedUnit, cause error) (Answer, error) {
	failed := modelFailed(g.Logger, a.Lang, "answering with extracted passages", cause)
	ex := &Extractive{Index: g.Index, K: len(a.Passages), MinCoverage: g.MinCoverage}
	b, err := ex.answerFrom(a.Question, a.Lang, a.Passages, analysed)
	if err != nil {
		return a, err
	}
	b.Usage, b.Query = a.Usage, a.Query
	b.Notice = failed
	switch {
	case errors.Is(cause, errNoCitation):
		b.Notice = notice(a.Lang, "uncited")
	case errors.Is(cause, errDeadline):
		b.Notice = notice(a.Lang, "deadline")
	}
	return b, nil
}

func promptPassages(rs []retrieval.Result) []prompts.Passage {
	out := make([]prompts.Passage, len(rs))
	for i, r := range rs {
		out[i] = prompts.Passage{N: i + 1, DocID: r.Doc.ID, Title: r.Doc.Title, Date: r.Doc.Date, Text: r.Chunk.Text}
	}
	return out
}

// passageSources lists the cited passages, numbered as the model saw them.
func passageSources(rs []retrieval.Result, cited []int) []Source {
	out := make([]Source, 0, len(cited))
	for _, n := range cited {
		r := rs[n-1]
		out = append(out, Source{N: n, ChunkID: r.Chunk.ID, DocID: r.Doc.ID, Title: r.Doc.Title, Date: r.Doc.Date, URL: r.Doc.URL, Quote: r.Chunk.Text})
	}
	return out
}

func addUsage(a, b llm.Usage) llm.Usage {
	return llm.Usage{PromptTokens: a.PromptTokens + b.PromptTokens, CompletionTokens: a.CompletionTokens + b.CompletionTokens, TotalTokens: a.TotalTokens + b.TotalTokens}
}
