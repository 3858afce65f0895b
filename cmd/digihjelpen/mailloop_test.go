package main

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
)

// What the mail loop tests do as the people on the other side: municipal staff and agencies
// write in their mail clients and their mail is delivered into the contact point's mailbox in
// Dovecot; what the contact point sends is read from Mailpit.

// testMailbox logs in to Dovecot and creates a mailbox of the test's own, named from prefix and
// uniq, and the name of its processed folder; both go when the test ends.
func testMailbox(t *testing.T, addr, user, pass, prefix, uniq string) (c *imapclient.Client, inbox, done string) {
	t.Helper()
	inbox, done = prefix+uniq, prefix+uniq+"-ferdig"
	c = imapLogin(t, addr, user, pass)
	if err := c.Create(inbox, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Delete(inbox).Wait(); c.Delete(done).Wait(); c.Close() })
	return c, inbox, done
}

// deliver appends a raw mail to a mailbox, as the mail server delivering it would.
func deliver(t *testing.T, c *imapclient.Client, mailbox, raw string) {
	t.Helper()
	cmd := c.Append(mailbox, int64(len(raw)), nil)
	if _, err := io.WriteString(cmd, raw); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
}

// newMail is a mail a person writes: plain UTF-8 text, with a Date and a Message-ID.
func newMail(from, subject, messageID, text string, header ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: kontakt@digihjelpen.test\r\nSubject: %s\r\nMessage-ID: %s\r\nDate: %s\r\n",
		from, subject, messageID, time.Now().Format(time.RFC1123Z))
	for _, h := range header {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(strings.ReplaceAll(text, "\n", "\r\n") + "\r\n")
	return b.String()
}

// clientReply is an answer to m as a mail client writes it: "SV: " before the subject (once),
// In-Reply-To m's Message-ID and References m's references followed by it, and the new text
// above a Gmail-style attribution line and m's text quoted with "> ".
func clientReply(from string, m *mailpitMail, messageID, text string) string {
	subject := m.Subject
	if !strings.HasPrefix(subject, "SV: ") {
		subject = "SV: " + subject
	}
	refs := strings.TrimSpace(m.header("References") + " " + m.MessageID)
	var quoted strings.Builder
	fmt.Fprintf(&quoted, "%s\n\nman. 23. nov. 2026 kl. 10:15 skrev %s <%s>:\n", text, m.From.Name, m.From.Address)
	for _, line := range strings.Split(strings.TrimRight(m.Text, "\r\n"), "\n") {
		quoted.WriteString(strings.TrimRight("> "+strings.TrimRight(line, "\r"), " ") + "\n")
	}
	return newMail(from, subject, messageID, strings.TrimRight(quoted.String(), "\n"),
		"In-Reply-To: <"+strings.Trim(m.MessageID, "<>")+">", "References: "+angle(refs))
}

// angle puts each Message-ID of a list in angle brackets (Mailpit gives them without).
func angle(ids string) string {
	var out []string
	for _, id := range strings.Fields(ids) {
		out = append(out, "<"+strings.Trim(id, "<>")+">")
	}
	return strings.Join(out, " ")
}
