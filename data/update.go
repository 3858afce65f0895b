package data

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// UpdateTicket applies upd in one transaction and records an event for every changed field.
func (s *TicketService) UpdateTicket(ctx context.Context, id uint64, upd ticket.TicketUpdate) (*ticket.Ticket, error) {
	actor := ticket.ActorFromContext(ctx).Name
	var t *ticket.Ticket
	err := s.db.update(ctx, func(tx *Tx) (err error) {
		t, err = tx.updateTicket(id, upd, actor)
		return err
	})
	return t, err
}

func (tx *Tx) updateTicket(id uint64, upd ticket.TicketUpdate, actor string) (*ticket.Ticket, error) {
	t, err := tx.findTicket(id)
	if err != nil {
		return nil, err
	}
	if t.ChangedSince(upd.IfVersion) {
		return nil, ticket.Errorf(ticket.ECONFLICT, "Saken er endret av noen andre siden du åpnet den. Last siden på nytt og se endringene før du prøver igjen.")
	}
	old := *t
	ch := changes{tx: tx, id: id, actor: actor}
	if upd.Status != nil && *upd.Status != t.Status {
		if err := t.CheckStatusChange(*upd.Status); err != nil {
			return nil, err
		}
		tx.setStatus(t, *upd.Status)
		ch.add(ticket.EventStatus, string(old.Status), string(t.Status), "")
	}
	if upd.Subject != nil && *upd.Subject != t.Subject {
		t.Subject = strings.TrimSpace(*upd.Subject)
		ch.add(ticket.EventSubject, old.Subject, t.Subject, "")
	}
	if upd.Agency != nil && *upd.Agency != t.Agency {
		t.Agency = *upd.Agency
		// The routing explanation must never describe a rule that no longer holds: a change
		// without one of its own is a manual re-route by the actor.
		t.Routing = ticket.Routing{Rule: ticket.RuleManual, Reason: "etaten ble endret av " + actor}
		if upd.Routing != nil {
			t.Routing = *upd.Routing
		}
		ch.add(ticket.EventAgency, old.Agency, t.Agency, t.Routing.Rule+": "+t.Routing.Reason)
	}
	if upd.Priority != nil && *upd.Priority != t.Priority {
		t.Priority = *upd.Priority
		ch.add(ticket.EventPriority, string(old.Priority), string(t.Priority), "")
	}
	if upd.Assignee != nil && *upd.Assignee != t.Assignee {
		t.Assignee = strings.ToLower(*upd.Assignee)
		ch.add(ticket.EventAssigned, old.Assignee, t.Assignee, "")
	}
	if upd.Tags != nil && !slices.Equal(*upd.Tags, t.Tags) {
		t.Tags = slices.Clone(*upd.Tags)
		ch.add(ticket.EventTags, strings.Join(old.Tags, ","), strings.Join(t.Tags, ","), "")
	}
	if upd.Municipality != nil && *upd.Municipality != t.Requester.Municipality {
		t.Requester.Municipality = *upd.Municipality
		if upd.County != nil {
			t.Requester.County = *upd.County
		}
		ch.add(ticket.EventMunicipal, old.Requester.Municipality.Number, t.Requester.Municipality.Number, t.Requester.Municipality.Name)
	}
	if len(ch.events) == 0 {
		return t, nil
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	t.UpdatedAt = tx.now
	if err := tx.putTicket(&old, t); err != nil {
		return nil, err
	}
	return t, ch.write()
}

// setStatus moves t and keeps the resolution time: set when it leaves the active statuses,
// cleared (and the reopen counted) when it comes back. Events keep the history.
func (tx *Tx) setStatus(t *ticket.Ticket, to ticket.Status) {
	switch {
	case !to.Active() && t.Status.Active():
		t.ResolvedAt = tx.now
	case to.Active() && !t.Status.Active():
		t.ResolvedAt = time.Time{}
		t.ReopenCount++
	}
	t.Status = to
}

// changes collects the events of one update; they are written after the record.
type changes struct {
	tx     *Tx
	id     uint64
	actor  string
	events []ticket.Event
}

func (c *changes) add(kind ticket.EventKind, from, to, detail string) {
	c.events = append(c.events, ticket.Event{Kind: kind, From: from, To: to, Detail: detail})
}

func (c *changes) write() error {
	for _, e := range c.events {
		if err := c.tx.addEvent(c.id, e.Kind, c.actor, e.From, e.To, e.Detail); err != nil {
			return err
		}
	}
	return nil
}
