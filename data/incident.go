package data

import (
	"context"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// Incidents are operational problems administrators are told of by mail: the mailbox not read
// for a while, mail waiting too long. One is open from the first alarm until the problem is
// gone, kept in the database so that a restart in the middle of it mails nobody again.

func incidentKey(name string) []byte { return []byte("incident/" + name) }

// OpenIncident opens the incident name and queues mail (to the administrators) in the same
// transaction, unless it is open already: then nothing happens and opened is false. One mail
// per incident, also across restarts and with several goroutines.
func (db *DB) OpenIncident(ctx context.Context, name string, mail *ticket.OutboundMail) (opened bool, err error) {
	err = db.update(ctx, func(tx *Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta.Get(incidentKey(name)) != nil {
			return nil
		}
		opened = true
		if err := meta.Put(incidentKey(name), timeKey(tx.now)); err != nil {
			return err
		}
		if mail == nil || len(mail.To) == 0 {
			return nil
		}
		return tx.enqueueMails(nil, []*ticket.OutboundMail{mail})
	})
	return opened, err
}

// CloseIncident closes the incident name; closed is false when it was not open.
func (db *DB) CloseIncident(ctx context.Context, name string) (closed bool, err error) {
	err = db.update(ctx, func(tx *Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta.Get(incidentKey(name)) == nil {
			return nil
		}
		closed = true
		return meta.Delete(incidentKey(name))
	})
	return closed, err
}

// IncidentSince returns when the incident name was opened (zero when it is not open).
func (db *DB) IncidentSince(ctx context.Context, name string) (time.Time, error) {
	var since time.Time
	err := db.view(ctx, func(tx *Tx) error {
		if v := tx.Bucket(bucketMeta).Get(incidentKey(name)); len(v) == 8 {
			since = time.Unix(0, int64(btou64(v))).UTC()
		}
		return nil
	})
	return since, err
}
