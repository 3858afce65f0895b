package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// BenchmarkMapPage measures /kart as the server answers it for a visitor: read the register
// (every municipality saved), draw the map, render the page with its table, hash it for the
// ETag. The map's budget is 20 ms.
func BenchmarkMapPage(b *testing.B) {
	e := newTestEnv(&testing.T{}, "http://127.0.0.1:8080")
	var offers []*ticket.Offer
	for i, u := range registerUnits().All() {
		offers = append(offers, &ticket.Offer{Number: u.Number, Status: ticket.OfferStatuses[i%3], Venues: []ticket.Venue{ticket.VenueLibrary},
			Address: "Storgata 1", Hours: "Tirsdager 10–14", Web: "https://www.example.no/digihjelp"})
	}
	if _, err := e.register.ImportOffers(ctxAs("agent@ks.no"), offers); err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"/kart", "/kart/3405"} {
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				resp, err := e.srv.App().Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %v %v", path, resp.StatusCode, err)
				}
				io.Copy(io.Discard, resp.Body)
			}
		})
	}
}
