package answer

import (
	"slices"
	"strings"
	"testing"
)

func TestCheckMarkers(t *testing.T) {
	tests := []struct {
		name, in, want string
		cited          []int
		removed        int
	}{
		{"valid", "OpenAI offre ChatGPT [1]. Il coûte un dollar [2].", "OpenAI offre ChatGPT [1]. Il coûte un dollar [2].", []int{1, 2}, 0},
		{"out of range", "Fait [1]. Inventé [9].", "Fait [1]. Inventé.", []int{1}, 1},
		{"list", "Deux sources [1, 3] et [2;7].", "Deux sources [1, 3] et [2].", []int{1, 2, 3}, 1},
		{"adjacent", "Fait [1][3].", "Fait [1][3].", []int{1, 3}, 0},
		{"zero", "Rien [0].", "Rien.", nil, 1},
		{"not a marker", "Un tableau [a], [] et [1\n2].", "Un tableau [a], [] et [1\n2].", nil, 0},
		{"blank separator", "Deux sources [1 2].", "Deux sources [1, 2].", []int{1, 2}, 0},
		{"nested invalid", "Fait [[9]2].", "Fait [2].", []int{2}, 1},
		{"repeated", "A [2]. B [2].", "A [2]. B [2].", []int{2}, 0},
		{"tab inside", "A [\t2].", "A [2].", []int{2}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkMarkers(tt.in, 3)
			if got.text != tt.want || !slices.Equal(got.cited, tt.cited) || got.removed != tt.removed {
				t.Errorf("got %q %v removed %d, want %q %v removed %d", got.text, got.cited, got.removed, tt.want, tt.cited, tt.removed)
			}
		})
	}
}

func TestStreamFilterNeverShowsInvalidMarkers(t *testing.T) {
	chunks := []string{"Le Royaume", "-Uni signe [", "1]. Un fait inventé [", "9", "]. Un autre [2", ", 7] fin."}
	var shown strings.Builder
	f := &streamFilter{n: 3, out: func(s string) { shown.WriteString(s) }}
	for _, c := range chunks {
		f.write(c)
		if strings.Contains(shown.String(), "9") || strings.Contains(shown.String(), "7") {
			t.Fatalf("after %q: shown %q, want no invalid number", c, shown.String())
		}
	}
	f.flush()
	want := "Le Royaume-Uni signe [1]. Un fait inventé. Un autre [2] fin."
	if shown.String() != want {
		t.Errorf("got %q, want %q", shown.String(), want)
	}
}

func TestStreamFilterHoldsNotFound(t *testing.T) {
	var shown strings.Builder
	f := &streamFilter{n: 3, out: func(s string) { shown.WriteString(s) }}
	for _, c := range []string{"NOT", "_FOU", "ND"} {
		f.write(c)
	}
	f.flush()
	if shown.Len() != 0 {
		t.Errorf("got %q shown, want nothing for the NOT_FOUND reply", shown.String())
	}
	// Models add a full stop or emphasis; the answer is still a refusal
	// (see isNotFound), so the stream must not show it either.
	for _, reply := range []string{"NOT_FOUND.", "**NOT_FOUND**", `"NOT_FOUND".`} {
		shown.Reset()
		f = &streamFilter{n: 3, out: func(s string) { shown.WriteString(s) }}
		for _, c := range strings.SplitAfter(reply, "_") {
			f.write(c)
		}
		f.flush()
		if shown.Len() != 0 {
			t.Errorf("streamed %q: got %q shown, want nothing", reply, shown.String())
		}
	}
	shown.Reset()
	f = &streamFilter{n: 3, out: func(s string) { shown.WriteString(s) }}
	f.write("NO")
	f.write("NE of this [1].")
	f.flush()
	if shown.String() != "NONE of this [1]." {
		t.Errorf("got %q, want the text once it is not NOT_FOUND", shown.String())
	}
}

func TestStreamFilterReleasesLoneBracket(t *testing.T) {
	var shown strings.Builder
	f := &streamFilter{n: 3, out: func(s string) { shown.WriteString(s) }}
	f.write("Un crochet [ qui ne ferme jamais et continue longtemps")
	if !strings.Contains(shown.String(), "continue") {
		t.Errorf("got %q, want text after a long unclosed bracket released", shown.String())
	}
}
