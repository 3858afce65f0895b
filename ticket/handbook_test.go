package ticket_test

import (
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestMakeSlug(t *testing.T) {
	tests := []struct{ title, want string }{
		{"Logge inn med MinID", "logge-inn-med-minid"},
		{"  Søke om økonomisk sosialhjelp (NAV)!  ", "soke-om-okonomisk-sosialhjelp-nav"},
		{"Bærum – åpningstider", "baerum-apningstider"},
		{"«»", ""},
	}
	for _, tt := range tests {
		if got := ticket.MakeSlug(tt.title); got != tt.want {
			t.Errorf("MakeSlug(%q): got %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestArticleValidate(t *testing.T) {
	known := func(a string) bool { return a == "nav" }
	tests := []struct {
		name  string
		a     ticket.Article
		field string // "" when valid
	}{
		{"OK", ticket.Article{Title: "Logge inn", Text: "Tekst", Tags: []string{"MinID"}, Agencies: []string{"NAV"}}, ""},
		{"ErrTitle", ticket.Article{Title: " ", Text: "Tekst"}, "tittel"},
		{"ErrText", ticket.Article{Title: "Logge inn"}, "tekst"},
		{"ErrSlug", ticket.Article{Slug: "Logge Inn", Title: "Logge inn", Text: "Tekst"}, "adresse"},
		{"ErrSlugReserved", ticket.Article{Slug: "forslag", Title: "Forslag", Text: "Tekst"}, "adresse"},
		{"ErrSlugFromTitleReserved", ticket.Article{Title: "Ny", Text: "Tekst"}, "adresse"},
		{"ErrTag", ticket.Article{Title: "Logge inn", Text: "Tekst", Tags: []string{"to ord"}}, "stikkord"},
		{"ErrAgency", ticket.Article{Title: "Logge inn", Text: "Tekst", Agencies: []string{"politiet"}}, "etater"},
		{"ErrLongTitle", ticket.Article{Title: strings.Repeat("a", ticket.MaxArticleTitle+1), Text: "Tekst"}, "tittel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a
			a.Normalize()
			err := a.Validate(known)
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tt.field != "" && ticket.FieldErrorsOf(err).ByField(tt.field) == "":
				t.Fatalf("got %v, want an error on %s", err, tt.field)
			}
		})
	}
}
