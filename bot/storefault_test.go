package bot

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/citebot/citebot/store"
)

// brokenStore is a store whose file went bad: every read fails, writes
// are lost, and Health says why.
type brokenStore struct{ *store.Memory }

var errBroken = errors.New("database disk image is malformed")

func (brokenStore) Health() error { return errBroken }
func (brokenStore) Thread(context.Context, string, int) (bool, []store.Turn, error) {
	return false, nil, errBroken
}
func (brokenStore) Answer(context.Context, string) (store.KeptAnswer, bool, error) {
	return store.KeptAnswer{}, false, errBroken
}
func (brokenStore) Settings(context.Context, string) (store.Settings, error) {
	return store.Settings{}, errBroken
}

// TestBrokenStoreKeepsAnswering runs the bot on a store that cannot be
// read: questions are answered all the same, the log says why the store
// is not used, and /healthz says the bot is up but its store is not.
func TestBrokenStoreKeepsAnswering(t *testing.T) {
	h := start(t, func(_ *Config, d *Deps) { d.Store = brokenStore{store.NewMemory(store.MemoryLimits{})} })
	m := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention()+" "+question, true)
	h.dispatch(t, "MESSAGE_CREATE", m)
	if b := decode(t, h.wait(t, isAnswerIn(m.ID))); !strings.Contains(b.Content, "[1]") {
		t.Errorf("got %q, want an answer", b.Content)
	}
	if !strings.Contains(h.logs.String(), errBroken.Error()) {
		t.Error("the log does not say why the store is not used")
	}
	ok, degraded := h.bot.healthy()
	if !ok || degraded != "store: "+errBroken.Error() {
		t.Errorf("got healthy %v, %q; want up, with the store degraded", ok, degraded)
	}
	srv := httptest.NewServer(opsHandler(newBotMetrics(), h.bot.healthy, nil))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if want := "ok\ndegraded: store: " + errBroken.Error() + "\n"; resp.StatusCode != 200 || string(raw) != want {
		t.Errorf("/healthz: got %d %q, want 200 %q", resp.StatusCode, raw, want)
	}
}
