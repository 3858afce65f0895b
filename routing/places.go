package routing

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/ks-no/digihjelpen/ticket"
)

// The reference data is embedded so the binary needs no files at run time; data/SOURCES.md
// says where it comes from and under which licence.
//
//go:embed data/municipalities.csv data/domain_lookup.csv data/fylker.csv
var placeFS embed.FS

// Places is the 2024 structure of 357 municipalities and 15 counties with their mail domains.
// It implements ticket.Places and is safe for concurrent use (it never changes after Load).
type Places struct {
	sorted   []ticket.Place
	byNumber map[string]ticket.Place
	byDomain map[string]string // mail domain -> municipality number
	byName   map[string]string // lower-case name or language form -> number, "" when ambiguous
	counties map[string]ticket.County
	// countyDomains are the county councils' mail domains: their staff belong to a county,
	// not to a municipality.
	countyDomains map[string]string
}

var _ ticket.Places = (*Places)(nil)

// stateDomains are national bodies whose staff are never "a municipality", even when they work
// in a municipality (a NAV office is run jointly by the state and the municipality).
var stateDomains = []string{
	"nav.no", "skatteetaten.no", "hkdir.no", "kompetansenorge.no", "nb.no", "ks.no",
	"digdir.no", "norge.no", "regjeringen.no", "brreg.no", "udir.no", "kartverket.no",
	"politiet.no", "helsenorge.no", "nhn.no", "statsforvalteren.no", "dsb.no", "ssb.no",
}

// LoadPlaces reads the embedded tables. It fails only if the embedded files are broken, which
// the tests rule out; the caller still gets an error rather than a panic.
func LoadPlaces() (*Places, error) {
	p := &Places{byNumber: map[string]ticket.Place{}, byDomain: map[string]string{}, byName: map[string]string{},
		counties: map[string]ticket.County{}, countyDomains: map[string]string{}}
	steps := []struct {
		file string
		cols int
		fn   func([]string) error
	}{
		{"data/fylker.csv", 6, p.addCounty},
		{"data/municipalities.csv", 5, p.addMunicipality},
		{"data/domain_lookup.csv", 5, p.addDomain},
	}
	for _, s := range steps {
		if err := readCSV(s.file, s.cols, s.fn); err != nil {
			return nil, err
		}
	}
	p.sortMunicipalities()
	return p, nil
}

func readCSV(name string, cols int, fn func([]string) error) error {
	b, err := placeFS.ReadFile(name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = cols
	if _, err := r.Read(); err != nil { // header
		return fmt.Errorf("read %s: %w", name, err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if err := fn(rec); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
}

func (p *Places) addCounty(rec []string) error {
	c := ticket.County{Number: rec[0], Name: rec[1]}
	p.counties[c.Number] = c
	if d := strings.ToLower(rec[4]); d != "" {
		p.countyDomains[d] = c.Number
	}
	return nil
}

func (p *Places) addMunicipality(rec []string) error {
	number, name, county, domain := rec[0], rec[1], rec[2], strings.ToLower(rec[4])
	c, ok := p.counties[county]
	if !ok || len(number) != 4 || !strings.HasPrefix(number, county) {
		return fmt.Errorf("municipality %s %s: unknown county %q", number, name, county)
	}
	pl := ticket.Place{Municipality: ticket.Municipality{Number: number, Name: name}, County: c}
	p.byNumber[number] = pl
	p.byDomain[domain] = number
	for _, form := range nameForms(name) {
		if other, dup := p.byName[form]; dup && other != number {
			p.byName[form] = "" // Herøy and Våler exist twice: only their full names are unique
		} else {
			p.byName[form] = number
		}
	}
	return nil
}

func (p *Places) addDomain(rec []string) error {
	domain, number := strings.ToLower(rec[0]), rec[1]
	if _, ok := p.byNumber[number]; !ok {
		return fmt.Errorf("domain %s: unknown municipality %s", domain, number)
	}
	if other, ok := p.byDomain[domain]; ok && other != number {
		return fmt.Errorf("domain %s belongs to both %s and %s", domain, other, number)
	}
	p.byDomain[domain] = number
	return nil
}

// nameForms are the lower-case names a municipality can be looked up by: its full name, each
// language form ("Guovdageaidnu - Kautokeino"), and the name without "(Nordland)".
func nameForms(name string) []string {
	full := strings.ToLower(name)
	forms := []string{full}
	base, _, _ := strings.Cut(full, " (")
	for _, part := range strings.Split(base, " - ") {
		if part = strings.TrimSpace(part); part != full {
			forms = append(forms, part)
		}
	}
	return forms
}

// sortMunicipalities orders the list as a Norwegian reader expects: æ, ø and å after z, and
// the accents of Sami names (á, č, š) beside their base letters. x/text/collate carries the
// CLDR rules, so we keep no table of our own. CLDR's Norwegian order is the same for bokmål and
// nynorsk, but x/text (v0.43) has the tailoring only under "nn"; "nb" falls back to the root
// order, which puts Å among the A's.
func (p *Places) sortMunicipalities() {
	p.sorted = make([]ticket.Place, 0, len(p.byNumber))
	for _, pl := range p.byNumber {
		p.sorted = append(p.sorted, pl)
	}
	col := collate.New(language.MustParse("nn"), collate.IgnoreCase)
	sort.Slice(p.sorted, func(i, j int) bool {
		a, b := p.sorted[i].Municipality, p.sorted[j].Municipality
		if c := col.CompareString(a.Name, b.Name); c != 0 {
			return c < 0
		}
		return a.Number < b.Number
	})
}
