package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestBenchSmoke(t *testing.T) {
	out, stderr, code := cli(t, nil, "bench", "-sizes", "200", "-queries", "10", "-json")
	if code != 0 {
		t.Fatalf("got exit %d (%s), want 0", code, stderr)
	}
	var r struct {
		Chunks      int     `json:"chunks"`
		LoadSeconds float64 `json:"load_seconds"`
		QueryP50Ms  float64 `json:"query_p50_ms"`
		Pipeline    float64 `json:"pipeline_p50_ms"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out)
	}
	if r.Chunks < 160 || r.LoadSeconds <= 0 || r.QueryP50Ms <= 0 || r.Pipeline <= 0 {
		t.Errorf("got %+v, want about 200 chunks and positive timings", r)
	}

	out, stderr, code = cli(t, nil, "bench", "-sizes", "200", "-queries", "10")
	if code != 0 {
		t.Fatalf("table: got exit %d (%s), want 0", code, stderr)
	}
	for _, want := range []string{"hybrid query p50", "vector / scan", "pipeline to prompt"} {
		if !strings.Contains(out, want) {
			t.Errorf("got table %q, want it to contain %q", out, want)
		}
	}
}

func TestBenchBadSizes(t *testing.T) {
	_, stderr, code := cli(t, nil, "bench", "-sizes", "10,zero")
	if code != 2 || !strings.Contains(stderr, "not a positive number") {
		t.Errorf("got exit %d (%s), want 2 and a message about -sizes", code, stderr)
	}
}
