package main

import (
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

// parseEML reads a .eml to try routing rules on it, with intake's own parser, so that a trial
// sees the mail exactly as intake would: sender, recipients, subject and the readable text.
func parseEML(raw []byte) (*ticket.Ticket, *ticket.Message, error) {
	m, err := mailbridge.Parse(raw, nil)
	if err != nil {
		return nil, nil, ticket.Errorf(ticket.EINVALID, "Filen kunne ikke leses som en e-post (.eml): %v.", err)
	}
	msg := m.Message
	t := &ticket.Ticket{Subject: msg.Subject, Channel: ticket.ChannelEmail, Status: ticket.StatusNew,
		Requester: ticket.Requester{Name: msg.FromName, Email: msg.From}}
	return t, msg, nil
}
