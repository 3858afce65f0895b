package mailbridge

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The MIME layer of Parse was measured against github.com/emersion/go-message (see "Why the
// MIME parser is our own" in docs/ARCHITECTURE.md). TestGoMessageReadsNoBetter keeps that
// measurement true: on every mail the tests read, our reading and go-message's are the same,
// or the mail is in goMessageWrong (gomessage_known_test.go) with what differs and why ours is
// the better reading. A new difference fails the test: either ours has become worse (fix it),
// or go-message is wrong on one more mail (list it, with the reason).

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

// BenchmarkMIMEReading is the time per mail of both readings, over every mail of the
// comparison and over those both read the same (go-message gives up early on some broken
// ones): header fields, part tree, transfer and charset decoding, and a hash of each part (the
// same work on both sides). "parse" is all of Parse (walk, HTML, quotes, bounces) for scale.
// The three take turns mail by mail, so a machine busy with other work slows them alike.
func BenchmarkMIMEReading(b *testing.B) {
	all := comparedMails(b)
	var same []comparedMail
	for _, m := range all {
		if len(viewDiff(ourView(m.raw), goMessageView(m.raw))) == 0 {
			same = append(same, m)
		}
	}
	readers := []struct {
		name string
		read func([]byte)
	}{
		{"ours", func(raw []byte) { ourView(raw) }},
		{"go-message", func(raw []byte) { goMessageView(raw) }},
		{"parse", func(raw []byte) { _, _ = Parse(raw, nil) }},
	}
	for _, set := range []struct {
		name  string
		mails []comparedMail
	}{{"all", all}, {"same", same}} {
		b.Run(set.name, func(b *testing.B) {
			spent := make([]time.Duration, len(readers))
			for b.Loop() {
				for _, m := range set.mails {
					for i, r := range readers {
						start := time.Now()
						r.read(m.raw)
						spent[i] += time.Since(start)
					}
				}
			}
			for i, r := range readers {
				b.ReportMetric(float64(spent[i].Microseconds())/float64(b.N*len(set.mails)), r.name+"-µs/mail")
			}
			b.ReportMetric(float64(spent[1])/float64(spent[0]), "go-message/ours")
		})
	}
	for _, r := range readers { // memory, apart, as B/op and allocs/op of the whole corpus
		b.Run("alloc/"+r.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, m := range all {
					r.read(m.raw)
				}
			}
		})
	}
}
