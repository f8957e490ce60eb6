// Package prompts owns every text that citebot sends to a language model.
//
// The texts live in templates/*.tmpl, embedded in the binary and parsed once,
// so that they can be read and reviewed as prose and pinned by golden files
// in testdata/. The functions here only validate the data and render it:
// calling a model, checking citations and choosing what to retrieve belong
// to other packages. Everything that comes from documents, users or earlier
// model replies is untrusted and goes through the template functions in
// neutralise.go, which keep it from closing or faking the delimiters the
// prompts rely on.
package prompts

import (
	"embed"
	"errors"
	"fmt"
	"strings"
	"sync"
	"text/template"
)

// Prompt is a system and a user message.
type Prompt struct{ System, User string }

// Passage is a piece of a document shown to the model. N is the citation
// number the model must use, so that the caller can map a marker [N] back to
// the passage it gave.
type Passage struct {
	N     int
	DocID string
	Title string
	Date  string
	Text  string
}

// Turn is one earlier exchange of a conversation, which a follow-up
// question may refer to.
type Turn struct{ Question, Answer string }

// AnswerData is what the answer prompt needs: the question and the passages
// retrieved for it.
type AnswerData struct {
	Question string
	Lang     string // language code of the question: "fr" or "en" (others possible: print the code)
	Passages []Passage
	Strict   bool // a retry after an answer without valid citations: add a firmer instruction
}

// RewriteData is what the rewrite prompt needs to turn a follow-up message
// into a standalone search query, in the asker's language and in the
// corpus's, since retrieval works best in the language of the documents.
type RewriteData struct {
	History      []Turn // earlier turns of the conversation, oldest first (may be empty)
	Question     string // the new message, possibly a follow-up like "and how much did they raise in March?"
	QuestionLang string // "fr"/"en"
	CorpusLang   string // language of the documents, "fr"
}

// SummaryData is one document, as the passages the summary must cite. Lang
// is the language to write the summary in.
type SummaryData struct {
	DocID, Title, Date, Lang string
	Passages                 []Passage
}

// DocSummary is the summary of one document, numbered N so that the
// synthesis can cite documents as it cites passages.
type DocSummary struct {
	N                           int
	DocID, Title, Date, Summary string
}

// SynthesisData is the whole corpus as per-document summaries, for an
// overview written in Lang.
type SynthesisData struct {
	Lang string
	Docs []DocSummary
}

// NotFound is the exact reply the answer prompt asks for when the passages do not hold the answer.
const NotFound = "NOT_FOUND"

// errInvalid marks data that cannot make a sensible prompt; it is a bug in
// the caller, not a model or network failure.
var errInvalid = errors.New("invalid prompt data")

//go:embed templates/*.tmpl
var templateFS embed.FS

// templates parses the embedded files at first use. A parse error is a
// programming error: the tests render every template, so it never ships.
var templates = sync.OnceValues(func() (*template.Template, error) {
	return template.New("prompts").Funcs(funcMap()).ParseFS(templateFS, "templates/*.tmpl")
})

// render executes the system and user templates of one prompt, named
// NAME.system.tmpl and NAME.user.tmpl, with the same data.
func render(name string, data any) (Prompt, error) {
	t, err := templates()
	if err != nil {
		return Prompt{}, fmt.Errorf("parse templates: %w", err)
	}
	var p Prompt
	for _, m := range []struct {
		part string
		out  *string
	}{{"system", &p.System}, {"user", &p.User}} {
		var b strings.Builder
		if err := t.ExecuteTemplate(&b, name+"."+m.part+".tmpl", data); err != nil {
			return Prompt{}, fmt.Errorf("render %s %s: %w", name, m.part, err)
		}
		*m.out = strings.TrimSpace(b.String())
	}
	return p, nil
}
