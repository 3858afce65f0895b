package ticket

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// EventTemplate records a change to an admin-edited text (acknowledgement or canned
// response). Such events belong to no ticket (TicketID 0), like user changes.
const EventTemplate EventKind = "template"

// MaxCannedTitleLen bounds the title of a canned response.
const MaxCannedTitleLen = 120

// CannedResponse (svarmal) is a ready answer staff insert into a reply and adapt. Its text may
// use the placeholders and link to the Digihjelpen handbook.
type CannedResponse struct {
	ID        uint64
	Title     string
	Text      string
	UpdatedBy string
	UpdatedAt time.Time
	CreatedAt time.Time
}

// Validate checks a canned response before it is saved.
func (r *CannedResponse) Validate() error {
	var errs FieldErrors
	r.Title, r.Text = strings.TrimSpace(r.Title), strings.TrimSpace(r.Text)
	switch {
	case r.Title == "":
		errs = append(errs, FieldError("title", "Gi svarmalen et navn."))
	case utf8.RuneCountInString(r.Title) > MaxCannedTitleLen:
		errs = append(errs, FieldError("title", "Navnet kan være høyst %d tegn.", MaxCannedTitleLen))
	}
	switch {
	case r.Text == "":
		errs = append(errs, FieldError("text", "Skriv teksten i svarmalen."))
	case utf8.RuneCountInString(r.Text) > MaxTemplateLen:
		errs = append(errs, FieldError("text", "Teksten kan være høyst %d tegn.", MaxTemplateLen))
	default:
		if err := checkPlaceholders("text", r.Text); err != nil {
			errs = append(errs, err)
		}
	}
	return errs.Err()
}

// TemplateService stores the admin-edited texts: the acknowledgement, in versions, and the
// canned responses. Every change is recorded as an EventTemplate.
type TemplateService interface {
	// FindAckTemplate returns the current acknowledgement, or DefaultAckTemplate when no admin
	// has saved one.
	FindAckTemplate(ctx context.Context) (*AckTemplate, error)
	// FindAckTemplates returns every saved version, newest first.
	FindAckTemplates(ctx context.Context) ([]*AckTemplate, error)
	// SaveAckTemplate stores text as the next version. It fails with ECONFLICT when the current
	// version is no longer ifVersion (someone else saved in between).
	SaveAckTemplate(ctx context.Context, text string, ifVersion int) (*AckTemplate, error)

	// FindCannedResponses returns every canned response, by title.
	FindCannedResponses(ctx context.Context) ([]*CannedResponse, error)
	// FindCannedResponse returns one, or ENOTFOUND.
	FindCannedResponse(ctx context.Context, id uint64) (*CannedResponse, error)
	// SaveCannedResponse creates r when r.ID is 0 and replaces it otherwise.
	SaveCannedResponse(ctx context.Context, r *CannedResponse) error
	// DeleteCannedResponse removes one, or returns ENOTFOUND.
	DeleteCannedResponse(ctx context.Context, id uint64) error
}
