package routing

import (
	"sort"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// Municipalities returns all 357, sorted by name as people read it. The slice is a copy.
func (p *Places) Municipalities() []ticket.Place {
	return append([]ticket.Place(nil), p.sorted...)
}

// ByNumber finds a municipality by its four-digit number.
func (p *Places) ByNumber(number string) (ticket.Place, bool) {
	pl, ok := p.byNumber[strings.TrimSpace(number)]
	return pl, ok
}

// ByName finds a municipality by its name or one of its language forms, case-insensitively.
// The two names that exist twice (Herøy, Våler) are found only with their county in brackets,
// as SSB writes them: "Herøy (Nordland)".
func (p *Places) ByName(name string) (ticket.Place, bool) {
	number := p.byName[strings.ToLower(strings.TrimSpace(name))]
	if number == "" {
		return ticket.Place{}, false
	}
	pl, ok := p.byNumber[number]
	return pl, ok
}

// County returns the county with a two-digit number.
func (p *Places) County(number string) (ticket.County, bool) {
	c, ok := p.counties[strings.TrimSpace(number)]
	return c, ok
}

// CountyByName finds a county by its name, case-insensitively.
func (p *Places) CountyByName(name string) (ticket.County, bool) {
	name = strings.TrimSpace(name)
	for _, c := range p.counties {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return ticket.County{}, false
}

// ByEmail finds the municipality of a sender address by its domain or any parent domain, so
// bibliotek.oslo.kommune.no is Oslo. State bodies (nav.no, skatteetaten.no, …) are never a
// municipality.
func (p *Places) ByEmail(addr string) (ticket.Place, bool) {
	var found ticket.Place
	ok := false
	walkDomain(domainOf(addr), func(d string) bool {
		if IsStateDomain(d) {
			return true
		}
		if number, hit := p.byDomain[d]; hit {
			found, ok = p.byNumber[number], true
			return true
		}
		return false
	})
	return found, ok
}

// CountyByEmail finds the county of a county council's address (mrfylke.no is Møre og Romsdal).
// Use it when ByEmail found no municipality.
func (p *Places) CountyByEmail(addr string) (ticket.County, bool) {
	var found ticket.County
	ok := false
	walkDomain(domainOf(addr), func(d string) bool {
		if number, hit := p.countyDomains[d]; hit {
			found, ok = p.counties[number], true
			return true
		}
		return false
	})
	return found, ok
}

// IsStateDomain reports whether the address or domain belongs to a national body.
func IsStateDomain(addrOrDomain string) bool {
	d := strings.ToLower(strings.TrimSpace(addrOrDomain))
	if i := strings.LastIndexByte(d, '@'); i >= 0 {
		d = d[i+1:]
	}
	for _, s := range stateDomains {
		if d == s || strings.HasSuffix(d, "."+s) {
			return true
		}
	}
	return false
}

// walkDomain calls fn with d and each parent domain that still has a dot, most specific
// first, until fn returns true.
func walkDomain(d string, fn func(string) bool) {
	d = strings.TrimSuffix(d, ".")
	for strings.Contains(d, ".") {
		if fn(d) {
			return
		}
		_, d, _ = strings.Cut(d, ".")
	}
}

// domainOf returns the lower-case domain of an address, with or without a display name.
func domainOf(addr string) string {
	return ticket.EmailDomain(bareAddress(addr))
}

// Counties returns the 15 counties, by number.
func (p *Places) Counties() []ticket.County {
	out := make([]ticket.County, 0, len(p.counties))
	for _, c := range p.counties {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// RegisterUnits are the municipalities and county authorities of the municipality register.
func (p *Places) RegisterUnits() *ticket.RegisterUnits {
	return ticket.NewRegisterUnits(p.Municipalities(), p.Counties())
}
