package corpus

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestChunkDocument(t *testing.T) {
	tests := []struct {
		name string
		text string
		opts ChunkOptions
		want []string
	}{
		{"empty document", "", ChunkOptions{MaxChars: 50, OverlapSentences: 1}, nil},
		{"fits in one chunk", "Une phrase.\nUne autre.", ChunkOptions{MaxChars: 50, OverlapSentences: 1},
			[]string{"Une phrase.\nUne autre."}},
		{"packing without overlap", "Un deux trois. Quatre cinq. Six sept huit. Neuf.", ChunkOptions{MaxChars: 30},
			[]string{"Un deux trois. Quatre cinq.", "Six sept huit. Neuf."}},
		{"one sentence of overlap", "Un deux trois. Quatre cinq. Six sept huit. Neuf.", ChunkOptions{MaxChars: 30, OverlapSentences: 1},
			[]string{"Un deux trois. Quatre cinq.", "Quatre cinq. Six sept huit.", "Six sept huit. Neuf."}},
		{"overlap larger than a chunk still progresses", "Un. Deux. Trois. Quatre.", ChunkOptions{MaxChars: 10, OverlapSentences: 5},
			[]string{"Un. Deux.", "Trois.", "Quatre."}},
		{"long sentence kept whole", "Court. Une phrase beaucoup trop longue pour tenir. Fin.", ChunkOptions{MaxChars: 20, OverlapSentences: 1},
			[]string{"Court.", "Une phrase beaucoup trop longue pour tenir.", "Fin."}},
		{"trailing heading moves to the next chunk", "Première phrase du texte ici.\nUn titre\nLa suite du texte est là.",
			ChunkOptions{MaxChars: 60, OverlapSentences: 1},
			[]string{"Première phrase du texte ici.", "Un titre\nLa suite du texte est là."}},
		{"half-full chunk ends before a heading", "Une première phrase assez longue pour remplir la moitié.\nTitre\nUne phrase.",
			ChunkOptions{MaxChars: 100, OverlapSentences: 1},
			[]string{"Une première phrase assez longue pour remplir la moitié.", "Titre\nUne phrase."}},
		{"heading kept early in a chunk", "Court.\nTitre\nUne phrase.", ChunkOptions{MaxChars: 100, OverlapSentences: 1},
			[]string{"Court.\nTitre\nUne phrase."}},
		{"runes, not bytes", "Été éclatant. Ça déçoit.", ChunkOptions{MaxChars: 24},
			[]string{"Été éclatant. Ça déçoit."}},
		{"negative overlap means none", "Un deux trois. Quatre cinq. Six sept huit.", ChunkOptions{MaxChars: 30, OverlapSentences: -1},
			[]string{"Un deux trois. Quatre cinq.", "Six sept huit."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Document{ID: "doc", Text: tt.text}
			chunks := ChunkDocument(d, tt.opts)
			checkChunks(t, d, tt.opts, chunks)
			var got []string
			for _, c := range chunks {
				got = append(got, c.Text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ChunkDocument(%q, %+v) mismatch (-want +got):\n%s", tt.text, tt.opts, diff)
			}
		})
	}
}

func TestChunkDocumentZeroMaxChars(t *testing.T) {
	d := loadDefault(t)[1]
	def := DefaultChunkOptions()
	got := ChunkDocument(d, ChunkOptions{OverlapSentences: def.OverlapSentences})
	if diff := cmp.Diff(ChunkDocument(d, def), got); diff != "" {
		t.Errorf("MaxChars 0 mismatch with the default MaxChars (-want +got):\n%s", diff)
	}
}

func TestChunkInvariantsOnArticles(t *testing.T) {
	options := []ChunkOptions{
		DefaultChunkOptions(),
		{MaxChars: 200, OverlapSentences: 1},
		{MaxChars: 600, OverlapSentences: 0},
		{MaxChars: 1000, OverlapSentences: 2},
		{MaxChars: 50, OverlapSentences: 3},
	}
	for _, d := range loadDefault(t) {
		for _, o := range options {
			t.Run(fmt.Sprintf("%s/%d-%d", d.ID, o.MaxChars, o.OverlapSentences), func(t *testing.T) {
				checkChunks(t, d, o, ChunkDocument(d, o))
			})
		}
	}
}

// checkChunks verifies the contract of ChunkDocument: IDs DOC_ID#0..N-1,
// Text == d.Text[Start:End], chunks in order, made of whole sentences,
// covering the text, and no longer than MaxChars runes unless they hold a
// single sentence.
func checkChunks(t *testing.T, d Document, o ChunkOptions, chunks []Chunk) {
	t.Helper()
	sents := SplitSentences(d.Text)
	starts, ends := map[int]bool{}, map[int]bool{}
	for _, s := range sents {
		starts[s.Start], ends[s.End] = true, true
	}
	prevStart, prevEnd := -1, 0
	for i, c := range chunks {
		if want := fmt.Sprintf("%s#%d", d.ID, i); c.ID != want || c.DocID != d.ID {
			t.Errorf("chunk %d: got ID %q, DocID %q, want %q, %q", i, c.ID, c.DocID, want, d.ID)
		}
		if c.Start <= prevStart || c.End <= prevEnd || c.End > len(d.Text) {
			t.Fatalf("chunk %d: got [%d:%d] after [%d:%d], want both offsets increasing", i, c.Start, c.End, prevStart, prevEnd)
		}
		if got := d.Text[c.Start:c.End]; got != c.Text {
			t.Errorf("chunk %d: got Text %q, want d.Text[Start:End] %q", i, c.Text, got)
		}
		if !starts[c.Start] || !ends[c.End] {
			t.Errorf("chunk %d: got [%d:%d], want it on sentence boundaries", i, c.Start, c.End)
		}
		if c.Start > prevEnd && strings.TrimFunc(d.Text[prevEnd:c.Start], unicode.IsSpace) != "" {
			t.Errorf("chunk %d: got %q left out before it, want the text covered", i, d.Text[prevEnd:c.Start])
		}
		if n := utf8.RuneCountInString(c.Text); n > o.MaxChars && sentencesIn(sents, c) > 1 {
			t.Errorf("chunk %d: got %d runes in several sentences, want at most %d", i, n, o.MaxChars)
		}
		prevStart, prevEnd = c.Start, c.End
	}
	if rest := d.Text[prevEnd:]; strings.TrimFunc(rest, unicode.IsSpace) != "" {
		t.Errorf("got %q left out at the end, want the text covered", rest)
	}
}

// sentencesIn counts the sentences of the document inside chunk c.
func sentencesIn(sents []Sentence, c Chunk) int {
	n := 0
	for _, s := range sents {
		if s.Start >= c.Start && s.End <= c.End {
			n++
		}
	}
	return n
}

func FuzzChunkDocument(f *testing.F) {
	for _, seed := range []string{
		"Un. Deux.\nTitre\nTrois… quatre ? Cinq !",
		"« Fin. » [...] La suite (...) M. J. K. 1. 2.5 n°. etc. U.S. Army",
		" date 2023-11 Après Londres, Paris.\n\nLire aussiX",
	} {
		f.Add(seed, 40, 1)
	}
	f.Fuzz(func(t *testing.T, text string, maxChars, overlap int) {
		if !utf8.ValidString(text) || maxChars < 1 || maxChars > 1000 || overlap > 10 {
			t.Skip()
		}
		checkSentences(t, text, SplitSentences(text))
		d := Document{ID: "fuzz", Text: text}
		o := ChunkOptions{MaxChars: maxChars, OverlapSentences: overlap}
		checkChunks(t, d, o, ChunkDocument(d, o))
	})
}
