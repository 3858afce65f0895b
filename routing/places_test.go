package routing_test

import (
	"slices"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
)

func loadPlaces(t testing.TB) *routing.Places {
	t.Helper()
	p, err := routing.LoadPlaces()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlacesCounts(t *testing.T) {
	p := loadPlaces(t)
	all := p.Municipalities()
	if len(all) != 357 {
		t.Fatalf("got %d municipalities, want 357", len(all))
	}
	counties := map[string]int{}
	for _, pl := range all {
		counties[pl.County.Number]++
		if pl.Municipality.Number[:2] != pl.County.Number || pl.County.Name == "" {
			t.Errorf("%v has county %v", pl.Municipality, pl.County)
		}
	}
	if len(counties) != 15 {
		t.Errorf("got %d counties, want 15", len(counties))
	}
	if counties["46"] != 43 || counties["03"] != 1 {
		t.Errorf("Vestland has %d, Oslo %d; want 43 and 1", counties["46"], counties["03"])
	}
}

func TestPlacesSortedAsNorwegian(t *testing.T) {
	var names []string
	for _, pl := range loadPlaces(t).Municipalities() {
		names = append(names, pl.Municipality.Name)
	}
	idx := func(n string) int { return slices.Index(names, n) }
	order := []string{"Alta", "Ørland", "Åfjord", "Ås"} // æ ø å come after z, in that order
	for i := 1; i < len(order); i++ {
		if idx(order[i-1]) >= idx(order[i]) {
			t.Errorf("%s (at %d) sorts after %s (at %d)", order[i-1], idx(order[i-1]), order[i], idx(order[i]))
		}
	}
	if names[0] != "Alstahaug" {
		t.Errorf("first is %s, want Alstahaug", names[0])
	}
	// Sami accents sort with their base letter: Gáivuotna among the G's, not after z.
	if i := idx("Gáivuotna - Kåfjord - Kaivuono"); i < idx("Frøya") || i > idx("Gol") {
		t.Errorf("Gáivuotna is at %d, want between Frøya and Gol", i)
	}
}

func TestPlacesByEmail(t *testing.T) {
	p := loadPlaces(t)
	tests := []struct {
		name, addr, want string // want is the municipality number, "" for none
	}{
		{"primary domain", "ola@bergen.kommune.no", "4601"},
		{"upper case", "Kari.Nordmann@TROMSO.KOMMUNE.NO", "5501"},
		{"sub-domain", "bibliotek@bibliotek.oslo.kommune.no", "0301"},
		{"deep sub-domain", "x@skole.bydel-frogner.oslo.kommune.no", "0301"},
		{"domain outside kommune.no", "a@voss.herad.no", "4621"},
		{"alternative host", "a@nesbyen.kommune.no", "3322"},
		{"alternative short host", "a@ha.no", "1119"},
		{"with display name", "Per Hansen <per@baerum.kommune.no>", "3201"},
		{"trailing dot", "a@lillehammer.kommune.no.", "3405"},
		{"nav is the state", "veileder@nav.no", ""},
		{"nav sub-domain", "a@oslo.nav.no", ""},
		{"skatteetaten", "a@skatteetaten.no", ""},
		{"hkdir", "a@hkdir.no", ""},
		{"ks itself", "a@ks.no", ""},
		{"unknown kommune", "a@atlantis.kommune.no", ""},
		{"bare kommune.no", "a@kommune.no", ""},
		{"gmail", "a@gmail.com", ""},
		{"no domain", "ola", ""},
		{"empty", "", ""},
		{"look-alike suffix", "a@notbergen.kommune.no", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl, ok := p.ByEmail(tt.addr)
			if ok != (tt.want != "") || pl.Municipality.Number != tt.want {
				t.Errorf("got %v %v, want %q", pl.Municipality, ok, tt.want)
			}
		})
	}
}

func TestPlacesByNumberAndName(t *testing.T) {
	p := loadPlaces(t)
	if pl, ok := p.ByNumber("3405"); !ok || pl.Municipality.Name != "Lillehammer" || pl.County.Name != "Innlandet" {
		t.Errorf("ByNumber(3405) = %v %v", pl, ok)
	}
	if _, ok := p.ByNumber("9999"); ok {
		t.Error("ByNumber(9999) found something")
	}
	tests := []struct{ name, in, want string }{
		{"plain", "Bodø", "1804"},
		{"case", "bodø", "1804"},
		{"language form", "Kautokeino", "5612"},
		{"full multilingual name", "Guovdageaidnu - Kautokeino", "5612"},
		{"ambiguous", "Herøy", ""},
		{"disambiguated", "Herøy (Nordland)", "1818"},
		{"unknown", "Atlantis", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl, ok := p.ByName(tt.in)
			if ok != (tt.want != "") || pl.Municipality.Number != tt.want {
				t.Errorf("got %v %v, want %q", pl.Municipality, ok, tt.want)
			}
		})
	}
}

func TestPlacesCounty(t *testing.T) {
	p := loadPlaces(t)
	if c, ok := p.CountyByEmail("post@mrfylke.no"); !ok || c.Number != "15" {
		t.Errorf("CountyByEmail(mrfylke.no) = %v %v, want 15", c, ok)
	}
	if _, ok := p.CountyByEmail("a@bergen.kommune.no"); ok {
		t.Error("a municipality domain was taken for a county council")
	}
	if c, ok := p.CountyByName("troms"); !ok || c.Number != "55" {
		t.Errorf("CountyByName(troms) = %v %v", c, ok)
	}
	if c, ok := p.County("42"); !ok || c.Name != "Agder" {
		t.Errorf("County(42) = %v %v", c, ok)
	}
}

func TestIsStateDomain(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"nav.no", true}, {"ola@nav.no", true}, {"a@oslo.nav.no", true}, {"SKATTEETATEN.NO", true},
		{"a@bergen.kommune.no", false}, {"a@minav.no", false}, {"a@ha.no", false},
	}
	for _, tt := range tests {
		if got := routing.IsStateDomain(tt.in); got != tt.want {
			t.Errorf("IsStateDomain(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestRegisterUnits(t *testing.T) {
	u := loadPlaces(t).RegisterUnits()
	if got := u.Municipalities(); got != 357 {
		t.Errorf("got %d municipalities, want 357", got)
	}
	if got := len(u.All()) - u.Municipalities(); got != 14 {
		t.Errorf("got %d county authorities, want 14 (Oslo kommune is Oslo's)", got)
	}
	if c, ok := u.Find("46"); !ok || c.Name != "Vestland fylkeskommune" {
		t.Errorf("46: got %+v %v", c, ok)
	}
}
