package discordtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

const testIntents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages | discordgo.IntentsMessageContent

// testContext bounds every wait in a test by the test's own deadline.
func testContext(t *testing.T) context.Context {
	t.Helper()
	timeout := 10 * time.Second
	if dl, ok := t.Deadline(); ok && time.Until(dl)-time.Second < timeout {
		timeout = time.Until(dl) - time.Second
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	t.Cleanup(cancel)
	return ctx
}

// newSession is a real discordgo session attached to s; handlers must be
// added before open.
func newSession(t *testing.T, s *Server) *discordgo.Session {
	t.Helper()
	sess, err := discordgo.New("Bot test-token")
	if err != nil {
		t.Fatalf("discordgo.New: %v", err)
	}
	sess.Identify.Intents = testIntents
	if os.Getenv("DISCORDTEST_DEBUG") != "" { // discordgo's own log of the gateway flow
		sess.LogLevel = discordgo.LogInformational
	}
	s.Attach(sess)
	return sess
}

func open(ctx context.Context, t *testing.T, s *Server, sess *discordgo.Session) {
	t.Helper()
	if err := sess.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
}

func receive[T any](ctx context.Context, t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		var zero T
		t.Fatalf("waiting for %T: %v", zero, ctx.Err())
		return zero
	}
}

// forward sends each MESSAGE_CREATE the session handles to the returned
// channel.
func forward(sess *discordgo.Session) <-chan *discordgo.MessageCreate {
	ch := make(chan *discordgo.MessageCreate, 8)
	sess.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { ch <- m })
	return ch
}

func TestInvalidSessionReidentifies(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	s := New(t)
	sess := newSession(t, s)
	msgs := forward(sess)
	open(ctx, t, s, sess)

	s.InvalidateSession()
	s.DropConnection()
	if err := s.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := [2]int{s.Identifies(), s.Resumes()}, [2]int{2, 0}; got != want {
		t.Errorf("identifies, resumes: got %v, want %v", got, want)
	}
	if err := s.Dispatch("MESSAGE_CREATE", s.MessageCreate("500", "", "700", "after identify", false)); err != nil {
		t.Fatal(err)
	}
	if got := receive(ctx, t, msgs); got.Content != "after identify" {
		t.Errorf("content after identify: got %q, want %q", got.Content, "after identify")
	}
}

func TestDispatchWithoutConnection(t *testing.T) {
	t.Parallel()
	s := New(t)
	if err := s.Dispatch("MESSAGE_CREATE", map[string]any{}); err == nil {
		t.Error("Dispatch before connect: got nil error, want ErrNotConnected")
	}
	ctx, cancel := context.WithTimeout(testContext(t), 10*time.Millisecond)
	defer cancel()
	if err := s.WaitReady(ctx); err == nil {
		t.Error("WaitReady without session: got nil error, want deadline exceeded")
	}
}
