package data

import (
	"fmt"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// maskNationalIDs masks the national identity numbers in what a person sent (the ticket's
// subject when t is given, and the subject, text and HTML of an inbound message) before any of
// it is stored (ticket.MaskNationalIDs). The raw source would hold the number too, in whatever
// transfer encoding the mail used, so a mail with a number keeps no source. It returns the
// history line to write, "" when nothing was masked.
func maskNationalIDs(t *ticket.Ticket, m *ticket.Message) string {
	if m.Direction != ticket.DirectionIn {
		return ""
	}
	mask := func(s *string) bool {
		var n int
		*s, n = ticket.MaskNationalIDs(*s)
		return n > 0
	}
	var where []string
	subject := mask(&m.Subject)
	if t != nil && mask(&t.Subject) || subject {
		where = append(where, "emnet")
	}
	if text, html := mask(&m.Text), mask(&m.HTML); text || html {
		where = append(where, "teksten")
	}
	if len(where) == 0 {
		return ""
	}
	detail := "fødselsnummer maskert i " + strings.Join(where, " og ")
	if len(m.Raw) > 0 {
		m.Raw = nil
		detail += "; e-postens kildetekst er ikke lagret"
	}
	return detail
}

// addMaskedEvent notes on the ticket that a number in message seq was masked.
func (tx *Tx) addMaskedEvent(ticketID uint64, seq int, detail string) error {
	if detail == "" {
		return nil
	}
	return tx.addEvent(ticketID, ticket.EventMasked, "system", "", fmt.Sprint(seq), detail)
}
