package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

// withMail gives the test server outgoing mail: a composer, the outbox and the templates on
// the test database, and agencies with referral addresses.
func (e *testEnv) withMail(baseURL string) {
	e.t.Helper()
	c, err := compose.New("Digihjelpen kontaktpunkt <kontaktpunkt@digihjelpen.test>", baseURL)
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv.Composer, e.srv.Acknowledge = c, c.Ack
	e.srv.Outbox, e.srv.Templates = data.NewOutboxService(e.db), data.NewTemplateService(e.db)
	for i := range e.srv.Agencies {
		if a := &e.srv.Agencies[i]; a.Key == "nav" || a.Key == "skatteetaten" {
			a.Email = "digihjelp@" + a.Key + ".test"
		}
	}
	c.SetAgencies(e.srv.Agencies)
}

// outbox returns the mail queued for tk, newest first.
func (e *testEnv) outbox(tk *ticket.Ticket) []*ticket.OutboundMail {
	e.t.Helper()
	list, err := e.srv.Outbox.FindOutbox(context.Background(), ticket.OutboxFilter{TicketID: &tk.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// apiSend calls the JSON API with a JSON body and returns the status and the decoded answer.
func (e *testEnv) apiSend(method, path, token, body string) (int, map[string]any) {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		e.t.Fatalf("%s %s: not JSON: %s", method, path, raw)
	}
	return resp.StatusCode, v
}
