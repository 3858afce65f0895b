package ticket

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The municipality register (issue 16): each municipality's and county authority's
// Digihjelpen offer, edited by staff in versions, shown on the map and beside every ticket.

// EventRegister records a change to the register. It belongs to no ticket (TicketID 0); To is
// the number of the municipality or county authority.
const EventRegister EventKind = "register"

// OfferStatus says how far a municipality has come with its Digihjelpen offer. The values are
// the words of the issue and of the CSV files, so they are kept as they are.
type OfferStatus string

// The statuses, from the best.
const (
	OfferAvailable    OfferStatus = "tilbud"
	OfferEstablishing OfferStatus = "under etablering"
	OfferUnknown      OfferStatus = "ikke kjent"
)

// OfferStatuses are all statuses, in the order the map's legend shows them.
var OfferStatuses = []OfferStatus{OfferAvailable, OfferEstablishing, OfferUnknown}

// Valid reports whether s is a known status.
func (s OfferStatus) Valid() bool { return slices.Contains(OfferStatuses, s) }

// Label is the status as a sentence fragment people read.
func (s OfferStatus) Label() string {
	switch s {
	case OfferAvailable:
		return "Har tilbud"
	case OfferEstablishing:
		return "Under etablering"
	}
	return "Ikke kjent"
}

// Venue is where the offer is given.
type Venue string

// The venues a register entry can name.
const (
	VenueLibrary       Venue = "bibliotek"
	VenueServiceOffice Venue = "servicetorg"
	VenueVolunteer     Venue = "frivilligsentral"
	VenueOther         Venue = "annet"
)

// Venues are the venues in the order forms show them.
var Venues = []Venue{VenueLibrary, VenueServiceOffice, VenueVolunteer, VenueOther}

// Label is the venue as people read it.
func (v Venue) Label() string {
	switch v {
	case VenueLibrary:
		return "Bibliotek"
	case VenueServiceOffice:
		return "Servicetorg"
	case VenueVolunteer:
		return "Frivilligsentral"
	}
	return "Annet"
}

// ParseVenue reads a venue by its key or its label, case-insensitively.
func ParseVenue(s string) (Venue, bool) {
	s = strings.TrimSpace(s)
	for _, v := range Venues {
		if strings.EqualFold(s, string(v)) || strings.EqualFold(s, v.Label()) {
			return v, true
		}
	}
	return "", false
}

// Limits of the register's texts, in characters.
const (
	MaxOfferLine = 300
	MaxOfferText = 2000
)

// Offer is one entry of the register: the Digihjelpen offer of a municipality (four-digit
// number) or a county authority (two digits). A municipality nobody has entered yet has an
// Offer with status OfferUnknown and Version 0.
type Offer struct {
	Number  string
	Status  OfferStatus
	Venues  []Venue
	Address string
	// Hours are the opening hours, or how to book an appointment.
	Hours   string
	Contact string
	Web     string
	// SpecialNeed marks a municipality with a special need of help, to be prioritised
	// (routing rules can match it with special_need = true). Staff only.
	SpecialNeed bool
	// Note is for staff; it is never shown on the public map.
	Note      string
	Version   int
	UpdatedBy string
	UpdatedAt time.Time
}

// UnknownOffer is the entry of a number nobody has entered yet.
func UnknownOffer(number string) *Offer { return &Offer{Number: number, Status: OfferUnknown} }

// IsCountyNumber reports whether number is a county's (two digits), not a municipality's.
func IsCountyNumber(number string) bool { return len(number) == 2 }

// Normalize trims the texts, puts the venues in their order without repeats, and gives an
// empty status the default.
func (o *Offer) Normalize() {
	o.Number = strings.TrimSpace(o.Number)
	o.Address, o.Hours = strings.TrimSpace(o.Address), strings.TrimSpace(o.Hours)
	o.Contact, o.Web, o.Note = strings.TrimSpace(o.Contact), strings.TrimSpace(o.Web), strings.TrimSpace(o.Note)
	if o.Status == "" {
		o.Status = OfferUnknown
	}
	var venues []Venue
	for _, v := range Venues {
		if slices.Contains(o.Venues, v) {
			venues = append(venues, v)
		}
	}
	for _, v := range o.Venues {
		if !slices.Contains(Venues, v) && !slices.Contains(venues, v) {
			venues = append(venues, v) // Validate names it
		}
	}
	o.Venues = venues
}

// Validate checks an entry before it is stored. The fields of its errors are the register
// form's: status, sted, adresse, apningstider, kontakt, nettside, merknad.
func (o *Offer) Validate() error {
	var errs FieldErrors
	if !validPlaceNumber(o.Number) {
		errs = append(errs, FieldError("kommunenummer", "Kommunenummeret må ha fire sifre (fylkesnummeret to)."))
	}
	if !o.Status.Valid() {
		errs = append(errs, FieldError("status", "Velg status: tilbud, under etablering eller ikke kjent."))
	}
	for _, v := range o.Venues {
		if !slices.Contains(Venues, v) {
			errs = append(errs, FieldError("sted", "Ukjent sted «%s»; velg bibliotek, servicetorg, frivilligsentral eller annet.", v))
			break
		}
	}
	for _, f := range []struct {
		field, label, value string
		max                 int
	}{
		{"adresse", "Adressen", o.Address, MaxOfferLine},
		{"apningstider", "Åpningstidene", o.Hours, MaxOfferText},
		{"kontakt", "Kontakten", o.Contact, MaxOfferLine},
		{"nettside", "Nettsiden", o.Web, MaxOfferLine},
		{"merknad", "Merknaden", o.Note, MaxOfferText},
	} {
		if utf8.RuneCountInString(f.value) > f.max {
			errs = append(errs, FieldError(f.field, "%s kan være høyst %d tegn.", f.label, f.max))
		}
	}
	if o.Web != "" && !validWebPage(o.Web) {
		errs = append(errs, FieldError("nettside", "Skriv nettsiden som en hel adresse, som https://www.lillehammer.kommune.no/digihjelp."))
	}
	return errs.Err()
}

func validPlaceNumber(n string) bool {
	if len(n) != 2 && len(n) != 4 {
		return false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// validWebPage accepts absolute http and https addresses only: the page links to it, and a
// javascript: or data: address must never become a link.
func validWebPage(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && !strings.ContainsAny(s, " \t\n<>\"")
}

// SameContent reports whether o and p say the same (their versions and stamps aside).
func (o *Offer) SameContent(p *Offer) bool {
	return len(o.Changes(p)) == 0
}

// Changes names, in Norwegian, the fields that differ from old: what the audit trail says.
func (o *Offer) Changes(old *Offer) []string {
	var out []string
	add := func(changed bool, name string) {
		if changed {
			out = append(out, name)
		}
	}
	add(o.Status != old.Status, "status")
	add(!slices.Equal(o.Venues, old.Venues), "sted")
	add(o.Address != old.Address, "adresse")
	add(o.Hours != old.Hours, "åpningstider")
	add(o.Contact != old.Contact, "kontakt")
	add(o.Web != old.Web, "nettside")
	add(o.SpecialNeed != old.SpecialNeed, "særskilt behov")
	add(o.Note != old.Note, "merknad")
	return out
}

// RegisterImport is what an import of many entries did.
type RegisterImport struct {
	Changed   int // entries saved as a new version
	Unchanged int // entries that already said the same
}

// RegisterService stores the register. data.RegisterService implements it; every change is a
// new version and an EventRegister in the same transaction.
type RegisterService interface {
	// FindOffer returns the current entry of number, or UnknownOffer(number) when there is none.
	FindOffer(ctx context.Context, number string) (*Offer, error)
	// FindOffers returns every stored entry, by number.
	FindOffers(ctx context.Context) ([]*Offer, error)
	// FindOfferVersions returns every version of number, newest first.
	FindOfferVersions(ctx context.Context, number string) ([]*Offer, error)
	// SaveOffer stores o as the next version of its number, unless it changed since ifVersion
	// (ECONFLICT) or says what the current one says (nothing is written).
	SaveOffer(ctx context.Context, o *Offer, ifVersion int) error
	// ImportOffers saves every entry that differs from the current one, all in one
	// transaction: all of them or none.
	ImportOffers(ctx context.Context, offers []*Offer) (RegisterImport, error)
}

// SpecialNeeds tells whether a municipality is marked «særskilt behov» in the register. The
// router asks it inside the transaction that stores a ticket, so it answers from memory.
type SpecialNeeds interface {
	SpecialNeed(number string) bool
}

// PlaceCounts counts tickets by where they come from, for the register and the map's staff
// layers. The keys are municipality numbers, and county numbers for tickets from a county
// authority (a county but no municipality).
type PlaceCounts interface {
	// TicketsByPlace counts every stored ticket.
	TicketsByPlace(ctx context.Context) (map[string]int, error)
	// NewTicketsByPlace counts the tickets created in [from, to).
	NewTicketsByPlace(ctx context.Context, from, to time.Time) (map[string]int, error)
}
