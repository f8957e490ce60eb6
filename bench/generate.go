// Package bench measures citebot's retrieval at scale on a synthetic
// corpus: indexing throughput, load time, query latency, memory, and the
// vector search against a plain scan of the same vectors. It exists so that
// speed claims are numbers that anyone can reproduce with `citebot bench`.
package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/citebot/citebot/corpus"
)

// Generate returns a synthetic corpus of French-like news articles whose
// chunking with the default options yields about n chunks (at least n, at
// most one article more). The same n and seed always give the same corpus,
// so runs on different machines index identical text.
func Generate(n int, seed uint64) ([]corpus.Document, error) {
	var docs []corpus.Document
	err := generate(n, seed, func(name string, raw []byte, d corpus.Document) error {
		docs = append(docs, d)
		return nil
	})
	return docs, err
}

// WriteCorpus writes the articles of Generate(n, seed) into dir as text
// files, as a corpus directory (CITEBOT_CORPUS) would hold them, and
// returns the number of chunks they make.
func WriteCorpus(dir string, n int, seed uint64) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	chunks := 0
	err := generate(n, seed, func(name string, raw []byte, d corpus.Document) error {
		chunks += len(corpus.ChunkDocument(d, corpus.DefaultChunkOptions()))
		return os.WriteFile(filepath.Join(dir, name), raw, 0o644)
	})
	return chunks, err
}

// generate makes articles until they hold n chunks, handing each to emit
// with its file name, its bytes and its parsed document.
func generate(n int, seed uint64, emit func(name string, raw []byte, d corpus.Document) error) error {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	opts := corpus.DefaultChunkOptions()
	for i, total := 0, 0; total < n; i++ {
		name := fmt.Sprintf("bench_%06d.txt", i)
		raw := []byte(article(r))
		d, err := corpus.Parse(name, raw)
		if err != nil {
			return fmt.Errorf("generate %s: %w", name, err)
		}
		if err := emit(name, raw, d); err != nil {
			return err
		}
		total += len(corpus.ChunkDocument(d, opts))
	}
	return nil
}

// Questions returns n questions in the style of the generated articles,
// deterministic for a seed: they mix entities, topics and figures, so that
// both BM25 and the vectors have something to match.
func Questions(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))
	out := make([]string, n)
	for i := range out {
		out[i] = question(r)
	}
	return out
}

// article is a headline, a lede and 3 to 6 sections of 2 to 4 paragraphs:
// about 10 to 25 chunks of 600 characters.
func article(r *rand.Rand) string {
	var b strings.Builder
	topic := pick(r, topics)
	fmt.Fprintf(&b, "%s %s %s\n", pick(r, entities), pick(r, headVerbs), topic)
	b.WriteString(paragraph(r, topic, 2))
	for range 3 + r.IntN(4) {
		fmt.Fprintf(&b, "%s\n", capitalize(pick(r, topics)))
		for range 2 + r.IntN(3) {
			b.WriteString(paragraph(r, topic, 3+r.IntN(3)))
		}
	}
	return b.String()
}

func paragraph(r *rand.Rand, topic string, sentences int) string {
	var b strings.Builder
	for i := range sentences {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sentence(r, topic))
	}
	b.WriteByte('\n')
	return b.String()
}

// sentence fills one of the templates; the article's topic comes up often,
// as it would in a real article.
func sentence(r *rand.Rand, topic string) string {
	if r.IntN(3) > 0 {
		topic = pick(r, topics)
	}
	t := pick(r, templates)
	repl := strings.NewReplacer(
		"{E}", pick(r, entities), "{F}", pick(r, entities), "{P}", pick(r, people),
		"{V}", pick(r, verbs), "{T}", topic, "{W}", pick(r, when),
		"{N}", number(r), "{A}", amount(r), "{C}", pick(r, places),
	)
	return contract.Replace(repl.Replace(t))
}

// contract applies French contractions that filling the templates breaks.
var contract = strings.NewReplacer(" de les ", " des ", " de le ", " du ", " à les ", " aux ", " à le ", " au ")

func question(r *rand.Rand) string {
	t := pick(r, questionTemplates)
	repl := strings.NewReplacer(
		"{E}", pick(r, entities), "{P}", pick(r, people), "{T}", pick(r, topics),
		"{C}", pick(r, places), "{A}", amount(r),
	)
	return contract.Replace(repl.Replace(t))
}

// number is a French-formatted share: "1,5 %", "12 %".
func number(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return fmt.Sprintf("%d,%d %%", r.IntN(20), r.IntN(10))
	}
	return fmt.Sprintf("%d %%", 1+r.IntN(99))
}

// amount is a sum of money: "12 milliards d'euros", "450 millions de dollars".
func amount(r *rand.Rand) string {
	unit := pick(r, []string{"millions", "milliards"})
	cur := pick(r, []string{"d’euros", "de dollars", "de livres sterling"})
	if r.IntN(3) == 0 {
		return fmt.Sprintf("%d,%d %s %s", 1+r.IntN(9), r.IntN(10), unit, cur)
	}
	return fmt.Sprintf("%d %s %s", 2+r.IntN(498), unit, cur)
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
