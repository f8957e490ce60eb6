package answer

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/llm/llmtest"
)

func TestRetryAfterThenSuccess(t *testing.T) {
	fake := llmtest.New(t)
	fake.Reply(llmtest.Reply{Status: 429, RetryAfter: "2"}, llmtest.Reply{Content: "Un partenariat stratégique [1]."})
	g, _, slept := newGenerator(t, fake)
	a, err := g.Answer(context.Background(), frQuestion, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != ModeLLM || a.Notice != "" || len(fake.ChatRequests()) != 2 {
		t.Errorf("got mode %s, notice %q, %d requests; want the model's answer after one retry", a.Mode, a.Notice, len(fake.ChatRequests()))
	}
	if waits := slept.Recorded(); len(waits) != 1 || waits[0] < 2*time.Second {
		t.Errorf("got waits %v, want one of at least the 2s Retry-After", waits)
	}
}

// The model failing in any way must still give the user a cited answer and
// say what happened.
func TestModelFailuresFallBackToExtracts(t *testing.T) {
	tests := []struct {
		name    string
		replies []llmtest.Reply
		timeout time.Duration
		want    string // in the notice: the cause, which tells the cases apart
	}{
		{"persistent 500", []llmtest.Reply{{Status: 500}, {Status: 500}, {Status: 500}}, 0, "HTTP 500 Internal Server Error"},
		{"slow server", []llmtest.Reply{{Block: true}, {Block: true}, {Block: true}}, 50 * time.Millisecond, "within 50ms"},
		{"malformed stream", []llmtest.Reply{{Malformed: true}, {Malformed: true}, {Malformed: true}}, 0, "unexpected response"},
		{"error mid-stream", []llmtest.Reply{{Content: "Le Royaume-Uni a signé un long partenariat avec OpenAI et bien plus [1].", BreakAfter: 2}}, 0, "connection closed before the answer was complete"},
		{"bad key", []llmtest.Reply{{Status: 401}}, 0, "OPENAI_API_KEY"},
		{"429 storm", []llmtest.Reply{{Status: 429, RetryAfter: "1"}, {Status: 429, RetryAfter: "1"}, {Status: 429, RetryAfter: "1"}}, 0, "rate limited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := llmtest.New(t)
			fake.Reply(tt.replies...)
			g, _, slept := newGenerator(t, fake)
			if tt.timeout > 0 {
				g.LLM = newClient(t, fake, tt.timeout, slept)
			}
			var shown strings.Builder
			a, err := g.Answer(context.Background(), frQuestion, nil, func(s string) { shown.WriteString(s) })
			if err != nil {
				t.Fatalf("got error %v, want a fallback answer", err)
			}
			if a.Mode != ModeExtractive || a.Streamed || len(a.Sources) == 0 || !strings.Contains(a.Notice, tt.want) {
				t.Errorf("got mode %s streamed %v, %d sources, notice %q; want extracts with a notice mentioning %q", a.Mode, a.Streamed, len(a.Sources), a.Notice, tt.want)
			}
			checkCitations(t, a)
		})
	}
}

func TestUncitedAnswerIsRegeneratedOnce(t *testing.T) {
	fake := llmtest.New(t)
	fake.Reply(llmtest.Reply{Content: "Un partenariat, sans source."}, llmtest.Reply{Content: "Un partenariat stratégique [1]."})
	g, _, _ := newGenerator(t, fake)
	a, err := g.Answer(context.Background(), frQuestion, nil, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	reqs := fake.ChatRequests()
	if len(reqs) != 2 || reqs[1].Stream {
		t.Fatalf("got %d requests, want a second, plain one", len(reqs))
	}
	if !strings.Contains(reqs[1].Messages[0].Content, reqs[0].Messages[0].Content[:40]) || reqs[1].Messages[0].Content == reqs[0].Messages[0].Content {
		t.Error("got the same instructions twice, want stricter ones the second time")
	}
	if a.Text != "Un partenariat stratégique [1]." || a.Streamed || !strings.Contains(a.Notice, "régénérée") {
		t.Errorf("got %q (streamed %v), notice %q; want the regenerated answer and a notice", a.Text, a.Streamed, a.Notice)
	}

	fake = llmtest.New(t)
	fake.Reply(llmtest.Reply{Content: "Sans source."}, llmtest.Reply{Content: "Toujours sans source [7]."})
	g, _, _ = newGenerator(t, fake)
	a, err = g.Answer(context.Background(), frQuestion, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != ModeExtractive || !strings.Contains(a.Notice, "pas cité") || len(fake.ChatRequests()) != 2 {
		t.Errorf("got mode %s, notice %q after %d requests; want extracts after two uncited answers", a.Mode, a.Notice, len(fake.ChatRequests()))
	}
}

// The NOT_FOUND reply, bare or dressed as models write it, is a refusal
// whether or not it is streamed, and none of it is shown.
func TestModelNotFoundReplyIsARefusal(t *testing.T) {
	for _, reply := range []string{"NOT_FOUND", "NOT_FOUND.", " **NOT_FOUND** \n", "`NOT_FOUND`"} {
		t.Run(reply, func(t *testing.T) {
			fake := llmtest.New(t)
			fake.Reply(llmtest.Reply{Content: reply})
			g, _, _ := newGenerator(t, fake)
			var shown strings.Builder
			a, err := g.Answer(context.Background(), frQuestion, nil, func(s string) { shown.WriteString(s) })
			if err != nil {
				t.Fatal(err)
			}
			if !a.Refused || len(a.Sources) != 0 || shown.Len() != 0 || !strings.Contains(a.Text, "Je ne trouve pas") {
				t.Errorf("got refused=%v, %d sources, shown %q, text %q; want a refusal and nothing streamed", a.Refused, len(a.Sources), shown.String(), a.Text)
			}
			// Nothing of the refusal was streamed, so the caller must print it.
			if a.Streamed {
				t.Errorf("got streamed true for text %q of which %q was shown, want false", a.Text, shown.String())
			}
		})
	}
}

func TestWeakEvidenceIsRefusedWithoutCallingTheModel(t *testing.T) {
	fake := llmtest.New(t)
	g, _, _ := newGenerator(t, fake)
	a, err := g.Answer(context.Background(), "Quelle est la recette de la tarte Tatin ?", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Refused || len(a.Sources) != 0 {
		t.Errorf("got %+v, want a refusal", a)
	}
	if n := len(fake.ChatRequests()); n != 0 {
		t.Errorf("got %d chat requests, want 0", n)
	}
}

func TestCancelledQuestionReturnsTheContextError(t *testing.T) {
	fake := llmtest.New(t)
	fake.Reply(llmtest.Reply{Block: true})
	g, _, _ := newGenerator(t, fake)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-fake.Blocked()
		cancel()
	}()
	if _, err := g.Answer(ctx, frQuestion, nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// A hung model must not hold a question for the sum of every attempt of
// every call: past the answer deadline, the rewrite and the answer give
// up and the passages are quoted with a notice saying why.
func TestAnswerDeadlineCoversEveryModelCall(t *testing.T) {
	fake := llmtest.New(t)
	fake.SetDefault(func(llmtest.ChatRequest) llmtest.Reply { return llmtest.Reply{Block: true} })
	g, _, slept := newGenerator(t, fake)
	g.LLM = newClient(t, fake, time.Hour, slept) // attempts alone would wait for hours
	g.Deadline = 50 * time.Millisecond
	// An English question is rewritten first: two model calls to bound.
	// Without the deadline, this test's own bound ends it with an error.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, err := g.Answer(ctx, "What partnership did the UK sign with OpenAI?", nil, func(string) {})
	if err != nil {
		t.Fatalf("got error %v, want the passages", err)
	}
	if a.Mode != ModeExtractive || len(a.Sources) == 0 || a.Notice != notice("en", "deadline") {
		t.Errorf("got mode %s, %d sources, notice %q; want extracts with the deadline notice", a.Mode, len(a.Sources), a.Notice)
	}
	if n := len(fake.ChatRequests()); n > 2 {
		t.Errorf("got %d model requests, want at most the rewrite and one answer attempt", n)
	}
}

// Every answer request carries max_tokens, and a server that ignores it
// is read only up to a bound: the answer is cut there and says so.
func TestAnswerLengthIsBounded(t *testing.T) {
	fake := llmtest.New(t)
	fake.Reply(llmtest.Reply{Content: "Un partenariat stratégique [1]. " + strings.Repeat("Et encore une phrase sans fin. ", 200)})
	g, _, _ := newGenerator(t, fake)
	g.MaxTokens = 100
	a, err := g.Answer(context.Background(), frQuestion, nil, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	if reqs := fake.ChatRequests(); len(reqs) != 1 || reqs[0].MaxTokens != 100 {
		t.Fatalf("got %d requests, want one with max_tokens 100", len(reqs))
	}
	if len(a.Text) > 100*bytesPerToken || a.Notice != notice("fr", "cut") || len(a.Sources) != 1 {
		t.Errorf("got %d bytes, notice %q, %d sources; want at most %d bytes, the cut notice and the cited source",
			len(a.Text), a.Notice, len(a.Sources), 100*bytesPerToken)
	}
}
