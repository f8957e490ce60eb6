package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/rerank"
)

// answerer builds the answer pipeline over ix from the configuration: a
// model-backed one when a chat model is configured, offline otherwise;
// mode names which. With CITEBOT_RERANK_URL set, retrieval goes through
// that rerank endpoint first.
func (e *env) answerer(ix answer.Index, k int, minCov float64) (answer.Pipeline, string, error) {
	client, err := e.chat()
	if err != nil {
		return nil, "", err
	}
	api := e.api()
	if url := strings.TrimSpace(e.getenv("CITEBOT_RERANK_URL")); url != "" {
		ix = answer.Reranked(ix, &rerank.Client{URL: url, Model: strings.TrimSpace(e.getenv("CITEBOT_RERANK_MODEL")),
			APIKey: strings.TrimSpace(e.getenv("CITEBOT_RERANK_API_KEY"))}, e.log)
	}
	cfg := answer.Config{Index: ix, K: k, MinCoverage: minCov, Deadline: api.answerDeadline, MaxTokens: api.maxTokens, Logger: e.log}
	if client != nil {
		cfg.LLM = client // not a typed nil: a nil LLM means offline
	}
	p, mode := answer.New(cfg)
	return p, mode, nil
}

// terminalStream writes streamed text to w and remembers whether any was
// written, so that a fallback answer does not run into a cut-off one.
type terminalStream struct {
	w     io.Writer
	wrote bool
}

func (t *terminalStream) write(s string) {
	t.wrote = t.wrote || s != ""
	io.WriteString(t.w, s)
}

// printAnswer finishes an answer on the terminal: the text unless it was
// already streamed, the notice, then the numbered sources.
func printAnswer(w io.Writer, a answer.Answer, stream *terminalStream) error {
	var b strings.Builder
	if !a.Streamed {
		if stream != nil && stream.wrote {
			// The model's text above broke off or was replaced: say so
			// before the answer that stands.
			b.WriteString("\n\n" + abandonedLabel(a.Lang) + "\n\n")
		}
		b.WriteString(a.Text)
	}
	b.WriteString("\n")
	if a.Notice != "" {
		fmt.Fprintf(&b, "\n%s\n", a.Notice)
	}
	if len(a.Sources) > 0 {
		b.WriteString("\n" + sourcesLabel(a.Lang) + "\n")
	}
	for _, s := range a.Sources {
		fmt.Fprintf(&b, "[%d] %s — %s", s.N, s.Title, s.DocID)
		if s.Date != "" {
			fmt.Fprintf(&b, " (%s)", s.Date)
		}
		if s.URL != "" {
			fmt.Fprintf(&b, " <%s>", s.URL)
		}
		quote := strings.ReplaceAll(s.Quote, "\n", "\n      ")
		fmt.Fprintf(&b, "\n    « %s »\n", quote)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// abandonedLabel marks streamed text that is not the answer.
func abandonedLabel(lang string) string {
	if lang == "en" {
		return "[abandoned: the text above is incomplete and not the answer]"
	}
	return "[abandonné : le texte ci-dessus est incomplet et n'est pas la réponse]"
}

func sourcesLabel(lang string) string {
	if lang == "en" {
		return "Sources:"
	}
	return "Sources :"
}
