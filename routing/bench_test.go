package routing_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/routing/learn"
	"github.com/ks-no/digihjelpen/ticket"
)

// BenchmarkRoute is one routing decision with the default rules, over the labelled questions
// (a typical first mail: a subject, a few sentences and a signature). Budget: 50 µs.
func BenchmarkRoute(b *testing.B) {
	rs := defaultRules(b)
	mails := mailsOf(loadLabelled(b, tuningFile))
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; b.Loop(); i++ {
		m := mails[i%len(mails)]
		rs.Route(m.t, m.m)
	}
}

// mail is a labelled question as intake stores it, made before a benchmark starts: intake
// marks the quoted history once (ticket/quote), when it reads the mail, not when it routes it.
type mail struct {
	t *ticket.Ticket
	m *ticket.Message
}

func mailsOf(qs []labelled) []mail {
	out := make([]mail, len(qs))
	for i, q := range qs {
		out[i].t, out[i].m = mailTicket(q.From, q.Subject, q.Body)
	}
	return out
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
	defer reportCPU(b)()
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

// BenchmarkTrain100k trains the routing model on 100,000 labelled tickets (synthetic, from the
// labelled questions with words of their own mixed in), with the default rules measured on the
// fifth held out, and the seed corpus besides, as the server does. Budget: 10 s on two cores.
func BenchmarkTrain100k(b *testing.B) {
	exs := syntheticExamples(b, 100000)
	seed, err := routing.SeedExamples()
	if err != nil {
		b.Fatal(err)
	}
	opt := routing.TrainOptions{Agencies: routing.DefaultAgencies().Keys(), Rules: defaultRules(b), Threshold: 0.9, Seed: seed}
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := routing.Train(context.Background(), eachExample(exs), opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSuggest is the model's part of a decision on a typical first mail, trained on the
// tuning questions.
func BenchmarkSuggest(b *testing.B) {
	m := trainOn(b, examplesOf(loadLabelled(b, tuningFile), 1), learn.Options{})
	mails := mailsOf(loadLabelled(b, tuningFile))
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; b.Loop(); i++ {
		ml := mails[i%len(mails)]
		m.Suggest(ml.t, ml.m)
	}
}

// BenchmarkRouteWithModel is one routing decision in mode "route" over the labelled questions:
// the default rules, and the model (trained on the tuning questions) for the mails no rule
// routes. Budget: 50 µs.
func BenchmarkRouteWithModel(b *testing.B) {
	benchRouteWithModel(b, "")
}

// BenchmarkRouteModelEveryMail is the worst case of mode "route": rules that never match, so
// the model reads every mail.
func BenchmarkRouteModelEveryMail(b *testing.B) {
	benchRouteWithModel(b, "[[rules]]\nname = \"Aldri\"\nwords = [\"xyzzyx\"]\nagency = \"nav\"\n")
}

func benchRouteWithModel(b *testing.B, rules string) {
	a, _ := learningAdmin(b, ticket.LearnRoute, 221)
	a.Seed = true // as the server trains it
	if rules != "" {
		if _, err := a.SaveRules(staff, rules, "benchmark"); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := a.Retrain(staff); err != nil || !a.ModelStatus().Ready {
		b.Fatalf("model not ready: %v", err)
	}
	mails := mailsOf(loadLabelled(b, heldoutFile))
	byModel := 0
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; b.Loop(); i++ {
		m := mails[i%len(mails)]
		if a.Route(m.t, m.m).Routing.Rule == ticket.RuleModel {
			byModel++
		}
	}
	b.ReportMetric(float64(byModel)/float64(b.N), "by-model/op")
}

// BenchmarkRetrainStore100k is what the server's learner does on a year of 100,000 generated
// tickets: read every labelled ticket and its first message from bbolt, stem, count, measure
// on the fifth held out and train on all. The file is generated once under var/bench.
func BenchmarkRetrainStore100k(b *testing.B) {
	db, err := datagen.OpenCached(context.Background(), filepath.Join("..", "var", "bench"), datagen.YearOf100k)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	places := loadPlaces(b)
	b.ResetTimer()
	defer reportCPU(b)()
	labels := 0
	for b.Loop() {
		a := &routing.Admin{Env: routing.Env{Agencies: routing.DefaultAgencies(), Places: places},
			Sets: data.NewRuleSetService(db), Tickets: data.NewTicketService(db), Labels: data.NewTicketService(db), Learn: ticket.LearnSuggest, Seed: true}
		if err := a.Load(context.Background()); err != nil {
			b.Fatal(err)
		}
		if trained, err := a.Retrain(context.Background()); err != nil || !trained {
			b.Fatalf("trained %v: %v", trained, err)
		}
		labels = a.ModelStatus().Labels
	}
	b.ReportMetric(float64(labels), "labels")
}
