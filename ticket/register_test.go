package ticket_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestOfferValidate(t *testing.T) {
	tests := []struct {
		name  string
		offer ticket.Offer
		field string // "" when valid
	}{
		{"OK", ticket.Offer{Number: "3405", Status: ticket.OfferAvailable, Venues: []ticket.Venue{ticket.VenueLibrary}, Web: "https://www.lillehammer.kommune.no/digihjelp"}, ""},
		{"OK county authority", ticket.Offer{Number: "34", Status: ticket.OfferEstablishing}, ""},
		{"OK empty status is unknown", ticket.Offer{Number: "0301"}, ""},
		{"ErrNumber", ticket.Offer{Number: "341", Status: ticket.OfferAvailable}, "kommunenummer"},
		{"ErrNumberLetters", ticket.Offer{Number: "34a5", Status: ticket.OfferAvailable}, "kommunenummer"},
		{"ErrStatus", ticket.Offer{Number: "3405", Status: "kanskje"}, "status"},
		{"ErrVenue", ticket.Offer{Number: "3405", Venues: []ticket.Venue{"kafé"}}, "sted"},
		{"ErrWebScheme", ticket.Offer{Number: "3405", Web: "javascript:alert(1)"}, "nettside"},
		{"ErrWebRelative", ticket.Offer{Number: "3405", Web: "www.lillehammer.kommune.no"}, "nettside"},
		{"ErrAddressLong", ticket.Offer{Number: "3405", Address: strings.Repeat("a", ticket.MaxOfferLine+1)}, "adresse"},
		{"ErrNoteLong", ticket.Offer{Number: "3405", Note: strings.Repeat("å", ticket.MaxOfferText+1)}, "merknad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.offer
			o.Normalize()
			err := o.Validate()
			fe := ticket.FieldErrorsOf(err)
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tt.field != "" && fe.ByField(tt.field) == "":
				t.Fatalf("got %v, want an error on %s", err, tt.field)
			}
		})
	}
}

func TestOfferNormalizeOrdersVenues(t *testing.T) {
	o := ticket.Offer{Number: " 3405 ", Venues: []ticket.Venue{ticket.VenueOther, ticket.VenueLibrary, ticket.VenueOther}, Address: "  Wiers-Jenssens gate 1 "}
	o.Normalize()
	if want := []ticket.Venue{ticket.VenueLibrary, ticket.VenueOther}; !reflect.DeepEqual(o.Venues, want) {
		t.Errorf("venues got %v, want %v", o.Venues, want)
	}
	if o.Number != "3405" || o.Address != "Wiers-Jenssens gate 1" || o.Status != ticket.OfferUnknown {
		t.Errorf("got %+v", o)
	}
}

func TestOfferChanges(t *testing.T) {
	old := &ticket.Offer{Number: "3405", Status: ticket.OfferUnknown}
	o := &ticket.Offer{Number: "3405", Status: ticket.OfferAvailable, SpecialNeed: true, Web: "https://x.no"}
	if got, want := o.Changes(old), []string{"status", "nettside", "særskilt behov"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if !o.SameContent(&ticket.Offer{Number: "3405", Status: ticket.OfferAvailable, SpecialNeed: true, Web: "https://x.no", Version: 9}) {
		t.Error("same content with another version must be the same")
	}
}

func testUnits() *ticket.RegisterUnits {
	inn := ticket.County{Number: "34", Name: "Innlandet"}
	oslo := ticket.County{Number: "03", Name: "Oslo"}
	return ticket.NewRegisterUnits([]ticket.Place{
		{Municipality: ticket.Municipality{Number: "0301", Name: "Oslo"}, County: oslo},
		{Municipality: ticket.Municipality{Number: "3405", Name: "Lillehammer"}, County: inn},
		{Municipality: ticket.Municipality{Number: "3407", Name: "Gjøvik"}, County: inn},
	}, []ticket.County{oslo, inn})
}

func TestRegisterUnits(t *testing.T) {
	u := testUnits()
	if got := len(u.All()); got != 4 {
		t.Fatalf("got %d units, want 3 municipalities and Innlandet fylkeskommune (Oslo kommune is its own county authority)", got)
	}
	c, ok := u.Find("34")
	if !ok || c.Name != "Innlandet fylkeskommune" || !c.IsCounty() {
		t.Errorf("got %+v %v", c, ok)
	}
	if _, ok := u.Find("03"); ok {
		t.Error("Oslo must have no county authority of its own")
	}
	if got := u.Municipalities(); got != 3 {
		t.Errorf("got %d municipalities, want 3", got)
	}
}

// TestRegisterCSVRoundTrip writes every unit and reads the file back to the same entries, in
// both dialects, with texts a spreadsheet would take for formulas.
func TestRegisterCSVRoundTrip(t *testing.T) {
	u := testUnits()
	offers := map[string]*ticket.Offer{
		"0301": {Number: "0301", Status: ticket.OfferAvailable, Venues: []ticket.Venue{ticket.VenueLibrary, ticket.VenueServiceOffice},
			Address: "Deichman Bjørvika, Anne-Cath. Vestlys plass 1", Hours: "Man–fre 10–16;\n«timebestilling» på telefon", Contact: "=HYPERLINK(\"x\")",
			Web: "https://www.oslo.kommune.no/digihjelp", SpecialNeed: false, Note: "-ingen merknad, \"sitat\""},
		"3405": {Number: "3405", Status: ticket.OfferEstablishing, SpecialNeed: true, Note: "@kari"},
		"34":   {Number: "34", Status: ticket.OfferAvailable, Venues: []ticket.Venue{ticket.VenueOther}},
	}
	var rows []ticket.RegisterRow
	for _, unit := range u.All() {
		rows = append(rows, ticket.RegisterRow{Unit: unit, Offer: offers[unit.Number]})
	}
	for _, excel := range []bool{true, false} {
		var buf bytes.Buffer
		if err := ticket.WriteRegisterCSV(&buf, rows, excel); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "\n=HYPER") || strings.Contains(buf.String(), ";=HYPER") || strings.Contains(buf.String(), ",=HYPER") {
			t.Errorf("a formula must not start a cell: %s", buf.String())
		}
		got, err := ticket.ReadRegisterCSV(&buf, func(n string) bool { _, ok := u.Find(n); return ok })
		if err != nil {
			t.Fatalf("excel=%v: %v", excel, err)
		}
		if len(got) != len(u.All()) {
			t.Fatalf("excel=%v: got %d rows, want %d", excel, len(got), len(u.All()))
		}
		for _, o := range got {
			want := offers[o.Number]
			if want == nil {
				want = ticket.UnknownOffer(o.Number)
			}
			want.Normalize()
			if !reflect.DeepEqual(o, want) {
				t.Errorf("excel=%v: got %+v, want %+v", excel, o, want)
			}
		}
	}
}

func TestReadRegisterCSVErrors(t *testing.T) {
	known := func(n string) bool { return n == "0301" || n == "3405" || n == "34" }
	head := "kommunenummer;navn;status;sted;adresse;apningstider;kontakt;nettside;saerskilt_behov;merknad\n"
	tests := []struct {
		name string
		file string
		want []string // the error lines, or the numbers read
	}{
		{"OK spreadsheet took the zero", head + "301;Oslo;Tilbud;Bibliotek;;;;;ja;\n;;;;;;;;;\n", []string{"0301"}},
		{"OK commas and headings as people write them", "\ufeffKommunenummer,Navn,Status,Sted,Adresse,Åpningstider,Kontakt,Nettside,Særskilt behov,Merknad\n3405,Lillehammer,under etablering,\"bibliotek, annet\",,,,,,\n", []string{"3405"}},
		{"ErrMissingColumns", "kommunenummer;status\n3405;tilbud\n", []string{"linje 1: mangler kolonnene sted, adresse, apningstider, kontakt, nettside, saerskilt_behov, merknad; første linje må ha kommunenummer;navn;status;sted;adresse;apningstider;kontakt;nettside;saerskilt_behov;merknad"}},
		{"ErrEmpty", "", []string{"Filen er tom."}},
		{"ErrEachLine", head +
			"9999;;tilbud;;;;;;;\n" +
			"3405;;kanskje;kafé;;;;;;\n" +
			"3405;;tilbud;;;;;ftp://x;vet ikke;\n" +
			"0301;;tilbud;;;;;www.oslo.no;;\n",
			[]string{
				"linje 2, kolonne kommunenummer: ukjent kommunenummer «9999»",
				"linje 3, kolonne status: ukjent status «kanskje»; bruk tilbud, under etablering eller ikke kjent",
				"linje 3, kolonne sted: ukjent sted «kafé»; bruk bibliotek, servicetorg, frivilligsentral eller annet",
				"linje 4, kolonne kommunenummer: 3405 står også på linje 3",
				"linje 5, kolonne nettside: Skriv nettsiden som en hel adresse, som https://www.lillehammer.kommune.no/digihjelp.",
			}},
		{"ErrQuote", head + "3405;\"Lille\"hammer;tilbud;;;;;;;\n", []string{"linje 2: kan ikke leses som CSV: et anførselstegn står feil"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			offers, err := ticket.ReadRegisterCSV(strings.NewReader(tt.file), known)
			var got []string
			var errs ticket.CSVErrors
			if errors.As(err, &errs) {
				for _, e := range errs {
					got = append(got, e.Error())
				}
			} else if err != nil {
				t.Fatalf("got %v, want CSVErrors", err)
			}
			for _, o := range offers {
				got = append(got, o.Number)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
