// Package answer turns a question into an answer whose every claim is cited
// to a retrieved passage. This file holds the types every answerer shares;
// extractive.go answers offline by quoting the passages themselves.
package answer

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/citebot/citebot/llm"
	"github.com/citebot/citebot/prompts"
	"github.com/citebot/citebot/retrieval"
)

// Searcher is what answering needs from an index.
type Searcher interface {
	Search(ctx context.Context, query string, k int) ([]retrieval.Result, error)
	// IDF weighs an analysed term by its rarity in the corpus and tells
	// whether the corpus has it at all.
	IDF(term string) (float64, bool)
}

// Mode names how an answer was produced.
const (
	ModeExtractive = "extractive"
	ModeLLM        = "llm"
)

// Answer is a reply with its evidence. Text carries [n] markers; each n is
// the N of one entry of Sources.
type Answer struct {
	Question string
	// Lang is the language of the question ("fr" or "en"); replies and
	// labels use it.
	Lang    string
	Text    string
	Refused bool
	// GateRefused is true when the refusal came before any answerer ran:
	// the retrieved passages showed no evidence at all (see gate), or
	// nothing was asked. The eval counts these apart from the refusals of
	// the reader or the model.
	GateRefused bool
	Mode        string
	// Passages are the retrieved passages given to the answerer, best first.
	Passages []retrieval.Result
	// Sources are the cited passages only, by N.
	Sources []Source
	// Query is what was searched: the question, or its standalone rewrite
	// for a follow-up.
	Query string
	// Notice is a one-line remark for the user: a fallback to extracted
	// passages, a regenerated answer.
	Notice string
	// Streamed is true when Text is exactly what the stream callback got.
	Streamed bool
	// RemovedMarkers counts citation numbers that pointed to no passage.
	RemovedMarkers int
	// Usage is the tokens spent, when a model was called.
	Usage llm.Usage
	// Timings says where the time went, for latency metrics.
	Timings Timings
}

// Timings are the durations of an answer's stages.
type Timings struct {
	Retrieve, Generate time.Duration
}

// Source is one cited passage: the chunk it comes from and the exact text
// quoted from it, so that a reader (or the eval) can check the claim.
type Source struct {
	N       int
	ChunkID string
	DocID   string
	Title   string
	Date    string
	URL     string
	// Quote is text of the chunk, verbatim.
	Quote string
}

// QuoteIn reports whether the source's quote is found in the passage it
// names among passages: the definition of a valid citation.
func (s Source) QuoteIn(passages []retrieval.Result) bool {
	for _, p := range passages {
		if p.Chunk.ID == s.ChunkID {
			return s.Quote != "" && strings.Contains(p.Chunk.Text, s.Quote)
		}
	}
	return false
}

// notice words the one-line remarks of Answer.Notice.
func notice(lang, kind string) string {
	en := map[string]string{
		"regenerated": "The first answer cited no passage; this one was generated again with stricter instructions.",
		"uncited":     "The language model did not cite the passages; showing extracted passages instead.",
		"failed":      "The language model is unavailable; showing extracted passages instead.",
		"deadline":    "The language model took too long; showing extracted passages instead.",
		"cut":         "The answer reached its length limit and was cut.",
		"degraded":    "Semantic search is unavailable; these passages were found by keywords alone.",
	}
	fr := map[string]string{
		"regenerated": "La première réponse ne citait aucun passage ; celle-ci a été régénérée avec des consignes plus strictes.",
		"uncited":     "Le modèle de langue n'a pas cité les passages ; voici les passages extraits.",
		"failed":      "Le modèle de langue est indisponible ; voici les passages extraits.",
		"deadline":    "Le modèle de langue a mis trop de temps ; voici les passages extraits.",
		"cut":         "La réponse a atteint sa longueur maximale et a été coupée.",
		"degraded":    "La recherche sémantique est indisponible ; ces passages ont été trouvés par mots-clés seulement.",
	}
	if lang == "en" {
		return en[kind]
	}
	return fr[kind]
}

// degradedSearch reports whether err comes with passages ranked by
// keywords alone because the question could not be embedded; the index
// has logged why (see retrieval.DegradedError).
func degradedSearch(err error) bool {
	var d *retrieval.DegradedError
	return errors.As(err, &d)
}

// addNotice puts the notice of kind before any notice a already has, on
// the same line.
func addNotice(a *Answer, kind string) {
	a.Notice = strings.TrimSpace(notice(a.Lang, kind) + " " + a.Notice)
}

// modelFailed logs that the model failed with cause and what is done
// instead, and returns the notice that tells the user, cause included.
func modelFailed(logger *slog.Logger, lang, instead string, cause error) string {
	orDiscard(logger).Warn("language model failed; "+instead, "err", cause)
	return notice(lang, "failed") + " (" + cause.Error() + ")"
}

// orDiscard is logger, or one that drops everything when logger is nil,
// so that a nil Logger field means no logs.
func orDiscard(logger *slog.Logger) *slog.Logger {
	if logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return logger
}

// trimAnswer strips what models add around a bare reply.
func trimAnswer(s string) string {
	return strings.Trim(strings.TrimSpace(s), ".\"'`*")
}

// isNotFound reports whether a model reply is the prompts.NotFound reply,
// as models write it ("NOT_FOUND.", "**NOT_FOUND**"). Deciding the refusal
// and hiding it from the stream must agree, so both use this.
func isNotFound(reply string) bool {
	return trimAnswer(reply) == prompts.NotFound
}

// mayBeNotFound reports whether a reply received so far could still turn
// out to be the NotFound reply: it is (see isNotFound), or it is the start
// of one, since trimAnswer strips whatever may precede NotFound.
func mayBeNotFound(partial string) bool {
	return strings.HasPrefix(prompts.NotFound, trimAnswer(partial))
}

// notFound is the refusal, in the asker's language.
func notFound(lang string) string {
	if lang == "en" {
		return "I could not find the answer in the documents."
	}
	return "Je ne trouve pas la réponse dans les documents."
}

// MaxQuestionRunes bounds a question: longer input is an error, not a
// silently truncated search.
const MaxQuestionRunes = 2000
