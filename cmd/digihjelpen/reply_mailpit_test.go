package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// TestReplyWithFileAndCcThroughMailpit: an agent answers from the ticket page as serve wires
// it, with a PDF and a colleague in Cc; the outbox sends it to the real Mailpit, where it is
// read back: To, Cc, the reference in the subject, the threading headers, the signature, and
// the file byte for byte. The thread says «Sendt» only after that.
func TestReplyWithFileAndCcThroughMailpit(t *testing.T) {
	smtpAddr, api := mailpitAPI(t)
	uniq := fmt.Sprint(time.Now().UnixNano())
	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "dh.db"), "DIGIHJELPEN_SMTP_ADDR=" + smtpAddr,
		"DIGIHJELPEN_SMTP_TLS=none", "DIGIHJELPEN_SMTP_FROM=Digihjelpen <kontakt@digihjelpen.test>"}
	a, err := openApp("", env{environ: environ})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	stop := startJobs(t, func(jobs *jobRunner) error { return addOutbox(jobs, a, log) })
	defer stop()
	srv, err := newWebServer(ctx, a, log)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Shutdown(ctx)
	base := "http://" + ln.Addr().String()

	kari, per := "kari+"+uniq+"@lillehammer.kommune.no", "per+"+uniq+"@lillehammer.kommune.no"
	tk := &ticket.Ticket{Subject: "Kursplan for seniorer", Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal,
		Channel: ticket.ChannelEmail, Requester: ticket.Requester{Name: "Kari", Email: kari}}
	q := &ticket.Message{Direction: ticket.DirectionIn, From: kari, Text: "Har dere en kursplan?", MessageID: "<q-" + uniq + "@lillehammer.kommune.no>"}
	if err := a.tickets.CreateTicket(ctx, tk, q, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	hash, _ := web.HashPassword("riktig-hest-batteri-stift")
	u := &ticket.User{Email: "ola@ks.no", Name: "Ola", Role: ticket.RoleAgent, PasswordHash: hash, Signature: "Vennlig hilsen\nOla i KS"}
	if err := a.users.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	client := staffClient(t, base, "ola@ks.no", "riktig-hest-batteri-stift")
	page := get(t, client, base+"/saker/"+tk.Ref.String())
	field := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s on the ticket page", name)
		}
		return m[1]
	}
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("kursplan \x00\xff\n"), 2000)...)
	resp := postMultipart(t, client, base+"/saker/"+tk.Ref.String()+"/svar",
		map[string]string{"csrf": field("csrf"), "version": field("version"), "seen": field("seen"), "text": "Hei Kari, her er kursplanen.",
			"kopi": per, "status": "venter", "handling": "send"}, "vedlegg", "kursplan æøå.pdf", pdf)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d", resp.StatusCode)
	}

	m := mailpitWait(t, api, `to:"`+kari+`"`, 1)[0]
	var full struct {
		Cc          []struct{ Address string }
		Attachments []struct {
			PartID, FileName, ContentType string
			Size                          int
		}
	}
	mailpitGet(t, api+"/api/v1/message/"+m.ID, &full)
	if len(full.Cc) != 1 || full.Cc[0].Address != per || !strings.Contains(m.header("Cc"), per) {
		t.Errorf("Cc %+v, header %q, want %s", full.Cc, m.header("Cc"), per)
	}
	if m.Subject != "["+tk.Ref.String()+"] Kursplan for seniorer" || m.header("In-Reply-To") != q.MessageID ||
		!strings.Contains(strings.ReplaceAll(m.Text, "\r\n", "\n"), "Hei Kari, her er kursplanen.\n\nVennlig hilsen\nOla i KS") {
		t.Errorf("subject %q, In-Reply-To %q, text %q", m.Subject, m.header("In-Reply-To"), m.Text)
	}
	if len(full.Attachments) != 1 || full.Attachments[0].FileName != "kursplan æøå.pdf" || full.Attachments[0].ContentType != "application/pdf" {
		t.Fatalf("attachments %+v", full.Attachments)
	}
	part, err := http.Get(api + "/api/v1/message/" + m.ID + "/part/" + full.Attachments[0].PartID)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(part.Body)
	part.Body.Close()
	if !bytes.Equal(got, pdf) {
		t.Fatalf("the file arrived with %d bytes, want the %d sent, unchanged", len(got), len(pdf))
	}
	stored, _ := a.tickets.FindTicketByID(ctx, tk.ID)
	if !stored.IsParticipant(per) || stored.Assignee != "ola@ks.no" {
		t.Errorf("participants %v, assignee %q", stored.Participants, stored.Assignee)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if strings.Contains(get(t, client, base+"/saker/"+tk.Ref.String()), `<p class="send-state send-sent">Sendt <time`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the thread does not say «Sendt» after Mailpit took the mail")
		}
	}
}

// staffClient signs in at base and returns a client with the session.
func staffClient(t *testing.T, base, email, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(get(t, client, base+"/logg-inn"))
	resp, err := client.PostForm(base+"/logg-inn", url.Values{"csrf": {token[1]}, "email": {email}, "password": {password}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	return client
}

// postMultipart posts fields and one file as a browser's file input does.
func postMultipart(t *testing.T, client *http.Client, u string, fields map[string]string, fileField, name string, data []byte) *http.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	part, _ := w.CreateFormFile(fileField, name)
	part.Write(data)
	w.Close()
	resp, err := client.Post(u, w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}
