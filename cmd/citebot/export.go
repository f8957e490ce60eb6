package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/citebot/citebot/store"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs := e.storeFlags("--user ID")
	user := fs.String("user", "", "the Discord user ID whose records to print")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	id := strings.TrimSpace(*user)
	if id == "" {
		fs.Usage()
		return usagef("export needs --user ID")
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := s.Export(ctx, id)
	if err != nil {
		return err
	}
	if n := len(d.Questions) + len(d.Votes) + len(d.Answers) + len(d.Turns); n == 0 {
		fmt.Fprintf(e.stderr, "nothing is stored about user %s\n", id)
	}
	// JSON whatever -json says: this is the user's data, to hand over.
	return writeJSON(e.stdout, exportJSON(d))
}

func runForget(ctx context.Context, e *env, args []string) error {
	fs := e.storeFlags("--user ID")
	user := fs.String("user", "", "the Discord user ID whose records to delete")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	id := strings.TrimSpace(*user)
	if id == "" {
		fs.Usage()
		return usagef("forget needs --user ID")
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Forget(ctx, id)
	if err != nil {
		return err
	}
	if e.jsonOut {
		return writeJSON(e.stdout, map[string]any{"user": id, "deleted": n})
	}
	if n == 0 {
		_, err = fmt.Fprintf(e.stdout, "Nothing was stored about user %s.\n", id)
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "Deleted %d records about user %s.\n", n, id)
	return err
}

// The shape of citebot export: lowercase names like the rest of the
// CLI's JSON, times in RFC 3339, stage times in milliseconds, and empty
// lists rather than null.
type exportOut struct {
	User      string          `json:"user"`
	Questions []questionOut   `json:"questions"`
	Votes     []voteOut       `json:"votes"`
	Answers   []keptAnswerOut `json:"answers"`
	Turns     []turnOut       `json:"turns"`
}

type questionOut struct {
	Time      time.Time          `json:"time"`
	Guild     string             `json:"guild,omitempty"`
	Channel   string             `json:"channel,omitempty"`
	KB        string             `json:"kb,omitempty"`
	Question  string             `json:"question"`
	Lang      string             `json:"lang,omitempty"`
	Outcome   string             `json:"outcome"`
	Cited     []string           `json:"cited,omitempty"`
	StagesMS  map[string]float64 `json:"stages_ms,omitempty"`
	Tokens    int                `json:"tokens,omitempty"`
	AnswerKey string             `json:"answer_key,omitempty"`
}

type voteOut struct {
	Time      time.Time `json:"time"`
	Guild     string    `json:"guild,omitempty"`
	Vote      string    `json:"vote"`
	Question  string    `json:"question,omitempty"`
	Answer    string    `json:"answer,omitempty"`
	Sources   []string  `json:"sources,omitempty"`
	AnswerKey string    `json:"answer_key,omitempty"`
}

type keptAnswerOut struct {
	Time     time.Time `json:"time"`
	Guild    string    `json:"guild,omitempty"`
	Question string    `json:"question"`
	Answer   string    `json:"answer"`
	Sources  []string  `json:"sources,omitempty"`
}

type turnOut struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

func exportJSON(d store.UserData) exportOut {
	out := exportOut{User: d.User, Questions: []questionOut{}, Votes: []voteOut{}, Answers: []keptAnswerOut{}, Turns: []turnOut{}}
	for _, q := range d.Questions {
		var stages map[string]float64
		for k, v := range q.Stages {
			if stages == nil {
				stages = map[string]float64{}
			}
			stages[k] = float64(v) / float64(time.Millisecond)
		}
		out.Questions = append(out.Questions, questionOut{Time: q.Time, Guild: q.Guild, Channel: q.Channel, KB: q.KB,
			Question: q.Question, Lang: q.Lang, Outcome: string(q.Outcome), Cited: q.Cited, StagesMS: stages, Tokens: q.Tokens,
			AnswerKey: q.AnswerKey})
	}
	for _, v := range d.Votes {
		out.Votes = append(out.Votes, voteOut{Time: v.Time, Guild: v.Guild, Vote: v.Vote, Question: v.Question,
			Answer: v.Answer, Sources: v.Sources, AnswerKey: v.AnswerKey})
	}
	for _, a := range d.Answers {
		out.Answers = append(out.Answers, keptAnswerOut{Time: a.Time, Guild: a.Guild, Question: a.Question, Answer: a.Text, Sources: a.Sources})
	}
	for _, t := range d.Turns {
		out.Turns = append(out.Turns, turnOut{Question: t.Question, Answer: t.Answer})
	}
	return out
}
