package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/llm/llmtest"
)

const degradedNotice = "La recherche sémantique est indisponible"

// questionFailures are the embedding API outages a question can meet.
var questionFailures = []struct {
	name  string
	reply llmtest.EmbedReply
}{
	{"HTTP 500", llmtest.EmbedReply{Status: http.StatusInternalServerError}},
	// CITEBOT_EMBED_TIMEOUT cuts the hang, not the 60 s chat timeout.
	{"hang", llmtest.EmbedReply{Block: true}},
}

// remoteEmbedEnv configures a remote embedding model on the fake, with a
// short question deadline, and the chat model chat ("none": extractive).
func remoteEmbedEnv(fake *llmtest.Server, chat string) map[string]string {
	env := llmEnv(fake)
	env["CITEBOT_EMBED_MODEL"] = "test-embed"
	env["CITEBOT_CHAT_MODEL"] = chat
	env["CITEBOT_EMBED_TIMEOUT"] = "100ms"
	return env
}

// TestAskAnswersWhenTheQuestionCannotBeEmbedded: the index was built by
// the remote model, then the API fails or hangs on the question. ask
// answers from BM25 with a one-line notice, offline and with a model.
func TestAskAnswersWhenTheQuestionCannotBeEmbedded(t *testing.T) {
	for _, f := range questionFailures {
		for _, chat := range []string{"none", "test-chat"} {
			t.Run(f.name+"/"+chat, func(t *testing.T) {
				fake := llmtest.New(t)
				fake.SetDefault(scriptedModel)
				// One request builds the index (58 chunks, one batch); the
				// question's fails.
				fake.ReplyEmbeddings(llmtest.EmbedReply{}, f.reply)
				out, stderr, code := cli(t, remoteEmbedEnv(fake, chat), "ask", "Quel avatar a ouvert la soirée à l'ambassade ?")
				if code != 0 || !strings.Contains(out, "[1]") || !strings.Contains(out, degradedNotice) {
					t.Errorf("got exit %d, %q (%s); want a cited answer and the notice", code, out, stderr)
				}
				if !strings.Contains(stderr, "BM25 alone") {
					t.Errorf("got stderr %q, want the warning logged", stderr)
				}
				if n := len(fake.EmbeddingCalls()); n != 2 {
					t.Errorf("got %d embeddings requests, want 2 (index, question)", n)
				}
			})
		}
	}
}

// TestBotAnswersWhenTheQuestionCannotBeEmbedded drives the bot's pipeline:
// a question during the outage gets the notice, the next one uses the
// embedding API again.
func TestBotAnswersWhenTheQuestionCannotBeEmbedded(t *testing.T) {
	fake := llmtest.New(t)
	fake.SetDefault(scriptedModel)
	vars := remoteEmbedEnv(fake, "test-chat")
	vars["CITEBOT_DATA_DIR"] = t.TempDir()
	delete(vars, "CITEBOT_EMBED_TIMEOUT") // the default: the API must answer the second question in time
	var stderr bytes.Buffer
	e, k := discordKeeper(t, vars, &stderr)
	deps, _, err := e.botDeps(k, answer.DefaultMinCoverage)
	if err != nil {
		t.Fatal(err)
	}
	const q = "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?"
	fake.ReplyEmbeddings(llmtest.EmbedReply{Status: http.StatusServiceUnavailable})
	a, err := deps.Answer(context.Background(), q, nil, nil)
	if err != nil || !strings.HasPrefix(a.Notice, degradedNotice) || len(a.Sources) == 0 {
		t.Errorf("during the outage: got %v, notice %q, %d sources; want a cited answer with the notice", err, a.Notice, len(a.Sources))
	}
	before := len(fake.EmbeddingCalls())
	a, err = deps.Answer(context.Background(), q, nil, nil)
	if err != nil || a.Notice != "" || len(fake.EmbeddingCalls()) != before+1 {
		t.Errorf("after the outage: got %v, notice %q, %d requests; want the embedder used again, no notice",
			err, a.Notice, len(fake.EmbeddingCalls())-before)
	}
}

// TestSearchShowsBM25WhenTheQuestionCannotBeEmbedded: `search` shows the
// BM25 ranking, with vector scores of 0 and a note saying why.
func TestSearchShowsBM25WhenTheQuestionCannotBeEmbedded(t *testing.T) {
	fake := llmtest.New(t)
	fake.ReplyEmbeddings(llmtest.EmbedReply{}, llmtest.EmbedReply{Status: http.StatusInternalServerError})
	out, stderr, code := cli(t, remoteEmbedEnv(fake, "none"), "search", "--json", "data centers")
	var ps []passageOut
	if err := json.Unmarshal([]byte(out), &ps); err != nil || code != 0 || len(ps) == 0 {
		t.Fatalf("got exit %d, %d passages (%v; %s), want passages", code, len(ps), err, stderr)
	}
	for _, p := range ps {
		if p.Vector != 0 || p.BM25 == 0 {
			t.Errorf("got %+v, want a BM25 score and no vector score", p)
		}
	}
	if !strings.Contains(stderr, "ranked by BM25 alone") {
		t.Errorf("got stderr %q, want a note", stderr)
	}
}
