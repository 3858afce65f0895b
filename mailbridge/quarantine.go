package mailbridge

import (
	"context"

	"github.com/ks-no/digihjelpen/ticket"
)

// FindQuarantine returns one page of quarantined mail, newest first.
func (in *Intake) FindQuarantine(ctx context.Context, f ticket.QuarantineFilter) ([]*ticket.QuarantinedMail, int, error) {
	return in.Store.FindQuarantine(ctx, f)
}

// FindQuarantined returns one quarantined mail.
func (in *Intake) FindQuarantined(ctx context.Context, id uint64) (*ticket.QuarantinedMail, error) {
	return in.Store.FindQuarantined(ctx, id)
}

// FindQuarantinedRaw returns the source of a quarantined mail; storage records the view.
func (in *Intake) FindQuarantinedRaw(ctx context.Context, id uint64) ([]byte, error) {
	return in.Store.FindQuarantinedRaw(ctx, id)
}

// DiscardQuarantined deletes a quarantined mail for good.
func (in *Intake) DiscardQuarantined(ctx context.Context, id uint64) error {
	return in.Store.DiscardQuarantined(ctx, id)
}

// RetryQuarantined reads a quarantined mail again, as it would arrive now (after a fix, a raised
// size limit, or a ticket it can now thread into). On success the entry is gone; when it fails
// again, the entry says why.
func (in *Intake) RetryQuarantined(ctx context.Context, id uint64) (ticket.IntakeResult, error) {
	q, raw, err := in.Store.QuarantinedSource(ctx, id)
	if err != nil {
		return ticket.IntakeResult{}, err
	}
	if q.Truncated {
		return ticket.IntakeResult{}, ticket.Errorf(ticket.EINVALID,
			"Bare hodet til denne e-posten er tatt vare på, så den kan ikke leses inn på nytt. Opprett sak likevel, eller hent e-posten fra e-postkassen.")
	}
	return in.store(ctx, id, Incoming{Raw: raw, Source: q.Source}, false)
}

// CreateFromQuarantine makes a ticket of a quarantined mail whatever it is: an automatic reply,
// a mail from a sender over the limit, one that could not be read (its source goes with it), or
// only the header of one that was too large. No acknowledgement is sent.
func (in *Intake) CreateFromQuarantine(ctx context.Context, id uint64) (ticket.IntakeResult, error) {
	q, raw, err := in.Store.QuarantinedSource(ctx, id)
	if err != nil {
		return ticket.IntakeResult{}, err
	}
	return in.store(ctx, id, Incoming{Raw: raw, Size: q.Size, Source: q.Source}, true)
}

func (in *Intake) store(ctx context.Context, id uint64, inc Incoming, force bool) (ticket.IntakeResult, error) {
	m := in.Mail(inc)
	res, err := in.Store.IngestBatch(ctx, []ticket.IngestItem{{Mail: m, Options: ticket.IngestOptions{QuarantineID: id, Force: force}}})
	if err != nil {
		return ticket.IntakeResult{}, err
	}
	return res[0], nil
}
