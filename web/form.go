package web

import (
	"mime/multipart"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The form's field names, which are also the ids of its inputs, so an error summary can link to
// the field an error belongs to.
const (
	fieldName     = "navn"
	fieldEmail    = "epost"
	fieldMunic    = "kommune"
	fieldCategory = "tema"
	fieldQuestion = "sporsmal"
	fieldSubject  = "emne" // optional; without it the subject comes from the question
	fieldFiles    = "vedlegg"
	fieldHoneypot = "nettsted" // hidden from people; bots fill it in
	fieldAction   = "handling"
	municOther    = "annen" // "not a municipality" in the picker
)

// questionForm is the public form as sent.
type questionForm struct {
	Name, Email, Municipality, Category, Question, Subject string
	Honeypot                                               string
	Files                                                  []*multipart.FileHeader
}

func parseQuestionForm(c *fiber.Ctx) (questionForm, error) {
	f := questionForm{
		Name: strings.TrimSpace(c.FormValue(fieldName)), Email: strings.TrimSpace(c.FormValue(fieldEmail)),
		Municipality: c.FormValue(fieldMunic), Category: c.FormValue(fieldCategory),
		Question: strings.TrimSpace(c.FormValue(fieldQuestion)), Honeypot: c.FormValue(fieldHoneypot),
		Subject: strings.Join(strings.Fields(c.FormValue(fieldSubject)), " "),
	}
	files, err := formFiles(c, fieldFiles)
	f.Files = files
	return f, err
}

// values are the fields to put back in the form after an error (never the files: browsers
// cannot be given them back).
func (f questionForm) values() map[string]string {
	return map[string]string{fieldName: f.Name, fieldEmail: f.Email, fieldMunic: f.Municipality,
		fieldCategory: f.Category, fieldQuestion: f.Question, fieldSubject: f.Subject}
}

// validated is a form that passed: what the ticket is made of.
type validated struct {
	name, email, question, subject string
	place                          ticket.Place
	category                       ticket.Category
	files                          []ticket.Attachment
}

// validate checks every field and returns all errors at once, in the order of the form.
// A municipality left empty is taken from the email domain when it is a known one.
func (s *Server) validate(f questionForm) (validated, ticket.FieldErrors, error) {
	var v validated
	var errs ticket.FieldErrors
	if f.Name == "" {
		errs = append(errs, ticket.FieldError(fieldName, "Skriv navnet ditt."))
	} else if utf8.RuneCountInString(f.Name) > ticket.MaxNameLen {
		errs = append(errs, ticket.FieldError(fieldName, "Navnet kan være høyst %d tegn.", ticket.MaxNameLen))
	}
	v.name = f.Name
	if f.Email == "" {
		errs = append(errs, ticket.FieldError(fieldEmail, "Skriv e-postadressen din, for eksempel navn@kommune.no."))
	} else if e, err := ticket.NormalizeEmail(f.Email); err != nil || strings.ContainsAny(f.Email, "<> ") {
		errs = append(errs, ticket.FieldError(fieldEmail, "Skriv en gyldig e-postadresse, for eksempel navn@kommune.no."))
	} else {
		v.email = e
	}
	if err := s.validatePlace(f, &v); err != nil {
		errs = append(errs, err)
	}
	if c, ok := ticket.FindCategory(f.Category); ok {
		v.category = c
	} else {
		errs = append(errs, ticket.FieldError(fieldCategory, "Velg hva spørsmålet gjelder."))
	}
	errs = append(errs, validateText(fieldQuestion, f.Question, "Skriv spørsmålet ditt.")...)
	v.question = f.Question
	if utf8.RuneCountInString(f.Subject) > ticket.MaxSubjectLen {
		errs = append(errs, ticket.FieldError(fieldSubject, "Emnet kan være høyst %d tegn.", ticket.MaxSubjectLen))
	}
	v.subject = f.Subject
	if v.subject == "" {
		v.subject = ticket.SubjectFromQuestion(f.Question)
	}
	files, err := readUploads(fieldFiles, f.Files)
	if fe := ticket.FieldErrorsOf(err); fe != nil {
		errs = append(errs, fe...)
	} else if err != nil {
		return v, nil, err
	}
	v.files = files
	return v, errs, nil
}

// validatePlace checks the municipality picker; it is only there when Places is set.
func (s *Server) validatePlace(f questionForm, v *validated) *ticket.Error {
	if s.Places == nil || f.Municipality == municOther {
		return nil
	}
	if f.Municipality != "" {
		p, ok := s.Places.ByNumber(f.Municipality)
		if !ok {
			return ticket.FieldError(fieldMunic, "Velg en kommune fra listen.")
		}
		v.place = p
		return nil
	}
	if p, ok := s.Places.ByEmail(v.email); ok && v.email != "" {
		v.place = p
		return nil
	}
	return ticket.FieldError(fieldMunic, "Velg kommunen du jobber i, eller «Annen virksomhet» nederst i listen.")
}

// validateText checks a required free text against the length limit of a message.
func validateText(field, text, missing string) ticket.FieldErrors {
	if text == "" {
		return ticket.FieldErrors{ticket.FieldError(field, "%s", missing)}
	}
	if n := utf8.RuneCountInString(text); n > ticket.MaxTextLen {
		return ticket.FieldErrors{ticket.FieldError(field, "Teksten kan være høyst %d tegn; din er %d tegn.", ticket.MaxTextLen, n)}
	}
	return nil
}
