package answer

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/llm"
	"github.com/citebot/citebot/prompts"
)

// Chatter is the language model, as answering needs it.
type Chatter interface {
	Chat(ctx context.Context, req llm.ChatRequest) (llm.ChatResponse, error)
	ChatStream(ctx context.Context, req llm.ChatRequest, onDelta func(string)) (llm.ChatResponse, error)
}

// Turn is one exchange of a conversation, for follow-up questions.
type Turn = prompts.Turn

// Generator answers with a language model over the retrieved passages and
// checks every citation it writes. It spends no model call on a question
// the retrieval shows no evidence for (see noEvidence); whatever has
// plausible evidence goes to the model, which may reply NOT_FOUND. It
// falls back to the extractive answer, with a notice, when the model fails.
type Generator struct {
	Index Searcher
	LLM   Chatter
	// CorpusLang is the documents' language; questions in another one are
	// also searched in translation.
	CorpusLang string
	// K passages are retrieved for the question (default 6; a pipeline
	// built by New hands defaultModelK); the model is handed those and
	// the best passages of each part of the question (see search).
	K int
	// MinCoverage is the extractive answer's threshold when the model
	// fails (see Extractive); the gate before the model is noEvidence.
	MinCoverage float64
	// Deadline bounds the model's part of one answer — rewrite, retries,
	// the retry of an uncited answer — however the attempts add up
	// (default DefaultDeadline). When it passes, the answer is the
	// extracted passages with a notice; retrieval is not cut short.
	Deadline time.Duration
	// MaxTokens bounds the model's answer (default DefaultMaxTokens).
	MaxTokens int
	Logger    *slog.Logger
}

// DefaultDeadline is Generator.Deadline's default: a question held longer
// than this by a slow or hung model is better answered with the passages.
const DefaultDeadline = 90 * time.Second

// errDeadline is the cause of a model context whose Deadline passed, which
// tells it apart from the asker giving up.
var errDeadline = errors.New("the answer deadline passed")

// Answer answers question, given the earlier turns of a conversation.
// onDelta, when set, receives the answer text as it is generated, with
// invalid citation markers already removed; Answer.Streamed tells whether
// the final text is exactly what onDelta received.
func (g *Generator) Answer(ctx context.Context, question string, history []Turn, onDelta func(string)) (Answer, error) {
	cleaned, err := prepare(question)
	if err != nil {
		return Answer{}, err
	}
	if cleaned == "" {
		return nothingAsked(question, ModeLLM), nil
	}
	question = cleaned
	start := time.Now()
	mctx, cancel := context.WithTimeoutCause(ctx, cmp.Or(g.Deadline, DefaultDeadline), errDeadline)
	defer cancel()
	queries := g.rewrite(mctx, question, history)
	found, err := search(ctx, g.Index, plainAll(queries), cmp.Or(g.K, 6))
	if err != nil {
		return Answer{}, err
	}
	degraded := found.degraded != nil
	passages := found.handed
	a := Answer{Question: question, Lang: languageFor(ctx, question, passages), Mode: ModeLLM, Passages: passages, Query: queries[0]}
	retrieved := time.Now()
	a.Timings.Retrieve = retrieved.Sub(start)
	if noEvidence(queries, found.asked, g.Index.IDF) {
		a.Passages = found.asked
		a.Refused, a.GateRefused, a.Text = true, true, notFound(a.Lang)
		if degraded {
			addNotice(&a, "degraded")
		}
		return a, nil
	}
	a, err = g.generate(mctx, a, analyse(passages), onDelta)
	a.Timings = Timings{Retrieve: retrieved.Sub(start), Generate: time.Since(retrieved)}
	if degraded {
		addNotice(&a, "degraded")
	}
	return a, err
}

// rewrite turns a follow-up into a standalone question and, when the
// question is not in the corpus language, adds its translation. Without a
// model answer it keeps the question as asked.
func (g *Generator) rewrite(ctx context.Context, question string, history []Turn) []string {
	lang := analysis.Detect(question)
	corpusLang := cmp.Or(g.CorpusLang, "fr")
	if len(history) == 0 && (lang == "" || lang == corpusLang) {
		return []string{question}
	}
	p, err := prompts.Rewrite(prompts.RewriteData{History: history, Question: question, QuestionLang: cmp.Or(lang, corpusLang), CorpusLang: corpusLang})
	if err != nil {
		return []string{question}
	}
	resp, err := g.LLM.Chat(ctx, llm.ChatRequest{Messages: messages(p), Temperature: 0, MaxTokens: 300})
	if err != nil {
		orDiscard(g.Logger).Warn("query rewrite failed; searching with the question as asked", "err", err)
		return []string{question}
	}
	query, translation, ok := prompts.ParseRewrite(resp.Content)
	if !ok {
		orDiscard(g.Logger).Warn("unreadable query rewrite; searching with the question as asked", "reply", resp.Content)
		return []string{question}
	}
	out := []string{query}
	if !strings.EqualFold(strings.TrimSpace(translation), strings.TrimSpace(query)) {
		out = append(out, translation)
	}
	return out
}

// plainAll rewrites the chat spellings of each query (see plain).
func plainAll(queries []string) []string {
	out := make([]string, len(queries))
	for i, q := range queries {
		out[i] = plain(q)
	}
	return out
}

func messages(p prompts.Prompt) []llm.Message {
	return []llm.Message{{Role: "system", Content: p.System}, {Role: "user", Content: p.User}}
}

// errNoCitation marks a generated answer whose markers all pointed nowhere.
var errNoCitation = errors.New("the answer cited no passage")
