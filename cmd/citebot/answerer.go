package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/retrieval"
)

// answerFunc answers a question given the conversation so far, streaming
// the text to onDelta when it is set.
type answerFunc func(ctx context.Context, q string, history []answer.Turn, onDelta func(string)) (answer.Answer, error)

// corpusIndex is an index as answering sees it: a *retrieval.Index, or a
// retrieval.Live that the bot can swap when it re-indexes.
type corpusIndex interface {
	answer.Searcher
	Documents() []retrieval.DocInfo
}

// answerer picks the model-backed generator when a chat model is
// configured and the extractive answerer otherwise; mode names which.
func (e *env) answerer(ix corpusIndex, k int, minCov float64) (answerFunc, string, error) {
	client, err := e.chat()
	if err != nil {
		return nil, "", err
	}
	if client == nil {
		ex := &answer.Extractive{Index: ix, K: k, MinCoverage: minCov}
		return func(ctx context.Context, q string, history []answer.Turn, _ func(string)) (answer.Answer, error) {
			return ex.Answer(ctx, withContext(q, history))
		}, "offline", nil
	}
	g := &answer.Generator{Index: ix, LLM: client, CorpusLang: corpusLang(ix), K: k, MinCoverage: minCov, Logger: e.log}
	return g.Answer, "llm", nil
}

// withContext helps an offline follow-up ("and in March?") by searching it
// together with the previous question; a model rewrites follow-ups instead.
func withContext(q string, history []answer.Turn) string {
	if len(history) == 0 || len(strings.Fields(q)) > 8 {
		return q
	}
	joined := history[len(history)-1].Question + " " + q
	if answer.Validate(joined) != nil {
		return q
	}
	return joined
}

// corpusLang is the language most documents are in.
func corpusLang(ix corpusIndex) string {
	count := map[string]int{}
	best := "fr"
	for _, d := range ix.Documents() {
		count[d.Lang]++
		if d.Lang != "" && count[d.Lang] > count[best] {
			best = d.Lang
		}
	}
	return best
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
			b.WriteString("\n\n")
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
		quote := strings.ReplaceAll(s.Quote, "\n", "\n      ")
		fmt.Fprintf(&b, "\n    « %s »\n", quote)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sourcesLabel(lang string) string {
	if lang == "en" {
		return "Sources:"
	}
	return "Sources :"
}
