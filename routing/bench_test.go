package routing_test

import (
	"strings"
	"testing"
)

// BenchmarkRoute is one routing decision with the default rules, over the labelled questions
// (a typical first mail: a subject, a few sentences and a signature). Budget: 50 µs.
func BenchmarkRoute(b *testing.B) {
	rs := defaultRules(b)
	qs := loadLabelled(b, tuningFile)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := qs[i%len(qs)]
		tk, m := mailTicket(q.From, q.Subject, q.Body)
		rs.Route(tk, m)
	}
}

// BenchmarkRouteLongMail routes a first mail of 20 KB (a long forwarded thread): the rules read
// at most 8 KB of it.
func BenchmarkRouteLongMail(b *testing.B) {
	rs := defaultRules(b)
	qs := loadLabelled(b, tuningFile)
	var body strings.Builder
	for body.Len() < 20<<10 {
		for _, q := range qs {
			body.WriteString("> " + q.Body + "\n")
		}
	}
	tk, m := mailTicket("kari@lillehammer.kommune.no", "Sv: Sv: spørsmål", body.String())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rs.Route(tk, m)
	}
}

func BenchmarkPlacesByEmail(b *testing.B) {
	p := loadPlaces(b)
	for b.Loop() {
		p.ByEmail("kari.nordmann@bibliotek.oslo.kommune.no")
	}
}

func BenchmarkCompileDefaultRules(b *testing.B) {
	for b.Loop() {
		defaultRules(b)
	}
}
