package data

import (
	"bytes"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

func init() {
	registerPersonalData(personalData{
		name:    "revisjonslogg og sakshistorikk",
		buckets: [][]byte{bucketEvents},
		forgetTicket: func(tx *Tx, ft *ticketForgetting) error {
			_, err := tx.scrubEvents(u64(ft.t.ID), ft.who)
			return err
		},
		findPerson: func(tx *Tx, who *people, out *ticket.PersonData) error {
			return tx.eachEvent(u64(0), func(_ []byte, r *eventRecord) error {
				if eventMentions(r, who) {
					out.Events = append(out.Events, r.event())
				}
				return nil
			})
		},
		forgetPerson: func(tx *Tx, who *people, _ *forgetting) (int, error) {
			return tx.scrubEvents(u64(0), who)
		},
	})
}

// eventMentions reports whether an audit event names anyone of who.
func eventMentions(r *eventRecord, who *people) bool {
	return who.mentions(r.Actor) || who.mentions(r.From) || who.mentions(r.To) || who.mentions(r.Detail)
}

// scrubEvents replaces the addresses and names of who in the events under prefix (a ticket's,
// or u64(0): those about no ticket). Staff stay named: the trail still says who did what; it
// no longer says to whom. It returns how many events it changed.
func (tx *Tx) scrubEvents(prefix []byte, who *people) (int, error) {
	return tx.rewriteEvents(prefix, func(r *eventRecord) bool {
		if !eventMentions(r, who) {
			return false
		}
		r.Actor, r.From, r.To, r.Detail = who.scrub(r.Actor), who.scrub(r.From), who.scrub(r.To), who.scrub(r.Detail)
		return true
	})
}

// eachEvent calls fn with every event under prefix, oldest first.
func (tx *Tx) eachEvent(prefix []byte, fn func(k []byte, r *eventRecord) error) error {
	c := tx.Bucket(bucketEvents).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r eventRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("event %x: %w", k, err)
		}
		if err := fn(k, &r); err != nil {
			return err
		}
	}
	return nil
}
