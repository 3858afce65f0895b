package routing_test

import (
	"testing"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestDefaultAgencies(t *testing.T) {
	as := routing.DefaultAgencies()
	want := []string{"ks", "kompetanse-norge", "nav", "skatteetaten", "nasjonalbiblioteket"}
	if len(as) != len(want) {
		t.Fatalf("got %d agencies, want %d", len(as), len(want))
	}
	for i, key := range want {
		if as[i].Key != key {
			t.Errorf("agency %d = %s, want %s", i, as[i].Key, key)
		}
		if err := as[i].Validate(); err != nil {
			t.Errorf("%s: %v", key, err)
		}
		if as[i].Description == "" {
			t.Errorf("%s has no description for staff", key)
		}
	}
	if as.Name("nav") != "NAV" || as.Name("ukjent") != "ukjent" {
		t.Error("Name lookup is wrong")
	}
	bad := ticket.Agency{Key: "NAV Kontor", Name: "x"}
	if bad.Validate() == nil {
		t.Error("a key with capitals and a space was accepted")
	}
}
