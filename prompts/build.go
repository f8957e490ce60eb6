package prompts

import (
	"fmt"
	"regexp"
	"strings"
)

// Answer asks the model to answer d.Question from d.Passages only, citing
// them as [N], or to reply exactly NotFound. The passages and the question
// are framed as data, so that an article or a user cannot rewrite the rules.
func Answer(d AnswerData) (Prompt, error) {
	var err error
	if d.Question, err = question(d.Question); err != nil {
		return Prompt{}, fmt.Errorf("answer prompt: %w", err)
	}
	if d.Lang, err = langCode(d.Lang, false); err != nil {
		return Prompt{}, fmt.Errorf("answer prompt: %w", err)
	}
	if err := checkPassages(d.Passages); err != nil {
		return Prompt{}, fmt.Errorf("answer prompt: %w", err)
	}
	return render("answer", d)
}

// Rewrite asks the model to turn a follow-up message into a standalone
// question, in its own language and translated into the corpus language,
// so that retrieval works without the conversation. ParseRewrite reads the
// reply.
func Rewrite(d RewriteData) (Prompt, error) {
	var err error
	if d.Question, err = question(d.Question); err != nil {
		return Prompt{}, fmt.Errorf("rewrite prompt: %w", err)
	}
	if d.QuestionLang, err = langCode(d.QuestionLang, false); err != nil {
		return Prompt{}, fmt.Errorf("rewrite prompt: question %w", err)
	}
	if d.CorpusLang, err = langCode(d.CorpusLang, true); err != nil {
		return Prompt{}, fmt.Errorf("rewrite prompt: corpus %w", err)
	}
	return render("rewrite", d)
}

// Summary asks for a short summary of one document in d.Lang, every
// sentence citing the passages it comes from, so that a summary can be
// checked like an answer.
func Summary(d SummaryData) (Prompt, error) {
	var err error
	if d.Lang, err = langCode(d.Lang, true); err != nil {
		return Prompt{}, fmt.Errorf("summary prompt: %w", err)
	}
	if strings.TrimSpace(d.DocID) == "" {
		return Prompt{}, fmt.Errorf("summary prompt: no document ID: %w", errInvalid)
	}
	if err := checkPassages(d.Passages); err != nil {
		return Prompt{}, fmt.Errorf("summary prompt: %w", err)
	}
	return render("summary", d)
}

// Synthesis asks for an overview of the whole corpus from per-document
// summaries, citing documents by their number N. Summarising summaries
// keeps the prompt small whatever the size of the corpus.
func Synthesis(d SynthesisData) (Prompt, error) {
	var err error
	if d.Lang, err = langCode(d.Lang, true); err != nil {
		return Prompt{}, fmt.Errorf("synthesis prompt: %w", err)
	}
	if len(d.Docs) == 0 {
		return Prompt{}, fmt.Errorf("synthesis prompt: no documents: %w", errInvalid)
	}
	seen := map[int]bool{}
	for _, doc := range d.Docs {
		if err := checkNumber(doc.N, seen); err != nil {
			return Prompt{}, fmt.Errorf("synthesis prompt: document %w", err)
		}
		if strings.TrimSpace(data(nocite(doc.Summary))) == "" {
			return Prompt{}, fmt.Errorf("synthesis prompt: document %d has an empty summary: %w", doc.N, errInvalid)
		}
	}
	return render("synthesis", d)
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
var langCodeRE = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})*$`)

// langCode normalises a language code to lower case; "" is allowed unless
// required, and the templates then fall back to the question's language.
func langCode(code string, required bool) (string, error) {
	code = strings.ToLower(strings.TrimSpace(code))
	switch {
	case code == "" && required:
		return "", fmt.Errorf("no language: %w", errInvalid)
	case code != "" && !langCodeRE.MatchString(code):
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
