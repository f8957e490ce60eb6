package bot

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/answer"
)

// TestAdmitQuestion checks what a question is refused with before any work
// is done, the same for messages and slash commands.
func TestAdmitQuestion(t *testing.T) {
	tests := []struct {
		name     string
		q        string
		asked    int  // questions the same user asked just before
		closing  bool // the bot is shutting down
		wantOK   bool
		wantText string // what the asker is told, as a prefix
	}{
		{"question", question, 0, false, true, ""},
		{"empty", "", 0, false, false, say("fr", "empty")},
		{"blank", " \n\t", 0, false, false, say("fr", "empty")},
		{"too long", strings.Repeat("é", 2001), 0, false, false, "the question is 2001 characters long; the limit is 2000"},
		{"invalid UTF-8", "\xff?", 0, false, false, "the question is not valid UTF-8 text"},
		{"too quick", question, 1, false, false, say("fr", "rateLimit", "")[:20]},
		{"shutting down", question, 0, true, false, say("fr", "restarting")},
	}
	for _, tt := range tests {
		for _, from := range []string{fromMessage, fromSlash} {
			t.Run(tt.name+"/"+from, func(t *testing.T) {
				b := &Bot{adm: newAdmission(Config{RatePerMinute: 1, RateBurst: 1}, nil), metrics: newBotMetrics()}
				for range tt.asked { // one a minute: the next is refused for a minute
					b.adm.limiter.allow(asker, time.Now())
				}
				if tt.closing {
					<-b.adm.close()
				}
				var told []string
				ok := b.admitQuestion(tt.q, origin{user: asker}, "fr", from, func(s string) { told = append(told, s) })
				if ok {
					b.adm.done()
				}
				if ok != tt.wantOK {
					t.Errorf("got admitted %v, want %v", ok, tt.wantOK)
				}
				if tt.wantOK && len(told) != 0 || !tt.wantOK && (len(told) != 1 || !strings.HasPrefix(told[0], tt.wantText)) {
					t.Errorf("got told %q, want %q", told, tt.wantText)
				}
			})
		}
	}
}

// TestFailureTellsTheAsker checks the words an asker gets when answering
// fails: the pipeline's verdict on the question, or a failure of ours.
func TestFailureTellsTheAsker(t *testing.T) {
	long := answer.Validate(strings.Repeat("é", 2001))
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"empty question", answer.ErrEmptyQuestion, say("fr", "empty")},
		{"question too long", long, long.Error()},
		{"queue full", errQueueFull, say("fr", "queueFull")},
		{"anything else", errors.New("boom"), say("fr", "failed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Bot{adm: newAdmission(Config{}, nil), metrics: newBotMetrics(), log: slog.New(slog.DiscardHandler)}
			var told []string
			b.failure(tt.err, "fr", fromMessage, func(s string) { told = append(told, s) })
			if len(told) != 1 || told[0] != tt.want {
				t.Errorf("got told %q, want %q", told, tt.want)
			}
		})
	}
}
