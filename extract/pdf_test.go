package extract

import (
	"errors"
	"strings"
	"testing"

	"github.com/citebot/citebot/extract/pdftest"
)

func TestPDFKeepsFrenchAccents(t *testing.T) {
	para := "Les élèves de Côte-d'Ivoire ont reçu leurs résultats : « très satisfaisants », déclare l'œuvre qui gère 12 € de budget par élève et par année scolaire."
	raw := pdftest.Text([]string{para, "Deuxième paragraphe, à la ligne."}, []string{"Page deux, naïve et sûre."})
	got, err := PDF(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := para + "\nDeuxième paragraphe, à la ligne.\nPage deux, naïve et sûre."
	if got.Text != want {
		t.Errorf("got text %q, want %q", got.Text, want)
	}
}

func TestPDFRefusals(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		want error
	}{
		{"image only", pdftest.ImageOnly(), ErrNoPDFText},
		{"encrypted", pdftest.Encrypted(), ErrEncrypted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := PDF(tt.raw); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := PDF([]byte("%PDF-1.4\ngarbage")); err == nil || !strings.Contains(err.Error(), "unreadable PDF") {
		t.Errorf("got %v, want an unreadable PDF error", err)
	}
}
