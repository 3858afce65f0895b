package data

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// FindPerson collects everything stored about an address (ticket.PersonData) and writes the
// access to the audit trail in the same transaction, so no export goes unrecorded.
func (s *PersonService) FindPerson(ctx context.Context, email string) (*ticket.PersonData, error) {
	addr, err := normalizePerson(email)
	if err != nil {
		return nil, err
	}
	actor := ticket.ActorFromContext(ctx).Name
	var d *ticket.PersonData
	err = s.db.update(ctx, func(tx *Tx) error {
		who, list, err := tx.findPerson(addr)
		if err != nil {
			return err
		}
		d = &ticket.PersonData{Email: addr, CollectedAt: tx.now}
		for _, pt := range list {
			if err := tx.addPersonTicket(d, pt, who); err != nil {
				return err
			}
		}
		if err := tx.collectPerson(who, d); err != nil {
			return err
		}
		if len(d.Tickets) == 0 && len(d.Events) == 0 && len(d.Mail) == 0 && len(d.Quarantine) == 0 && d.Account == nil {
			return ticket.Errorf(ticket.ENOTFOUND, "Det er ikke lagret noe om %s.", addr)
		}
		return tx.addEvent(0, ticket.EventPerson, actor, "", addr, fmt.Sprintf("innsyn: %d saker hentet ut", len(d.Tickets)))
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// addPersonTicket adds one ticket to d: the whole of the person's own tickets; of someone
// else's, what names them.
func (tx *Tx) addPersonTicket(d *ticket.PersonData, pt personTicket, who *people) error {
	t, err := tx.findTicket(pt.id)
	if err != nil {
		return err
	}
	own := pt.role == ticket.PersonRequester
	who = who.forRole(pt.role)
	if own {
		d.Names = addDistinct(d.Names, t.Requester.Name)
	}
	p := ticket.PersonTicket{Ticket: t, Role: pt.role}
	records, err := tx.messageRecords(t.ID)
	if err != nil {
		return err
	}
	for i := range records {
		r := &records[i]
		from := who.hasAddress(r.From)
		if from && r.Direction == string(ticket.DirectionIn) {
			d.Names = addDistinct(d.Names, r.FromName)
		}
		if own || from || messageMentions(r, who) {
			p.Messages = append(p.Messages, r.message())
		}
	}
	err = tx.eachEvent(u64(t.ID), func(_ []byte, r *eventRecord) error {
		if own || eventMentions(r, who) {
			p.Events = append(p.Events, r.event())
		}
		return nil
	})
	if err != nil {
		return err
	}
	if p.Mail, err = tx.mailOfTicketTo(t.ID, who); err != nil {
		return err
	}
	d.Tickets = append(d.Tickets, p)
	return nil
}

// mailOfTicketTo returns the outbox mail of a ticket addressed to anyone of who.
func (tx *Tx) mailOfTicketTo(id uint64, who *people) ([]*ticket.OutboundMail, error) {
	var out []*ticket.OutboundMail
	prefix := u64(id)
	c := tx.Bucket(idxOutboxTicket).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		r, err := tx.outboxRecord(btou64(k[8:]))
		if err != nil {
			return nil, err
		}
		if r != nil && (slices.ContainsFunc(r.To, who.hasAddress) || slices.ContainsFunc(r.Cc, who.hasAddress)) {
			out = append(out, r.mail())
		}
	}
	return out, nil
}

func addDistinct(list []string, s string) []string {
	if s = strings.TrimSpace(s); s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
