package prompts

import (
	"fmt"
	"strings"
)

// Answer asks the model to answer d.Question from d.Passages only, citing
// them as [N], or to reply exactly NotFound. The passages and the question
// are framed as data, so that an article or a user cannot rewrite the rules.
func Answer(d AnswerData) (Prompt, error) {
	return build("answer", &d, func() (err error) {
		if d.Question, err = question(d.Question); err != nil {
			return err
		}
		if d.Lang, err = langCode(d.Lang, false); err != nil {
			return err
		}
		return checkPassages(d.Passages)
	})
}

// Rewrite asks the model to turn a follow-up message into a standalone
// question, in its own language and translated into the corpus language,
// so that retrieval works without the conversation. ParseRewrite reads the
// reply.
func Rewrite(d RewriteData) (Prompt, error) {
	return build("rewrite", &d, func() (err error) {
		if d.Question, err = question(d.Question); err != nil {
			return err
		}
		if d.QuestionLang, err = langCode(d.QuestionLang, false); err != nil {
			return fmt.Errorf("question %w", err)
		}
		if d.CorpusLang, err = langCode(d.CorpusLang, true); err != nil {
			return fmt.Errorf("corpus %w", err)
		}
		return nil
	})
}

// Summary asks for a short summary of one document in d.Lang, every
// sentence citing the passages it comes from, so that a summary can be
// checked like an answer.
func Summary(d SummaryData) (Prompt, error) {
	return build("summary", &d, func() (err error) {
		if d.Lang, err = langCode(d.Lang, true); err != nil {
			return err
		}
		if strings.TrimSpace(d.DocID) == "" {
			return fmt.Errorf("no document ID: %w", errInvalid)
		}
		return checkPassages(d.Passages)
	})
}

// Synthesis asks for an overview of the whole corpus from per-document
// summaries, citing documents by their number N. Summarising summaries
// keeps the prompt small whatever the size of the corpus.
func Synthesis(d SynthesisData) (Prompt, error) {
	return build("synthesis", &d, func() (err error) {
		if d.Lang, err = langCode(d.Lang, true); err != nil {
			return err
		}
		if len(d.Docs) == 0 {
			return fmt.Errorf("no documents: %w", errInvalid)
		}
		seen := map[int]bool{}
		for _, doc := range d.Docs {
			if err := checkNumber(doc.N, seen); err != nil {
				return fmt.Errorf("document %w", err)
			}
			if strings.TrimSpace(data(nocite(doc.Summary))) == "" {
				return fmt.Errorf("document %d has an empty summary: %w", doc.N, errInvalid)
			}
		}
		return nil
	})
}

// build checks and normalises a prompt's data in place with check, then
// renders the templates NAME.*.tmpl with it; an error names the prompt.
func build(name string, d any, check func() error) (Prompt, error) {
	if err := check(); err != nil {
		return Prompt{}, fmt.Errorf("%s prompt: %w", name, err)
	}
	return render(name, d)
}

// question trims q and rejects an empty one, which no prompt can use.
func question(q string) (string, error) {
	q = strings.TrimSpace(q)
	if data(q) == "" {
		return "", fmt.Errorf("empty question: %w", errInvalid)
	}
	return q, nil
}

// langCodeRE is a language code as BCP 47 writes it, which also keeps a
// code from carrying text into the prompt.
var langCodeRE = lazyRegexp(`^[a-z]{2,3}(-[a-z0-9]{2,8})*$`)

// langCode normalises a language code to lower case; "" is allowed unless
// required, and the templates then fall back to the question's language.
func langCode(code string, required bool) (string, error) {
	code = strings.ToLower(strings.TrimSpace(code))
	switch {
	case code == "" && required:
		return "", fmt.Errorf("no language: %w", errInvalid)
	case code != "" && !langCodeRE().MatchString(code):
		return "", fmt.Errorf("language code %q: %w", code, errInvalid)
	}
	return code, nil
}

// checkPassages rejects an empty list, a passage without text and numbers
// that the model could not cite unambiguously.
func checkPassages(ps []Passage) error {
	if len(ps) == 0 {
		return fmt.Errorf("no passages: %w", errInvalid)
	}
	seen := map[int]bool{}
	for _, p := range ps {
		if err := checkNumber(p.N, seen); err != nil {
			return fmt.Errorf("passage %w", err)
		}
		if data(p.Text) == "" {
			return fmt.Errorf("passage %d has no text: %w", p.N, errInvalid)
		}
	}
	return nil
}

// checkNumber rejects a citation number below 1 or already used.
func checkNumber(n int, seen map[int]bool) error {
	if n < 1 {
		return fmt.Errorf("number %d: not positive: %w", n, errInvalid)
	}
	if seen[n] {
		return fmt.Errorf("number %d: used twice: %w", n, errInvalid)
	}
	seen[n] = true
	return nil
}
