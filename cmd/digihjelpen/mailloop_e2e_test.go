package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestMailLoopThroughTheBinary runs the real binary against Dovecot and Mailpit and follows a
// question around the whole loop, as the people on both sides see it: a librarian in Hamar
// mails a question; it becomes a ticket with the municipality recognised and the routing
// decision kept; the acknowledgement reaches her with the reference, Auto-Submitted and a
// status link that opens; she answers it from her mail client (the acknowledgement quoted
// below her text), which joins the same ticket with her new text first and no second
// acknowledgement; staff answer through the API, the answer reaches her threaded and the
// ticket waits on her; she answers that, and the ticket is open again.
func TestMailLoopThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	imapAddr, user, pass := mailStack(t)
	smtpAddr, api := mailpitAPI(t)
	uniq := fmt.Sprint(time.Now().UnixNano())
	c, inbox, done := testMailbox(t, imapAddr, user, pass, "t-loop-", uniq)

	s := startServe(t, imapAddr, user, pass, inbox, done, smtpAddr)
	kari := "kari.nordmann+" + uniq + "@bibliotek.hamar.kommune.no"
	toKari := `to:"` + kari + `"`

	// 1. The question arrives and becomes a ticket, routed, with the municipality recognised.
	question := "<sporsmal-" + uniq + "@bibliotek.hamar.kommune.no>"
	deliver(t, c, inbox, newMail("Kari Nordmann <"+kari+">", "Kurs i digitale ferdigheter for seniorer", question,
		"Hei!\n\nVi skal holde kurs for seniorer på biblioteket. Finnes det kursmateriell vi kan bruke?\n\nHilsen Kari"))
	tk := s.waitTicket(t, "the question's ticket", "", func(tk *apiTicketView) bool { return tk.MessageCount == 1 })
	if tk.Requester.Municipality.Number != "3403" || tk.Requester.Municipality.Name != "Hamar" || tk.Requester.County.Number != "34" ||
		tk.Routing.Rule == "" || tk.Routing.Reason == "" || tk.Agency != "kompetanse-norge" || tk.Status != ticket.StatusNew || tk.Channel != "email" {
		t.Fatalf("ticket: %+v", tk)
	}

	// 2. The acknowledgement reaches her.
	ack := mailpitWait(t, api, toKari, 1)[0]
	if !strings.HasPrefix(ack.Subject, "["+tk.Ref+"] ") || ack.header("Auto-Submitted") != "auto-replied" ||
		ack.header("In-Reply-To") != question || ack.From.Address != "kontakt@digihjelpen.test" {
		t.Fatalf("acknowledgement: subject %q, header %v", ack.Subject, ack.Header)
	}
	link := regexp.MustCompile(regexp.QuoteMeta(s.base) + `/sak/[0-9a-f-]{36}`).FindString(ack.Text)
	if status, body := s.get(t, link); link == "" || status != http.StatusOK || !strings.Contains(body, tk.Ref) {
		t.Fatalf("status link %q in %q: %d", link, ack.Text, status)
	}

	// 3. She answers the acknowledgement from her mail client.
	answer := "<svar1-" + uniq + "@bibliotek.hamar.kommune.no>"
	newText := "Takk! Vi blir rundt tolv deltakere, og kurset er 3. desember."
	deliver(t, c, inbox, clientReply("Kari Nordmann <"+kari+">", ack, answer, newText))
	tk = s.waitTicket(t, "her answer on the ticket", tk.Ref, func(tk *apiTicketView) bool { return tk.MessageCount == 2 })
	if got := tk.Messages[1]; got.MessageID != answer || !strings.HasPrefix(got.Text, newText) || !strings.Contains(got.Text, "> ") {
		t.Fatalf("her answer stored as %+v", got)
	}

	// 4. Staff answer through the API: threaded to her answer; the ticket waits on her.
	var change struct {
		Ticket  apiTicketView
		Message struct {
			MessageID string `json:"message_id"`
		}
	}
	s.post(t, "/api/v1/tickets/"+tk.Ref+"/replies", `{"text":"Hei Kari!\nKursmateriellet finner du hos Kompetanse Norge."}`, http.StatusAccepted, &change)
	if change.Ticket.Status != ticket.StatusWaiting {
		t.Fatalf("after the staff answer: %s, want venter", change.Ticket.Status)
	}
	mails := mailpitWait(t, api, toKari, 2)
	reply := mails[0]
	if reply.MessageID == ack.MessageID {
		reply = mails[1]
	}
	if "<"+reply.MessageID+">" != change.Message.MessageID || reply.header("In-Reply-To") != answer ||
		!strings.Contains(reply.header("References"), answer) || reply.header("Auto-Submitted") != "" || !strings.Contains(reply.Subject, tk.Ref) {
		t.Fatalf("staff answer: %q, header %v, want In-Reply-To %s", reply.Subject, reply.Header, answer)
	}

	// 5. She answers that: the ticket is open again.
	again := "<svar2-" + uniq + "@bibliotek.hamar.kommune.no>"
	deliver(t, c, inbox, clientReply("Kari Nordmann <"+kari+">", reply, again, "Flott, da bruker vi det."))
	tk = s.waitTicket(t, "the ticket reopened", tk.Ref, func(tk *apiTicketView) bool { return tk.Status == ticket.StatusOpen })
	if last := tk.Messages[len(tk.Messages)-1]; last.MessageID != again || !strings.HasPrefix(last.Text, "Flott, da bruker vi det.") {
		t.Fatalf("her second answer stored as %+v", last)
	}

	s.stop(t)
	if n := len(mailpitSearch(t, api, toKari)); n != 2 {
		t.Errorf("mails to her: got %d, want 2 (one acknowledgement, one answer)", n)
	}
	if n := mailboxSize(c, inbox); n != 0 || mailboxSize(c, done) != 3 {
		t.Errorf("mailboxes: %d left in %s, %d in %s; want 0 and 3", n, inbox, mailboxSize(c, done), done)
	}
	s.checkStore(t, answer, newText)
	t.Logf("%s: acknowledgement %q, answer %q threaded to %s", tk.Ref, ack.Subject, reply.Subject, answer)
}

// serveProcess is the real binary serving with IMAP and SMTP configured.
type serveProcess struct {
	cmd     *exec.Cmd
	bin     string
	environ []string
	logs    *syncBuffer
	stdout  *syncBuffer // what the server prints, the first admin's password among it
	base    string
	token   string
	dbPath  string
}

// startServe creates an API token with the binary, then starts it serving the web on a free
// port, reading mailbox (moving to done) and sending through smtpAddr; extra environment
// variables (NAME=value) come last and override.
func startServe(t *testing.T, imapAddr, user, pass, mailbox, done, smtpAddr string, extra ...string) *serveProcess {
	t.Helper()
	s := prepareServe(t, imapAddr, user, pass, mailbox, done, smtpAddr, extra...)
	s.start(t)
	return s
}

// prepareServe is startServe up to the start, so a test can run other commands on the
// database first (s.run).
func prepareServe(t *testing.T, imapAddr, user, pass, mailbox, done, smtpAddr string, extra ...string) *serveProcess {
	t.Helper()
	httpAddr := freeAddr(t)
	s := &serveProcess{bin: buildBinary(t), base: "http://" + httpAddr, dbPath: filepath.Join(t.TempDir(), "loop.db"), logs: &syncBuffer{}}
	environ := append(os.Environ(), "DIGIHJELPEN_STORAGE_PATH="+s.dbPath, "DIGIHJELPEN_SERVER_ADDR="+httpAddr,
		"DIGIHJELPEN_SERVER_BASE_URL="+s.base, "DIGIHJELPEN_IMAP_ADDR="+imapAddr, "DIGIHJELPEN_IMAP_TLS=none",
		"DIGIHJELPEN_IMAP_USERNAME="+user, "DIGIHJELPEN_IMAP_PASSWORD="+pass, "DIGIHJELPEN_IMAP_MAILBOX="+mailbox,
		"DIGIHJELPEN_IMAP_PROCESSED_MAILBOX="+done, "DIGIHJELPEN_IMAP_POLL_INTERVAL=1s",
		"DIGIHJELPEN_SMTP_ADDR="+smtpAddr, "DIGIHJELPEN_SMTP_TLS=none", "DIGIHJELPEN_SMTP_FROM=Digihjelpen kontaktpunkt <kontakt@digihjelpen.test>")
	s.environ = append(environ, extra...)
	s.token = strings.TrimSpace(s.run(t, "", "token", "create", "-name", "sløyfetest"))
	return s
}

// run runs a command of the binary on the database, with stdin, and returns what it prints.
func (s *serveProcess) run(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(s.bin, args...)
	cmd.Env, cmd.Stdin = s.environ, strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// start starts the server and waits until it answers.
func (s *serveProcess) start(t *testing.T) {
	t.Helper()
	s.cmd = exec.Command(s.bin, "serve")
	s.cmd.Env = s.environ
	s.stdout = &syncBuffer{}
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	waitHealthy(t, s.base+"/healthz")
}

// stop ends the server with SIGTERM, as systemd does, and expects a clean exit.
func (s *serveProcess) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, s.logs)
	}
}

// apiTicketView is the ticket as GET /api/v1/tickets/{ref} shows it, as far as the tests read it.
type apiTicketView struct {
	Ref          string
	Subject      string
	Status       ticket.Status
	Agency       string
	Channel      string
	MessageCount int `json:"message_count"`
	Requester    struct {
		Email                string
		Municipality, County struct{ Number, Name string }
	}
	Routing   struct{ Rule, Reason string }
	Referrals []struct {
		Agency, Status string
		AnsweredAt     *time.Time `json:"answered_at"`
	}
	Tags     []string
	Messages []struct {
		Direction, From, Text string
		MessageID             string `json:"message_id"`
	}
}

// get fetches a page or, with a path under /api/, an API answer with the token.
func (s *serveProcess) get(t *testing.T, u string) (int, string) {
	t.Helper()
	if strings.HasPrefix(u, "/") {
		u = s.base + u
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if strings.HasPrefix(u, s.base+"/api/") {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// post sends JSON to the API and decodes the answer into v, expecting status.
func (s *serveProcess) post(t *testing.T, path, body string, status int, v any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("POST %s: %d %s, want %d", path, resp.StatusCode, answer, status)
	}
	if err := json.Unmarshal(answer, v); err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
}

// waitTicket waits until the ticket ref (or, with ref "", the only ticket) satisfies cond.
func (s *serveProcess) waitTicket(t *testing.T, what, ref string, cond func(*apiTicketView) bool) *apiTicketView {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if ref == "" {
			var list struct{ Tickets []apiTicketView }
			if status, body := s.get(t, "/api/v1/tickets"); status == http.StatusOK {
				json.Unmarshal([]byte(body), &list)
			}
			if len(list.Tickets) == 1 {
				ref = list.Tickets[0].Ref
			}
		}
		var tk apiTicketView
		if ref != "" {
			if status, body := s.get(t, "/api/v1/tickets/"+ref); status == http.StatusOK {
				json.Unmarshal([]byte(body), &tk)
			}
			if cond(&tk) {
				return &tk
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %+v\nlog:\n%s", what, tk, s.logs)
		}
	}
}

// checkStore opens the database after the server stopped: the indexes and statistics agree
// with the records, and the answer with messageID starts with newText, the quote after it.
func (s *serveProcess) checkStore(t *testing.T, messageID, newText string) {
	t.Helper()
	db := &data.DB{Path: s.dbPath, Now: time.Now, ReadOnly: true}
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	tickets := data.NewTicketService(db)
	list, _, err := tickets.FindTickets(ctx, ticket.TicketFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("tickets: %d %v, want 1", len(list), err)
	}
	msgs, _ := tickets.FindMessages(ctx, list[0].ID)
	for _, m := range msgs {
		if m.MessageID != messageID {
			continue
		}
		if m.QuoteStart == 0 || strings.TrimSpace(m.Text[:m.QuoteStart]) != newText {
			t.Errorf("answer: quote starts at %d in %q, want right after %q", m.QuoteStart, m.Text, newText)
		}
		return
	}
	t.Errorf("no message %s on the ticket", messageID)
}
