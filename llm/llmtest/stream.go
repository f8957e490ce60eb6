package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// wordsPerChunk is how many words each streamed chunk carries: small enough
// that even short answers arrive in several deltas.
const wordsPerChunk = 3

// Chunks splits content into the deltas the server streams for it, each of
// a few words with their trailing spaces, so that the deltas concatenate to
// exactly content. Tests use it to state the expected deltas.
func Chunks(content string) []string {
	words := strings.SplitAfter(content, " ")
	var out []string
	for i := 0; i < len(words); i += wordsPerChunk {
		chunk := strings.Join(words[i:min(i+wordsPerChunk, len(words))], "")
		if chunk != "" {
			out = append(out, chunk)
		}
	}
	return out
}

// stream writes reply as server-sent events the way OpenAI does: a role
// chunk, content chunks, a chunk with finish_reason, a usage chunk with no
// choices when stream_options.include_usage was set, then [DONE].
func stream(w http.ResponseWriter, req ChatRequest, reply Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	rc := http.NewResponseController(w)
	send := func(data string) {
		_, _ = fmt.Fprintf(w, "data: %s\n\n", data)
		_ = rc.Flush()
	}
	send(chunkJSON(req.Model, map[string]any{"role": "assistant", "content": ""}, nil, nil))
	if reply.Malformed {
		send(`{"id":"chatcmpl-fake","choices":[{"delta":{"content":"broken`)
		send("[DONE]")
		return
	}
	for i, piece := range Chunks(reply.Content) {
		if reply.BreakAfter > 0 && i == reply.BreakAfter {
			break
		}
		send(chunkJSON(req.Model, map[string]any{"content": piece}, nil, nil))
	}
	if reply.BreakAfter > 0 {
		// Abort without the terminating chunk of the chunked encoding: the
		// client sees the connection drop mid-stream.
		panic(http.ErrAbortHandler)
	}
	reason := orDefault(reply.FinishReason, "stop")
	send(chunkJSON(req.Model, map[string]any{}, &reason, nil))
	if req.IncludeUsage {
		u := usageFor(req, reply)
		send(chunkJSON(req.Model, nil, nil, &u))
	}
	send("[DONE]")
}

// chunkJSON encodes one chat.completion.chunk. A nil delta yields an empty
// choices array, as in OpenAI's final usage chunk.
func chunkJSON(model string, delta map[string]any, finish *string, usage *Usage) string {
	choices := []any{}
	if delta != nil {
		var reason any
		if finish != nil {
			reason = *finish
		}
		choices = append(choices, map[string]any{"index": 0, "delta": delta, "finish_reason": reason})
	}
	chunk := map[string]any{
		"id":      "chatcmpl-fake",
		"object":  "chat.completion.chunk",
		"created": 0,
		"model":   model,
		"choices": choices,
	}
	if usage != nil {
		chunk["usage"] = wireUsage(*usage)
	}
	b, err := json.Marshal(chunk)
	if err != nil {
		panic(err) // maps of strings and ints always encode
	}
	return string(b)
}
