package ticket

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Agencies are edited by administrators at /admin/etater: names, referral addresses and
// descriptions change without a restart, each save a new version in the audit trail. The
// configuration gives the agencies and their defaults; the key set is fixed there, because
// routing rules and stored tickets name agencies by key.

// Limits on what an administrator writes about an agency.
const (
	MaxAgencyNameLen        = 100
	MaxAgencyDescriptionLen = 1000
)

// AgencyVersion is one saved version of an agency.
type AgencyVersion struct {
	Agency
	Version int
	By      string // staff email
	At      time.Time
}

// CheckEdit validates an agency an administrator saves, with the errors on the form's fields.
func (a *Agency) CheckEdit() error {
	var errs FieldErrors
	a.Name, a.Email, a.Description = strings.TrimSpace(a.Name), strings.TrimSpace(a.Email), strings.TrimSpace(a.Description)
	switch {
	case a.Name == "":
		errs = append(errs, FieldError("navn", "Skriv navnet på etaten."))
	case utf8.RuneCountInString(a.Name) > MaxAgencyNameLen:
		errs = append(errs, FieldError("navn", "Navnet kan være høyst %d tegn.", MaxAgencyNameLen))
	}
	if a.Email != "" {
		e, err := NormalizeEmail(a.Email)
		if err != nil || strings.ContainsAny(a.Email, "<>, ") {
			errs = append(errs, FieldError("epost", "«%s» er ikke en e-postadresse. Skriv én adresse, for eksempel henvisning@nav.no.", a.Email))
		} else {
			a.Email = e
		}
	}
	if utf8.RuneCountInString(a.Description) > MaxAgencyDescriptionLen {
		errs = append(errs, FieldError("beskrivelse", "Beskrivelsen kan være høyst %d tegn.", MaxAgencyDescriptionLen))
	}
	return errs.Err()
}

// AgencyService keeps the administrators' edits of the agencies. data.AgencyService implements
// it over the defaults it is given (the configuration).
type AgencyService interface {
	// FindAgencies returns the agencies in force: the defaults, each with its latest saved
	// version, in the defaults' order.
	FindAgencies(ctx context.Context) (Agencies, error)
	// FindAgencyVersions returns the saved versions of one agency, newest first (none while
	// only the default applies); ENOTFOUND for an unknown key.
	FindAgencyVersions(ctx context.Context, key string) ([]*AgencyVersion, error)
	// SaveAgency stores a as the next version of the agency with its key (CheckEdit first)
	// and records an EventAgencyEdit with what changed.
	SaveAgency(ctx context.Context, a Agency) (*AgencyVersion, error)
}
