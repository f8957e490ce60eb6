// Package pdftest writes tiny, valid PDF files for tests, so that no binary
// fixture has to be committed and every test can see how its PDF was made.
//
// The files use the standard Helvetica font with WinAnsiEncoding (Windows-1252),
// the encoding most simple PDF producers use for Western European text: a
// reader that decodes it wrongly loses the French accents, which is what the
// extraction tests check. Each page is a list of paragraphs; a paragraph is
// wrapped into lines of at most 70 characters, and paragraphs are separated
// by an empty line, as a word processor would lay them out.
package pdftest

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// Text returns a PDF with one page per element of pages, each holding the
// given paragraphs. Characters outside Windows-1252 become "?".
func Text(pages ...[]string) []byte {
	w := &writer{}
	contents := make([]string, len(pages))
	for i, paras := range pages {
		contents[i] = textStream(paras)
	}
	return w.document(contents, false, "")
}

// ImageOnly returns a one-page PDF whose page draws an image and no text,
// like a scanned document without OCR.
func ImageOnly() []byte {
	w := &writer{}
	return w.document([]string{"q 400 0 0 300 100 400 cm /Im1 Do Q"}, true, "")
}

// Encrypted returns a PDF whose trailer declares AES-256 encryption (the
// standard security handler, revision 6), as a password-protected file does.
// The content itself is not really encrypted: readers must refuse it from
// the trailer alone.
func Encrypted() []byte {
	w := &writer{}
	enc := "<< /Filter /Standard /V 5 /R 6 /Length 256 /P -1028 " +
		"/O <" + strings.Repeat("00", 48) + "> /U <" + strings.Repeat("00", 48) + "> " +
		"/OE <" + strings.Repeat("00", 32) + "> /UE <" + strings.Repeat("00", 32) + "> /Perms <" + strings.Repeat("00", 16) + "> " +
		"/CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF >>"
	return w.document([]string{textStream([]string{"Texte protégé."})}, false, enc)
}

// textStream lays out paragraphs top-down in 12-point Helvetica.
func textStream(paras []string) string {
	var b strings.Builder
	b.WriteString("BT /F1 12 Tf 14 TL 72 770 Td\n")
	for i, p := range paras {
		if i > 0 {
			b.WriteString("T*\n") // an empty line between paragraphs
		}
		for _, line := range wrap(p, 70) {
			fmt.Fprintf(&b, "(%s) Tj T*\n", escape(line))
		}
	}
	b.WriteString("ET")
	return b.String()
}

// wrap breaks s into lines of at most width characters, at spaces.
func wrap(s string, width int) []string {
	var lines []string
	var cur string
	for _, word := range strings.Fields(s) {
		if cur != "" && len([]rune(cur))+1+len([]rune(word)) > width {
			lines = append(lines, cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += word
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// escape encodes s in Windows-1252 and escapes the PDF string delimiters.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		c, ok := charmap.Windows1252.EncodeRune(r)
		if !ok {
			c = '?'
		}
		switch c {
		case '(', ')', '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// writer numbers objects and records their offsets for the xref table.
type writer struct {
	buf     bytes.Buffer
	offsets []int
}

// obj writes object number len(offsets)+1 and returns its number.
func (w *writer) obj(body string) int {
	w.offsets = append(w.offsets, w.buf.Len())
	n := len(w.offsets)
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", n, body)
	return n
}

func (w *writer) stream(dict, data string) int {
	return w.obj(fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data))
}

// document writes catalog, pages, font, the page contents and the trailer
// (with encrypt as the /Encrypt dictionary when not empty).
func (w *writer) document(contents []string, image bool, encrypt string) []byte {
	w.buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	w.obj("<< /Type /Catalog /Pages 2 0 R >>")
	first := 4 + 1 // catalog, pages, font, image-or-placeholder, then pages
	kids := make([]string, len(contents))
	for i := range contents {
		kids[i] = fmt.Sprintf("%d 0 R", first+2*i)
	}
	w.obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(contents)))
	w.obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	if image {
		w.stream("/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", "\x00\xff\xff\x00")
	} else {
		w.obj("<< >>")
	}
	for i, c := range contents {
		res := "/Font << /F1 3 0 R >>"
		if image {
			res = "/XObject << /Im1 4 0 R >>"
		}
		w.obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents %d 0 R >>", res, first+2*i+1))
		w.stream("", c)
	}
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", len(w.offsets)+1)
	for _, off := range w.offsets {
		fmt.Fprintf(&w.buf, "%010d 00000 n \n", off)
	}
	trailer := fmt.Sprintf("/Size %d /Root 1 0 R", len(w.offsets)+1)
	if encrypt != "" {
		trailer += " /Encrypt " + encrypt + " /ID [<" + strings.Repeat("ab", 16) + "> <" + strings.Repeat("ab", 16) + ">]"
	}
	fmt.Fprintf(&w.buf, "trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n", trailer, xref)
	return w.buf.Bytes()
}
