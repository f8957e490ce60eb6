package extract

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/ledongthuc/pdf"
)

// maxPDFText bounds the text read from one PDF: a book-sized PDF would
// otherwise become one enormous document.
const maxPDFText = 2 << 20

// PDF reads the text layer of a PDF. Lines of a paragraph are joined; an
// empty line (a vertical gap) separates paragraphs. Encrypted files and
// files without text are errors, since indexing them would index nothing.
func PDF(raw []byte) (art Article, err error) {
	// The reader is a port of rsc.io/pdf and panics on some malformed
	// files instead of returning an error: a bad upload must not kill the
	// process.
	defer func() {
		if r := recover(); r != nil {
			art, err = Article{}, fmt.Errorf("unreadable PDF: %v", r)
		}
	}()
	if isEncrypted(raw) {
		return Article{}, ErrEncrypted
	}
	r, err := pdf.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return Article{}, fmt.Errorf("unreadable PDF: %w", err)
	}
	plain, err := r.GetPlainText()
	if err != nil {
		return Article{}, fmt.Errorf("unreadable PDF: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(plain, maxPDFText))
	if err != nil {
		return Article{}, fmt.Errorf("unreadable PDF: %w", err)
	}
	text := joinPDFLines(string(b))
	if strings.TrimSpace(text) == "" {
		return Article{}, ErrNoPDFText
	}
	art = Article{Text: text}
	if title := pdfTitle(r); title != "" {
		art.Title = title
	}
	return art, nil
}

// isEncrypted looks for the /Encrypt entry of the trailer: the reader's own
// error for it is a vague "malformed PDF".
func isEncrypted(raw []byte) bool {
	tail := raw[max(0, len(raw)-4096):]
	return bytes.Contains(tail, []byte("/Encrypt")) || bytes.Contains(raw, []byte("/Encrypt "))
}

// joinPDFLines turns the reader's lines into paragraphs: consecutive lines
// are one paragraph, an empty line ends it.
func joinPDFLines(s string) string {
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return strings.Join(paras, "\n")
}

// pdfTitle reads the document information dictionary's Title, if any.
func pdfTitle(r *pdf.Reader) string {
	info := r.Trailer().Key("Info")
	if info.IsNull() {
		return ""
	}
	return strings.TrimSpace(info.Key("Title").Text())
}
