package answer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/retrieval"
)

// ErrInvalidQuestion matches (errors.Is) every error of Validate: the
// question cannot be answered as asked, which front ends tell the asker
// (a usage error on the CLI, a reply on Discord) rather than report as a
// failure. A pipeline validates its question once, on entry.
var ErrInvalidQuestion = errors.New("invalid question")

// questionError is an error of Validate, worded for the asker.
type questionError struct{ msg string }

func (e questionError) Error() string { return e.msg }

// Is makes every questionError match ErrInvalidQuestion.
func (e questionError) Is(target error) bool { return target == ErrInvalidQuestion }

// ErrEmptyQuestion is returned for a question with no text; the CLI shows
// its usage then.
var ErrEmptyQuestion error = questionError{"the question is empty"}

// Validate rejects questions that cannot be answered as asked: empty, or
// longer than MaxQuestionRunes (a pasted document is not a question, and
// silently cutting it would answer something else).
func Validate(q string) error {
	q = strings.TrimSpace(q)
	if q == "" {
		return ErrEmptyQuestion
	}
	if !utf8.ValidString(q) {
		return questionError{"the question is not valid UTF-8 text"}
	}
	if n := utf8.RuneCountInString(q); n > MaxQuestionRunes {
		return questionError{fmt.Sprintf("the question is %d characters long; the limit is %d", n, MaxQuestionRunes)}
	}
	return nil
}

// langKey is the context key of WithLanguage.
type langKey struct{}

// WithLanguage asks the pipeline to answer in lang ("fr" or "en")
// whatever the question's language — a Discord server that set its answer
// language. Any other value leaves the choice to Language.
func WithLanguage(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey{}, lang)
}

// languageFor is the language to answer in: the one ctx asks for, if
// any, else Language's.
func languageFor(ctx context.Context, q string, passages []retrieval.Result) string {
	if l, _ := ctx.Value(langKey{}).(string); l == "fr" || l == "en" {
		return l
	}
	return Language(q, passages)
}

// Language is the language to answer in: the question's own, or when the
// question gives no clue (a bare name), the language of the best passage.
func Language(q string, passages []retrieval.Result) string {
	if l := analysis.Detect(q); l != "" {
		return l
	}
	if len(passages) > 0 && passages[0].Doc.Lang != "" {
		return passages[0].Doc.Lang
	}
	return "fr"
}
