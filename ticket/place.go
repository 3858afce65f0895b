package ticket

// Place is a municipality with its county (2024 structure).
type Place struct {
	Municipality Municipality
	County       County
}

// Places looks up municipalities. The routing package implements it from the embedded list of
// the 357 municipalities and their mail domains; the web form uses it for its picker.
type Places interface {
	// Municipalities returns all of them, sorted by name as people read it.
	Municipalities() []Place
	// ByNumber finds a municipality by its four-digit number.
	ByNumber(number string) (Place, bool)
	// ByName finds a municipality by its name or one of its language forms, case-insensitively
	// ("Guovdageaidnu - Kautokeino", "Kautokeino" and "Guovdageaidnu" are the same one). A name
	// two municipalities share (Herøy, Våler) is found only with its county: "Herøy (Nordland)".
	ByName(name string) (Place, bool)
	// ByEmail finds the municipality of a sender address by its domain, sub-domains included
	// (bibliotek.oslo.kommune.no is Oslo). State domains such as nav.no are not municipalities.
	ByEmail(addr string) (Place, bool)
}
