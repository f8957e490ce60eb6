package answer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// markerSeeds are answers that stress marker checking: out-of-range and
// malformed markers, markers nested or split so that removing one could
// join the rest into another, the NotFound reply, and odd text around.
var markerSeeds = []string{
	"",
	"NOT_FOUND",
	"  NOT_FOUND \n",
	"NOT_FOUND [1]",
	"Le Royaume-Uni signe un accord [1]. Inventé [9].",
	"Deux sources [1, 99] et [2;7] et [ 3 ].",
	"Fait [1][3][0][01] et [1 2] et [a].",
	"[[9]1] puis [1[9]] puis [2, [9]3]",
	"« Il a levé 1,5 milliard » [2]… Vraiment ? [3]",
	"```\ncode [9]\n```",
	"\u202E[9]\u200B[1]\u200B",
	"\xff[\xfe1]",
	"[99999999999999999999999] et [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]",
	"Un crochet [ qui ne ferme jamais " + strings.Repeat("et continue ", 50),
	"NOT_FOUND.",
	" **NOT_FOUND** \n",
	"NOT_FOUND. Mais [1]",
}

func FuzzCheckMarkers(f *testing.F) {
	for i, s := range markerSeeds {
		f.Add(s, i%5)
	}
	f.Fuzz(func(t *testing.T, text string, n int) {
		n = int(uint(n) % 21)
		c := checkMarkers(text, n)
		checkShownMarkers(t, c.text, n)
		if !slices.IsSorted(c.cited) || len(slices.Compact(slices.Clone(c.cited))) != len(c.cited) {
			t.Errorf("got cited %v, want ascending and unique", c.cited)
		}
		for _, k := range c.cited {
			if k < 1 || k > n {
				t.Errorf("got cited %d, want 1 to %d", k, n)
			}
		}
		again := checkMarkers(c.text, n)
		if again.text != c.text || again.removed != 0 || !slices.Equal(again.cited, c.cited) {
			t.Errorf("checked %q, n %d: got %q %v removed %d on a second run, want %q %v removed 0",
				text, n, again.text, again.cited, again.removed, c.text, c.cited)
		}
	})
}

// checkShownMarkers asserts that every marker in text names one of the n
// passages.
func checkShownMarkers(t *testing.T, text string, n int) {
	t.Helper()
	for _, k := range markerNumbers(text) {
		if k < 1 || k > n {
			t.Fatalf("got marker number %d in %q, want only numbers 1 to %d", k, text, n)
		}
	}
}

// FuzzStreamFilter feeds an answer in pieces whose lengths come from cuts
// (one byte per piece, so pieces may split a UTF-8 sequence).
func FuzzStreamFilter(f *testing.F) {
	for i, s := range markerSeeds {
		f.Add(s, []byte{1, 3, 2, 7, 1}, uint8(i%5))
	}
	f.Fuzz(func(t *testing.T, text string, cuts []byte, n uint8) {
		np := int(n % 21)
		var shown strings.Builder
		sf := &streamFilter{n: np, out: func(s string) { shown.WriteString(s) }}
		rest := text
		for i := 0; rest != ""; i++ {
			size := len(rest)
			if i < len(cuts) {
				size = min(int(cuts[i])%32+1, len(rest))
			}
			sf.write(rest[:size])
			rest = rest[size:]
			checkShownMarkers(t, shown.String(), np)
		}
		sf.flush()
		want := checkMarkers(text, np).text
		if isNotFound(text) {
			want = ""
		}
		if shown.String() != want {
			t.Errorf("streamed %q in pieces %v, n %d: got %q, want %q", text, cuts, np, shown.String(), want)
		}
		checkShownMarkers(t, shown.String(), np)
	})
}

// BenchmarkStreamFilter feeds answers of growing size to the stream filter
// in model-sized deltas. Time per byte should stay flat as the size grows
// (the filter was quadratic: 17 KB took 0.53 s, 139 KB 14.8 s).
//
//	go test -run '^$' -bench StreamFilter ./answer
func BenchmarkStreamFilter(b *testing.B) {
	sentence := "Le Royaume-Uni a signé un partenariat avec OpenAI [1]; voir aussi [2, 9]. "
	for _, size := range []int{17 << 10, 139 << 10, 1400 << 10} {
		text := strings.Repeat(sentence, size/len(sentence)+1)[:size]
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				f := &streamFilter{n: 3, out: func(string) {}}
				for i := 0; i < len(text); i += 7 {
					f.write(text[i:min(i+7, len(text))])
				}
				f.flush()
			}
		})
	}
}
