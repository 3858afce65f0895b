package data

import (
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// Import keeps a mail's own time (ticket.IngestOptions.KeepDate): the ticket, the message, their
// events and so the statistics are stamped with the mail's Date, as if it had come then. The
// transaction is the same; only its time differs for the writes of that one mail. What is not
// the mail's (the acknowledgement, which goes out now; quarantine entries) keeps the time of
// the transaction.

// mailTx is tx, or, for a mail that keeps its own date, tx at the mail's time, never before
// notBefore (the last change of the ticket it joins, so a thread stays in order), with why the
// mail's own date was not used.
func mailTx(tx *Tx, it ticket.IngestItem, notBefore time.Time) (*Tx, ticket.DateFallback) {
	if !it.Options.KeepDate {
		return tx, ""
	}
	at, why := it.Mail.MailTime(tx.now)
	at = at.UTC().Truncate(time.Microsecond)
	if at.Before(notBefore) {
		at = notBefore
	}
	if at.Equal(tx.now) {
		return tx, why
	}
	return tx.at(at), why
}

// at is tx with another time: the same transaction, for the writes of a mail that keeps its own
// date.
func (tx *Tx) at(t time.Time) *Tx {
	c := *tx
	c.now = t
	return &c
}
