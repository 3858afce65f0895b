package data

import (
	"bytes"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

func init() {
	registerPersonalData(personalData{
		name:    "karantene",
		buckets: [][]byte{bucketQuarantine, bucketQuarantineRaw, idxQuarantineMID},
		findPerson: func(tx *Tx, who *people, out *ticket.PersonData) error {
			ids, err := tx.quarantineOf(who)
			for _, id := range ids {
				r, err := tx.findQuarantine(id)
				if err != nil {
					return err
				}
				out.Quarantine = append(out.Quarantine, r.mail())
				if raw := tx.Bucket(bucketQuarantineRaw).Get(u64(id)); raw != nil {
					if out.QuarantineSources == nil {
						out.QuarantineSources = map[uint64][]byte{}
					}
					out.QuarantineSources[id] = copyBytes(raw)
				}
			}
			return err
		},
		forgetPerson: forgetPersonQuarantine,
	})
}

// quarantineOf lists the quarantined mail that comes from or names anyone of who.
func (tx *Tx) quarantineOf(who *people) ([]uint64, error) {
	var ids []uint64
	raw := tx.Bucket(bucketQuarantineRaw)
	err := tx.Bucket(bucketQuarantine).ForEach(func(k, v []byte) error {
		var r quarantineRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("quarantine %d: %w", btou64(k), err)
		}
		if who.hasAddress(r.From) || who.mentions(r.Subject) || who.mentions(r.From) || rawHoldsAddress(raw.Get(k), who) {
			ids = append(ids, btou64(k))
		}
		return nil
	})
	return ids, err
}

// forgetPersonQuarantine discards the quarantined mail that comes from or names a person, as
// «Forkast» does: its Message-ID is tombstoned, so the mail is never taken in again.
func forgetPersonQuarantine(tx *Tx, who *people, _ *forgetting) (int, error) {
	ids, err := tx.quarantineOf(who)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		r, err := tx.findQuarantine(id)
		if err != nil {
			return 0, err
		}
		if err := tx.deleteQuarantine(id); err != nil {
			return 0, err
		}
		if err := tx.tombstone(r.MessageID, fmt.Sprintf("karantene %d slettet på forespørsel", id)); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

func rawHoldsAddress(raw []byte, who *people) bool {
	if len(raw) == 0 {
		return false
	}
	raw = bytes.ToLower(raw)
	for a := range who.addrs {
		if bytes.Contains(raw, []byte(a)) {
			return true
		}
	}
	return false
}
