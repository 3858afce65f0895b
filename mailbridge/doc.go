// Package mailbridge moves mail between the contact point and the world: IMAP intake (IDLE and
// polling) into tickets, MIME parsing into UTF-8, and sending from the outbox over SMTP. The
// protocol code reaches storage only through the interfaces of package ticket.
package mailbridge
