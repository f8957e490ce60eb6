package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/citebot/citebot/answer"
)

func runChat(ctx context.Context, e *env, args []string) error {
	fs := e.flags("")
	k := fs.Int("k", 8, "passages to retrieve")
	minCov := minCoverageFlag(fs)
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	ix, _, err := e.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	ask, mode, err := e.answerer(ix, *k, *minCov)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "citebot chat (%s mode). Ask a question; an empty line or Ctrl-D ends.\n", mode)
	return e.converse(ctx, ask)
}

// converse reads one question a line and answers it with the history of
// the conversation. A bad question gets a message, not the end of the
// session; a runtime error ends it.
func (e *env) converse(ctx context.Context, ask answer.Pipeline) error {
	in := bufio.NewScanner(e.stdin)
	in.Buffer(make([]byte, 64*1024), 1<<20)
	var history []answer.Turn
	for {
		fmt.Fprint(e.stderr, "> ")
		if !in.Scan() {
			return in.Err()
		}
		q := strings.TrimSpace(in.Text())
		if q == "" {
			return nil
		}
		if err := answer.Validate(q); err != nil {
			fmt.Fprintf(e.stderr, "%v\n", err)
			continue
		}
		stream := &terminalStream{w: e.stdout}
		a, err := ask(ctx, q, history, stream.write)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		}
		e.logUsage(a)
		if err := printAnswer(e.stdout, a, stream); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout)
		history = append(history, answer.Turn{Question: q, Answer: a.Text})
		history = history[max(0, len(history)-answer.MaxTurns):]
	}
}
