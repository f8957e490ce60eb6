// Package eval measures answers against a set of questions with known
// answers (the JSON-lines contract in docs/ARCHITECTURE.md), so that
// changes to chunking, retrieval or answering are judged by numbers.
package eval

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Case is one line of an evaluation file.
type Case struct {
	ID          string   `json:"id"`
	Lang        string   `json:"lang"`
	Question    string   `json:"question"`
	Answerable  bool     `json:"answerable"`
	ExpectDocs  []string `json:"expect_docs"`
	ExpectFacts []string `json:"expect_facts"`
	// Category optionally groups questions (paraphrase, near-miss, …);
	// the JSON report then gives the metrics per category.
	Category string `json:"category,omitempty"`
}

// maxLine bounds one JSON line; a larger one is surely not a question.
const maxLine = 1 << 20

// Read parses an evaluation file. A malformed line is an error that names
// its line number; blank lines are skipped.
func Read(r io.Reader) ([]Case, error) {
	var cases []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var c Case
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if err := c.check(); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if len(cases) == 0 {
		return nil, errors.New("no questions in the evaluation file")
	}
	return cases, nil
}

func (c Case) check() error {
	switch {
	case strings.TrimSpace(c.Question) == "":
		return errors.New(`"question" is missing or empty`)
	case c.Answerable && len(c.ExpectDocs) == 0:
		return errors.New(`an answerable question needs "expect_docs"`)
	case !c.Answerable && (len(c.ExpectDocs) > 0 || len(c.ExpectFacts) > 0):
		return errors.New(`an unanswerable question cannot expect documents or facts`)
	}
	return nil
}
