package routing_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestRuleFileErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		line int
		msg  string
	}{
		{"TOML syntax", "[[rules]]\nname = \"A\"\nwords = [\"x\"\nagency = \"nav\"\n", 4, "ugyldig TOML"},
		{"unclosed string", "[[rules]]\nname = \"A\nagency = \"nav\"\n", 2, "ugyldig TOML"},
		{"key before rules", "agency = \"nav\"\n[[rules]]\nname = \"A\"\nagency = \"nav\"\n", 1, "står før den første [[rules]]"},
		{"other table", "[[rules]]\nname = \"A\"\nagency = \"nav\"\n\n[regler]\n", 5, "ukjent tabell «regler»"},
		{"no name", "[[rules]]\nagency = \"nav\"\n", 1, "mangler navn"},
		{"duplicate name", "[[rules]]\nname = \"A\"\nagency = \"nav\"\n[[rules]]\nname = \"a\"\nagency = \"ks\"\n", 5, "navnet er brukt før, på linje 2"},
		{"unknown key", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nwrods = [\"x\"]\n", 4, "wrods: ukjent nøkkel; kjente nøkler er"},
		{"dotted key", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nwords.x = [\"x\"]\n", 4, "words.x: ukjent nøkkel"},
		{"duplicate key", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nagency = \"ks\"\n", 4, "står to ganger"},
		{"unknown agency", "[[rules]]\nname = \"Skatt\"\nagency = \"skatt\"\n", 3, "regelen «Skatt»: agency: ukjent etat «skatt»; kjente etater er ks, kompetanse-norge"},
		{"agency not text", "[[rules]]\nname = \"A\"\nagency = 3\n", 3, "verdien må være en tekst"},
		{"agency a list", "[[rules]]\nname = \"A\"\nagency = [\"nav\"]\n", 3, "må være én tekst"},
		{"bad priority", "[[rules]]\nname = \"A\"\npriority = \"hast\"\n", 3, "\"lav\", \"normal\" eller \"høy\""},
		{"bad assignee", "[[rules]]\nname = \"A\"\nassignee = \"per\"\n", 3, "«per» er ikke en e-postadresse"},
		{"bad template", "[[rules]]\nname = \"A\"\ntemplate = \"Min mal\"\n", 3, "malnavnet «Min mal»"},
		{"stop not bool", "[[rules]]\nname = \"A\"\nstop = \"ja\"\n", 3, "true eller false"},
		{"bad tag", "[[rules]]\nname = \"A\"\ntags = [\"ok\",\n  \"to ord\"]\n", 4, "merkelappen «to ord»"},
		{"does nothing", "[[rules]]\nname = \"A\"\nwords = [\"x\"]\n", 1, "gjør ingenting"},
		{"bad match", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nmatch = \"some\"\n", 4, "\"all\""},
		{"empty list", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nwords = []\n", 4, "listen er tom"},
		{"empty item", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nwords = [\n  \"a\",\n  \" \",\n]\n", 6, "tom verdi"},
		{"number in list", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nwords = [\n  \"a\",\n  2,\n]\n", 6, "bare inneholde tekster"},
		{"short wildcard", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nwords = [\"sk*\"]\n", 4, "minst tre bokstaver"},
		{"star inside word", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nwords = [\"sk*att\"]\n", 4, "stjerne (*) kan bare stå først eller sist"},
		{"no letters", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nwords = [\"!!\"]\n", 4, "verken bokstaver eller sifre"},
		{"empty part of an entry", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nwords = [\"midler + \"]\n", 4, "«midler +»"},
		{"bad regex", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nregex = [\"(skatt\"]\n", 4, "ugyldig regulært uttrykk «(skatt»: missing closing )"},
		{"bad sender", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nsender = [\"nav\"]\n", 4, "verken en e-postadresse eller et domene"},
		{"bad sender address", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nsender = [\"a b@nav.no\"]\n", 4, "ikke en gyldig e-postadresse"},
		{"unknown municipality", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nmunicipality = [\"Atlantis\"]\n", 4, "ukjent kommune «Atlantis»"},
		{"ambiguous municipality", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nmunicipality = [\"Herøy\"]\n", 4, "«Herøy (Nordland)»"},
		{"unknown county", "[[rules]]\nname = \"A\"\nagency = \"nav\"\ncounty = [\"Viken\"]\n", 4, "ukjent fylke «Viken»"},
		{"unknown category", "[[rules]]\nname = \"A\"\nagency = \"nav\"\ncategory = [\"Trygd\"]\n", 4, "ukjent tema «Trygd»; temaene i skjemaet er innlogging, nav, skatt"},
		{"unknown channel", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nchannel = [\"sms\"]\n", 4, "ukjent kanal «sms»"},
		{"bad evidence", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nevidence = \"sterk\"\n", 4, "evidence: må være \"service\""},
		{"evidence without agency", "[[rules]]\nname = \"A\"\ntags = [\"x\"]\nevidence = \"named\"\n", 4, "gjelder bare regler som velger etat"},
		{"negated key checked too", "[[rules]]\nname = \"A\"\nagency = \"nav\"\nnot_county = [\"Viken\"]\n", 4, "not_county: ukjent fylke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := routing.Compile([]byte(tt.text), routing.Env{Agencies: routing.DefaultAgencies(), Places: loadPlaces(t)})
			var errs ticket.RuleErrors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("got %v, want rule errors", err)
			}
			e := errs[0]
			if e.Line != tt.line || !strings.Contains(e.Error(), tt.msg) {
				t.Errorf("got %q (line %d), want line %d with %q", e.Error(), e.Line, tt.line, tt.msg)
			}
			if !strings.HasPrefix(e.Error(), "linje ") {
				t.Errorf("%q does not start with its line", e.Error())
			}
		})
	}
}

func TestRuleFileAllErrorsAtOnce(t *testing.T) {
	text := "[[rules]]\nname = \"A\"\nagency = \"x\"\n\n[[rules]]\nname = \"B\"\nagency = \"nav\"\npriority = \"kjapp\"\n"
	_, err := routing.Compile([]byte(text), routing.Env{Agencies: routing.DefaultAgencies(), Places: loadPlaces(t)})
	var errs ticket.RuleErrors
	if !errors.As(err, &errs) || len(errs) != 2 || errs[0].Line != 3 || errs[1].Line != 8 {
		t.Fatalf("got %v, want two errors at lines 3 and 8", err)
	}
}

func TestEmptyRuleFileIsValid(t *testing.T) {
	rs := compile(t, "# ingen regler\n")
	if d := (in{body: "skattekort"}).route(rs); d.Agency != "ks" || d.Routing.Rule != routing.RuleDefault {
		t.Errorf("got %s by %q", d.Agency, d.Routing.Rule)
	}
}
