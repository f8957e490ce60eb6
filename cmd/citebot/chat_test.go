package main

import (
	"bufio"
	"bytes"
	"context"
	"strings"
	"testing"
)

// chat runs `citebot chat` offline on input and returns stdout and stderr.
func chat(t *testing.T, input string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	vars := map[string]string{"CITEBOT_DATA_DIR": t.TempDir(), "CITEBOT_EMBED_MODEL": "local"}
	err := runWithInput(context.Background(), []string{"chat"}, strings.NewReader(input), &out, &errOut, func(k string) string { return vars[k] })
	if err != nil {
		t.Fatalf("got %v (%s), want the session to end normally", err, errOut.String())
	}
	return out.String(), errOut.String()
}

// A pasted 10 MB line costs that line, not the session: the next question
// is still answered.
func TestChatSurvivesAHugeLine(t *testing.T) {
	input := strings.Repeat("x", 10<<20) + "\nQuel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?\n"
	out, stderr := chat(t, input)
	if !strings.Contains(stderr, "the limit for a question is 2000 characters") {
		t.Errorf("got stderr %q, want the length limit named", stderr[:min(len(stderr), 300)])
	}
	if !strings.Contains(out, "partenariat") || !strings.Contains(out, "[1]") {
		t.Errorf("got %q, want the second question answered with citations", out)
	}
}

// A question over the rune limit but within a line is refused with the
// pipeline's own message, and the session goes on.
func TestChatRefusesALongQuestionAndGoesOn(t *testing.T) {
	input := strings.Repeat("mot ", 600) + "\nQuel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?\n"
	out, stderr := chat(t, input)
	if !strings.Contains(stderr, "the limit is 2000") || !strings.Contains(out, "[1]") {
		t.Errorf("got stderr %q, stdout %q; want the limit named, then an answer", stderr, out)
	}
}

func TestReadLine(t *testing.T) {
	r := bufio.NewReaderSize(strings.NewReader("court\n"+strings.Repeat("y", 100)+"\r\nfin"), 16)
	for _, want := range []struct {
		line string
		long bool
	}{{"court", false}, {"", true}, {"fin", false}} {
		line, long, err := readLine(r, 50)
		if err != nil || line != want.line || long != want.long {
			t.Errorf("got %q long %v err %v, want %q long %v", line, long, err, want.line, want.long)
		}
	}
	if _, _, err := readLine(r, 50); err == nil {
		t.Error("got no error at the end of input, want io.EOF")
	}
}
