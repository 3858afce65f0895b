package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// BenchmarkFormSubmit measures the whole submit path of the public form as the server sees
// it: multipart parsing, validation, routing, and the committed transaction that stores the
// ticket, its first message, a 40 kB attachment and the queued acknowledgement.
func BenchmarkFormSubmit(b *testing.B) {
	e := newBenchEnv(b)
	b.ResetTimer()
	for b.Loop() {
		resp, err := e.srv.App().Test(e.formRequest(), -1)
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			b.Fatalf("submit: %v %v", resp.StatusCode, err)
		}
	}
}

// BenchmarkStatusPage measures rendering a status page with a thread of answers, on a fresh
// file and (not with -short) on a generated file of a million tickets.
func BenchmarkStatusPage(b *testing.B) {
	b.Run("fresh", func(b *testing.B) {
		e := newBenchEnv(b)
		resp, err := e.srv.App().Test(e.formRequest(), -1)
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			b.Fatal(err)
		}
		list, _, _ := e.tickets.FindTickets(context.Background(), ticket.TicketFilter{Limit: 1})
		for i := range 5 {
			m := &ticket.Message{Direction: ticket.DirectionOut, To: []string{list[0].Requester.Email}, Author: "agent@ks.no",
				Text: "Svar nummer " + string(rune('1'+i)) + ": logg inn med MinID og velg «Skattemelding»."}
			e.tickets.AppendMessage(context.Background(), list[0].ID, m, ticket.AppendOptions{})
		}
		benchStatus(b, e.srv, list[0].StatusToken)
	})
	b.Run("1M", func(b *testing.B) {
		if testing.Short() {
			b.Skip("needs the generated million-ticket file")
		}
		srv, token := millionServer(b)
		benchStatus(b, srv, token)
	})
}

func benchStatus(b *testing.B, srv *web.Server, token string) {
	b.Helper()
	b.ResetTimer()
	for b.Loop() {
		resp, err := srv.App().Test(httptest.NewRequest(http.MethodGet, "/sak/"+token, nil), -1)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("status page: %v %v", resp.StatusCode, err)
		}
		io.Copy(io.Discard, resp.Body)
	}
}

// benchEnv is a server on a fresh file with no limit on submissions, and a form request ready
// to send again and again.
type benchEnv struct {
	srv     *web.Server
	tickets *data.TicketService
	body    []byte
	ctype   string
	cookie  string
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	db := data.NewDB(filepath.Join(b.TempDir(), "bench.db"))
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	e := &benchEnv{tickets: data.NewTicketService(db)}
	e.srv = &web.Server{Tickets: e.tickets, Events: data.NewEventService(db), Users: data.NewUserService(db),
		Sessions: data.NewSessionService(db), Tokens: data.NewTokenService(db), Agencies: routing.DefaultAgencies(),
		BaseURL: "http://127.0.0.1:8080", Secret: bytes.Repeat([]byte("k"), 32), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	publicOpts(1 << 30)(e.srv)
	if err := e.srv.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.srv.Shutdown(context.Background()) })
	// one GET for the CSRF cookie and token, as a browser would
	resp, err := e.srv.App().Test(httptest.NewRequest(http.MethodGet, "/", nil), -1)
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	e.cookie = resp.Cookies()[0].Value
	token := csrfInput.FindStringSubmatch(string(page))[1]
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"csrf": token, "navn": "Åse Øvergård", "epost": "ase@lillehammer.kommune.no", "kommune": "",
		"tema": "skatt", "sporsmal": "Hvordan endrer en innbygger skattekortet sitt når hun ikke har BankID?\nHun har MinID."} {
		w.WriteField(k, v)
	}
	part, _ := w.CreateFormFile("vedlegg", "skjermbilde.png")
	part.Write(append(append([]byte{}, pngBytes...), bytes.Repeat([]byte{0}, 40_000)...))
	w.Close()
	e.body, e.ctype = buf.Bytes(), w.FormDataContentType()
	return e
}

func (e *benchEnv) formRequest() *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(e.body))
	req.Header.Set("Content-Type", e.ctype)
	req.AddCookie(&http.Cookie{Name: "dh_csrf", Value: e.cookie})
	return req
}

// millionServer serves the shared generated file of a million tickets, read-only, and
// returns the status token of a ticket in it.
func millionServer(b *testing.B) (*web.Server, string) {
	b.Helper()
	db, err := datagen.OpenBench(context.Background(), filepath.Join("..", "var", "bench"), 1_000_000)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	tickets := data.NewTicketService(db)
	srv := &web.Server{Tickets: tickets, Events: data.NewEventService(db), Users: data.NewUserService(db),
		Sessions: data.NewSessionService(db), Tokens: data.NewTokenService(db), Agencies: routing.DefaultAgencies(),
		BaseURL: "http://127.0.0.1:8080", Secret: bytes.Repeat([]byte("k"), 32), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := srv.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Shutdown(context.Background()) })
	status := ticket.StatusResolved
	list, _, err := tickets.FindTickets(context.Background(), ticket.TicketFilter{Status: &status, Limit: 1})
	if err != nil || len(list) == 0 {
		b.Fatalf("no resolved ticket in the generated file: %v", err)
	}
	return srv, list[0].StatusToken
}
