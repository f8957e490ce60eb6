package cite

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The edge cases the components used to disagree on, and the ones a model
// writes in the wild.
func TestFind(t *testing.T) {
	tests := []struct {
		in   string
		want []Marker
	}{
		{"a [1] b", []Marker{{2, 5, []int{1}}}},
		{"[ 1]", []Marker{{0, 4, []int{1}}}},
		{"[1 ]", []Marker{{0, 4, []int{1}}}},
		{"[1 3]", []Marker{{0, 5, []int{1, 3}}}},
		{"[1,3]", []Marker{{0, 5, []int{1, 3}}}},
		{"[1, 3]", []Marker{{0, 6, []int{1, 3}}}},
		{"[1 ;\t3]", []Marker{{0, 7, []int{1, 3}}}},
		{"[1][3]", []Marker{{0, 3, []int{1}}, {3, 6, []int{3}}}},
		{"[12", nil},
		{"[0]", []Marker{{0, 3, []int{0}}}},
		{"［1］", nil},
		{"[１]", nil}, // full-width digit
		{"[]", nil},
		{"[a]", nil},
		{"[1a]", nil},
		{"[1,]", nil},
		{"[,1]", nil},
		{"[1,,3]", nil},
		{"[1\n3]", nil},
		{"[[9]5]", []Marker{{1, 4, []int{9}}}},
		{"[99999999999999999999]", []Marker{{0, 22, []int{0}}}},
		{"voir [2] et [1, 4].", []Marker{{5, 8, []int{2}}, {12, 18, []int{1, 4}}}},
	}
	for _, tt := range tests {
		got := Find(tt.in)
		if !slices.EqualFunc(got, tt.want, func(a, b Marker) bool {
			return a.Start == b.Start && a.End == b.End && slices.Equal(a.Nums, b.Nums)
		}) {
			t.Errorf("Find(%q): got %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestOpen(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"fin.", 4},
		{"fin [1", 4},
		{"fin [1]", 4}, // "[1]" may still grow into "[1][2" … or be followed by more markers
		{"fin [5[9", 4},
		{"fin 12", 6},
		{"fin ]", 5},
		{"", 0},
	}
	for _, tt := range tests {
		if got := Open(tt.in); got != tt.want {
			t.Errorf("Open(%q): got %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"court", 10, "court"},
		{"un deux trois quatre", 15, "un deux trois…"},
		{"un deux trois quatre", 12, "un deux…"},
		{"un anticonstitutionnellement", 12, "un anticons…"}, // no blank in the second half
		{"anticonstitutionnellement", 10, "anticonst…"},
		{"Le fait [12] suit", 11, "Le fait…"},
		{"Le fait [1, 2] suit", 13, "Le fait…"},         // the cut would leave "[1," open
		{"Le fait [1] et la suite", 14, "Le fait [1]…"}, // a whole marker stays
		{"été à la mer", 4, "été…"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		got := Shorten(tt.in, tt.n)
		if got != tt.want {
			t.Errorf("Shorten(%q, %d): got %q, want %q", tt.in, tt.n, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > max(tt.n, 0) {
			t.Errorf("Shorten(%q, %d): %d runes", tt.in, tt.n, n)
		}
	}
}

// FuzzFind checks the grammar's invariants on any text: markers are in
// order and apart, each span is exactly one marker that End and Find
// agree on, Format's output is read back as the same numbers, and Open
// never holds text before a character no marker can contain.
func FuzzFind(f *testing.F) {
	for _, s := range []string{"a [1] b [2, 3]", "[[9]5]", "[1 3][", "x [12", "［1］ [0]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, m := range Find(s) {
			if m.Start < last || m.End <= m.Start || len(m.Nums) == 0 {
				t.Fatalf("bad marker %v after %d in %q", m, last, s)
			}
			if End(s, m.Start) != m.End {
				t.Fatalf("End(%q, %d) = %d, Find says %d", s, m.Start, End(s, m.Start), m.End)
			}
			again := Find(s[m.Start:m.End])
			if len(again) != 1 || again[0].End != m.End-m.Start {
				t.Fatalf("span %q of %q is not one marker", s[m.Start:m.End], s)
			}
			if f := Find(Format(m.Nums)); len(f) != 1 || !slices.Equal(f[0].Nums, m.Nums) {
				t.Fatalf("Format(%v) reads back as %v", m.Nums, f)
			}
			last = m.End
		}
		open := Open(s)
		if strings.IndexFunc(s[open:], func(r rune) bool { return !IsMarkerRune(r) }) >= 0 {
			t.Fatalf("Open(%q) = %d holds a character no marker contains", s, open)
		}
	})
}
