package data

import (
	"context"
	"slices"

	"github.com/ks-no/digihjelpen/ticket"
)

// UpdateTickets applies one change to many tickets in one transaction (bulk work in the
// inbox). Each ticket is checked against the version the user saw; one that changed since, or
// that the change does not fit, is left out and named, and the rest go ahead. Every ticket gets
// its own history entries, as for a change to one ticket, and one commit carries them all, so
// the notifications of the burst are planned together.
func (s *TicketService) UpdateTickets(ctx context.Context, items []ticket.BulkItem, change ticket.BulkChange) (ticket.BulkResult, error) {
	actor := ticket.ActorFromContext(ctx).Name
	var res ticket.BulkResult
	err := s.db.update(ctx, func(tx *Tx) error {
		res = ticket.BulkResult{}
		for _, it := range items {
			if err := tx.updateOneOfMany(it, change, actor, &res); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

func (tx *Tx) updateOneOfMany(it ticket.BulkItem, change ticket.BulkChange, actor string, res *ticket.BulkResult) error {
	t, err := tx.findTicket(it.TicketID)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		res.Refused = append(res.Refused, ticket.BulkRefusal{Ticket: &ticket.Ticket{ID: it.TicketID}, Reason: "Saken finnes ikke lenger."})
		return nil
	} else if err != nil {
		return err
	}
	upd := change.Update
	version := it.Version
	upd.IfVersion = &version
	if len(change.AddTags) > 0 {
		tags := slices.Clone(t.Tags)
		for _, tag := range change.AddTags {
			if !slices.Contains(tags, tag) {
				tags = append(tags, tag)
			}
		}
		upd.Tags = &tags
	}
	got, err := tx.updateTicket(it.TicketID, upd, actor)
	switch code := ticket.ErrorCode(err); {
	case err == nil && got.Version == t.Version:
		res.Unchanged = append(res.Unchanged, got)
	case err == nil:
		res.Changed = append(res.Changed, got)
	case code == ticket.ECONFLICT:
		res.Refused = append(res.Refused, ticket.BulkRefusal{Ticket: t, Changed: true,
			Reason: "Endret av noen andre etter at du valgte den."})
	case code == ticket.EINVALID:
		res.Refused = append(res.Refused, ticket.BulkRefusal{Ticket: t, Reason: ticket.ErrorMessage(err)})
	default:
		return err
	}
	return nil
}
