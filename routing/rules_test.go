package routing_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

func compile(t testing.TB, text string) *routing.RuleSet {
	t.Helper()
	rs, err := routing.Compile([]byte(text), routing.Env{Agencies: routing.DefaultAgencies(), Places: loadPlaces(t)})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return rs
}

// in is a ticket for the condition tests; zero fields get plain defaults.
type in struct {
	from, subject, body, municipality, category string
	to, cc                                      []string
	web                                         bool
}

func (i in) route(rs *routing.RuleSet) ticket.Decision {
	t, m := mailTicket(i.from, i.subject, i.body)
	if t.Subject == "" {
		t.Subject, m.Subject = "Spørsmål", "Spørsmål"
	}
	if i.web {
		t.Channel = ticket.ChannelWeb
	}
	t.Category, t.Requester.Municipality.Number = i.category, i.municipality
	m.To, m.Cc = i.to, i.cc
	return rs.Route(t, m)
}

// rule makes a one-rule file that sends what matches cond to NAV.
func rule(cond string) string {
	return "[[rules]]\nname = \"Test\"\nagency = \"nav\"\n" + cond + "\n"
}

func TestConditions(t *testing.T) {
	tests := []struct {
		name   string
		cond   string
		in     in
		match  bool
		reason string // part of the reason when it matches
	}{
		{"words in subject", `words = ["meldekort"]`, in{subject: "Meldekort"}, true, "«meldekort» i emnet"},
		{"words in body", `words = ["meldekort"]`, in{body: "Får ikke sendt meldekort."}, true, "«meldekort» i teksten"},
		{"words inflected", `words = ["skattekort"]`, in{body: "Hvor er skattekortet?"}, true, "«skattekortet»"},
		{"words inflected plural definite", `words = ["skattekort"]`, in{body: "Skattekortene kom ikke"}, true, "«skattekortene»"},
		{"words inflected a-ending", `words = ["skattemelding"]`, in{body: "levere skattemeldinga"}, true, "skattemeldinga"},
		{"words inflected from stem", `words = ["dagpenger"]`, in{body: "om dagpengene"}, true, "dagpengene"},
		{"words upper case", `words = ["meldekort"]`, in{body: "MELDEKORT"}, true, "meldekort"},
		{"words with æøå", `words = ["opplæring"]`, in{body: "Opplæringen starter"}, true, "opplæringen"},
		{"words written without æ", `words = ["opplæring"]`, in{body: "opplaering av ansatte"}, true, "opplaering"},
		{"words written without ø", `words = ["søknad"]`, in{body: "soknaden min"}, true, "soknaden"},
		{"words written without å", `words = ["håndbok"]`, in{body: "haandboken"}, true, "haandboken"},
		{"words not part of another word", `words = ["kort"]`, in{body: "skattekortet"}, false, ""},
		{"short word exact only", `words = ["nav"]`, in{body: "navnet mitt"}, false, ""},
		{"short word in compound with dash", `words = ["nav"]`, in{body: "på NAV-kontoret"}, true, "«nav»"},
		{"prefix wildcard", `words = ["skatt*"]`, in{body: "Skatteoppgjøret"}, true, "skatteoppgjøret"},
		{"prefix wildcard without æ", `words = ["opplær*"]`, in{body: "opplaeringsmateriell"}, true, "opplaeringsmateriell"},
		{"suffix wildcard", `words = ["*midler"]`, in{body: "prosjektmidler"}, true, "prosjektmidler"},
		{"contains wildcard", `words = ["*bibliotek*"]`, in{body: "folkebibliotekene"}, true, "folkebibliotekene"},
		{"wildcard misses", `words = ["skatt*"]`, in{body: "eiendomsskatt"}, false, ""},
		{"phrase", `words = ["min side"]`, in{body: "Logg inn på Min side"}, true, "«min side»"},
		{"phrase inflected", `words = ["melde flytting"]`, in{body: "hun melder flyttingen"}, true, "melder flyttingen"},
		{"phrase with dash", `words = ["d-nummer"]`, in{body: "trenger D-nummeret"}, true, "d-nummeret"},
		{"phrase written without dash", `words = ["d-nummer"]`, in{body: "trenger d nummer"}, true, "d nummer"},
		{"phrase with dot", `words = ["nav.no"]`, in{body: "gå til nav.no"}, true, "nav.no"},
		{"phrase not across comma", `words = ["min side"]`, in{body: "min, side"}, false, ""},
		{"phrase needs order", `words = ["min side"]`, in{body: "side min"}, false, ""},
		{"all of an entry", `words = ["midler + bibliotek*"]`, in{subject: "Midler", body: "til biblioteket"}, true, "«midler» i emnet og «biblioteket» i teksten"},
		{"one of an entry is not enough", `words = ["midler + bibliotek*"]`, in{body: "midler til skolen"}, false, ""},
		{"any of the list", `words = ["pensjon", "meldekort"]`, in{body: "meldekort"}, true, "meldekort"},
		{"subject_words not in body", `subject_words = ["haster"]`, in{body: "det haster"}, false, ""},
		{"subject_words in subject", `subject_words = ["haster"]`, in{subject: "Haster!"}, true, "i emnet"},
		{"body_words not in subject", `body_words = ["haster"]`, in{subject: "Haster"}, false, ""},
		{"body_words in body", `body_words = ["haster"]`, in{body: "Det haster."}, true, "i teksten"},
		{"signature is not the question", `words = ["nav"]`, in{body: "Hvor finner jeg håndboka?\n\nMed vennlig hilsen\nKari\nNAV Gjøvik"}, false, ""},
		{"short sign-off too", `words = ["nav"]`, in{body: "Hvor er håndboka?\nMvh Kari, NAV Gjøvik"}, false, ""},
		{"forwarded text after signature counts", `words = ["meldekort"]`, in{body: "Se under.\nMvh Kari\nNAV Gjøvik\n\n---------- Videresendt melding ----------\nFra: Ola\nJeg får ikke sendt meldekort."}, true, "meldekort"},
		{"regex in body", `regex = ["\\bd-?nummer\\b"]`, in{body: "trenger dnummer"}, true, "mønsteret"},
		{"regex case-insensitive", `subject_regex = ["^sv: "]`, in{subject: "SV: spørsmål"}, true, "i emnet"},
		{"regex only in its field", `subject_regex = ["meldekort"]`, in{body: "meldekort"}, false, ""},
		{"body_regex", `body_regex = ["[0-9]{11}"]`, in{body: "fnr 01010112345"}, true, "i teksten"},
		{"sender address", `sender = ["ola@nav.no"]`, in{from: "Ola@NAV.no"}, true, "avsender ola@nav.no"},
		{"sender address with name", `sender = ["ola@nav.no"]`, in{from: "Ola <ola@nav.no>"}, true, "ola@nav.no"},
		{"sender domain", `sender = ["nav.no"]`, in{from: "kari@nav.no"}, true, "i domenet nav.no"},
		{"sender sub-domain", `sender = ["@oslo.kommune.no"]`, in{from: "x@bibliotek.oslo.kommune.no"}, true, "oslo.kommune.no"},
		{"sender look-alike domain", `sender = ["nav.no"]`, in{from: "x@minav.no"}, false, ""},
		{"recipient in To", `recipient = ["skatt@digihjelpen.no"]`, in{to: []string{"Skatt <skatt@digihjelpen.no>"}}, true, "sendt til skatt@digihjelpen.no"},
		{"recipient in Cc", `recipient = ["digihjelpen.no"]`, in{cc: []string{"a@digihjelpen.no"}}, true, "sendt til"},
		{"recipient absent", `recipient = ["skatt@digihjelpen.no"]`, in{to: []string{"post@digihjelpen.no"}}, false, ""},
		{"municipality by number from the form", `municipality = ["3405"]`, in{municipality: "3405", web: true}, true, "kommune Lillehammer (oppgitt i skjemaet)"},
		{"municipality by name from mail domain", `municipality = ["Bergen"]`, in{from: "a@bergen.kommune.no"}, true, "kommune Bergen (fra avsenderens domene bergen.kommune.no)"},
		{"municipality from sub-domain", `municipality = ["Oslo"]`, in{from: "a@bibliotek.oslo.kommune.no"}, true, "kommune Oslo"},
		{"municipality other", `municipality = ["Bergen"]`, in{from: "a@stavanger.kommune.no"}, false, ""},
		{"municipality by language form", `municipality = ["Kautokeino"]`, in{from: "a@kautokeino.kommune.no"}, true, "Guovdageaidnu - Kautokeino"},
		{"county by name", `county = ["Innlandet"]`, in{from: "a@gjovik.kommune.no"}, true, "fylke Innlandet"},
		{"county by number", `county = ["46"]`, in{from: "a@voss.herad.no"}, true, "fylke Vestland"},
		{"county of a county council", `county = ["Møre og Romsdal"]`, in{from: "a@mrfylke.no"}, true, "fylkeskommunens domene"},
		{"county other", `county = ["Innlandet"]`, in{from: "a@bergen.kommune.no"}, false, ""},
		{"channel web", `channel = ["web"]`, in{web: true}, true, "kanal skjema"},
		{"channel email", `channel = ["e-post"]`, in{}, true, "kanal e-post"},
		{"channel other", `channel = ["web"]`, in{}, false, ""},
		{"category", `category = ["Skatt"]`, in{category: "skatt", web: true}, true, "tema «Skatt» valgt i skjemaet"},
		{"category other", `category = ["nav"]`, in{category: "skatt", web: true}, false, ""},
		{"category none from mail", `category = ["annet"]`, in{}, false, ""},
		{"not_words excludes", "words = [\"skatt\"]\nnot_words = [\"eiendomsskatt\"]", in{body: "skatt og eiendomsskatt"}, false, ""},
		{"not_words absent", "words = [\"skatt\"]\nnot_words = [\"eiendomsskatt\"]", in{body: "skatt"}, true, "skatt"},
		{"not_sender", "not_sender = [\"nav.no\"]", in{from: "a@nav.no"}, false, ""},
		{"all conditions needed", "words = [\"meldekort\"]\nchannel = [\"web\"]", in{body: "meldekort"}, false, ""},
		{"all conditions met", "words = [\"meldekort\"]\nchannel = [\"web\"]", in{body: "meldekort", web: true}, true, "«meldekort» i teksten; kanal skjema"},
		{"any condition", "match = \"any\"\nwords = [\"meldekort\"]\nchannel = [\"web\"]", in{body: "meldekort"}, true, "meldekort"},
		{"any but none", "match = \"any\"\nwords = [\"meldekort\"]\nchannel = [\"web\"]", in{body: "pensjon"}, false, ""},
		{"no conditions match everything", "", in{}, true, "gjelder alle saker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.in.route(compile(t, rule(tt.cond)))
			if got := d.Agency == "nav"; got != tt.match {
				t.Fatalf("match = %v, want %v (agency %s, %s: %s)", got, tt.match, d.Agency, d.Routing.Rule, d.Routing.Reason)
			}
			if tt.match && !strings.Contains(d.Routing.Reason, tt.reason) {
				t.Errorf("reason %q, want it to contain %q", d.Routing.Reason, tt.reason)
			}
			if !tt.match && (d.Agency != ticket.AgencyKS || d.Routing.Rule != routing.RuleDefault) {
				t.Errorf("no match gave %s by %q, want ks by %q", d.Agency, d.Routing.Rule, routing.RuleDefault)
			}
		})
	}
}

const actionRules = `
[[rules]]
name = "Haster"
subject_words = ["haster"]
priority = "høy"
tags = ["haster"]

[[rules]]
name = "Skatt"
words = ["skatt*"]
agency = "skatteetaten"
tags = ["skatt", "haster"]
assignee = "Per@KS.no"
template = "skatt"

[[rules]]
name = "Bibliotek"
words = ["bibliotek*"]
agency = "nasjonalbiblioteket"
priority = "lav"
tags = ["bibliotek"]
assignee = "kari@ks.no"
stop = true

[[rules]]
name = "Etter stopp"
tags = ["sist"]
`

func TestActions(t *testing.T) {
	rs := compile(t, actionRules)
	tests := []struct {
		name     string
		in       in
		agency   string
		rule     string
		priority ticket.Priority
		tags     []string
		assignee string
		template string
		reason   string
	}{
		{"first agency wins, tags add up", in{subject: "Haster: skattekort"}, "skatteetaten", "Skatt",
			ticket.PriorityHigh, []string{"haster", "skatt", "sist"}, "per@ks.no", "skatt", "Dessuten «Haster»"},
		// The rule that loses the agency brings nothing: its tags, priority and assignee go with it.
		{"the rule that loses the agency adds nothing", in{subject: "Haster: skattekort", body: "og biblioteket"}, "skatteetaten", "Skatt",
			ticket.PriorityHigh, []string{"haster", "skatt"}, "per@ks.no", "skatt", "«Bibliotek» (ord «biblioteket» i teksten, Nasjonalbiblioteket) passet også"},
		{"stop ends the search", in{body: "biblioteket"}, "nasjonalbiblioteket", "Bibliotek", ticket.PriorityLow, []string{"bibliotek"}, "kari@ks.no", "", "«biblioteket» i teksten"},
		{"rules without agency still apply", in{subject: "Haster"}, "ks", routing.RuleDefault, ticket.PriorityHigh, []string{"haster", "sist"}, "", "", "ingen regel valgte etat"},
		{"nothing matches", in{subject: "Hei"}, "ks", routing.RuleDefault, "", []string{"sist"}, "", "", "ingen regel valgte etat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.in.route(rs)
			if d.Agency != tt.agency || d.Routing.Rule != tt.rule {
				t.Errorf("got %s by %q, want %s by %q", d.Agency, d.Routing.Rule, tt.agency, tt.rule)
			}
			if d.Priority != tt.priority || d.Assignee != tt.assignee || d.Template != tt.template {
				t.Errorf("got priority %q assignee %q template %q, want %q %q %q", d.Priority, d.Assignee, d.Template, tt.priority, tt.assignee, tt.template)
			}
			if !slices.Equal(d.Tags, tt.tags) {
				t.Errorf("got tags %v, want %v", d.Tags, tt.tags)
			}
			if !strings.Contains(d.Routing.Reason, tt.reason) {
				t.Errorf("reason %q, want it to contain %q", d.Routing.Reason, tt.reason)
			}
		})
	}
}

func TestDecisionCarriesPlace(t *testing.T) {
	rs := compile(t, rule(`words = ["meldekort"]`))
	d := in{from: "a@bibliotek.oslo.kommune.no", body: "hei"}.route(rs)
	if d.Municipality.Number != "0301" || d.County.Name != "Oslo" {
		t.Errorf("got %v %v, want Oslo", d.Municipality, d.County)
	}
	d = in{from: "a@nav.no"}.route(rs)
	if d.Municipality.Number != "" {
		t.Errorf("nav.no gave municipality %v", d.Municipality)
	}
	tk, m := mailTicket("a@bergen.kommune.no", "Hei", "hei")
	rs.Route(tk, m).Apply(tk)
	if tk.Requester.Municipality.Name != "Bergen" || tk.Requester.County.Name != "Vestland" || tk.Agency != "ks" {
		t.Errorf("applied: %+v agency %s", tk.Requester, tk.Agency)
	}
}

func TestStopWithoutAgency(t *testing.T) {
	rs := compile(t, `
[[rules]]
name = "Nyhetsbrev"
sender = ["nyhetsbrev.no"]
stop = true

[[rules]]
name = "Alt til NAV"
agency = "nav"
`)
	d := in{from: "x@nyhetsbrev.no"}.route(rs)
	if d.Agency != "ks" || !strings.Contains(d.Routing.Reason, "«Nyhetsbrev»") || !strings.Contains(d.Routing.Reason, "ingen flere regler") {
		t.Errorf("got %s: %s", d.Agency, d.Routing.Reason)
	}
	if d := (in{from: "x@bergen.kommune.no"}).route(rs); d.Agency != "nav" {
		t.Errorf("got %s, want nav", d.Agency)
	}
}
