package ticket

import "regexp"

// AgencyKS is the contact point itself; a ticket no rule claims goes here.
const AgencyKS = "ks"

// Agency is a body a ticket can belong to or be referred to.
type Agency struct {
	Key         string `toml:"key"`
	Name        string `toml:"name"`
	Email       string `toml:"email"` // referral address
	Description string `toml:"description"`
}

var agencyKey = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)

// Validate checks an agency from configuration.
func (a *Agency) Validate() error {
	if !agencyKey.MatchString(a.Key) {
		return FieldError("key", "Nøkkelen «%s» må være små bokstaver a–z, sifre og bindestrek.", a.Key)
	}
	if a.Name == "" {
		return FieldError("name", "Etaten «%s» mangler navn.", a.Key)
	}
	if a.Email != "" {
		if _, err := NormalizeEmail(a.Email); err != nil {
			return FieldError("email", "Etaten «%s» har ugyldig e-postadresse «%s».", a.Key, a.Email)
		}
	}
	return nil
}

// Agencies is the configured list, in display order.
type Agencies []Agency

// Find returns the agency with key, and whether there was one.
func (as Agencies) Find(key string) (Agency, bool) {
	for _, a := range as {
		if a.Key == key {
			return a, true
		}
	}
	return Agency{}, false
}

// Name returns the display name for key, or the key itself when unknown.
func (as Agencies) Name(key string) string {
	if a, ok := as.Find(key); ok {
		return a.Name
	}
	return key
}

// Keys returns the agency keys in display order.
func (as Agencies) Keys() []string {
	keys := make([]string, len(as))
	for i, a := range as {
		keys[i] = a.Key
	}
	return keys
}
