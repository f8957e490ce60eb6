package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/llm"
	"github.com/citebot/citebot/retrieval"
)

// pipelineQuestions are answerable French questions about the built-in
// corpus: French, so that no rewrite is asked of the model, and answerable,
// so that the evidence gate lets them through to the prompt.
var pipelineQuestions = []string{
	"Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?",
	"Combien d'argent OpenAI a-t-elle levé en mars ?",
	"Quels risques le sommet de Bletchley Park veut-il analyser ?",
	"Quel événement l'ambassade du Royaume-Uni à Paris organise-t-elle ?",
	"Quel avatar a ouvert la soirée à l'ambassade ?",
}

// Pipeline returns the median time from a question to a prompt ready for
// the model, on the built-in corpus with an in-memory index: retrieval,
// the evidence gate and the answer prompt's rendering, as answer.Generator
// does them. The model is a stand-in that stops the clock when it is
// called and answers at once; rounds questions are timed.
func Pipeline(ctx context.Context, rounds int) (time.Duration, error) {
	docs, _, err := corpus.Load(corpus.Default())
	if err != nil {
		return 0, err
	}
	ix, _, err := retrieval.Open(ctx, docs, retrieval.Options{})
	if err != nil {
		return 0, err
	}
	model := &stopwatch{}
	g := &answer.Generator{Index: ix, LLM: model}
	var ds []time.Duration
	for i := range rounds {
		q := pipelineQuestions[i%len(pipelineQuestions)]
		model.called = time.Time{}
		start := time.Now()
		if _, err := g.Answer(ctx, q, nil, func(string) {}); err != nil {
			return 0, fmt.Errorf("pipeline %q: %w", q, err)
		}
		if model.called.IsZero() {
			return 0, fmt.Errorf("pipeline %q: no prompt reached the model (refused)", q)
		}
		ds = append(ds, model.called.Sub(start))
	}
	return percentile(ds, 50), nil
}

// stopwatch is the stand-in model: it notes when the prompt arrived and
// answers by quoting passage 1.
type stopwatch struct{ called time.Time }

func (s *stopwatch) Chat(ctx context.Context, req llm.ChatRequest) (llm.ChatResponse, error) {
	return llm.ChatResponse{}, errors.New("bench: no rewrite expected")
}

func (s *stopwatch) ChatStream(ctx context.Context, req llm.ChatRequest, onDelta func(string)) (llm.ChatResponse, error) {
	s.called = time.Now()
	onDelta("Réponse [1].")
	return llm.ChatResponse{Content: "Réponse [1].", FinishReason: "stop"}, nil
}
