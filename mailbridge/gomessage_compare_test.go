package mailbridge

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The MIME layer of Parse was measured against github.com/emersion/go-message (see "Why the
// MIME parser is our own" in docs/ARCHITECTURE.md). TestGoMessageReadsNoBetter keeps that
// measurement true: on every mail the tests read, our reading and go-message's are the same,
// or the mail is listed below with what differs and why ours is the better reading. A new
// difference fails the test: either ours has become worse (fix it), or go-message is wrong on
// one more mail (list it, with the reason).

// comparedMail is one input of the comparison: a file, or a seed of a fuzz target.
type comparedMail struct {
	name string
	raw  []byte
}

// comparedMails are every mail the tests read: testdata here (the shared corpus and our own),
// the command's testdata, and the seeds the fuzz targets add beside those files.
func comparedMails(tb testing.TB) []comparedMail {
	var out []comparedMail
	for _, dir := range []string{"testdata", "../cmd/digihjelpen/testdata"} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".eml") {
				return err
			}
			raw, err := os.ReadFile(path)
			out = append(out, comparedMail{strings.TrimPrefix(filepath.ToSlash(path), "testdata/"), raw})
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	for i, s := range fuzzSeeds {
		out = append(out, comparedMail{"fuzz-seed-" + strconv.Itoa(i+1), []byte(s)})
	}
	return out
}

// fuzzSeeds are the inline seeds of FuzzParse and FuzzIntake (their file seeds are in testdata).
var fuzzSeeds = []string{
	"From: a@b.no\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\n--x--",
	"Subject: =?utf-8?B?w6bDuMOl?= =?x-unknown?Q?=FF?=\r\n\r\n",
	"From: a@b.no\r\nSubject: hei\r\n\r\ntekst",
	"\x00garbage",
}

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

// difference is one way two views of a mail differ: its aspect (read, subject, from, from
// name, to, cc, date, message-id, tree, name, disp, cid, bytes, text) and what it is.
type difference struct{ aspect, detail string }

// viewDiff lists how go-message's view of a mail differs from ours.
func viewDiff(ours, theirs mimeView) []difference {
	if ours.NoMail != theirs.NoMail {
		return []difference{{"read", "read as a mail: ours " + yesNo(!ours.NoMail) + ", go-message " + yesNo(!theirs.NoMail)}}
	}
	var d []difference
	for _, f := range []struct{ aspect, a, b string }{
		{"subject", ours.Subject, theirs.Subject}, {"from name", ours.FromName, theirs.FromName}, {"from", ours.FromAddr, theirs.FromAddr},
		{"to", ours.To, theirs.To}, {"cc", ours.Cc, theirs.Cc}, {"date", ours.Date, theirs.Date}, {"message-id", ours.MessageID, theirs.MessageID},
	} {
		if f.a != f.b {
			d = append(d, difference{f.aspect, "ours " + quoteView(f.a) + ", go-message " + quoteView(f.b)})
		}
	}
	if len(ours.Leaves) != len(theirs.Leaves) {
		d = append(d, difference{"tree", "ours " + strconv.Itoa(len(ours.Leaves)) + " parts, go-message " + strconv.Itoa(len(theirs.Leaves))})
	}
	for i := range max(len(ours.Leaves), len(theirs.Leaves)) {
		if i >= len(ours.Leaves) || i >= len(theirs.Leaves) {
			break
		}
		a, b := ours.Leaves[i], theirs.Leaves[i]
		detail := "\n    ours:       " + a.String() + "\n    go-message: " + b.String()
		switch {
		case a.Path != b.Path || a.Type != b.Type || a.Params != b.Params:
			d = append(d, difference{"tree", detail})
			continue
		case a.Name != b.Name:
			d = append(d, difference{"name", detail})
		case a.Disp != b.Disp:
			d = append(d, difference{"disp", detail})
		case a.CID != b.CID:
			d = append(d, difference{"cid", detail})
		}
		isFile := !isBodyText(a.Type) || a.Name != "" || a.Disp == "attachment"
		if isFile && (a.Size != b.Size || a.SHA != b.SHA) {
			d = append(d, difference{"bytes", detail})
		}
		if a.Text != b.Text { // the text of a mail is compared as text, after its charset
			d = append(d, difference{"text", detail + "\n    " + textDiff(a.Text, b.Text)})
		}
	}
	return d
}

func aspects(d []difference) []string {
	var out []string
	for _, x := range d {
		if !slices.Contains(out, x.aspect) {
			out = append(out, x.aspect)
		}
	}
	slices.Sort(out)
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func quoteView(s string) string {
	q := strconv.Quote(strings.ToValidUTF8(s, "\uFFFD"))
	if !utf8.ValidString(s) {
		return "(invalid UTF-8) " + q
	}
	return q
}

// textDiff shows where two texts part.
func textDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-20)
	for from > 0 && from < len(a) && !utf8.RuneStart(a[from]) {
		from--
	}
	cut := func(s string) string {
		if from > len(s) {
			return `""`
		}
		return quoteView(s[from:min(len(s), i+40)])
	}
	return "texts part at byte " + strconv.Itoa(i) + ": ours " + cut(a) + " (" + strconv.Itoa(len(a)) + " B), go-message " + cut(b) + " (" + strconv.Itoa(len(b)) + " B)"
}

func TestGoMessageReadsNoBetter(t *testing.T) {
	mails := comparedMails(t)
	if len(mails) < 80 {
		t.Fatalf("got %d mails, want the corpus, our own and the command's", len(mails))
	}
	counts := map[string]int{}
	differ, withErrors := 0, 0
	for _, m := range mails {
		ours, theirs := ourView(m.raw), goMessageView(m.raw)
		if len(theirs.Problems) > 0 {
			withErrors++
		}
		d := viewDiff(ours, theirs)
		got := aspects(d)
		for _, a := range got {
			counts[a]++
		}
		if len(d) > 0 {
			differ++
		}
		known, listed := goMessageWrong[m.name]
		want := slices.Sorted(slices.Values(known.differs))
		if slices.Equal(got, want) {
			continue
		}
		switch {
		case !listed:
			t.Errorf("%s: ours and go-message now read it differently; if go-message is right, fix ours, else list the mail in goMessageWrong with why", m.name)
		case len(d) == 0:
			t.Errorf("%s: listed in goMessageWrong, but ours and go-message now read it the same: take it off the list", m.name)
		default:
			t.Errorf("%s: differs in %v, listed for %v", m.name, got, want)
		}
		for _, p := range theirs.Problems {
			t.Logf("  go-message error: %s", p)
		}
		for _, x := range d {
			t.Logf("  %s: %s", x.aspect, x.detail)
		}
	}
	t.Logf("%d mails: %d read the same, %d differently (%v); go-message reported errors on %d", len(mails), len(mails)-differ, differ, counts, withErrors)
}
