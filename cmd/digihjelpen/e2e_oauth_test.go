package main

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// oauthEnv is the environment that makes the binary log in to IMAP and SMTP with tokens from
// the mail stack's test provider, the secrets in the environment as they should be.
func oauthEnv(t *testing.T, imapSecret, smtpSecret string) []string {
	t.Helper()
	tokenURL := os.Getenv("MAILSTACK_IDP_TOKEN_URL")
	if tokenURL == "" || os.Getenv("MAILSTACK_MTA_ADDR") == "" {
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_MAILSTACK") == "1" {
			t.Fatal("the mail stack's OpenID provider and Postfix are not running (MAILSTACK_IDP=1 MAILSTACK_POSTFIX=1; make test starts them)")
		}
		t.Skip("the mail stack's OpenID provider and Postfix are not running")
	}
	env := []string{"DIGIHJELPEN_IMAP_PASSWORD=", "DIGIHJELPEN_SMTP_ADDR=" + os.Getenv("MAILSTACK_MTA_ADDR")}
	for section, secret := range map[string]string{"IMAP": imapSecret, "SMTP": smtpSecret} {
		env = append(env, "DIGIHJELPEN_"+section+"_AUTH=xoauth2", "DIGIHJELPEN_"+section+"_USERNAME=helpdesk@example.test",
			"DIGIHJELPEN_"+section+"_TOKEN_URL="+tokenURL, "DIGIHJELPEN_"+section+"_CLIENT_ID="+os.Getenv("MAILSTACK_IDP_MAIL_CLIENT_ID"),
			"DIGIHJELPEN_"+section+"_CLIENT_SECRET="+secret, "DIGIHJELPEN_"+section+"_SCOPE="+os.Getenv("MAILSTACK_IDP_MAIL_SCOPE"))
	}
	return env
}

// TestMailLoopOAuthThroughTheBinary runs the real binary with [imap] and [smtp] auth = "xoauth2":
// it reads the mailbox in Dovecot and sends through Postfix with tokens from the test provider,
// which Dovecot validates for both. A question becomes a ticket, the acknowledgement and the staff
// answer reach the sender through Postfix (which relays only for a valid token) into Mailpit. The
// log holds neither the secret nor a token.
func TestMailLoopOAuthThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	imapAddr, user, pass := mailStack(t)
	_, api := mailpitAPI(t)
	secret := os.Getenv("MAILSTACK_IDP_MAIL_CLIENT_SECRET")
	env := oauthEnv(t, secret, secret)
	uniq := fmt.Sprint(time.Now().UnixNano())
	c, inbox, done := testMailbox(t, imapAddr, user, pass, "t-oauth-", uniq)
	s := startServe(t, imapAddr, "helpdesk@example.test", "", inbox, done, os.Getenv("MAILSTACK_MTA_ADDR"), env...)

	per := "per.hansen+" + uniq + "@bibliotek.gjovik.kommune.no"
	question := "<oauth-" + uniq + "@bibliotek.gjovik.kommune.no>"
	deliver(t, c, inbox, newMail("Per Hansen <"+per+">", "Hjelp med Microsoft-konto", question, "Hei! Hvordan lager vi en konto for en innbygger?"))
	tk := s.waitTicket(t, "the question's ticket", "", func(tk *apiTicketView) bool { return tk.MessageCount == 1 })
	ack := mailpitWait(t, api, `to:"`+per+`"`, 1)[0]
	if !strings.Contains(ack.Subject, tk.Ref) || ack.header("In-Reply-To") != question {
		t.Fatalf("acknowledgement %q, header %v", ack.Subject, ack.Header)
	}
	var change struct{ Ticket apiTicketView }
	s.post(t, "/api/v1/tickets/"+tk.Ref+"/replies", `{"text":"Hei Per!\nSe veiledningen på digihjelpen.no."}`, http.StatusAccepted, &change)
	mailpitWait(t, api, `to:"`+per+`"`, 2)
	s.stop(t)

	if n := mailboxSize(c, done); n != 1 {
		t.Errorf("%d mails in %s, want 1", n, done)
	}
	logs := s.logs.String()
	if strings.Contains(logs, secret) || strings.Contains(logs, "eyJ") || !strings.Contains(logs, "oauth token fetched") {
		t.Errorf("log holds the secret or a token, or no token was fetched:\n%s", logs)
	}
	dir := os.Getenv("MAILSTACK_DIR")
	dovecotLog, _ := os.ReadFile(filepath.Join(dir, "dovecot", "dovecot.log"))
	maillog, _ := os.ReadFile(filepath.Join(dir, "postfix", "maillog"))
	if !strings.Contains(string(dovecotLog), "user=<helpdesk>, method=OAUTHBEARER") || !strings.Contains(string(maillog), "sasl_method=XOAUTH2, sasl_username=helpdesk") {
		t.Errorf("Dovecot's and Postfix's logs show no token login (OAUTHBEARER for IMAP, XOAUTH2 for SMTP)")
	}
}

// TestServeOAuthRefusedShowsState: the binary with a wrong IMAP client secret keeps serving,
// logs the endpoint and the provider's error (not the secret), and the admin front page says
// «Innboksen kan ikke leses: …».
func TestServeOAuthRefusedShowsState(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	imapAddr, user, pass := mailStack(t)
	_, _ = mailpitAPI(t)
	wrong := "feil-hemmelighet-" + fmt.Sprint(time.Now().UnixNano())
	env := oauthEnv(t, wrong, os.Getenv("MAILSTACK_IDP_MAIL_CLIENT_SECRET"))
	uniq := fmt.Sprint(time.Now().UnixNano())
	_, inbox, done := testMailbox(t, imapAddr, user, pass, "t-oauth-feil-", uniq)
	s := startServe(t, imapAddr, "helpdesk@example.test", "", inbox, done, os.Getenv("MAILSTACK_MTA_ADDR"), env...)

	// The first administrator, created at the first start, with the password it printed.
	password := regexp.MustCompile(`Passord: +(\S+)`).FindStringSubmatch(s.stdout.String())
	if password == nil {
		t.Fatalf("no admin password printed:\n%s", s.stdout)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(get(t, client, s.base+"/logg-inn"))
	if token == nil {
		t.Fatal("no CSRF token on the login page")
	}
	resp, err := client.PostForm(s.base+"/logg-inn", url.Values{"csrf": {token[1]}, "email": {"admin@localhost"}, "password": {password[1]}})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %v %v", err, resp)
	}
	resp.Body.Close()
	var page string
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		page = get(t, client, s.base+"/admin/")
		if strings.Contains(page, "Innboksen kan ikke leses") || time.Now().After(deadline) {
			break
		}
	}
	if !strings.Contains(page, "Innboksen kan ikke leses: Fikk ikke tilgangsnøkkel") || !strings.Contains(page, "invalid_client") ||
		!strings.Contains(page, os.Getenv("MAILSTACK_IDP_TOKEN_URL")) || strings.Contains(page, "Utgående e-post kan ikke sendes") {
		t.Fatalf("admin page:\n%s", page)
	}
	if status, _ := s.get(t, "/healthz"); status != http.StatusOK {
		t.Errorf("healthz %d while the mailbox cannot be read", status)
	}
	s.stop(t)
	logs := s.logs.String()
	if strings.Contains(logs, wrong) || !strings.Contains(logs, "error=invalid_client") || !strings.Contains(logs, "token_url="+os.Getenv("MAILSTACK_IDP_TOKEN_URL")) {
		t.Errorf("log:\n%s", logs)
	}
}
