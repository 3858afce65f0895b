package oauth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

// TokenError is a token endpoint that refused (Code and Description are what it answered, as
// RFC 6749 section 5.2 has them) or could not be reached (Code is empty, Err says why). Its
// text names the endpoint and never holds the client secret or a token.
type TokenError struct {
	URL         string
	Status      int    // HTTP status of a refusal
	Code        string // error, e.g. invalid_client, invalid_scope
	Description string // error_description, e.g. Entra ID's AADSTS7000215 text
	Err         error  // the transport error when the endpoint could not be reached
}

func newTokenError(tokenURL, secret string, err error) *TokenError {
	te := &TokenError{URL: tokenURL}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response != nil {
			te.Status = re.Response.StatusCode
		}
		te.Code, te.Description = re.ErrorCode, re.ErrorDescription
		if te.Code == "" { // not an OAuth2 error body: say what came back, not the body
			te.Code = "http_" + fmt.Sprint(te.Status)
			if t := http.StatusText(te.Status); t != "" {
				te.Description = t
			}
		}
	} else {
		te.Err = err
	}
	// An endpoint that echoes what it was sent must not carry the secret into our logs.
	if len(secret) >= 4 {
		te.Description = strings.ReplaceAll(te.Description, secret, "[hemmelighet]")
		if te.Err != nil && strings.Contains(te.Err.Error(), secret) {
			te.Err = errors.New(strings.ReplaceAll(te.Err.Error(), secret, "[hemmelighet]"))
		}
	}
	return te
}

func (e *TokenError) Error() string {
	if e.Refused() {
		s := fmt.Sprintf("token endpoint %s refused: %s", e.URL, e.Code)
		if e.Description != "" {
			s += ": " + e.Description
		}
		return s
	}
	return fmt.Sprintf("token endpoint %s cannot be reached: %v", e.URL, e.Err)
}

func (e *TokenError) Unwrap() error { return e.Err }

// Refused reports whether the endpoint answered with a refusal (as opposed to no answer).
func (e *TokenError) Refused() bool { return e.Code != "" }

// Norwegian says the same for the admin pages.
func (e *TokenError) Norwegian() string {
	if e.Refused() {
		s := fmt.Sprintf("tokentjenesten %s avviste forespørselen (%s", e.URL, e.Code)
		if e.Description != "" {
			s += ": " + e.Description
		}
		return s + "). Sjekk client_id, client_secret og scope."
	}
	return fmt.Sprintf("fikk ikke kontakt med tokentjenesten %s (%v).", e.URL, e.Err)
}

func (e *TokenError) logAttrs() []any {
	attrs := []any{"token_url", e.URL}
	if e.Refused() {
		return append(attrs, "status", e.Status, "error", e.Code, "error_description", e.Description)
	}
	return append(attrs, "err", e.Err.Error())
}
