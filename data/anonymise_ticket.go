package data

import (
	"bytes"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// anonymiseTicket removes the personal data of one ticket in the caller's transaction; the
// hashes of attachments it drops are added to blobs, to be deleted when nothing else uses them.
// The update time stays, so the ticket keeps its place in lists and statistics.
func (tx *Tx) anonymiseTicket(id uint64, blobs map[string]bool) error {
	t, err := tx.findTicket(id)
	if err != nil {
		return err
	}
	old := *t
	who := people{}
	who.add(t.Requester.Email)
	who.add(t.Participants...)
	if err := tx.anonymiseMessages(t.ID, who, blobs); err != nil {
		return err
	}
	if err := tx.scrubEvents(t.ID, who); err != nil {
		return err
	}
	if err := tx.anonymiseFeedback(t.ID); err != nil {
		return err
	}
	t.Requester.Name, t.Requester.Email, t.Participants = "", "", nil
	t.Subject = who.scrub(t.Subject)
	t.AnonymisedAt = tx.now
	if err := tx.putTicket(&old, t); err != nil {
		return err
	}
	return tx.addEvent(t.ID, ticket.EventAnonymised, "system", "", "", "personopplysninger slettet etter oppbevaringstiden")
}

// anonymiseMessages clears the addresses of every message, the text, HTML and attachments of
// inbound ones, and the raw sources. Outbound text (our answers) and notes are kept.
func (tx *Tx) anonymiseMessages(ticketID uint64, who people, blobs map[string]bool) error {
	b := tx.Bucket(bucketMessages)
	list, err := tx.messageRecords(ticketID)
	if err != nil {
		return err
	}
	for _, r := range list { // addresses first: an outbound text may quote them
		if r.Direction != string(ticket.DirectionOut) {
			who.add(r.From)
		}
		who.add(r.To...)
		who.add(r.Cc...)
	}
	for i := range list {
		r := &list[i]
		k := msgKey(ticketID, r.Seq)
		r.From, r.FromName, r.To, r.Cc = "", "", nil, nil
		if r.Direction == string(ticket.DirectionIn) {
			r.Text, r.HTML = ticket.AnonymisedText, ""
			for _, a := range r.Attachments {
				blobs[a.SHA256] = true
			}
			r.Attachments = nil
		}
		r.Subject = who.scrub(r.Subject)
		r.HasRaw = false
		if err := tx.Bucket(bucketRaw).Delete(k); err != nil {
			return fmt.Errorf("delete raw message %d/%d: %w", ticketID, r.Seq, err)
		}
		buf, err := encode(r)
		if err != nil {
			return err
		}
		if err := b.Put(k, buf); err != nil {
			return fmt.Errorf("put message %d/%d: %w", ticketID, r.Seq, err)
		}
	}
	return nil
}

// scrubEvents replaces the addresses of the people in a ticket's audit trail; staff stay named.
func (tx *Tx) scrubEvents(ticketID uint64, who people) error {
	b := tx.Bucket(bucketEvents)
	prefix := u64(ticketID)
	type put struct{ k, v []byte }
	var puts []put
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r eventRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("event %x: %w", k, err)
		}
		before := r
		r.Actor, r.From, r.To, r.Detail = who.scrub(r.Actor), who.scrub(r.From), who.scrub(r.To), who.scrub(r.Detail)
		if r == before {
			continue
		}
		buf, err := encode(r)
		if err != nil {
			return err
		}
		puts = append(puts, put{copyBytes(k), buf})
	}
	for _, p := range puts { // write after iterating, never during
		if err := b.Put(p.k, p.v); err != nil {
			return fmt.Errorf("put event: %w", err)
		}
	}
	return nil
}
