package main

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// hostileMails are mails no mail program writes, meant to break a parser or fill memory.
func hostileMails(uniq string) []string {
	head := func(i int) string {
		return fmt.Sprintf("From: angriper%d@example.org\r\nTo: kontakt@digihjelpen.test\r\nSubject: Fiendtlig %d\r\nMessage-ID: <fiendtlig-%d-%s@example.org>\r\n", i, i, i, uniq)
	}
	var nested, parts, rfc822 strings.Builder
	nested.WriteString(head(1) + "Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n")
	for i := range 2000 {
		fmt.Fprintf(&nested, "--b%d\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n", i, i+1)
	}
	parts.WriteString(head(2) + "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n")
	for i := range 10000 {
		fmt.Fprintf(&parts, "--x\r\nContent-Type: application/octet-stream; name=\"%d.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n", i)
	}
	parts.WriteString("--x--\r\n")
	rfc822.WriteString(head(3))
	for range 200 {
		rfc822.WriteString("Content-Type: message/rfc822\r\n\r\nFrom: x@y.no\r\nSubject: inni\r\n")
	}
	rfc822.WriteString("\r\nbunnen\r\n")
	return []string{
		nested.String(),
		parts.String(),
		rfc822.String(),
		head(4) + "X-Lang: " + strings.Repeat("a", 500_000) + "\r\n\r\nlang linje\r\n",
		head(5) + "Content-Type: text/plain; charset=x-ond\r\n\r\n\x00\x01\xff\xfe ugyldig \xc3\x28 tekst\r\n",
		head(6) + "Content-Type: multipart/alternative; boundary=\r\n\r\n--\r\n--\r\n",
		head(7) + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!@@@@####\r\n",
		head(8) + "Content-Type: text/html\r\n\r\n<script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a>\r\n",
		head(9) + "Content-Type: text/plain\r\n\r\n" + strings.Repeat("stor e-post over grensen ", 100_000) + "\r\n",
		"\x89PNG\r\n\x1a\n ikke en e-post i det hele tatt",
	}
}

// TestHostileInputThroughTheBinary sends the running binary mail meant to break it (deep
// nesting, ten thousand parts, a 500 KB header line, bad charsets and encodings, script in
// HTML, a mail over the size limit, something that is no mail) and public forms with hostile
// files (names that climb folders or hold NUL, a body over the limit): the server answers all
// along, every mail is moved out of the inbox as a ticket or into the quarantine, every form
// gets an answer and not a 500, and it stops cleanly.
func TestHostileInputThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	imapAddr, user, pass := mailStack(t)
	uniq := fmt.Sprint(time.Now().UnixNano())
	c, inbox, done := testMailbox(t, imapAddr, user, pass, "t-fiendtlig-", uniq)
	mails := hostileMails(uniq)
	for _, m := range mails {
		deliver(t, c, inbox, m)
	}
	dbPath := t.TempDir() + "/var/d.db"
	srv := startServeAt(t, dbPath, "DIGIHJELPEN_IMAP_ADDR="+imapAddr, "DIGIHJELPEN_IMAP_TLS=none", "DIGIHJELPEN_IMAP_USERNAME="+user,
		"DIGIHJELPEN_IMAP_PASSWORD="+pass, "DIGIHJELPEN_IMAP_MAILBOX="+inbox, "DIGIHJELPEN_IMAP_PROCESSED_MAILBOX="+done,
		"DIGIHJELPEN_IMAP_POLL_INTERVAL=1s", "DIGIHJELPEN_IMAP_MAX_MESSAGE_BYTES=1048576")
	for deadline := time.Now().Add(60 * time.Second); mailboxSize(c, inbox) != 0 || mailboxSize(c, done) != len(mails); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d mails left in the inbox, %d moved\n%s", mailboxSize(c, inbox), mailboxSize(c, done), srv.logs)
		}
	}
	hostileForms(t, srv.base)
	waitReady(t, srv, http.StatusOK, 10*time.Second)
	srv.stop(t)
	if strings.Contains(srv.logs.String(), "panic") {
		t.Errorf("a panic was logged:\n%s", srv.logs)
	}

	db := data.NewDB(dbPath)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	_, tickets, _ := data.NewTicketService(db).FindTickets(ctx, ticket.TicketFilter{})
	quarantined, _ := data.NewIntakeService(db).CountQuarantine(ctx)
	if tickets+quarantined < len(mails) {
		t.Errorf("%d tickets and %d in quarantine from %d mails", tickets, quarantined, len(mails))
	}
	if err := db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d hostile mails and 5 hostile forms: %d tickets, %d in quarantine", len(mails), tickets, quarantined)
}

// hostileForms sends the public form with files meant to harm: every answer is a page, never
// a server error, and the server keeps answering.
func hostileForms(t *testing.T, base string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	for i, f := range []struct {
		name string
		body []byte
	}{
		{"../../../../etc/passwd", []byte("root:x:0:0")},
		{"a\x00b.pdf", []byte("%PDF-1.4")},
		{strings.Repeat("å", 400) + ".txt", []byte("lang")},
		{"tom.txt", nil},
		{"stor.bin", bytes.Repeat([]byte{0}, 27<<20)}, // over the request limit
	} {
		token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(get(t, client, base+"/"))
		if token == nil {
			t.Fatal("no form")
		}
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		for k, v := range map[string]string{"csrf": token[1], "navn": "Kari", "epost": "kari@hamar.kommune.no", "kommune": "3403",
			"tema": "annet", "sporsmal": fmt.Sprintf("Spørsmål med vedlegg %d", i)} {
			w.WriteField(k, v)
		}
		fw, _ := w.CreateFormFile("vedlegg", f.name)
		fw.Write(f.body)
		w.Close()
		req, _ := http.NewRequest(http.MethodPost, base+"/", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		resp, err := client.Do(req)
		if err != nil {
			if i == 4 {
				continue // the server may close a connection that sends too much: that is an answer too
			}
			t.Fatalf("form with %q: %v", f.name, err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("form with %q: %d", f.name, resp.StatusCode)
		}
	}
}
