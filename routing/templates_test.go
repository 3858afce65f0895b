package routing_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func builtinTemplate(name string) bool {
	for _, a := range ticket.BuiltinAckTemplates() {
		if a.Name == name {
			return true
		}
	}
	return false
}

// TestDefaultRulesTemplates: the built-in rules name only templates the program ships, and
// questions routed straight to an agency get the one saying they will be referred.
func TestDefaultRulesTemplates(t *testing.T) {
	rs := defaultRules(t)
	if w := rs.TemplateWarnings(builtinTemplate); w != nil {
		t.Fatalf("the default rules name templates that are not shipped: %v", w)
	}
	tests := []struct {
		name, subject, body, wantAgency, wantTemplate string
	}{
		{"NAV", "Meldekort", "En innbygger får ikke sendt meldekortet sitt.", "nav", ticket.ReferAckTemplateName},
		{"Skatteetaten", "Skattekort", "Hvordan bestiller en innbygger skattekort?", "skatteetaten", ticket.ReferAckTemplateName},
		{"Kompetanse Norge", "Kursmateriell", "Finnes det kursmateriell om digitale ferdigheter?", "kompetanse-norge", ticket.ReferAckTemplateName},
		{"Nasjonalbiblioteket", "Prosjektmidler", "Kan biblioteket søke prosjektmidler til digihjelp?", "nasjonalbiblioteket", ticket.ReferAckTemplateName},
		{"KS keeps the default", "Håndboken", "Hvor finner vi håndboken for Digihjelpen?", "ks", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := in{from: "kari@hamar.kommune.no", subject: tt.subject, body: tt.body}.route(rs)
			if d.Agency != tt.wantAgency || d.Template != tt.wantTemplate {
				t.Fatalf("got %s with template %q, want %s with %q", d.Agency, d.Template, tt.wantAgency, tt.wantTemplate)
			}
		})
	}
}

func TestTemplateWarnings(t *testing.T) {
	rs := compile(t, `[[rules]]
name = "Haster"
words = ["haster"]
priority = "høy"

[[rules]]
name = "NAV"
words = ["nav"]
agency = "nav"
template = "nav-videre"

[[rules]]
name = "Skatt"
words = ["skatt"]
agency = "skatteetaten"
template = "henvisning"
`)
	refs := rs.TemplateRefs()
	if len(refs) != 2 || refs[0] != (ticket.TemplateRef{Rule: "NAV", Line: 10, Template: "nav-videre"}) || refs[1].Line != 16 {
		t.Fatalf("refs %+v", refs)
	}
	tests := []struct {
		name   string
		exists func(string) bool
		want   []string
	}{
		{"no check", nil, nil},
		{"all exist", func(string) bool { return true }, nil},
		{"built-in only", builtinTemplate, []string{"linje 10: regelen «NAV»: template: kvitteringsmalen «nav-videre» finnes ikke"}},
		{"none exist", func(string) bool { return false }, []string{"linje 10: regelen «NAV»", "linje 16: regelen «Skatt»: template: kvitteringsmalen «henvisning» finnes ikke"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rs.TemplateWarnings(tt.exists)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %d warnings", got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i].Error(), w) {
					t.Errorf("warning %d: got %q, want %q…", i, got[i].Error(), w)
				}
			}
		})
	}
}

// TestAdminTemplateWarnings: the admin pages see the warnings of a candidate text and the
// templates the active rules name.
func TestAdminTemplateWarnings(t *testing.T) {
	a, _ := newAdmin(t, "")
	a.TemplateExists = builtinTemplate
	if err := a.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if refs := a.TemplateRefs(); len(refs) != 15 || refs[0].Template != ticket.ReferAckTemplateName {
		t.Fatalf("default rules name templates in %d rules, want 15: %+v", len(refs), refs)
	}
	text := "[[rules]]\nname = \"A\"\nagency = \"nav\"\ntemplate = \"x\"\n"
	if w := a.RuleWarnings(text); len(w) != 1 || w[0].Line != 4 {
		t.Fatalf("got %v, want a warning on line 4", w)
	}
	if w := a.RuleWarnings("[[rules]]\nname = \"A\"\n"); w != nil {
		t.Fatalf("a text with mistakes gives warnings %v; CheckRules reports it", w)
	}
}
