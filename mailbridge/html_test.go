package mailbridge

import "testing"

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, html, want string }{
		{"InlineTagsKeepWords", `<p>Innbygger får ikke sendt <b>meldekort</b>.</p>`, "Innbygger får ikke sendt meldekort."},
		{"OutlookParagraphs", `<p class=MsoNormal>Hei<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p><p>Takk</p>`, "Hei\n\nTakk"},
		{"GmailDivs", `<div>Hei,</div><div><br></div><div>det virker.</div>`, "Hei,\n\ndet virker."},
		{"Links", `Se <a href="https://www.nav.no/">NAV</a> og <a href="https://www.nav.no/">https://www.nav.no/</a>`, "Se NAV (https://www.nav.no/) og https://www.nav.no/"},
		{"Lists", `<ul><li>BankID</li><li>MinID</li></ul>`, "- BankID\n- MinID"},
		{"Blockquote", `Ja.<blockquote><div>Gammelt</div><div>spørsmål</div></blockquote>`, "Ja.\n> Gammelt\n> spørsmål"},
		{"NoHeadStyleScript", `<head><title>x</title><style>p{}</style></head><script>alert(1)</script><p>Tekst</p>`, "Tekst"},
		{"Table", `<table><tr><td>Navn</td><td>Kari</td></tr><tr><td>Kommune</td><td>Hamar</td></tr></table>`, "Navn Kari\nKommune Hamar"},
		{"Pre", "<pre>linje 1\n  linje 2</pre>", "linje 1\n  linje 2"},
		{"Entities", `&laquo;Bl&aring;b&aelig;r&raquo; &amp; &lt;tagg&gt;`, "«Blåbær» & <tagg>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.html); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
