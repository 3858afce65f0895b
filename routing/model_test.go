package routing_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/routing/learn"
)

func TestTrainStatus(t *testing.T) {
	exs := examplesOf(loadLabelled(t, tuningFile), 1)
	for i := range exs {
		exs[i].Moved = i%3 == 0
	}
	m, err := routing.Train(context.Background(), eachExample(exs), routing.TrainOptions{
		Agencies: routing.DefaultAgencies().Keys(), Rules: defaultRules(t), Threshold: 0.9, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	st := m.Status()
	if !st.Trained || st.Labels != len(exs) || st.Moved != (len(exs)+2)/3 {
		t.Errorf("trained %v on %d labels, %d moved; want %d and %d", st.Trained, st.Labels, st.Moved, len(exs), (len(exs)+2)/3)
	}
	// One in five is held out, by ticket id.
	if st.HeldOut < len(exs)/5-15 || st.HeldOut > len(exs)/5+15 {
		t.Errorf("held out %d of %d, want about a fifth", st.HeldOut, len(exs))
	}
	sum := 0
	for _, a := range st.PerAgency {
		sum += a.Total
		if a.Rules > a.Total || a.Model > a.Total || a.Both > a.Total {
			t.Errorf("%+v: more right than there are", a)
		}
	}
	if sum != st.HeldOut || st.RulesRight == 0 || st.ModelRight == 0 || st.BothRight == 0 {
		t.Errorf("status %+v: per agency %d, want %d; rules, model and both right", st, sum, st.HeldOut)
	}
}

func TestTrainNothing(t *testing.T) {
	_, err := routing.Train(context.Background(), eachExample(nil), routing.TrainOptions{Agencies: routing.DefaultAgencies().Keys()})
	if err == nil {
		t.Fatal("trained on nothing")
	}
	stop := errors.New("stop")
	_, err = routing.Train(context.Background(), func(func(routing.Example) error) error { return stop }, routing.TrainOptions{Agencies: []string{"ks"}})
	if !errors.Is(err, stop) {
		t.Errorf("got %v, want the reader's error", err)
	}
}

func TestSuggest(t *testing.T) {
	m := trainOn(t, examplesOf(loadLabelled(t, tuningFile), 1), learn.Options{})
	tests := []struct {
		name, subject, body string
		agency              string
		words               []string // among the words that weighed most, as written
	}{
		{"a NAV question", "Spørsmål", "Innbyggeren får ikke sendt Meldekortet sitt.", "nav", []string{"Meldekortet"}},
		{"inflected forms training never met", "Hjelp", "Hvor finner hun skattekorta og skattemeldingene sine?", "skatteetaten", []string{"skattekorta"}},
		{"written without æøå", "Hjelp", "Finnes det opplaeringsmateriell og kursmateriell?", "kompetanse-norge", []string{"kursmateriell"}},
		{"a signature is not read", "Prosjektmidler", "Når er fristen for prosjektmidler til biblioteket?\n\nMvh Kari\nNAV-kontoret", "nasjonalbiblioteket", []string{"Prosjektmidler"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk, msg := mailTicket("a@hamar.kommune.no", tt.subject, tt.body)
			s, ok := m.Suggest(tk, msg)
			if !ok || s.Agency != tt.agency {
				t.Fatalf("got %+v (%v), want %s", s, ok, tt.agency)
			}
			if s.Confidence <= 0.2 || s.Confidence > 1 || len(s.Words) == 0 || len(s.Words) > 5 {
				t.Errorf("confidence %v, words %v", s.Confidence, s.Words)
			}
			for _, w := range tt.words {
				if !containsFold(s.Words, w) {
					t.Errorf("words %v, want %q among them", s.Words, w)
				}
			}
		})
	}
	tk, msg := mailTicket("a@hamar.kommune.no", "Xyzzy", "qwerty asdfgh")
	if s, ok := m.Suggest(tk, msg); ok {
		t.Errorf("suggested %+v for words the model never saw", s)
	}
}

func containsFold(ws []string, w string) bool {
	for _, x := range ws {
		if strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}
