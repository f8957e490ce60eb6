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
	for _, want := range []string{"hybrid query p50", "/ flat, unrolled", "hybrid recall@10", "pipeline to prompt"} {
		if !strings.Contains(out, want) {
			t.Errorf("got table %q, want it to contain %q", out, want)
		}
	}
}

func TestBenchClusteredSmoke(t *testing.T) {
	out, stderr, code := cli(t, nil, "bench", "-sizes", "600", "-queries", "5", "-min-clustered", "300",
		"-embedders", "hashed,mixture", "-nprobe", "2,4", "-json")
	if code != 0 {
		t.Fatalf("got exit %d (%s), want 0", code, stderr)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	for _, emb := range []string{"hashed", "mixture"} {
		var r struct {
			Embedder string  `json:"embedder"`
			Lists    int     `json:"lists"`
			Recall   float64 `json:"hybrid_recall_at_10"`
			Sweep    []struct {
				NProbe int `json:"nprobe"`
			} `json:"sweep"`
		}
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("output is not JSON objects: %v\n%s", err, out)
		}
		if r.Embedder != emb || r.Lists == 0 || r.Recall <= 0 || len(r.Sweep) != 2 || r.Sweep[1].NProbe != 4 {
			t.Errorf("got %+v, want %s clustered, a recall and the sweep of 2 and 4 lists", r, emb)
		}
	}
}

func TestBenchBadSizes(t *testing.T) {
	_, stderr, code := cli(t, nil, "bench", "-sizes", "10,zero")
	if code != 2 || !strings.Contains(stderr, "not a positive number") {
		t.Errorf("got exit %d (%s), want 2 and a message about -sizes", code, stderr)
	}
	_, stderr, code = cli(t, nil, "bench", "-embedders", "openai")
	if code != 2 || !strings.Contains(stderr, "unknown embedder") {
		t.Errorf("got exit %d (%s), want 2 and a message about -embedders", code, stderr)
	}
}
