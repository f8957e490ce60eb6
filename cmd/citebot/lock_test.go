package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/citebot/citebot/llm/llmtest"
	"github.com/citebot/citebot/retrieval"
)

// TestSecondWriterWaitsThenGivesUp holds the index lock with a real
// `citebot index` whose embedding request hangs, then runs a second
// `index` and the bot's /reindex on the same data directory: each says on
// stderr that it waits for the other, then fails clearly after
// CITEBOT_LOCK_TIMEOUT instead of writing over it.
func TestSecondWriterWaitsThenGivesUp(t *testing.T) {
	fake := llmtest.New(t)
	fake.ReplyEmbeddings(llmtest.EmbedReply{Block: true})
	vars := llmEnv(fake)
	vars["CITEBOT_EMBED_MODEL"] = "test-embed"
	vars["CITEBOT_DATA_DIR"] = t.TempDir()
	vars["CITEBOT_LOCK_TIMEOUT"] = "10ms"
	getenv := func(k string) string { return vars[k] }

	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		var out, errOut bytes.Buffer
		first <- run(ctx, []string{"index"}, &out, &errOut, getenv)
	}()
	defer func() {
		cancel()
		if err := <-first; !errors.Is(err, context.Canceled) {
			t.Errorf("first writer: got %v, want it cancelled", err)
		}
	}()
	<-fake.Blocked() // the first writer holds the lock and embeds

	_, stderr, code := cli(t, vars, "index")
	if code != 1 || !strings.Contains(stderr, "waiting for another citebot writing the index in") ||
		!strings.Contains(stderr, "another citebot is writing the index") {
		t.Errorf("index: got exit %d, stderr %q; want a wait notice, then exit 1 saying why", code, stderr)
	}
	if strings.Contains(stderr, "embeddings unavailable") {
		t.Errorf("index: got %q, want no fallback to the built-in embedder for a busy index", stderr)
	}

	var errOut bytes.Buffer
	e := &env{stdout: &bytes.Buffer{}, stderr: &errOut, getenv: getenv, name: "discord"}
	if _, err := e.parse(e.flags(""), nil); err != nil {
		t.Fatal(err)
	}
	_, err := (&indexKeeper{e: e, live: retrieval.NewLive(nil)}).reindex(context.Background())
	if !errors.Is(err, retrieval.ErrBusy) || !strings.Contains(errOut.String(), "waiting for another citebot") {
		t.Errorf("/reindex: got %v, stderr %q; want a wait notice, then ErrBusy", err, errOut.String())
	}
}
