package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// places is the routing package's list of the 357 municipalities, loaded once.
var places = sync.OnceValue(func() ticket.Places {
	p, err := routing.LoadPlaces()
	if err != nil {
		panic(err)
	}
	return p
})

// registerUnits are the municipalities and county authorities of the register, made once.
var registerUnits = sync.OnceValue(func() *ticket.RegisterUnits {
	return places().(*routing.Places).RegisterUnits()
})

// testRouter sends the NAV topic to NAV and the rest to KS, as a rule set would.
type testRouter struct{}

func (testRouter) Route(t *ticket.Ticket, _ *ticket.Message) ticket.Decision {
	if t.Category == "nav" {
		return ticket.Decision{Agency: "nav", Routing: ticket.Routing{Rule: "tema-nav", Reason: "temaet er NAV-tjenester"}}
	}
	return ticket.Decision{Agency: ticket.AgencyKS, Routing: ticket.Routing{Rule: "standard", Reason: "ingen regel slo til"}}
}

// testAck composes an acknowledgement the way the outbox does, with the status link.
func testAck(baseURL string) ticket.AckFunc {
	return func(t *ticket.Ticket, first *ticket.Message) ([]*ticket.OutboundMail, error) {
		return []*ticket.OutboundMail{{
			Kind: ticket.MailAck, To: []string{t.Requester.Email}, AutoReply: true,
			Subject:   fmt.Sprintf("[%s] Vi har mottatt spørsmålet ditt", t.Ref),
			Text:      "Følg saken her: " + baseURL + "/sak/" + t.StatusToken,
			MessageID: fmt.Sprintf("<ack-%s@digihjelpen.test>", t.Ref),
		}}, nil
	}
}

// publicOpts wires the form's collaborators into a test server.
func publicOpts(limit int) func(*web.Server) {
	return func(s *web.Server) {
		s.Places, s.Router, s.Acknowledge, s.PublicLimit = places(), testRouter{}, testAck(s.BaseURL), limit
	}
}

// upload is one file in a multipart form.
type upload struct {
	field, name string
	data        []byte
}

// postMultipart sends a form as multipart/form-data, like a browser with a file input.
func (b *browser) postMultipart(path string, form url.Values, files ...upload) (*http.Response, string) {
	b.e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		part, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			b.e.t.Fatal(err)
		}
		part.Write(f.data)
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp := b.do(req)
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

// validForm is a complete question, with the CSRF token of b.
func validForm(b *browser) url.Values {
	return url.Values{
		"csrf": {b.csrf("/")}, "navn": {"Åse Øvergård"}, "epost": {"ase.overgard@lillehammer.kommune.no"},
		"kommune": {"3405"}, "tema": {"nav"},
		"sporsmal": {"Hvordan hjelper vi en innbygger som ikke får logget inn på nav.no?\nHun har BankID på mobil."},
	}
}

// ticketsOf returns every ticket in the store.
func (e *testEnv) allTickets() []*ticket.Ticket {
	e.t.Helper()
	list, _, err := e.tickets.FindTickets(context.Background(), ticket.TicketFilter{Limit: ticket.MaxLimit})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
