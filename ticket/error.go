package ticket

import (
	"errors"
	"fmt"
)

// Error codes. The web layer maps them to HTTP status codes; nothing below it knows HTTP.
const (
	ECONFLICT       = "conflict"        // the record changed or already exists
	EINTERNAL       = "internal"        // a fault of ours; details go to the log only
	EINVALID        = "invalid"         // the input was wrong; Message says what to fix
	ENOTFOUND       = "not_found"       // no such record
	ENOTIMPLEMENTED = "not_implemented" // a feature that is not there yet
	EUNAUTHORIZED   = "unauthorized"    // not logged in, or a bad token
	EFORBIDDEN      = "forbidden"       // logged in, but the role does not allow it
	ERATELIMIT      = "rate_limited"    // too many attempts; try later
	ETOOLARGE       = "too_large"       // input over a configured size limit
)

// Error is an error meant for people: Message is a Norwegian sentence that can be shown as is.
// Field, when set, names the form field the message belongs to.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("digihjelpen error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("digihjelpen error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted Norwegian message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID *Error tied to a form field, so a form can show it beside the field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err when it is (or wraps) an *Error, EINTERNAL for any other
// error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	var fe FieldErrors
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	} else if errors.As(err, &fe) {
		return EINVALID
	}
	return EINTERNAL
}

// ErrorMessage returns the message people may see. Internal errors get a generic sentence, so
// that details of our code never reach a page.
func ErrorMessage(err error) string {
	var e *Error
	var fe FieldErrors
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	} else if errors.As(err, &fe) && len(fe) > 0 {
		return fe[0].Message
	}
	return "Det oppstod en intern feil. Prøv igjen, eller kontakt administrator."
}

// FieldErrors collects several field errors, so that a form can show all of them at once.
type FieldErrors []*Error

func (fe FieldErrors) Error() string {
	if len(fe) == 0 {
		return "no field errors"
	}
	return fmt.Sprintf("%d invalid fields, first: %s", len(fe), fe[0].Error())
}

// ByField returns the message for field, or "".
func (fe FieldErrors) ByField(field string) string {
	for _, e := range fe {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// Err returns nil when there are no field errors, so callers can `return errs.Err()`.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// FieldErrorsOf returns the errors in err that a form shows beside its fields: all of a
// FieldErrors, or one EINVALID *Error. It returns nil for any other error: that one is not the
// user's to fix and goes to the error handler.
func FieldErrorsOf(err error) FieldErrors {
	var fe FieldErrors
	var e *Error
	switch {
	case errors.As(err, &fe):
		return fe
	case errors.As(err, &e) && e.Code == EINVALID:
		return FieldErrors{e}
	}
	return nil
}
