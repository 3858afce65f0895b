package data

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/ks-no/digihjelpen/ticket"
)

func init() {
	registerPersonalData(personalData{
		name:         "utgående e-post",
		buckets:      [][]byte{bucketOutbox},
		forgetTicket: forgetTicketMail,
		findPerson: func(tx *Tx, who *people, out *ticket.PersonData) error {
			return tx.eachOutbox(func(r *outboxRecord) error {
				if r.TicketID == 0 && outboxMentions(r, who) {
					out.Mail = append(out.Mail, r.mail())
				}
				return nil
			})
		},
		forgetPerson: forgetPersonMail,
	})
}

// forgetTicketMail handles the outbox mail of a ticket. Whole: mail still queued is deleted
// (its recipients are forgotten); sent and stopped mail keeps its times and state, but loses its
// recipients, its text (a copy of our answer, the acknowledgement with the requester's name and
// status link, or a referral with the question) and its files. For one person: their address
// leaves the recipients (a queued mail left with none is deleted), and names and addresses are
// replaced in every text.
func forgetTicketMail(tx *Tx, ft *ticketForgetting) error {
	prefix := u64(ft.t.ID)
	var ids []uint64
	c := tx.Bucket(idxOutboxTicket).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, btou64(k[8:]))
	}
	for _, id := range ids {
		r, err := tx.outboxRecord(id)
		if err != nil {
			return err
		} else if r == nil {
			continue
		}
		if ft.whole {
			err = tx.forgetWholeMail(r, ft.who, ft.f)
		} else {
			err = tx.scrubMail(r, ft.who)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// forgetPersonMail takes a person out of the mail that belongs to no ticket (the weekly report,
// password links), and returns how many mails it changed.
func forgetPersonMail(tx *Tx, who *people, _ *forgetting) (int, error) {
	var hits []*outboxRecord
	err := tx.eachOutbox(func(r *outboxRecord) error {
		if r.TicketID == 0 && outboxMentions(r, who) {
			hits = append(hits, r)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, r := range hits { // change after iterating, never during
		if err := tx.scrubMail(r, who); err != nil {
			return 0, err
		}
	}
	return len(hits), nil
}

func (tx *Tx) forgetWholeMail(r *outboxRecord, who *people, f *forgetting) error {
	for _, a := range r.Attachments {
		f.blobs[a.SHA256] = true
	}
	if r.State == string(ticket.OutboxQueued) {
		return tx.deleteMail(r)
	}
	r.To, r.Cc, r.Attachments = nil, nil, nil
	r.Subject, r.LastError = who.scrub(r.Subject), who.scrub(r.LastError)
	r.Text, r.HTML = ticket.AnonymisedText, ""
	return tx.putMailRecord(r)
}

func (tx *Tx) scrubMail(r *outboxRecord, who *people) error {
	if !outboxMentions(r, who) {
		return nil
	}
	r.To = slices.DeleteFunc(r.To, who.hasAddress)
	r.Cc = slices.DeleteFunc(r.Cc, who.hasAddress)
	if len(r.To) == 0 && len(r.Cc) == 0 && r.State == string(ticket.OutboxQueued) {
		return tx.deleteMail(r)
	}
	r.Subject, r.Text, r.HTML, r.LastError = who.scrub(r.Subject), who.scrub(r.Text), who.scrub(r.HTML), who.scrub(r.LastError)
	return tx.putMailRecord(r)
}

func outboxMentions(r *outboxRecord, who *people) bool {
	for _, a := range append(slices.Clone(r.To), r.Cc...) {
		if who.hasAddress(a) {
			return true
		}
	}
	return who.mentions(r.Subject) || who.mentions(r.Text) || who.mentions(r.HTML) || who.mentions(r.LastError)
}

// deleteMail removes a mail with its index entries; a queued one is never sent, and its
// Message-ID, which never went out, leaves the index.
func (tx *Tx) deleteMail(r *outboxRecord) error {
	id := u64(r.ID)
	if v := tx.Bucket(idxMessageID).Get([]byte(r.MessageID)); len(v) == 12 && btou64(v) == r.TicketID {
		if err := tx.Bucket(idxMessageID).Delete([]byte(r.MessageID)); err != nil {
			return fmt.Errorf("unindex outbox mail %d: %w", r.ID, err)
		}
	}
	for _, ik := range []struct{ bucket, key []byte }{
		{idxOutboxDue, key(timeKey(r.NextTry), id)}, {idxWebhookDue, key(timeKey(r.NextTry), id)}, {idxOutboxParked, id},
		{idxOutboxTicket, key(u64(r.TicketID), id)}, {bucketOutbox, id},
	} {
		if err := tx.Bucket(ik.bucket).Delete(ik.key); err != nil {
			return fmt.Errorf("delete outbox mail %d from %s: %w", r.ID, ik.bucket, err)
		}
	}
	return nil
}

func (tx *Tx) putMailRecord(r *outboxRecord) error {
	buf, err := encode(r)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketOutbox).Put(u64(r.ID), buf); err != nil {
		return fmt.Errorf("put outbox mail %d: %w", r.ID, err)
	}
	return nil
}

// outboxRecord reads one outbox record (nil when it is gone).
func (tx *Tx) outboxRecord(id uint64) (*outboxRecord, error) {
	v := tx.Bucket(bucketOutbox).Get(u64(id))
	if v == nil {
		return nil, nil
	}
	var r outboxRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("outbox mail %d: %w", id, err)
	}
	return &r, nil
}

// eachOutbox calls fn with every outbox record.
func (tx *Tx) eachOutbox(fn func(r *outboxRecord) error) error {
	return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		var r outboxRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("outbox mail %d: %w", btou64(k), err)
		}
		return fn(&r)
	})
}
