package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// meta is the part of a Document that cleaning decides.
type meta struct {
	ID, Title, Date, URL, Text string
}

func TestParseCleaning(t *testing.T) {
	tests := []struct {
		name, file, raw string
		want            meta
	}{
		{"date prefix on the first line", "002.txt",
			" date 2023-11 Après Londres, Paris. A l'occasion du sommet.\n\nSuite du texte.",
			meta{"002", "Après Londres, Paris", "2023-11", "", "Après Londres, Paris. A l'occasion du sommet.\nSuite du texte."}},
		{"date line alone with a day", "a.txt", "Date: 2024-02-10\nLe texte commence ici.",
			meta{"a", "Le texte commence ici", "2024-02-10", "", "Le texte commence ici."}},
		{"word starting with date", "a.txt", "Dater un texte est difficile.",
			meta{"a", "Dater un texte est difficile", "", "", "Dater un texte est difficile."}},
		{"invalid month is text", "a.txt", "date 2023-13 Texte.",
			meta{"a", "date 2023-13 Texte", "", "", "date 2023-13 Texte."}},
		{"cross-links removed", "a.txt",
			"Premier paragraphe.\nLire aussiGrâce aux milliards, Anthropic refait son retard\nÀ LIRE AUSSI : autre chose\n" +
				"lire également: encore\nRead more: more\nRead also\nLire aussitôt ce texte est conseillé.\nFin.",
			meta{"a", "Premier paragraphe", "", "", "Premier paragraphe.\nLire aussitôt ce texte est conseillé.\nFin."}},
		{"table separators removed, rows kept", "a.txt",
			"Les chiffres.\nAnnée | Levée |\n---|---|\n2025 | 40 |\n| :--- | ---: |\n- - -",
			meta{"a", "Les chiffres", "", "", "Les chiffres.\nAnnée | Levée |\n2025 | 40 |"}},
		{"Unicode spaces and zero-width characters", "a.txt",
			"«\u00a0Bonjour\u00a0»\u202f! Il\tfaut   voir l’intelli\u200bgence.\u2060 Fin\u00a0?\ufeff",
			meta{"a", "« Bonjour » !", "", "", "« Bonjour » ! Il faut voir l’intelligence. Fin ?"}},
		{"BOM, CRLF, CR and blank lines", "a.txt",
			"\ufeffTitre du texte\r\n\r\n  Premier paragraphe.\rSecond paragraphe.\r\n\r\n",
			meta{"a", "Titre du texte", "", "", "Titre du texte\nPremier paragraphe.\nSecond paragraphe."}},
		{"NFC", "a.txt", "Un e\u0301te\u0301 chaud.", meta{"a", "Un été chaud", "", "", "Un été chaud."}},
		{"apostrophes and guillemets kept", "a.txt", "L’IA s’impose « vite ».",
			meta{"a", "L’IA s’impose « vite »", "", "", "L’IA s’impose « vite »."}},
		{"front matter", "dir/a.md",
			"---\ntitle: \"Un titre\"\ndate: 2023-11-02T10:00:00Z\nurl: https://example.com/a\nauthor: X\n---\n# Heading\n\nCorps du texte.",
			meta{"a", "Un titre", "2023-11-02", "https://example.com/a", "Heading\nCorps du texte."}},
		{"front matter date wins over the prefix", "a.md", "---\ndate: '2024-01'\n---\ndate 2023-11 Texte.",
			meta{"a", "Texte", "2024-01", "", "Texte."}},
		{"front matter only in Markdown", "a.txt", "---\ntitle: X\n---\nTexte.",
			meta{"a", "title: X", "", "", "title: X\nTexte."}},
		{"unclosed front matter", "a.md", "---\ntitle: X\nTexte.",
			meta{"a", "title: X", "", "", "title: X\nTexte."}},
		{"heading markers stripped, first heading is the title", "a.md", "Intro.\n## Le titre ##\n### Sous-titre\nTexte #IA.",
			meta{"a", "Le titre", "", "", "Intro.\nLe titre\nSous-titre\nTexte #IA."}},
		{"heading-like first line is the title", "004.txt", "\nComment le Royaume-Uni mise sur l’IA\nUne introduction\nLe texte.",
			meta{"004", "Comment le Royaume-Uni mise sur l’IA", "", "", "Comment le Royaume-Uni mise sur l’IA\nUne introduction\nLe texte."}},
		{"first sentence is the title", "a.txt", "Et si l’IA aidait ? Oui.\nSuite.",
			meta{"a", "Et si l’IA aidait ?", "", "", "Et si l’IA aidait ? Oui.\nSuite."}},
		{"long title shortened", "a.txt", strings.Repeat("mot ", 40) + "fin.",
			meta{"a", strings.TrimSpace(strings.Repeat("mot ", 25)) + "…", "", "", strings.Repeat("mot ", 40) + "fin."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(tt.file, []byte(tt.raw))
			if err != nil {
				t.Fatalf("Parse: got error %v, want nil", err)
			}
			got := meta{d.ID, d.Title, d.Date, d.URL, d.Text}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.raw, diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, file, raw string
		want            error
	}{
		{"empty", "a.txt", "", ErrEmpty},
		{"whitespace only", "a.txt", " \n\t\r\n", ErrEmpty},
		{"BOM and invisible spaces", "a.txt", "\ufeff\u00a0\u200b\n", ErrEmpty},
		{"invalid UTF-8", "a.txt", "caf\xe9 cr\xe8me", ErrInvalidUTF8},
		{"NUL byte", "a.txt", "PK\x03\x04\x00\x00text", ErrBinary},
		{"control characters", "a.txt", "\x01\x02\x03\x1b[0m abc", ErrBinary},
		{"only noise", "a.txt", "Lire aussi : autre chose\n---|---|", ErrNoText},
		{"only front matter", "a.md", "---\ntitle: Rien\n---\n\n", ErrNoText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.file, []byte(tt.raw))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q): got error %v, want %v", tt.raw, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.file) {
				t.Errorf("got error %q, want it to name %s", err, tt.file)
			}
		})
	}
}

func TestParseHashAndLang(t *testing.T) {
	raw := []byte("L’intelligence artificielle est au cœur de la stratégie.\r\n")
	d, err := Parse("sub/000_abc.txt", raw)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	if want := hex.EncodeToString(sum[:]); d.Hash != want {
		t.Errorf("got Hash %s, want %s", d.Hash, want)
	}
	if d.ID != "000_abc" {
		t.Errorf("got ID %q, want %q", d.ID, "000_abc")
	}
	if d.Lang != "fr" {
		t.Errorf("got Lang %q, want fr", d.Lang)
	}
	lf, err := Parse("sub/000_abc.txt", []byte(strings.ReplaceAll(string(raw), "\r\n", "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if lf.Text != d.Text || lf.Hash == d.Hash {
		t.Errorf("CRLF vs LF: got same text %v and same hash %v, want same text and different hashes", lf.Text == d.Text, lf.Hash == d.Hash)
	}
	en, err := Parse("en.txt", []byte("The government announced that it would work with the company."))
	if err != nil {
		t.Fatal(err)
	}
	if en.Lang != "en" {
		t.Errorf("got Lang %q, want en", en.Lang)
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"short", "Un titre", 10, "Un titre"},
		{"exact", "abcde", 5, "abcde"},
		{"word boundary", "Un titre beaucoup trop long", 15, "Un titre…"},
		{"trailing function word", "stimuler sa productivité", 15, "stimuler…"},
		{"trailing comma", "Paris, Londres et Berlin", 9, "Paris…"},
		{"one long word", "anticonstitutionnellement", 10, "anticonst…"},
		{"accents count as one rune", "éééé éééé éééé", 10, "éééé éééé…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shorten(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("shorten(%q, %d): got %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > tt.max {
				t.Errorf("shorten(%q, %d): got %d runes, want at most %d", tt.in, tt.max, n, tt.max)
			}
		})
	}
}
