package ticket

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// EventTemplate records a change to an admin-edited text (acknowledgement template or canned
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

// TemplateService stores the admin-edited texts: the acknowledgement templates, each in
// versions, and the canned responses. Every change is recorded as an EventTemplate.
type TemplateService interface {
	// FindAckTemplates returns the current version of every acknowledgement template that
	// exists, the built-in ones included until they are saved or deleted; the default first,
	// then by title.
	FindAckTemplates(ctx context.Context) ([]*AckTemplate, error)
	// FindAckTemplate returns the current version of one template, or ENOTFOUND when there is
	// none by that name (or it was deleted).
	FindAckTemplate(ctx context.Context, name string) (*AckTemplate, error)
	// FindAckTemplateVersions returns every saved version of one template, deletions
	// included, newest first; none for a built-in template never saved.
	FindAckTemplateVersions(ctx context.Context, name string) ([]*AckTemplate, error)
	// CreateAckTemplate stores a new template as its first version (after a deleted one of the
	// same name, as its next). A name in use gives a field error on "name".
	CreateAckTemplate(ctx context.Context, a *AckTemplate) error
	// SaveAckTemplate stores a's title and text as the next version of the template a.Name,
	// setting a's version and stamps. It fails with ECONFLICT when the current version is no
	// longer ifVersion (someone else saved in between) and ENOTFOUND when there is none.
	SaveAckTemplate(ctx context.Context, a *AckTemplate, ifVersion int) error
	// DeleteAckTemplate deletes a template (never the default), unless it changed since
	// ifVersion, and returns the version that records the deletion.
	DeleteAckTemplate(ctx context.Context, name string, ifVersion int) (*AckTemplate, error)

	// FindCannedResponses returns every canned response, by title.
	FindCannedResponses(ctx context.Context) ([]*CannedResponse, error)
	// FindCannedResponse returns one, or ENOTFOUND.
	FindCannedResponse(ctx context.Context, id uint64) (*CannedResponse, error)
	// SaveCannedResponse creates r when r.ID is 0 and replaces it otherwise.
	SaveCannedResponse(ctx context.Context, r *CannedResponse) error
	// DeleteCannedResponse removes one, or returns ENOTFOUND.
	DeleteCannedResponse(ctx context.Context, id uint64) error
}
