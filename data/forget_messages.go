package data

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

func init() {
	registerPersonalData(personalData{
		name:         "meldinger, vedlegg og e-postkilder",
		buckets:      [][]byte{bucketMessages, bucketRaw, bucketBlobs, bucketChunks},
		forgetTicket: forgetMessages,
	})
}

// forgetMessages rewrites the thread of a ticket. Whole: every address goes; what people sent
// (inbound text, HTML, display names) is replaced by ticket.AnonymisedText; in what we wrote
// (answers, notes, system messages) names and addresses are replaced and quoted history is cut
// off, since it quotes the people; every file and every source goes. For one person: their own
// mail goes as above, their address leaves the recipients of the rest, and their names and
// address are replaced in every text and subject; a source that names them goes.
func forgetMessages(tx *Tx, ft *ticketForgetting) error {
	list, err := tx.messageRecords(ft.t.ID)
	if err != nil {
		return err
	}
	for i := range list {
		r := &list[i]
		before, err := encode(r)
		if err != nil {
			return err
		}
		dropRaw := ft.whole || ft.who.hasAddress(r.From)
		if ft.whole || (r.Direction == string(ticket.DirectionIn) && ft.who.hasAddress(r.From)) {
			forgetWholeMessage(r, ft)
		} else {
			dropRaw = dropRaw || messageMentions(r, ft.who) || tx.rawMentions(r, ft.who)
			scrubMessage(r, ft.who)
		}
		if dropRaw && r.HasRaw {
			r.HasRaw = false
			if err := tx.deleteRaw(msgKey(r.TicketID, r.Seq)); err != nil {
				return fmt.Errorf("forget source of %d/%d: %w", r.TicketID, r.Seq, err)
			}
		}
		buf, err := encode(r)
		if err != nil {
			return err
		}
		if bytes.Equal(buf, before) {
			continue
		}
		if err := tx.Bucket(bucketMessages).Put(msgKey(r.TicketID, r.Seq), buf); err != nil {
			return fmt.Errorf("put message %d/%d: %w", r.TicketID, r.Seq, err)
		}
	}
	return nil
}

// forgetWholeMessage empties a message of everything personal.
func forgetWholeMessage(r *messageRecord, ft *ticketForgetting) {
	r.From, r.FromName, r.To, r.Cc = "", "", nil, nil
	for _, a := range r.Attachments {
		ft.f.blobs[a.SHA256] = true
	}
	r.Attachments = nil
	r.Subject = ft.who.scrub(r.Subject)
	if r.Direction == string(ticket.DirectionIn) {
		r.Text, r.HTML, r.QuoteStart = ticket.AnonymisedText, "", 0
		return
	}
	if r.QuoteStart > 0 && r.QuoteStart <= len(r.Text) {
		r.Text = strings.TrimRight(r.Text[:r.QuoteStart], " \r\n")
	}
	r.Text, r.HTML, r.QuoteStart = ft.who.scrub(r.Text), "", 0
	if strings.TrimSpace(r.Text) == "" {
		r.Text = ticket.AnonymisedText
	}
}

// scrubMessage takes one person out of a message someone else sent or we wrote.
func scrubMessage(r *messageRecord, who *people) {
	r.To = slices.DeleteFunc(r.To, who.hasAddress)
	r.Cc = slices.DeleteFunc(r.Cc, who.hasAddress)
	if len(r.To) == 0 {
		r.To = nil
	}
	if len(r.Cc) == 0 {
		r.Cc = nil
	}
	r.Subject, r.FromName = who.scrub(r.Subject), who.scrub(r.FromName)
	if text := who.scrub(r.Text); text != r.Text {
		r.Text, r.QuoteStart = text, 0 // the offset no longer holds once the text changed length
	}
	r.HTML = who.scrub(r.HTML)
}

// messageMentions reports whether a message names anyone of who in its fields.
func messageMentions(r *messageRecord, who *people) bool {
	for _, a := range append(slices.Clone(r.To), r.Cc...) {
		if who.hasAddress(a) {
			return true
		}
	}
	return who.mentions(r.Subject) || who.mentions(r.FromName) || who.mentions(r.Text) || who.mentions(r.HTML)
}

// rawMentions reports whether the stored source of a message holds an address of who (in any
// case); names in a source may be encoded, which messageMentions catches through the fields.
func (tx *Tx) rawMentions(r *messageRecord, who *people) bool {
	if !r.HasRaw {
		return false
	}
	raw, err := tx.rawSource(msgKey(r.TicketID, r.Seq))
	if err != nil {
		return true // a damaged source is dropped rather than kept with a name in it
	}
	raw = bytes.ToLower(raw)
	for a := range who.addrs {
		if bytes.Contains(raw, []byte(a)) {
			return true
		}
	}
	return false
}
