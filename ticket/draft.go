package ticket

import (
	"context"
	"strings"
	"time"
)

// ReplyDraft is a reply a staff member has started and not sent, kept on the server so it
// survives a closed tab, another computer or a refused send, and so colleagues see that
// someone is answering. Each staff member has at most one draft per ticket.
type ReplyDraft struct {
	TicketID uint64
	Author   string // staff email
	Text     string
	// Cc are the extra recipients as typed (addresses, checked when the reply is sent).
	Cc string
	// Status is the status chosen for after the reply ("" for the default).
	Status Status
	// AssignMe is «tildel meg» ticked.
	AssignMe bool
	// Attachments are files chosen for the reply, stored by their SHA-256 like any attachment
	// (Data is set only on the way in).
	Attachments []Attachment
	UpdatedAt   time.Time
}

// Empty reports whether the draft holds nothing worth keeping.
func (d *ReplyDraft) Empty() bool {
	return strings.TrimSpace(d.Text) == "" && strings.TrimSpace(d.Cc) == "" && len(d.Attachments) == 0
}

// Validate checks a draft before it is stored: it is bounded like the reply it becomes.
func (d *ReplyDraft) Validate() error {
	switch {
	case d.TicketID == 0 || d.Author == "":
		return Errorf(EINVALID, "Utkastet mangler sak eller forfatter.")
	case len(d.Text) > MaxTextLen:
		return FieldError("text", "Teksten kan være høyst %d tegn.", MaxTextLen)
	case len(d.Cc) > 2000:
		return FieldError("cc", "Kopifeltet er for langt.")
	case d.Status != "" && !d.Status.Valid():
		return FieldError("status", "Ukjent status %q.", d.Status)
	}
	return nil
}

// DraftService keeps reply drafts. data.DraftService implements it; AppendOptions.DraftOf
// deletes the draft a reply was sent from in the reply's own transaction.
type DraftService interface {
	// FindDrafts returns every draft of a ticket (the colleagues' too), newest first.
	FindDrafts(ctx context.Context, ticketID uint64) ([]*ReplyDraft, error)
	// FindDraft returns the draft of author on a ticket, or ENOTFOUND.
	FindDraft(ctx context.Context, ticketID uint64, author string) (*ReplyDraft, error)
	// SaveDraft stores d (replacing the author's earlier draft), its new attachment bytes as
	// blobs; an empty draft is deleted instead.
	SaveDraft(ctx context.Context, d *ReplyDraft) error
	// DeleteDraft removes the draft of author on a ticket; none is fine.
	DeleteDraft(ctx context.Context, ticketID uint64, author string) error
}
