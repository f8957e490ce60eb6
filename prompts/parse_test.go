package prompts

import "testing"

func TestParseRewrite(t *testing.T) {
	const q, tr = "How much did OpenAI raise in March?", "Combien OpenAI a-t-elle levé en mars ?"
	tests := []struct {
		name         string
		reply        string
		wantQ, wantT string
		wantOK       bool
	}{
		{"plain", "QUERY: " + q + "\nTRANSLATION: " + tr, q, tr, true},
		{"whitespace and CRLF", "\n  QUERY:   " + q + "  \r\n\tTRANSLATION: " + tr + " \r\n\n", q, tr, true},
		{"bold labels", "**QUERY:** " + q + "\n**TRANSLATION:** " + tr, q, tr, true},
		{"bold label before colon", "**Query**: " + q + "\n__Translation__: " + tr, q, tr, true},
		{"lower case", "query: " + q + "\ntranslation: " + tr, q, tr, true},
		{"French spacing", "QUERY : " + q + "\nTRANSLATION : " + tr, q, tr, true},
		{"bullets and headings", "- QUERY: " + q + "\n## TRANSLATION: " + tr, q, tr, true},
		{"extra lines", "Sure! Here is the rewritten question.\n\nQUERY: " + q + "\nTRANSLATION: " + tr + "\n\nHope this helps.", q, tr, true},
		{"code fence", "```\nQUERY: " + q + "\nTRANSLATION: " + tr + "\n```", q, tr, true},
		{"quoted values", "QUERY: \"" + q + "\"\nTRANSLATION: « " + tr + " »", q, tr, true},
		{"placeholder brackets kept", "QUERY: <" + q + ">\nTRANSLATION: <" + tr + ">", q, tr, true},
		{"bold values", "QUERY: **" + q + "**\nTRANSLATION: **" + tr + "**", q, tr, true},
		{"French labels", "REQUÊTE : " + tr + "\nTRADUCTION : " + tr, tr, tr, true},
		{"first line wins", "QUERY: " + q + "\nTRANSLATION: " + tr + "\nQUERY: something else", q, tr, true},
		{"order swapped", "TRANSLATION: " + tr + "\nQUERY: " + q, q, tr, true},
		{"missing translation", "QUERY: " + q, "", "", false},
		{"missing query", "TRANSLATION: " + tr, "", "", false},
		{"empty query", "QUERY:\n" + q + "\nTRANSLATION: " + tr, "", "", false},
		{"only emphasis", "QUERY: ****\nTRANSLATION: " + tr, "", "", false},
		{"label inside a sentence", "The query: " + q + "\nThe translation: " + tr, "", "", false},
		{"label without colon", "QUERY " + q + "\nTRANSLATION " + tr, "", "", false},
		{"answer instead of query", "OpenAI raised 40 billion dollars in March.", "", "", false},
		{"empty reply", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotQ, gotT, gotOK := ParseRewrite(tt.reply)
			if gotQ != tt.wantQ || gotT != tt.wantT || gotOK != tt.wantOK {
				t.Errorf("ParseRewrite(%q) = %q, %q, %v; want %q, %q, %v", tt.reply, gotQ, gotT, gotOK, tt.wantQ, tt.wantT, tt.wantOK)
			}
		})
	}
}
