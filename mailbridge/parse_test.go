package mailbridge_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

var own = []string{"kontakt@digihjelpen.test"}

func mustParse(t testing.TB, file string) *ticket.InboundMail {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mailbridge.Parse(raw, own)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return m
}

// TestParse says what each kind of real mail must yield. The corpus files are real mail from
// other projects' test data (see testdata/corpus/SOURCES.md); testdata/no holds Norwegian mail
// written for this project in the forms Outlook, Gmail and Apple Mail produce.
func TestParse(t *testing.T) {
	tests := []struct {
		name, file        string
		from, fromName    string
		subject           string
		text              []string // in Text
		notText           []string // not in Text
		newText           string   // Text before QuoteStart; "" when nothing is quoted
		auto              string
		noAck             bool
		bounced           []string
		noFailure         bool     // a delivery report that reports no failed recipient
		atts              []string // name|type, in order
		html, inReplyTo   string   // html: a substring of the sanitised HTML
		messageIDSynth    bool
		references, inCcs int
	}{
		{name: "OutlookNorwegianReply", file: "no/outlook-svar.eml", from: "kari.nordmann@hamar.kommune.no", fromName: "Kari Nordmann Østby",
			subject: "SV: [DH-2026-0001] Kurs i BankID for seniorer på biblioteket", text: []string{"Vi prøver med kurset på torsdag", "Sendt: mandag"},
			newText: "Hei igjen!\n\nTakk for raskt svar. Vi prøver med kurset på torsdag, og gir beskjed om hvordan det går.\n\nMed vennlig hilsen\nKari Nordmann Østby\nBibliotekar, Hamar bibliotek",
			html:    `<a href="https://hamar.kommune.no/bibliotek"`, inReplyTo: "<ack-1@digihjelpen.test>", references: 2},
		{name: "GmailNorwegianReply", file: "no/gmail-svar.eml", from: "jan.osterdal@gmail.com", fromName: "Jan Østerdål",
			newText: "Hei,\n\ndet fungerte! Tusen takk – innbyggeren fikk logget inn på Min side.", text: []string{"> prøv å logge inn med BankID på mobil."},
			html: "<blockquote>", inReplyTo: "<ack-2@digihjelpen.test>", references: 1},
		{name: "AppleMailBottomPosted", file: "no/apple-bunnsvar.eml", from: "ola.hansen@lillehammer.kommune.no",
			newText: "Innbyggeren får feilmelding når hun skal sende skattemeldingen.", text: []string{"Sendt fra min iPhone", "> Hei Ola,"}},
		{name: "Latin1EightBitAndSplitEncodedWord", file: "no/latin1-8bit.eml", fromName: "Åse Fløttum", subject: "Hjelp med æøå på tastaturet",
			text: []string{"På biblioteket skriver tastaturet ikke æ, ø og å (ÆØÅ).\nHva gjør vi?"}},
		{name: "DeclaredUTF8StaysUTF8", file: "no/utf8-deklarert.eml", fromName: "Ørjan Li", text: []string{"Hei, takk for sist – Ørjan Ølstad på Åsane."}},
		{name: "HTMLOnlyWindows1252", file: "no/bare-html.eml", from: "nora.vik@bodo.kommune.no",
			text:    []string{"Hei!\n\nVi trenger kursmateriell om digital post for eldre. Se Digdir (https://www.digdir.no/) og:\n- Digipost\n- e-Boks", "Nora – Bodø kommune"},
			notText: []string{"ignorer", "color:red"}, html: "<b>digital post</b>"},
		{name: "ForwardAsAttachment", file: "no/videresendt-vedlegg.eml", newText: "Se vedlagt e-post fra en innbygger. Kan dere hjelpe?",
			text: []string{"Emne: Spørsmål om skattekort", "Jeg har prøvd på skatteetaten.no."},
			atts: []string{"Spørsmål om skattekort.eml|message/rfc822", "skjermbilde.pdf|application/pdf"}},
		{name: "MissingClosingBoundaryRFC2231Latin1Name", file: "no/brutt-mime.eml", text: []string{"det ble visst ikke lagret riktig."},
			atts: []string{"søknad om støtte.docx|application/vnd.openxmlformats-officedocument.wordprocessingml.document"}},
		{name: "NorwegianOutOfOffice", file: "no/fravaer.eml", auto: ticket.AutoReply, inReplyTo: "<reply-1@digihjelpen.test>"},
		{name: "BounceOfOurAck", file: "no/retur-av-kvittering.eml", auto: ticket.AutoBounce, bounced: []string{"<ack-1@digihjelpen.test>"},
			text: []string{"550 5.1.1"}},
		{name: "FromOurselves", file: "no/fra-oss.eml", auto: ticket.AutoOwn},
		{name: "SuppressedAutoResponseIsStillAPerson", file: "no/svar-undertrykt.eml", noAck: true},
		{name: "SampleQPAttachment", file: "norsk-qp-attachment.eml", fromName: "Øyvind Kjærås", subject: "Spørsmål om faktura: blåbærsyltetøy",
			text: []string{"Store bokstaver: ÆØÅ, små: æøå."}, atts: []string{"kvittering-blåbær.txt|text/plain", "logo.png|image/png"}},

		{name: "Outlook365ReplyQuotedHistory", file: "corpus/outlook/webklex-php-imap__issue-412.eml", newText: "Here is my reply to your reply.\n\nTony Marston",
			text: []string{"From: gmx@tonymarston.co.uk"}, references: 2},
		{name: "OutlookFrenchPDFLatin1Subject", file: "corpus/outlook/php-mime-mail-parser__m0013.eml", subject: "50032266 CAR 11_MNPA00A01_9PTX_H00 ATT N° 1467829. pdf",
			newText: "M. DUPONT Paul\nSuperviseur de voitures\n\n\n\nPas à pas, agissons au quotidien pour préserver notre environnement.\nN'imprimez ce mail qu'en cas de nécessité.",
			atts:    []string{"50032266 CAR 11_MNPA00A01_9PTX_H00 ATT N° 1467829.pdf|application/pdf"}},
		{name: "Outlook2000RelatedImages", file: "corpus/outlook/zbateson-mmp__m0017.eml", text: []string{"The Hare and the Tortoise"},
			atts: []string{"blueball.png|image/png", "greenball.png|image/png", "redball.png|image/png"}},
		{name: "IPhoneTextAroundImage", file: "corpus/apple-mail/php-mime-mail-parser__issue163.eml",
			text: []string{"then we insert an image:\n\n[Bilde: image1.jpeg]\n\nThen we have more text"}, atts: []string{"image1.jpeg|image/jpeg"}},
		{name: "IPhoneLeadingBlankLine", file: "corpus/apple-mail/flanker__iphone.eml", from: "someone@somewhere.com", text: []string{"Hello", "~Danielle"}},
		{name: "GmailDKIM", file: "corpus/gmail/mimekit__gmail.eml", text: []string{"This is the message body."}, html: "This is the message body"},
		{name: "GmailAttachmentOnly", file: "corpus/gmail/php-mime-mail-parser__m0001.eml", subject: "Mail avec fichier attaché de 1ko", atts: []string{"attach01|application/octet-stream"}},
		{name: "Latin1QPGerman", file: "corpus/charsets-latin1/zbateson-mmp__m0010.eml", subject: "Die Hasen und die Frösche (Microsoft Outlook 00)", text: []string{"mißliche Lage"}},
		{name: "RawLatin1Headers", file: "corpus/headers/zbateson-mmp__m0009.eml", subject: "Die Hasen und die Frösche (Microsoft Outlook 00)"},
		{name: "EudoraRawLatin1FromUTF8Body", file: "corpus/scandinavian/rt__new-ticket-from-iso-8859-1-full.eml", fromName: "Wilhelmsen Håvard",
			newText: "Hello again,\n\nThanks for your fast replay!\n\nI don't know how this looks at your end but it is letters like: ø æ å\nIf your want to make this in html it will be &oslash; &aring; and &aerlig;",
			text:    []string{"-- \nHåvard", "At 14:56 02.06.2003 -0400, you wrote:"}, messageIDSynth: true},
		{name: "ExchangeNorwegianEncodedName", file: "corpus/scandinavian/mikel-mail__header_fields_with_empty_values.eml", fromName: "Jørn Støylen"},
		{name: "EncodedWordsSwedish", file: "corpus/scandinavian/enmime__build-qp-addr-headers.eml", fromName: "Olle Järnefors", messageIDSynth: true},
		{name: "HTMLOnlyLatin1", file: "corpus/html-only/rt__text-html-with-umlaut.eml", text: []string{"Mit freundlichen Grüßen"}},
		{name: "NestedForwardThreeLevels", file: "corpus/nested-rfc822/webklex-php-imap__four_nested_emails.eml", newText: "3-third-content",
			text: []string{"2-second-content", "1-first-content"}, atts: []string{"2-second-email.eml|message/rfc822", "1-first-email.eml|message/rfc822", "0-zero-email.eml|message/rfc822"},
			messageIDSynth: true},
		{name: "OutlookItemAttached", file: "corpus/nested-rfc822/rt__outlook-rfc822.eml", newText: "Could this look more spammy? “Check out the attached file.” 😊", atts: []string{"Updates to our terms of use.eml|message/rfc822"}},
		{name: "InlineImagesByCID", file: "corpus/inline-images/php-mime-mail-parser__m0008.eml",
			atts: []string{"logo.jpg|image/gif", "background.jpg|image/gif", "attachment.txt|text/plain"}},
		{name: "ImageWithUnusedCIDStaysAttachment", file: "corpus/inline-images/roundcube__attached-image-with-content-id.eml", atts: []string{"тест.jpg|image/jpeg"}},

		{name: "DSNPostfix", file: "corpus/bounces/sisimai__lhost-postfix-01.eml", auto: ticket.AutoBounce, text: []string{"could not\nbe delivered"}},
		{name: "DSNOffice365", file: "corpus/bounces/flanker__office365.eml", auto: ticket.AutoBounce, bounced: []string{"<20171013111011.20866.254C2F3A4D7AA526@ninomail.com>"},
			inReplyTo: "<20171013111011.20866.254C2F3A4D7AA526@ninomail.com>", references: 1},
		{name: "DSNDelayWarning", file: "corpus/bounces/mikel-mail__report_422.eml", auto: ticket.AutoBounce, bounced: []string{"<15655788.13.1200472642578.JavaMail.Administrator@mail.ttttt.com.au>"},
			noFailure: true},
		{name: "DSNBase64Report", file: "corpus/bounces/mimekit__bounce.eml", auto: ticket.AutoBounce, bounced: []string{"<44565655.JitbitHelpdesk.13439.691a0afc-a0a0-457c-8208-f20b7c4a4cb1@jitbit.com>"}},
		{name: "BounceOldGmailText", file: "corpus/bounces/sisimai__lhost-gmail-01.eml", auto: ticket.AutoBounce, bounced: []string{"<D992C2C3-F175-4C4D-97E2-53A90E4E5BF5@gmail.com>"}},
		{name: "BounceQmailNoMIME", file: "corpus/bounces/sisimai__lhost-qmail-01.eml", auto: ticket.AutoBounce, messageIDSynth: true},
		{name: "BounceExchange2007", file: "corpus/bounces/sisimai__lhost-exchange2007-01.eml", auto: ticket.AutoBounce},
		{name: "BounceGMXLongHeader", file: "corpus/headers/sisimai__lhost-gmx-01.eml", auto: ticket.AutoBounce, messageIDSynth: true},

		{name: "RFC3834AutoSubmitted", file: "corpus/auto-replies/sisimai__rfc3834-01.eml", auto: ticket.AutoReply},
		{name: "ExchangeRulesLoop", file: "corpus/auto-replies/sisimai__rfc3834-02.eml", auto: ticket.AutoReply},
		{name: "AppleVacation", file: "corpus/auto-replies/sisimai__rfc3834-03.eml", auto: ticket.AutoReply, references: 1},
		{name: "ExchangeRelayedWindows1252", file: "corpus/auto-replies/sisimai__rfc3834-04.eml", auto: ticket.AutoReply},
		{name: "Mimecast", file: "corpus/auto-replies/sisimai__rfc3834-06.eml", auto: ticket.AutoReply},
		{name: "PolishSubjectOnly", file: "corpus/auto-replies/php-mime-mail-parser__issue212.eml", auto: ticket.AutoReply,
			subject: "Automatyczna odpowiedź: Piotrze, test z 6 miesięcy nauki ciągle na Ciebie czeka", messageIDSynth: true},
		{name: "GitHubNotificationIsBulkNotAutoReply", file: "corpus/auto-replies/webklex-php-imap__1366671050@github.com.eml", auto: ticket.AutoBulk, newText: "Any updates?", references: 1},
		{name: "OutlookReadReceiptTNEF", file: "corpus/tnef-calendar/zbateson-mmp__m4006.eml", auto: ticket.AutoReceipt, atts: []string{"winmail.dat|application/ms-tnef"}},

		{name: "InvalidBase64", file: "corpus/malformed/enmime__malformed-base64-attach.eml", text: []string{"A text section"}, atts: []string{"some.doc|application/msword"}},
		{name: "BrokenNestedBoundaries", file: "corpus/malformed/flanker__enclosed-broken.eml", newText: "Hello", atts: []string{"thanks.eml|message/rfc822"}},
		{name: "BoundaryDash", file: "corpus/malformed/freescout__message-2.eml", text: []string{"Special Comments\n-\nSee attached document"}, atts: []string{"file.pdf|application/pdf"}, messageIDSynth: true},
		{name: "NULBytesKOI8R", file: "corpus/malformed/freescout__message-4-null-bytes.eml", subject: "активизация виндойс", text: []string{"Уважаемые системные администраторы"}},
		{name: "BrokenHeaderFold", file: "corpus/malformed/mimekit__issue358.eml", text: []string{"Test headers"}, references: 2},
		{name: "TwoContentTypesBodyInPreamble", file: "corpus/malformed/php-mime-mail-parser__issue126.eml", text: []string{"Hey;)\nhow so? It's Maria"}, atts: []string{"ATT00001.txt|text/plain"}},
		{name: "TextPartHoldingPNG", file: "corpus/malformed/sisimai__rfc3464-66.eml", auto: ticket.AutoBounce, notText: []string{"PNG"},
			atts: []string{"vedlegg-1.png|image/png", "vedlegg-2.txt|message/delivery-status"}},
		{name: "DeclaredBoundaryMissing", file: "corpus/malformed/spamscope-mail-parser__mail_malformed_3.eml", text: []string{"Problemas para visualizar"}, notText: []string{"Content-Type"}},
		{name: "UnknownCharsetInWords", file: "corpus/malformed/webklex-php-imap__undefined_charset_header.eml", fromName: "myGov", subject: "Submit your tax refund | Australian Taxation Office."},
		{name: "IndentedBoundaryTNEF", file: "corpus/tnef-calendar/roundcube__tnef2.eml", notText: []string{"Content-Type"}, atts: []string{"winmail.dat|application/ms-tnef"}},
		{name: "MeetingRequest", file: "corpus/tnef-calendar/php-mime-mail-parser__m0020.eml", atts: []string{"vedlegg-1.ics|text/calendar"}},
		{name: "PGPMIMESigned", file: "corpus/signed-encrypted/rt__gnupg-1-signed-MIME-plain.eml", text: []string{"This is a test email with MIME signature."}, atts: []string{"signature.asc|application/pgp-signature"}},
		{name: "SMIMESigned", file: "corpus/signed-encrypted/rt__smime-1-signed.eml", text: []string{"detached signature"}, atts: []string{"smime.p7s|application/pkcs7-signature"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, tt.file)
			msg := m.Message
			check := func(what string, got, want any) {
				t.Helper()
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: got %q, want %q", what, got, want)
				}
			}
			if tt.from != "" {
				check("from", msg.From, tt.from)
			}
			if tt.fromName != "" {
				check("from name", msg.FromName, tt.fromName)
			}
			if tt.subject != "" {
				check("subject", msg.Subject, tt.subject)
			}
			for _, s := range tt.text {
				if !strings.Contains(msg.Text, s) {
					t.Errorf("text lacks %q:\n%s", s, msg.Text)
				}
			}
			for _, s := range tt.notText {
				if strings.Contains(msg.Text, s) {
					t.Errorf("text has %q:\n%s", s, msg.Text)
				}
			}
			newText := ""
			if msg.QuoteStart > 0 {
				newText = strings.TrimSpace(msg.Text[:msg.QuoteStart])
			}
			if tt.newText != "" || tt.auto == "" { // how a bounce's own text splits does not matter
				check("new text", newText, tt.newText)
			}
			check("auto", msg.Auto, tt.auto)
			check("noAck", m.NoAck, tt.noAck)
			check("noFailure", m.NoFailure, tt.noFailure)
			if tt.bounced != nil {
				check("bounced", m.BouncedIDs, tt.bounced)
			}
			if tt.atts != nil {
				var got []string
				for _, a := range msg.Attachments {
					got = append(got, a.Name+"|"+a.Type)
				}
				check("attachments", got, tt.atts)
			}
			if tt.html != "" && !strings.Contains(msg.HTML, tt.html) {
				t.Errorf("html lacks %q:\n%s", tt.html, msg.HTML)
			}
			if tt.inReplyTo != "" {
				check("in-reply-to", msg.InReplyTo, tt.inReplyTo)
			}
			check("references", len(msg.References), tt.references)
			check("synthetic id", strings.HasPrefix(msg.MessageID, "<synthetic-"), tt.messageIDSynth)
		})
	}
}

// TestParseEveryFixture checks what must hold for every mail in testdata: it parses, all text is
// valid UTF-8 without control characters, a Message-ID is there (the same on every parse), the
// quote offset is on a character boundary, the kept HTML has no script or event handler, and
// every attachment has a name, a type and a matching size.
func TestParseEveryFixture(t *testing.T) {
	n := 0
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".eml") {
			return err
		}
		n++
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		m, err := mailbridge.Parse(raw, own)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		again, _ := mailbridge.Parse(raw, own)
		msg := m.Message
		if msg.MessageID == "" || msg.MessageID != again.Message.MessageID || msg.Text != again.Message.Text {
			t.Errorf("%s: not the same on a second parse (id %q)", path, msg.MessageID)
		}
		for what, s := range map[string]string{"text": msg.Text, "subject": msg.Subject, "from": msg.From, "name": msg.FromName, "html": msg.HTML} {
			if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\r\x1b") {
				t.Errorf("%s: %s is not clean UTF-8: %q", path, what, s)
			}
		}
		if msg.QuoteStart < 0 || msg.QuoteStart > len(msg.Text) || (msg.QuoteStart > 0 && !utf8.RuneStart(msg.Text[msg.QuoteStart])) {
			t.Errorf("%s: quote start %d in a text of %d bytes", path, msg.QuoteStart, len(msg.Text))
		}
		if lower := strings.ToLower(msg.HTML); strings.Contains(lower, "<script") || strings.Contains(lower, "onclick") || strings.Contains(lower, "<style") {
			t.Errorf("%s: HTML not sanitised", path)
		}
		if err := msg.Validate(); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		for _, a := range msg.Attachments {
			if a.Name == "" || a.Type == "" || a.Size != int64(len(a.Data)) || len(a.SHA256) != 64 || !utf8.ValidString(a.Name) {
				t.Errorf("%s: attachment %+v", path, a.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 75 {
		t.Errorf("got %d fixtures, want the whole corpus and our own", n)
	}
}

func TestParseNoHeader(t *testing.T) {
	for _, raw := range []string{"", "\r\n\r\n", "bare tekst uten hoder\n\nmer tekst", "\x00\x01\x02"} {
		if _, err := mailbridge.Parse([]byte(raw), own); err == nil {
			t.Errorf("%q: got no error, want one (quarantine)", raw)
		}
	}
}

func TestParseLimits(t *testing.T) {
	long := strings.Repeat("Dette er en lang linje med æøå. ", 5000)
	subject := strings.Repeat("Emne ", 100)
	raw := "From: a@b.no\r\nSubject: " + subject + "\r\nMessage-ID: <lang@b.no>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + long
	m, err := mailbridge.Parse([]byte(raw), own)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Message.Text) > ticket.MaxTextLen+200 || !strings.Contains(m.Message.Text, "Teksten er forkortet") {
		t.Errorf("text of %d bytes, want it cut with a notice", len(m.Message.Text))
	}
	if n := utf8.RuneCountInString(m.Message.Subject); n > ticket.MaxSubjectLen {
		t.Errorf("subject of %d characters, want at most %d", n, ticket.MaxSubjectLen)
	}
	var nested strings.Builder
	for i := range 40 {
		nested.WriteString("Content-Type: multipart/mixed; boundary=b" + strings.Repeat("x", i) + "\r\n\r\n--b" + strings.Repeat("x", i) + "\r\n")
	}
	nested.WriteString("Content-Type: text/plain\r\n\r\ndypt")
	m, err = mailbridge.Parse([]byte("From: a@b.no\r\nSubject: dypt\r\n"+nested.String()), own)
	if err != nil || m.Message.Validate() != nil {
		t.Errorf("deep nesting: got %v, want a message", err)
	}
}

func TestQuoteSplit(t *testing.T) {
	tests := []struct{ name, text, newText string }{
		{"TopPostOutlookNorwegian", "Takk!\n\nFra: Ola <ola@x.no>\nSendt: 1. januar\nTil: Kari\nEmne: Hei\n\nGammel tekst", "Takk!"},
		{"TopPostOriginalMessage", "Ja.\n\n-----Opprinnelig melding-----\nFra: x", "Ja."},
		{"TopPostEnglishAttribution", "Yes.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Kari <k@x.no> wrote:\n> old", "Yes."},
		{"SignatureDelimiter", "Svar her.\n\n-- \nKari Nordmann\nTlf 123", "Svar her."},
		{"SentFromPhone", "Kort svar.\n\nSendt fra min iPhone", "Kort svar."},
		{"SentenceBeforeAttribution", "Ja, det stemmer.\nDen 23. nov. 2026 skrev Kari <k@x.no>:\n> gammelt", "Ja, det stemmer."},
		{"GmailWrappedAttribution", "Takk.\n\nman. 23. nov. 2026 kl. 09:00 skrev Kari Nordmann <\nkari@x.no>:\n\n> gammelt", "Takk."},
		{"FrenchOutlookNBSP", "Oui.\n\nDe\u00a0: Ola\nEnvoyé\u00a0: lundi\n\nvieux", "Oui."},
		{"InterleavedLeftAlone", "Hei\n\n> spørsmål 1\nsvar 1\n> spørsmål 2\nsvar 2", ""},
		{"OnlyAForward", "---------- Videresendt melding ----------\nFra: x\n\ntekst", ""},
		{"NoQuote", "Bare et spørsmål.\nFra: leder på biblioteket", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := "From: a@b.no\r\nSubject: s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + tt.text
			m, err := mailbridge.Parse([]byte(raw), own)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if m.Message.QuoteStart > 0 {
				got = strings.TrimSpace(m.Message.Text[:m.Message.QuoteStart])
			}
			if got != tt.newText {
				t.Errorf("got %q, want %q (text %q)", got, tt.newText, m.Message.Text)
			}
			if strings.Join(strings.Fields(m.Message.Text), " ") != strings.Join(strings.Fields(tt.text), " ") && tt.newText == "" {
				t.Errorf("text changed: %q", m.Message.Text)
			}
			if !slices.Equal(words(m.Message.Text), words(tt.text)) {
				t.Errorf("words lost or added: %q", m.Message.Text)
			}
		})
	}
}

// words returns the words of s, sorted: a reordered text has the same words.
func words(s string) []string {
	w := strings.Fields(s)
	slices.Sort(w)
	return w
}

// TestParseCharsetsBeyondASCII covers the charsets whose text is not ASCII with more on top:
// they are decoded even when every byte is 7-bit, and UTF-16 (whose zero bytes look binary)
// stays the text of the mail.
func TestParseCharsetsBeyondASCII(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	jis, _ := japanese.ISO2022JP.NewEncoder().String("こんにちは")
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().String("Hei æøå, dette er UTF-16.")
	tests := []struct{ name, header, body, text, subject string }{
		{"ISO2022JPBodyAndSubject", "Subject: =?iso-2022-jp?B?" + b64(jis) + "?=\r\nContent-Type: text/plain; charset=iso-2022-jp", jis, "こんにちは", "こんにちは"},
		{"UTF16WithoutBOM", "Content-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: base64", b64(utf16le), "Hei æøå, dette er UTF-16.", ""},
		{"HTMLMetaUTF16IsNotUTF16", "Content-Type: text/html", `<meta charset="utf-16"><p>Hei</p>`, "Hei", ""},
		{"ISO2022KRIsNotLost", "Content-Type: text/plain; charset=iso-2022-kr", "\x1b$)C\r\nHei, her er litt koreansk: \x0e!!\x0f og mer tekst.", "og mer tekst.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := "From: a@b.no\r\nMessage-ID: <c@b.no>\r\n" + tt.header + "\r\n\r\n" + tt.body
			m, err := mailbridge.Parse([]byte(raw), own)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(m.Message.Text, tt.text) || len(m.Message.Attachments) > 0 {
				t.Errorf("text %q and %d files, want %q as the text", m.Message.Text, len(m.Message.Attachments), tt.text)
			}
			if tt.subject != "" && m.Message.Subject != tt.subject {
				t.Errorf("subject %q, want %q", m.Message.Subject, tt.subject)
			}
		})
	}
}
