package data_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestWebhookPostsWaitApartFromMail: a team's webhook gets one post per burst about the
// agencies it covers; the post waits in the outbox beside mail, never where the SMTP sender
// reads; a failed post is retried later and parked after the last try; Verify agrees.
func TestWebhookPostsWaitApartFromMail(t *testing.T) {
	e := newNotifyEnv(t)
	hooks := data.NewWebhookService(e.db)
	w := &ticket.Webhook{Name: "NAV-teamet", URL: "https://example.org/hook/abc", Secret: "s3cret",
		Agencies: []string{"nav"}, Kinds: []ticket.NotifyKind{ticket.NotifyNewTicket, ticket.NotifyAssigned}, Format: ticket.WebhookMessage}
	if err := hooks.CreateWebhook(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, e.tickets, "Om KS", "per@x.no", "ks")
	a := mustCreate(t, e.tickets, "Dagpenger", "per@x.no", "nav")
	b := mustCreate(t, e.tickets, "Sykepenger", "per@x.no", "nav")
	if _, err := e.tickets.UpdateTicket(as("ola@ks.no"), a.ID, ticket.TicketUpdate{Assignee: ptr("kari@ks.no")}); err != nil {
		t.Fatal(err)
	}
	e.drain(t)
	due, err := hooks.FindDueWebhooks(context.Background(), 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due posts %d, %v; want one for the burst", len(due), err)
	}
	p := due[0].Post
	if due[0].Hook == nil || due[0].Hook.Secret != "s3cret" || p.WebhookID != w.ID || p.Kind != ticket.MailWebhook {
		t.Fatalf("post %+v to %+v", p, due[0].Hook)
	}
	for _, want := range []string{a.Ref.String(), b.Ref.String(), "Tildelt Kari av Ola", `"@type":"MessageCard"`, `"text":`} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("post lacks %q: %s", want, p.Text)
		}
	}
	if strings.Contains(p.Text, "Om KS") {
		t.Error("the post tells of an agency the webhook does not cover")
	}
	mails, _ := e.outbox.FindDueMail(context.Background(), 100)
	for _, m := range mails {
		if m.Kind == ticket.MailWebhook {
			t.Fatalf("the SMTP sender would read webhook post %d", m.ID)
		}
	}
	got, err := hooks.MarkMailFailed(context.Background(), p.ID, ticket.MailFailure{Reason: "Webhooken svarte 500"})
	if err != nil || got.State != ticket.OutboxQueued || !got.NextTry.After(e.clock.Now()) {
		t.Fatalf("after a 500: %+v, %v; want queued for later", got, err)
	}
	if due, _ := hooks.FindDueWebhooks(context.Background(), 10); len(due) != 0 {
		t.Fatal("a post is due again at once after a failure")
	}
	e.clock.Add(2 * time.Minute)
	if due, _ := hooks.FindDueWebhooks(context.Background(), 10); len(due) != 1 {
		t.Fatal("the post is not due again after its delay")
	}
	mustVerify(t, e.db)
	if err := hooks.MarkMailSent(context.Background(), p.ID); err != nil {
		t.Fatal(err)
	}
	if due, _ := hooks.FindDueWebhooks(context.Background(), 10); len(due) != 0 {
		t.Fatal("a sent post is still due")
	}
	mustVerify(t, e.db)
	// a deleted webhook's queued post comes without its webhook, to be parked
	if err := hooks.QueueWebhookPost(context.Background(), &ticket.OutboundMail{Kind: ticket.MailWebhook, WebhookID: w.ID, To: []string{w.Name}, Text: "{}"}); err != nil {
		t.Fatal(err)
	}
	if err := hooks.DeleteWebhook(context.Background(), w.ID); err != nil {
		t.Fatal(err)
	}
	if due, _ := hooks.FindDueWebhooks(context.Background(), 10); len(due) != 1 || due[0].Hook != nil {
		t.Fatalf("a deleted webhook's post: %+v", due)
	}
}

func TestSavedViewsAndSearches(t *testing.T) {
	db, clock := mustOpenDB(t)
	views := data.NewSavedViewService(db)
	ctx := context.Background()
	mine := &ticket.SavedView{Name: "Mine NAV-saker", OwnerID: 1, Query: "vis=aktive&etat=nav&tildelt=meg"}
	shared := &ticket.SavedView{Name: "Ufordelte", Query: "vis=aktive&tildelt=ingen"}
	other := &ticket.SavedView{Name: "Olas", OwnerID: 2, Query: "vis=alle"}
	for _, v := range []*ticket.SavedView{mine, shared, other} {
		if err := views.CreateSavedView(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	list, err := views.FindSavedViews(ctx, 1)
	if err != nil || len(list) != 2 || list[0].Name != "Mine NAV-saker" || list[1].Name != "Ufordelte" {
		t.Fatalf("user 1 sees %v, %v; want their own and the shared one", list, err)
	}
	if err := views.CreateSavedView(ctx, &ticket.SavedView{Name: "ufordelte", OwnerID: 2, Query: "vis=ny"}); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Errorf("a name a shared view has: %v, want refused", err)
	}
	if err := views.CreateSavedView(ctx, &ticket.SavedView{Name: " ", OwnerID: 2}); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Errorf("no name: %v", err)
	}
	if err := views.DeleteSavedView(ctx, mine.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := views.FindSavedViews(ctx, 1); len(list) != 1 {
		t.Errorf("after deleting: %d views", len(list))
	}

	searches := data.NewSearchService(db)
	id, err := searches.SaveSearch(ctx, "kari nordmann")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := searches.SaveSearch(ctx, "kari nordmann"); again != id || strings.Contains(id, "kari") {
		t.Errorf("ids %q and %q: want the same, naming nothing", id, again)
	}
	if text, err := searches.FindSearch(ctx, id); err != nil || text != "kari nordmann" {
		t.Errorf("find: %q, %v", text, err)
	}
	clock.Add(ticket.SearchKeptFor + time.Hour)
	if _, err := searches.SaveSearch(ctx, "noe annet"); err != nil {
		t.Fatal(err)
	}
	if _, err := searches.FindSearch(ctx, id); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("a search unused for %s: %v, want forgotten", ticket.SearchKeptFor, err)
	}
}
