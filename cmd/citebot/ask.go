package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/citebot/citebot/answer"
)

func runAsk(ctx context.Context, e *env, args []string) error {
	fs := e.flags("QUESTION...")
	k := fs.Int("k", 8, "passages to retrieve")
	minCov := minCoverageFlag(fs)
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(rest, " "))
	if err := checkQuestion(question, fs); err != nil {
		return err
	}
	ix, _, err := e.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	ex := &answer.Extractive{Index: ix, K: *k, MinCoverage: *minCov}
	a, err := ex.Answer(ctx, question)
	if err != nil {
		return err
	}
	if e.jsonOut {
		return writeJSON(e.stdout, answerJSON(a))
	}
	return writeAnswer(e.stdout, a)
}

// minCoverageFlag registers the refusal threshold shared by ask and eval.
func minCoverageFlag(fs *flag.FlagSet) *float64 {
	return fs.Float64("min-coverage", answer.DefaultMinCoverage,
		"share of the question's weighted words the best quote must contain, else decline")
}

// checkQuestion turns an unusable question into a usage error (exit 2)
// before any work is done.
func checkQuestion(q string, fs *flag.FlagSet) error {
	err := answer.Validate(q)
	if err == nil {
		return nil
	}
	if errors.Is(err, answer.ErrEmptyQuestion) {
		fs.Usage()
	}
	return usageError{err.Error()}
}

// writeAnswer prints the answer, then its numbered sources with the
// quoted passage.
func writeAnswer(w writer, a answer.Answer) error {
	var b strings.Builder
	b.WriteString(a.Text)
	b.WriteString("\n")
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
	_, err := fmt.Fprint(w, b.String())
	return err
}

func sourcesLabel(lang string) string {
	if lang == "en" {
		return "Sources:"
	}
	return "Sources :"
}
