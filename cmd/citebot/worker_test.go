package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/bot/discordtest"
	"github.com/citebot/citebot/scale"
	"github.com/citebot/citebot/scale/natstest"
)

func TestWorkerNeedsNATSAndAToken(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"DISCORD_TOKEN": "t"}, []string{"worker"}, "CITEBOT_NATS_URL is not set"},
		{map[string]string{"CITEBOT_NATS_URL": "nats://127.0.0.1:1"}, []string{"worker"}, "DISCORD_TOKEN is not set"},
		{map[string]string{"DISCORD_TOKEN": "t", "CITEBOT_NATS_URL": "nats://127.0.0.1:1"}, []string{"worker", "--partitions-held", "3-1"}, "partitions-held"},
		{nil, []string{"index", "--publish"}, "--publish needs CITEBOT_NATS_URL"},
	} {
		_, stderr, code := cli(t, tc.env, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// citebot index --publish, then a worker: it loads the published index,
// answers queued jobs with the CLI's pipeline and posts the replies on
// (a fake) Discord, as the bot would.
func TestWorkerAnswersPublishedJobs(t *testing.T) {
	srv := natstest.Start(t)
	vars := map[string]string{"CITEBOT_DATA_DIR": t.TempDir(), "HOME": t.TempDir(), "CITEBOT_NATS_URL": srv.URL()}
	getenv := func(k string) string { return vars[k] }
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"index", "--publish", "--json"}, &out, &errOut, getenv); err != nil {
		t.Fatalf("index --publish: %v\n%s", err, errOut.String())
	}
	var idx indexOut
	if err := json.Unmarshal(out.Bytes(), &idx); err != nil || idx.Published == "" {
		t.Fatalf("index --publish printed %s (%v), want a published version", out.String(), err)
	}
	const question = "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?"
	cliOut, _, _ := cli(t, nil, "ask", "--json", question)
	var want answerOut
	if err := json.Unmarshal([]byte(cliOut), &want); err != nil {
		t.Fatal(err)
	}

	fake := discordtest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	workerCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: getenv, name: "worker"}
	if _, err := e.parse(e.flags(""), nil); err != nil {
		t.Fatal(err)
	}
	go func() {
		done <- e.serveWorker(workerCtx, workerSettings{natsURL: srv.URL(), slots: 2, scatter: time.Second, replicas: 1,
			ackWait: 10 * time.Second, attempts: 2, token: "test-token", discordHC: fake.Client()})
	}()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	}()

	pub, err := scale.Connect(ctx, srv.URL(), scale.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	const ch = "200000000000000009"
	for _, j := range []scale.Job{
		{Kind: scale.KindAsk, ID: "700000000000000001", Channel: ch, Message: "700000000000000001", User: "u", Question: question, Lang: "fr"},
		{Kind: scale.KindSummary, ID: "700000000000000002", Channel: ch, User: "u", Question: "no-such-document", Lang: "en"},
		{Kind: scale.KindSearch, ID: "700000000000000003", Channel: ch, User: "u", Question: "partenariat OpenAI", Lang: "fr"},
	} {
		if _, err := pub.Publish(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	posts, err := fake.WaitRequests(ctx, 3, discordtest.MatchRoute("POST", "/channels/{id}/messages"))
	if err != nil {
		t.Fatal(err)
	}
	type post struct {
		Content   string            `json:"content"`
		Embeds    []json.RawMessage `json:"embeds"`
		Reference *struct {
			MessageID string `json:"message_id"`
		} `json:"message_reference"`
	}
	byReply := map[string]post{}
	for _, p := range posts {
		var m post
		if err := p.JSON(&m); err != nil {
			t.Fatal(err)
		}
		key := "none"
		if m.Reference != nil {
			key = m.Reference.MessageID
		}
		byReply[key+m.Content[:min(10, len(m.Content))]] = m
	}
	var answered, unknown, passages bool
	for _, m := range byReply {
		switch {
		case m.Reference != nil && strings.HasPrefix(m.Content, want.Answer[:40]) && len(m.Embeds) > 0:
			answered = true
		case strings.Contains(m.Content, "document"):
			unknown = true
		case m.Content == "" && len(m.Embeds) == 1:
			passages = true
		}
	}
	if !answered || !unknown || !passages {
		t.Errorf("answered %v, unknown document told %v, passages shown %v; posts:\n%+v", answered, unknown, passages, byReply)
	}
}
