package mailbridge

// goMessageWrong lists the mails go-message reads differently, with what differs (the aspects
// of viewDiff) and why ours is the reading to keep.
var goMessageWrong = map[string]struct {
	differs []string
	why     string
}{
	// Not read at all: go-message's header reader stops at the first line it does not expect.
	"corpus/apple-mail/flanker__iphone.eml":         {[]string{"read"}, "the mail starts with a line of spaces; go-message refuses the whole mail"},
	"corpus/malformed/flanker__enclosed-broken.eml": {[]string{"read"}, "the mail starts with a line of spaces; go-message refuses the whole mail"},
	"corpus/gmail/php-mime-mail-parser__m0001.eml":  {[]string{"read"}, `an mbox "From " line before the header; go-message refuses the whole mail`},
	"corpus/malformed/sisimai__rfc3464-66.eml":      {[]string{"read"}, `an mbox "From " line before the header; go-message refuses the whole mail`},
	"corpus/malformed/mimekit__issue358.eml":        {[]string{"read"}, "a folded header line lost its leading space; go-message refuses the whole mail"},

	// Parts lost: a broken part ends go-message's reading of it or of the rest of the multipart.
	"corpus/malformed/freescout__message-4-null-bytes.eml": {[]string{"bytes", "text"},
		"a control byte in quoted-printable and a stray character in base64 end go-message's decoding: the HTML is cut at 861 of 3,346 bytes and the image at 762 of 4,531"},
	"corpus/malformed/enmime__malformed-base64-attach.eml": {[]string{"bytes"},
		"a '*' in base64: go-message stops there (3 of 7 bytes); RFC 2045 says to skip characters outside the alphabet"},
	"corpus/malformed/spamscope-mail-parser__mail_malformed_3.eml": {[]string{"tree"},
		"the declared boundary never occurs; go-message finds no part and loses the HTML, ours finds the boundary the mail uses"},
	"corpus/headers/stalwart-mail-parser__thirdparty-015.eml": {[]string{"tree"},
		"an attached mail whose header lost its folding: go-message refuses that mail's header and loses its text; two attached mails end before their parts (both read no text there)"},
	"corpus/malformed/php-mime-mail-parser__issue126.eml": {[]string{"tree"},
		"two Content-Type fields: go-message takes the first (text/plain) and shows the MIME source as text; ours takes the multipart whose boundary is in the body, so the text and ATT00001.txt are read"},
	"corpus/tnef-calendar/roundcube__tnef2.eml": {[]string{"tree"},
		"the first boundary is indented; go-message takes that part for preamble (here an empty text, so nothing is lost)"},

	// Charsets: go-message decodes only what is declared, and gives up on what it does not know.
	"corpus/headers/zbateson-mmp__m0009.eml": {[]string{"subject", "to", "text"},
		"raw 8-bit Latin-1 in the header and an unlabelled 8-bit body: go-message returns invalid UTF-8 and cannot read To"},
	"corpus/malformed/rt__russian-subject-no-content-type.eml": {[]string{"subject", "text"},
		"raw 8-bit subject and body without a charset: go-message returns invalid UTF-8 (ours reads Windows-1252: wrong letters for Russian, but storable text)"},
	"corpus/scandinavian/php-mime-mail-parser__m0023.eml": {[]string{"text"},
		"declared UTF-8 with Latin-1 bytes (=E4): go-message returns invalid UTF-8, ours reads the bytes as Windows-1252 (här)"},
	"corpus/scandinavian/rt__new-ticket-from-iso-8859-1.eml": {[]string{"from", "from name"},
		"raw 8-bit Latin-1 (å) in From: go-message cannot parse the address, so the sender is lost"},
	"corpus/scandinavian/rt__new-ticket-from-iso-8859-1-full.eml": {[]string{"from", "from name"},
		"raw 8-bit Latin-1 (å) in From: go-message cannot parse the address, so the sender is lost"},
	"no/latin1-8bit.eml": {[]string{"subject"}, "raw 8-bit Latin-1 (å) in the subject beside encoded words: go-message returns invalid UTF-8"},
	"no/brutt-mime.eml": {[]string{"name"},
		"an RFC 2231 file name in ISO-8859-1 (søknad om støtte.docx): go-message loses the name (mime.ParseMediaType takes UTF-8 only)"},
	"corpus/malformed/webklex-php-imap__undefined_charset_header.eml": {[]string{"subject", "from", "from name"},
		"encoded words in an unknown charset (X-IAS-German): go-message leaves the subject encoded and loses the sender"},
	"fuzz-seed-2": {[]string{"subject"}, "an encoded word in an unknown charset: go-message leaves the whole subject encoded"},
}
