package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestNotifySettingsPage: the defaults are shown ticked; what is saved is what the form said;
// a wrong value is shown beside its field; readers do not get the page.
func TestNotifySettingsPage(t *testing.T) {
	e := staffEnv(t)
	e.addUser("leser@ks.no", ticket.RoleReader)
	br := e.browser()
	br.login("agent@ks.no")
	_, body := br.get("/konto/varsler")
	for _, want := range []string{`value="tildelt" checked`, `value="svar" checked`, `id="levering-straks" name="levering" value="straks" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("the defaults: page lacks %q", want)
		}
	}
	if strings.Contains(body, `value="ny-sak" checked`) {
		t.Error("new tickets are on by default")
	}
	form := url.Values{"csrf": {br.csrf("/konto/varsler")}, "varsel": {"ny-sak", "svarfrist"}, "etat": {"nav", "ks"}, "levering": {"daglig"}, "klokkeslett": {"15"}}
	if resp, _ := br.post("/konto/varsler", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	u, _ := e.users.FindUserByEmail(context.Background(), "agent@ks.no")
	got, _ := data.NewNotifyService(e.db).FindNotifySettings(context.Background(), u.ID)
	if !got.Digest || got.DigestHour != 15 || !got.Wants(ticket.NotifyNewTicket) || got.Wants(ticket.NotifyAssigned) || !got.Follows("nav") {
		t.Errorf("saved %+v", got)
	}
	if _, body := br.get("/konto/varsler?ok=lagret"); !strings.Contains(body, "Varslene er lagret.") || !strings.Contains(body, `value="15" selected`) {
		t.Error("the page after saving does not show it")
	}
	form.Set("etat", "finnes-ikke")
	if resp, body := br.post("/konto/varsler", form); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Ukjent etat «finnes-ikke»") {
		t.Errorf("an unknown agency: %d", resp.StatusCode)
	}
	if _, body := br.get("/konto"); !strings.Contains(body, `href="/konto/varsler"`) {
		t.Error("the account page does not lead to the notifications")
	}
	reader := e.browser()
	reader.login("leser@ks.no")
	if resp, _ := reader.get("/konto/varsler"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a reader: %d, want 403", resp.StatusCode)
	}
	if _, body := reader.get("/konto"); strings.Contains(body, `href="/konto/varsler"`) {
		t.Error("a reader's account page offers notifications")
	}
}

// TestAdminWebhooks: an admin adds a team's webhook and sees its secret once; the list shows
// only the address's host; a test post goes to the outbox; a new secret is shown once; the
// webhook is deleted. An address that is not https is refused beside the field.
func TestAdminWebhooks(t *testing.T) {
	e := staffEnv(t)
	br := e.browser()
	br.login("admin@ks.no")
	form := url.Values{"csrf": {br.csrf("/admin/webhooker")}, "navn": {"NAV-teamet"}, "adresse": {"https://example.webhook.office.com/webhookb2/hemmelig-nokkel"},
		"varsel": {"ny-sak", "tildelt"}, "etat": {"nav"}, "format": {"melding"}}
	resp, body := br.post("/admin/webhooker", form)
	secret := strings.TrimSpace(strings.Split(strings.SplitAfter(body, `id="hemmelighet" class="secret" type="text" readonly value="`)[1], `"`)[0])
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("create: %d, secret %q", resp.StatusCode, secret)
	}
	_, body = br.get("/admin/webhooker")
	if !strings.Contains(body, "NAV-teamet") || !strings.Contains(body, "example.webhook.office.com") || strings.Contains(body, "hemmelig-nokkel") || strings.Contains(body, secret) {
		t.Fatalf("the list shows the secret address or secret:\n%s", body)
	}
	hooks, _ := data.NewWebhookService(e.db).FindWebhooks(context.Background())
	if len(hooks) != 1 || hooks[0].Secret != secret || hooks[0].Kinds[0] != ticket.NotifyNewTicket {
		t.Fatalf("stored %+v", hooks)
	}
	id := strconv.FormatUint(hooks[0].ID, 10)
	if resp, _ := br.post("/admin/webhooker/"+id+"/test", url.Values{"csrf": {br.csrf("/admin/webhooker")}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("test post: %d", resp.StatusCode)
	}
	due, _ := data.NewWebhookService(e.db).FindDueWebhooks(context.Background(), 10)
	if len(due) != 1 || !strings.Contains(due[0].Post.Text, "Test av webhooken") {
		t.Fatalf("the test post is not queued: %+v", due)
	}
	_, body = br.post("/admin/webhooker/"+id+"/hemmelighet", url.Values{"csrf": {br.csrf("/admin/webhooker")}})
	if strings.Contains(body, secret) || !strings.Contains(body, "whsec_") {
		t.Error("a new secret is not shown, or the old one is")
	}
	if resp, _ := br.post("/admin/webhooker/"+id+"/slett", url.Values{"csrf": {br.csrf("/admin/webhooker")}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	form.Set("csrf", br.csrf("/admin/webhooker"))
	form.Set("adresse", "http://example.org/hook")
	if resp, body := br.post("/admin/webhooker", form); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "https://") || !strings.Contains(body, `value="http://example.org/hook"`) {
		t.Errorf("http to another host: %d", resp.StatusCode)
	}
	agent := e.browser()
	agent.login("agent@ks.no")
	if resp, _ := agent.get("/admin/webhooker"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an agent: %d", resp.StatusCode)
	}
}
