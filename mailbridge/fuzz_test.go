package mailbridge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// addFixtures seeds a fuzz target with every mail in testdata.
func addFixtures(f *testing.F) {
	filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".eml") {
			if b, err := os.ReadFile(path); err == nil {
				f.Add(b)
			}
		}
		return err
	})
	f.Add([]byte("From: a@b.no\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\n--x--"))
	f.Add([]byte("Subject: =?utf-8?B?w6bDuMOl?= =?x-unknown?Q?=FF?=\r\n\r\n"))
}

// FuzzParse feeds the parser anything: it must never panic (parse, without the recover Parse
// adds), and what it returns must be clean UTF-8 that storage accepts.
func FuzzParse(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := parse(raw, []string{"kontakt@digihjelpen.test"})
		if err != nil {
			return
		}
		msg := m.Message
		for _, s := range []string{msg.Text, msg.Subject, msg.From, msg.FromName, msg.HTML} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8: %q", s)
			}
		}
		if msg.MessageID == "" || msg.QuoteStart > len(msg.Text) {
			t.Fatalf("message id %q, quote start %d of %d", msg.MessageID, msg.QuoteStart, len(msg.Text))
		}
		if err := msg.Validate(); err != nil {
			t.Fatalf("not storable: %v", err)
		}
	})
}
