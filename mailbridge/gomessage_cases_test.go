package mailbridge

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// TestReadingDecisions holds the charset and transfer-encoding decisions the comparison with
// go-message is about, one small mail each: what the right reading is (ours must give it), and
// whether go-message gives it too. The cases where go-message was right and ours was not
// (7-bit ISO-2022-JP and HZ-GB-2312, UTF-16 in either byte order, CRLF in a quoted-printable
// file) were fixed in ours.
func TestReadingDecisions(t *testing.T) {
	jis, _ := japanese.ISO2022JP.NewEncoder().String("こんにちは")
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("Hei æøå")
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().String("Hei æøå")
	utf16leBare, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().String("Hei æøå")
	utf16beBare, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().String("Hei æøå")
	tests := []struct {
		name    string
		header  string // the mail header, without Subject unless the case is about it
		body    string
		read    string // "text" (of the first text part), "subject", or "file" (bytes of the first file)
		want    string
		goRight bool // go-message reads it the same
	}{
		{"ISO-8859-1", "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable", "bl=E5b=E6r", "text", "blåbær", true},
		{"ISO-8859-1LabelOutlookDash", "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable",
			"1=96 2 =80", "text", "1– 2 €", false}, // Outlook labels Windows-1252 as ISO-8859-1; go-message gives C1 controls
		{"Windows1252", "Content-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit", "s\xf8knad \x96 \x80", "text", "søknad – €", true},
		{"Unlabelled8BitLatin1", "Content-Transfer-Encoding: 8bit", "s\xf8knad", "text", "søknad", false}, // go-message: invalid UTF-8
		{"UnlabelledUTF8", "Content-Transfer-Encoding: 8bit", "søknad", "text", "søknad", true},
		{"UTF8DeclaredValidStays", "Content-Type: text/plain; charset=utf-8", "Ã¦ is what æ looks like as Latin-1", "text", "Ã¦ is what æ looks like as Latin-1", true},
		{"UTF8DeclaredLatin1Bytes", "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable", "h=E4r", "text", "här", false}, // go-message: invalid UTF-8
		{"Latin1DeclaredUTF8Bytes", "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit", "søknad", "text", "søknad", false},    // go-message: sÃ¸knad
		{"UnknownCharset8Bit", "Content-Type: text/plain; charset=x-ias-german\r\nContent-Transfer-Encoding: 8bit", "Gr\xfc\xdfe", "text", "Grüße", false},
		{"ISO2022JP", "Content-Type: text/plain; charset=iso-2022-jp", jis, "text", "こんにちは", true},
		{"HZGB2312", "Content-Type: text/plain; charset=hz-gb-2312", "~{<:Ky2;S{#,NpJ)l6HK!#~}", "text", "己所不欲，勿施於人。", true},
		{"UTF16LittleEndianBOM", "Content-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: binary", utf16le, "text", "Hei æøå", true},
		{"UTF16BigEndianBOM", "Content-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: binary", utf16be, "text", "Hei æøå", true},
		{"UTF16BigEndianNoBOM", "Content-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: binary", utf16beBare, "text", "Hei æøå", true},
		{"UTF16LittleEndianNoBOM", "Content-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: binary", utf16leBare, "text", "Hei æøå", false}, // go-message takes it for big-endian
		{"HTMLMetaCharset", "Content-Type: text/html\r\nContent-Transfer-Encoding: 8bit", `<meta charset="windows-1252"><p>s` + "\xf8" + `knad</p>`, "text", `<meta charset="windows-1252"><p>søknad</p>`, false},
		{"SubjectISO2022JP", "Subject: =?iso-2022-jp?B?" + b64(jis) + "?=", "", "subject", "こんにちは", true},
		{"SubjectWordSplitInACharacter", "Subject: =?utf-8?B?YmzDpWLD?= =?utf-8?B?pnI=?=", "", "subject", "blåbær", true},
		{"SubjectRaw8BitLatin1", "Subject: bl\xe5b\xe6r", "", "subject", "blåbær", false},
		{"SubjectUnknownCharset", "Subject: =?x-unknown?Q?bl=E5b=E6r?=", "", "subject", "blåbær", false},

		{"QPControlByte", "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable", "f\x14r =C3=B8 og etter", "text", "fr ø og etter", false}, // go-message stops at the byte
		{"QPBadEscape", "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable", "50=% rabatt =3D billig", "text", "50=% rabatt = billig", true},
		{"QPFileKeepsCRLF", "Content-Type: text/csv; name=a.csv\r\nContent-Transfer-Encoding: quoted-printable", "a;b\r\n1;2\r\n", "file", "a;b\r\n1;2\r\n", true},
		{"Latin1TextFileKeepsItsBytes", "Content-Type: text/plain; charset=iso-8859-1; name=a.txt\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: 8bit",
			"bl\xe5b\xe6r", "file", "bl\xe5b\xe6r", false}, // go-message hands over the file in UTF-8
		{"Base64NoPadding", "Content-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64", "SGVpIA", "file", "Hei ", false},
		{"Base64StrayCharacter", "Content-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64", "SGVp\r\n*IA==", "file", "Hei ", false},
	}
	goRight := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte("From: kari@hamar.kommune.no\r\nMessage-ID: <case@x>\r\n" + tt.header + "\r\n\r\n" + tt.body)
			want := tt.want
			if tt.read == "file" {
				want = bytesID([]byte(want))
			}
			ours, theirs := reading(ourView(raw), tt.read), reading(goMessageView(raw), tt.read)
			if ours != want {
				t.Errorf("ours: got %s, want %s", quoteView(ours), quoteView(want))
			}
			if (theirs == want) != tt.goRight {
				t.Errorf("go-message: got %s, want it %s", quoteView(theirs), map[bool]string{true: "right", false: "wrong"}[tt.goRight])
			}
			if theirs == want {
				goRight++
			}
		})
	}
	t.Logf("%d readings: ours gives all of them, go-message %d", len(tests), goRight)
}

func bytesID(b []byte) string { return strconv.Itoa(len(b)) + " bytes, sha256 " + shortSHA(b) }

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// reading is one reading of a view: the text of its first text part, its subject, or the bytes
// of its first file (by size and hash).
func reading(v mimeView, what string) string {
	if what == "subject" {
		return v.Subject
	}
	for _, l := range v.Leaves {
		switch {
		case what == "text" && isBodyText(l.Type) && l.Name == "":
			return strings.TrimRight(l.Text, "\n")
		case what == "file" && (l.Name != "" || l.Disp == "attachment"):
			return strconv.Itoa(l.Size) + " bytes, sha256 " + l.SHA
		}
	}
	return ""
}
