package data

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// returnMails marks the sent mails of a ticket that a bounce reports (by their Message-IDs) as
// returned: parked, with the bounce's words as their error, so the outbox and the ticket page
// show that the address did not work, and an admin can send them again. Mail that is not sent
// (queued again meanwhile, or parked already) is left as it is. It returns the mails it marked.
func (tx *Tx) returnMails(ticketID uint64, bounced []string, reason string) ([]*ticket.OutboundMail, error) {
	var ids []uint64
	prefix := u64(ticketID)
	c := tx.Bucket(idxOutboxTicket).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, btou64(k[8:]))
	}
	var returned []*ticket.OutboundMail
	for _, id := range ids {
		m, err := tx.findOutbound(id)
		if err != nil {
			return nil, err
		}
		if m.State != ticket.OutboxSent || !slices.Contains(bounced, ticket.NormalizeMessageID(m.MessageID)) {
			continue
		}
		m.ReturnedAt, m.LastError = tx.now, reason
		if err := tx.putParked(m); err != nil {
			return nil, err
		}
		returned = append(returned, m)
	}
	return returned, nil
}

// addBounceEvent records on the ticket that mail did not arrive: which of our mails came back
// (returned), and what the bounce says.
func (tx *Tx) addBounceEvent(ticketID uint64, m *ticket.InboundMail, returned []*ticket.OutboundMail) error {
	to, detail := strings.Join(m.BouncedIDs, " "), m.AutoReason
	if len(returned) > 0 {
		var mails []string
		for _, r := range returned {
			mails = append(mails, fmt.Sprintf("%s (e-post %d, %s)", r.Kind.Label(), r.ID, firstOf(r.To)))
		}
		to = firstOf(returned[0].To)
		detail = strings.Join(mails, ", ") + " kom i retur. " + sentence(m.AutoReason)
	}
	return tx.addEvent(ticketID, ticket.EventMailFailed, "system", "", to, detail)
}
