package ticket

// Category is a topic the requester picks in the public form. Routing rules match on Key
// (condition "category"), so the keys are part of the rule language: add, never rename.
type Category struct {
	Key   string
	Label string
	// Hint says in a few words what belongs here, shown under the choice.
	Hint string
}

// Categories are the topics of the public form, in the order they are offered. This is the
// one list: the form, the routing rules and the statistics read it from here.
var Categories = []Category{
	{Key: "innlogging", Label: "Innlogging og digital ID", Hint: "ID-porten, BankID, MinID, digital postkasse"},
	{Key: "nav", Label: "NAV-tjenester", Hint: "nav.no, søknader, meldekort, Ditt NAV"},
	{Key: "skatt", Label: "Skatt", Hint: "skattemeldingen, skattekort, Skatteetatens tjenester"},
	{Key: "kurs", Label: "Kurs og opplæring", Hint: "opplæring i digitale ferdigheter, kursmateriell (HK-dir)"},
	{Key: "bibliotek", Label: "Bibliotek", Hint: "bibliotektjenester, Nasjonalbiblioteket, nb.no"},
	{Key: "digihjelpen", Label: "Digihjelpen-ordningen", Hint: "håndboken, materiell, organisering i kommunen"},
	{Key: "annet", Label: "Annet", Hint: "alt som ikke passer over"},
}

// FindCategory returns the category with key, and whether there is one.
func FindCategory(key string) (Category, bool) {
	for _, c := range Categories {
		if c.Key == key {
			return c, true
		}
	}
	return Category{}, false
}
