package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestRetentionPage: the page shows the setting in force and what the next run takes; a tried
// value is previewed without being stored; a saved one is stored, audited, and stated on the
// public form.
func TestRetentionPage(t *testing.T) {
	e := newAdminEnv(t)
	ctx := context.Background()
	old := e.bulkTicket("Gammel sak", time.Now().AddDate(0, 0, -400), func(tk *ticket.Ticket) { tk.Status = ticket.StatusClosed })
	e.bulkTicket("Nyere sak", time.Now().AddDate(0, 0, -100), func(tk *ticket.Ticket) { tk.Status = ticket.StatusClosed })
	e.bulkTicket("Åpen sak", time.Now().AddDate(0, 0, -500), nil)
	admin := e.browser()
	admin.login("admin@ks.no")
	checkPage(t, admin, "/admin/oppbevaring", []string{"365 dager", "Fra konfigurasjonen", "Neste kjøring tar <strong>1 saker</strong>",
		`href="/saker/` + old.Ref.String() + `"`, "Gammel sak"}, []string{"Nyere sak", "Åpen sak"})
	if _, body := e.browser().get("/"); !strings.Contains(body, "365 dager etter at saken er avsluttet") {
		t.Error("the form does not state the configured period")
	}

	csrf := admin.csrf("/admin/oppbevaring")
	resp, body := admin.post("/admin/oppbevaring", url.Values{"csrf": {csrf}, "dager": {"30"}, "handling": {"forhandsvis"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Med 30 dager") || !strings.Contains(body, "Neste kjøring ville tatt <strong>2 saker</strong>") {
		t.Fatalf("preview of 30 days: %d", resp.StatusCode)
	}
	if set, _ := e.srv.Retention.RetentionSetting(ctx); set.Stored {
		t.Fatal("a preview stored the setting")
	}
	resp, body = admin.post("/admin/oppbevaring", url.Values{"csrf": {csrf}, "dager": {"4000"}, "handling": {"lagre"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="dager-feil"`) || !strings.Contains(body, `value="4000"`) {
		t.Fatalf("4000 days: %d, want the error beside the field with the value kept", resp.StatusCode)
	}
	resp, _ = admin.post("/admin/oppbevaring", url.Values{"csrf": {csrf}, "dager": {"30"}, "handling": {"lagre"}})
	if resp.StatusCode != http.StatusSeeOther || loc(resp) != "/admin/oppbevaring?ok=lagret" {
		t.Fatalf("save: %d %s", resp.StatusCode, loc(resp))
	}
	checkPage(t, admin, "/admin/oppbevaring?ok=lagret", []string{"Oppbevaringstiden er lagret", "30 dager", "Satt av admin@ks.no", "2 saker"}, nil)
	if _, body := e.browser().get("/"); !strings.Contains(body, "30 dager etter at saken er avsluttet") {
		t.Error("the form does not state the stored period")
	}
	page, err := data.NewAuditService(e.db).FindAuditEvents(ctx, ticket.AuditFilter{Kind: ticket.EventSettings})
	if err != nil || len(page.Events) != 1 || page.Events[0].Actor != "admin@ks.no" || page.Events[0].To != "30 dager" {
		t.Fatalf("audit of the change: %+v %v", page.Events, err)
	}
	admin.post("/admin/oppbevaring", url.Values{"csrf": {csrf}, "dager": {"0"}, "handling": {"lagre"}})
	if _, body := e.browser().get("/"); !strings.Contains(body, "slettes ikke automatisk") {
		t.Error("the form does not say that retention is off")
	}
	checkPage(t, admin, "/admin/oppbevaring", []string{"slått av", "Ingen saker anonymiseres"}, nil)
}
