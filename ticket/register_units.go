package ticket

// RegisterUnit is a place the register has an entry for: a municipality, or a county
// authority (fylkeskommune).
type RegisterUnit struct {
	Number string
	Name   string
	// County is the county a municipality lies in, or the county itself.
	County County
}

// IsCounty reports whether u is a county authority.
func (u RegisterUnit) IsCounty() bool { return IsCountyNumber(u.Number) }

// RegisterUnits are the 357 municipalities, in the order people read them, then the county
// authorities by number. It never changes after NewRegisterUnits, so it is safe to share.
type RegisterUnits struct {
	list     []RegisterUnit
	byNumber map[string]int
}

// NewRegisterUnits lists the municipalities of places and the county authorities of counties.
// Oslo is both a municipality and a county, and its municipality is the county authority, so
// a county with a municipality of the same name gets no entry of its own.
func NewRegisterUnits(places []Place, counties []County) *RegisterUnits {
	u := &RegisterUnits{byNumber: map[string]int{}}
	same := map[string]bool{}
	for _, p := range places {
		u.add(RegisterUnit{Number: p.Municipality.Number, Name: p.Municipality.Name, County: p.County})
		if p.County.Name == p.Municipality.Name {
			same[p.County.Number] = true
		}
	}
	for _, c := range counties {
		if !same[c.Number] {
			u.add(RegisterUnit{Number: c.Number, Name: c.Name + " fylkeskommune", County: c})
		}
	}
	return u
}

func (u *RegisterUnits) add(r RegisterUnit) {
	u.byNumber[r.Number] = len(u.list)
	u.list = append(u.list, r)
}

// All returns every unit; the slice is shared, so do not change it.
func (u *RegisterUnits) All() []RegisterUnit { return u.list }

// Find returns the unit with number.
func (u *RegisterUnits) Find(number string) (RegisterUnit, bool) {
	i, ok := u.byNumber[number]
	if !ok {
		return RegisterUnit{}, false
	}
	return u.list[i], true
}

// Municipalities returns how many of the units are municipalities.
func (u *RegisterUnits) Municipalities() int {
	n := 0
	for _, r := range u.list {
		if !r.IsCounty() {
			n++
		}
	}
	return n
}
