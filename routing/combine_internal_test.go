package routing

import (
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/quote"
)

// TestOverrulesByGrip: with a lower unroutedThreshold (as TestUnroutedThresholdGrid sets it),
// where no rule chose the model needs that (unless the threshold for overruling a rule is set
// lower still); a weak rule needs the threshold; a firm rule is never overruled.
func TestOverrulesByGrip(t *testing.T) {
	defer func(th float64) { unroutedThreshold = th }(unroutedThreshold)
	unroutedThreshold = 0.95
	tests := []struct {
		name       string
		g          grip
		confidence float64
		threshold  float64
		want       bool
	}{
		{"no rule, 96 % against 99 %: the lower threshold of no rule", gripNone, 0.96, 0.99, true},
		{"no rule, exactly 95 %", gripNone, 0.95, 0.99, true},
		{"no rule, 94 %", gripNone, 0.94, 0.99, false},
		{"no rule, a threshold set lower still wins", gripNone, 0.91, 0.90, true},
		{"quoted history keeps the threshold of a rule", gripHistory, 0.96, 0.99, false},
		{"the form's topic keeps the threshold of a rule", gripCondition, 0.96, 0.99, false},
		{"a topic word, 96 %", gripTopicQuestion, 0.96, 0.99, false},
		{"the name in the question, 99 %", gripNamedQuestion, 0.99, 0.99, true},
		{"a service outside the question, 99 %", gripServiceText, 0.99, 0.99, true},
		{"a service beside another agency's, 99 %", gripServiceContested, 0.99, 0.99, true},
		{"a service beside another agency's, 98 %", gripServiceContested, 0.98, 0.99, false},
		{"a service in the question, alone, stands", gripService, 1, 0.99, false},
		{"stop stands", gripForced, 1, 0.5, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := overrules(tt.g, tt.confidence, tt.threshold); got != tt.want {
				t.Errorf("overrules(%d, %.2f, %.2f) = %v, want %v", tt.g, tt.confidence, tt.threshold, got, tt.want)
			}
		})
	}
}

// TestUnroutedReasonStatesThreshold: the explanation of a ticket the model routed where no rule
// chose states the threshold used, with a lower unroutedThreshold the lower one.
func TestUnroutedReasonStatesThreshold(t *testing.T) {
	defer func(th float64) { unroutedThreshold = th }(unroutedThreshold)
	unroutedThreshold = 0.95
	rs := builtInRules(t)
	for _, tt := range []struct {
		g         grip
		threshold float64
		basis     string
		want      string
	}{
		{gripNone, 0.99, "", "terskelen er 95 %"},
		{gripNone, 0.80, "", "terskelen er 80 %"},
		{gripTopicText, 0.99, "Regelen «Kurs» valgte Kompetanse Norge på et temaord utenfor selve spørsmålet (ord «kurs»)", "terskelen er 99 %"},
	} {
		d := ticket.Decision{Agency: ticket.AgencyKS}
		rs.applyModel(&d, ticket.Suggestion{Agency: "nav", Confidence: 0.97}, thresholdFor(tt.g, tt.threshold), tt.basis)
		if d.Agency != "nav" || d.Routing.Rule != ticket.RuleModel || !strings.Contains(d.Routing.Reason, tt.want) {
			t.Errorf("grip %d, threshold %.2f: %s to %s, %q; want nav by the model, stating %q", tt.g, tt.threshold, d.Routing.Rule, d.Agency, d.Routing.Reason, tt.want)
		}
	}
}

// TestUnroutedThresholdAsRule: as adopted, no rule needs the same threshold as a rule.
func TestUnroutedThresholdAsRule(t *testing.T) {
	for _, th := range []float64{0.6, 0.99, 0.99999999} {
		if got := thresholdFor(gripNone, th); got != th {
			t.Errorf("thresholdFor(no rule, %v) = %v, want %v", th, got, th)
		}
	}
}

// TestServiceGrip: a service only one agency has holds against the model when it is asked about
// in the question (the subject or a sentence that asks) and no other agency's service is in the
// new text and no other agency's words in the question; named in passing (a forwarded mail's
// subject is in passing when the note above it asks a question of its own), or in a question
// that points to another agency too, it gives way to a sure model, and the explanation says which.
func TestServiceGrip(t *testing.T) {
	rs := builtInRules(t)
	tests := []struct {
		name, subject, body string
		agency              string
		want                grip
		basis               string
	}{
		{"the service asked about", "Skattekort", "Hvordan bestiller hun nytt skattekort?", "skatteetaten", gripService, ""},
		{"the service in a sentence that asks", "", "Innbygger ringte. Hvor sender han meldekortet når nettsiden er nede?", "nav", gripService, ""},
		{"the service in passing, the question about staffing", "Bemanning",
			"Vi hjelper mange med skattemeldingen i april. Har andre kommuner gode modeller for bemanning i travle perioder?",
			"skatteetaten", gripServiceText, "nevnt utenfor selve spørsmålet"},
		{"two agencies' services", "Barnetrygd med D-nummer", "Kan de søke barnetrygd nå med D-nummer?",
			"", gripServiceContested, "peker også mot en annen etat"},
		{"another agency's topic word in the question", "Webinar om skattemeldinga", "Når er webinaret, og kan vi ta det opp?",
			"skatteetaten", gripServiceContested, "peker også mot en annen etat"},
		{"another agency's words only outside the question", "Skattekort", "Vi har webinar på torsdag. Hvordan bestiller hun nytt skattekort?",
			"skatteetaten", gripService, ""},
		{"another agency's service only in the quoted history", "SV: Spørsmål",
			"Takk! Hvordan bestiller hun nytt skattekort?\n\n> Gjelder det meldekortet hennes?", "skatteetaten", gripService, ""},
		{"a forward's subject, when the note above it asks its own question", "VS: Skattemelding i skriveren",
			"Se under. Er dette et avvik vi må melde, og har dere en mal for avvikshåndtering?\n\n-----Opprinnelig melding-----\nFra: Mats\nSendt: 1. desember 2026 15:02\nEmne: Skattemelding i skriveren\n\nNoen glemte en utskrift av skattemeldingen i skriveren.",
			"skatteetaten", gripServiceText, "nevnt utenfor selve spørsmålet"},
		{"a forward's subject, when the note above it asks nothing", "VS: Skattemelding",
			"Se under.\n\n-----Opprinnelig melding-----\nFra: Mats\nSendt: 1. desember 2026 15:02\nEmne: Skattemelding\n\nHvordan leverer hun skattemeldingen?",
			"skatteetaten", gripService, ""},
		{"a service only in the quoted history", "SV: Spørsmål", "Takk for svaret!\n\n> Gjelder det meldekortet hennes?", "nav", gripHistory, "sitert tekst"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := &ticket.Ticket{Subject: tt.subject, Channel: ticket.ChannelEmail}
			text, quoteStart := quote.Split(tt.body)
			m := &ticket.Message{Direction: ticket.DirectionIn, Subject: tt.subject, Text: text, QuoteStart: quoteStart}
			c := rs.decide(tk, m, nil, 0.99)
			if c.grip != tt.want {
				t.Fatalf("grip %d (%s: %s), want %d", c.grip, c.rules.Routing.Rule, c.rules.Routing.Reason, tt.want)
			}
			if tt.agency != "" && c.rules.Agency != tt.agency {
				t.Errorf("rules chose %s, want %s", c.rules.Agency, tt.agency)
			}
			if !strings.Contains(c.basis, tt.basis) {
				t.Errorf("basis %q, want it to say %q", c.basis, tt.basis)
			}
		})
	}
}

// builtInRules are the default rules over the built-in agencies and places.
func builtInRules(t *testing.T) *RuleSet {
	t.Helper()
	places, err := LoadPlaces()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := DefaultRules(Env{Agencies: DefaultAgencies(), Places: places})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}
