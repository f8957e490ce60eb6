package answer

import (
	"cmp"
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/citebot/citebot/retrieval"
)

// Pipeline answers question given the earlier turns of a conversation,
// streaming the text to onDelta when it is set. It is the one shape every
// front end (CLI, Discord, eval) calls; New builds it from a Config.
type Pipeline func(ctx context.Context, question string, history []Turn, onDelta func(string)) (Answer, error)

// MaxTurns bounds the conversation history a follow-up is answered with:
// older turns rarely matter and cost tokens. Front ends keep at most this
// many turns.
const MaxTurns = 6

// Index is an index as answering sees it: searchable, and listing its
// documents (for the corpus language). A *retrieval.Index, or a
// retrieval.Live that the bot swaps when it re-indexes.
type Index interface {
	Searcher
	Documents() []retrieval.DocInfo
}

// Config is what a pipeline is built from. Zero values mean the defaults.
type Config struct {
	Index Index
	// LLM answers when set; nil means extractive answers, offline.
	LLM Chatter
	// K passages are retrieved for the question and handed to the
	// answerer, with the best passages of its parts (see search). Zero means 8 for the reader (the eval's context recall
	// measured that the eighth passage still brings facts the first six
	// lack) and defaultModelK for a model.
	K int
	// MinCoverage is the evidence gate (default DefaultMinCoverage).
	MinCoverage float64
	// Deadline bounds the model's part of one answer (default
	// DefaultDeadline; see Generator.Deadline).
	Deadline time.Duration
	// MaxTokens bounds the model's answer (default DefaultMaxTokens).
	MaxTokens int
	Logger    *slog.Logger
}

// defaultK is how many passages a pipeline retrieves unless told.
const defaultK = 8

// defaultModelK is how many passages a model is handed unless told: more
// than the reader, which quotes, because a model can only answer from
// what it is given and reads 16 passages as easily as 8. Passages are
// short (600 characters at most): 16 make a prompt of about 12 KB (3–4k
// tokens), 8 one of 7 KB. Measured with the scripted model (README),
// context recall on tune/tune2/tune3 is 0.94/0.81/0.83 at 8,
// 0.96/0.88/0.85 at 12, 0.98/0.94/0.88 at 16, and no higher at 20.
const defaultModelK = 16

// The modes of a pipeline, as the CLI prints them and eval reports them
// (DESIGN's "mode" field). A single answer's Mode can differ: an LLM
// pipeline falls back to an extractive answer when the model fails.
const (
	PipelineOffline = "offline"
	PipelineLLM     = "llm"
)

// New builds the pipeline cfg describes: a model-backed Generator when an
// LLM is configured, the Extractive answerer otherwise; mode is
// PipelineLLM or PipelineOffline accordingly.
func New(cfg Config) (p Pipeline, mode string) {
	if cfg.LLM == nil {
		ex := &Extractive{Index: cfg.Index, K: cfg.K, MinCoverage: cfg.MinCoverage}
		return ex.Answer, PipelineOffline
	}
	g := &Generator{Index: cfg.Index, LLM: cfg.LLM, CorpusLang: CorpusLang(cfg.Index.Documents()),
		K: cmp.Or(cfg.K, defaultModelK), MinCoverage: cfg.MinCoverage, Deadline: cfg.Deadline, MaxTokens: cfg.MaxTokens, Logger: cfg.Logger}
	return g.Answer, PipelineLLM
}

// CorpusLang is the language most documents are in ("fr" when none says).
func CorpusLang(docs []retrieval.DocInfo) string {
	count := map[string]int{}
	best := "fr"
	for _, d := range docs {
		count[d.Lang]++
		if d.Lang != "" && count[d.Lang] > count[best] {
			best = d.Lang
		}
	}
	return best
}

// followUp helps an offline follow-up ("and in March?") by searching it
// together with the previous question, since without a model nothing
// rewrites it into a standalone question. A long question stands alone.
func followUp(q string, history []Turn) string {
	if len(history) == 0 || len(strings.Fields(q)) > 8 {
		return q
	}
	joined := history[len(history)-1].Question + " " + q
	if Validate(joined) != nil {
		return q
	}
	return joined
}
