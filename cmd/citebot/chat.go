package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/citebot/citebot/answer"
)

func runChat(ctx context.Context, e *env, args []string) error {
	fs := e.kbFlags("")
	k := fs.Int("k", 0, "passages to retrieve; 0: the default, 8 offline and 16 for a model")
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
// the conversation. A bad question — empty of meaning, or a line past the
// length limit — gets a message, not the end of the session; a runtime
// error ends it.
func (e *env) converse(ctx context.Context, ask answer.Pipeline) error {
	in := bufio.NewReader(e.stdin)
	var history []answer.Turn
	for {
		fmt.Fprint(e.stderr, "> ")
		line, long, err := readLine(in, maxLineBytes)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		q := strings.TrimSpace(line)
		if long {
			fmt.Fprintf(e.stderr, "that line is over %d bytes; the limit for a question is %d characters\n", maxLineBytes, answer.MaxQuestionRunes)
			continue
		}
		if q == "" {
			return nil
		}
		stream := &terminalStream{w: e.stdout}
		a, err := ask(ctx, q, history, stream.write)
		if errors.Is(err, answer.ErrInvalidQuestion) {
			fmt.Fprintf(e.stderr, "%v\n", err)
			continue
		}
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

// maxLineBytes bounds one line of chat input: room for the longest valid
// question in any script, far from a pasted file.
const maxLineBytes = 4 * answer.MaxQuestionRunes

// readLine reads one line without its newline. A line longer than max is
// read to its end and dropped (long is true), so that one oversized line
// costs that line, not the session. The last line may lack a newline.
func readLine(r *bufio.Reader, max int) (line string, long bool, err error) {
	var b []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if !long && len(b)+len(chunk) <= max+1 { // +1: the newline
			b = append(b, chunk...)
		} else {
			long, b = true, nil
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && (len(b) > 0 || long):
			return strings.TrimRight(string(b), "\r\n"), long, nil
		case err != nil:
			return "", false, err
		}
		return strings.TrimRight(string(b), "\r\n"), long, nil
	}
}
