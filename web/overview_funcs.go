package web

import (
	"slices"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// Template functions of the overview pages, added to the shared set before templates are parsed.
func init() {
	templateFuncs["offerSlug"] = offerSlug
	templateFuncs["venueList"] = venueList
	templateFuncs["hasVenue"] = func(list []ticket.Venue, v ticket.Venue) bool { return slices.Contains(list, v) }
	templateFuncs["hasString"] = func(list []string, v string) bool { return slices.Contains(list, v) }
	templateFuncs["svarteURL"] = func(url string) string { return "/handbok/" + articleSlugOf(url) + "/svarte" }
	templateFuncs["offerField"] = func(id, label, hint, value string, errs ticket.FieldErrors, multiline bool) offerFieldView {
		return offerFieldView{ID: id, Label: label, Hint: hint, Value: value, Errors: errs, Multiline: multiline}
	}
}

// offerFieldView is one text field of the register form.
type offerFieldView struct {
	ID, Label, Hint, Value string
	Errors                 ticket.FieldErrors
	Multiline              bool
}

// offerSlug is a status as a CSS class name: tilbud, etablering, ukjent.
func offerSlug(s ticket.OfferStatus) string {
	switch s {
	case ticket.OfferAvailable:
		return "tilbud"
	case ticket.OfferEstablishing:
		return "etablering"
	}
	return "ukjent"
}

// venueList is the venues as people read them: "Bibliotek, Servicetorg".
func venueList(list []ticket.Venue) string {
	labels := make([]string, len(list))
	for i, v := range list {
		labels[i] = v.Label()
	}
	return strings.Join(labels, ", ")
}
